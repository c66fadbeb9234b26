// Discord (providers §4.4): the Slack payload sent to Discord's Slack-compatible endpoint.
// The address gets `/slack` joined to its path unless the raw text already ends with it.

import { type GoURL, GoURLError, parseRequestURI, pathJoin } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { goodOrDanger, slackShapedPayload } from './slack.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** The URL the notifier posts to; throws the constructor's error for an unparsable address. */
export function discordURL(raw: string): string {
  let u: GoURL;
  try {
    u = parseRequestURI(raw);
  } catch (err) {
    if (err instanceof GoURLError) throw new NotifierError(`invalid Discord hook URL ${raw}: '${err.message}'`);
    throw err;
  }
  // The suffix test looks at the raw text, so an address with a query string always gets the join.
  if (raw.endsWith('/slack')) return raw;
  // Only the decoded path changes; a stale rawPath no longer matches it and is ignored on output.
  u.path = pathJoin(u.path, 'slack');
  return u.toString();
}

export const provider: ProviderDefinition = {
  type: 'discord',
  transport: 'http',
  needs: 'address (Discord webhook URL); username optional',
  create(opts) {
    const url = discordURL(opts.url);
    return {
      *post(e) {
        const payload = slackShapedPayload(e, {
          channel: '',
          username: opts.username !== '' ? opts.username : e.reportingController,
          fallback: '',
          color: goodOrDanger(e),
        });
        // Discord never applies the Provider's CA / client certificate.
        yield* send(sharedPost(url, payload, { useTLS: false }));
        return { sent: true };
      },
    };
  },
};
