// Webex (providers §4.9): a markdown message to a room through the Webex messages API, with the
// bot token always sent as a bearer (even when empty).

import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { objName, sortedMetadata } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

export function webexMarkdown(e: FluxEvent): string {
  const emoji = e.severity === 'error' ? '\u{1f4a3}' : '\u2705';
  let out = `${emoji} **${objName(e)}**\n${e.message}\n`;
  for (const [k, v] of sortedMetadata(e)) out += `>**${k}**: ${v}\n`;
  return out;
}

export const provider: ProviderDefinition = {
  type: 'webex',
  transport: 'http',
  needs: 'address (https://webexapis.com/v1/messages), channel (room ID), token (bot access token)',
  create(opts) {
    try {
      parseRequestURI(opts.url);
    } catch (err) {
      if (err instanceof GoURLError) throw new NotifierError(`invalid Webex hook URL ${opts.url}: '${err.message}'`);
      throw err;
    }
    return {
      *post(e) {
        // Both keys are omitempty; the markdown is never empty.
        const payload: Record<string, unknown> = {};
        if (opts.channel !== '') payload.roomId = opts.channel;
        payload.markdown = webexMarkdown(e);
        const req = sharedPost(opts.url, payload, { extraHeaders: [['Authorization', `Bearer ${opts.token}`]] });
        yield* send(req);
        return { sent: true };
      },
    };
  },
};
