// Rocket.Chat (providers §4.5): the Slack payload with Rocket's own colours, the configured
// channel and username as they are (no fallback to the reporting controller).

import { GoURLError, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { slackShapedPayload } from './slack.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

export const provider: ProviderDefinition = {
  type: 'rocket',
  transport: 'http',
  needs: 'address (Rocket.Chat incoming webhook URL); channel and username optional',
  create(opts) {
    try {
      parseRequestURI(opts.url);
    } catch (err) {
      if (err instanceof GoURLError) throw new NotifierError(`invalid Rocket hook URL ${opts.url}: '${err.message}'`);
      throw err;
    }
    return {
      *post(e) {
        const payload = slackShapedPayload(e, {
          channel: opts.channel,
          username: opts.username,
          fallback: '',
          color: e.severity === 'error' ? '#FF0000' : '#0076D7',
        });
        yield* send(sharedPost(opts.url, payload));
        return { sent: true };
      },
    };
  },
};
