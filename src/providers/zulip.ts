// Zulip (providers §4.32): the markdown post sent as a form to the messages API of the server
// named by the address, with the bot's e-mail and API key as basic auth.

import { type GoURL, GoURLError, encodeValues, parseURL } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { markdownPost } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/**
 * The address with its path replaced by the API path (url.Parse is lenient: an empty or
 * relative address passes here and only fails when sent).
 */
export function zulipEndpoint(raw: string): string {
  let u: GoURL;
  try {
    u = parseURL(raw);
  } catch (err) {
    if (err instanceof GoURLError) throw new NotifierError(`invalid Zulip endpoint URL: ${err.message}`);
    throw err;
  }
  u.path = '/api/v1/messages';
  return u.toString();
}

/** `<stream>/<topic>`, split at the first `/`; both parts must be non-empty. */
export function zulipChannel(channel: string): { stream: string; topic: string } {
  const slash = channel.indexOf('/');
  if (slash <= 0 || slash === channel.length - 1) {
    throw new NotifierError(`invalid Zulip channel format, expected <channel>/<topic>, got '${channel}'`);
  }
  return { stream: channel.slice(0, slash), topic: channel.slice(slash + 1) };
}

export const provider: ProviderDefinition = {
  type: 'zulip',
  transport: 'http',
  needs: 'address (Zulip server URL), channel (<stream>/<topic>), username (bot e-mail), password (bot API key)',
  create(opts) {
    const endpoint = zulipEndpoint(opts.url);
    const { stream, topic } = zulipChannel(opts.channel);
    return {
      *post(e) {
        const body = encodeValues([
          ['type', 'stream'],
          ['to', stream],
          ['topic', topic],
          ['content', markdownPost(e)],
        ]);
        const req = sharedPost(endpoint, undefined, {
          raw: { body, contentType: 'application/x-www-form-urlencoded' },
          basicAuth: { username: opts.username, password: opts.password },
        });
        // Not wrapped: the sender's error is returned as it is.
        yield* send(req, '');
        return { sent: true };
      },
    };
  },
};
