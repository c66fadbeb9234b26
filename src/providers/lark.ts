// Lark / Feishu custom bot (providers §4.13): an interactive card. The notifier passes no proxy
// and no TLS options to the sender, and its constructor error says "Slack" (sic).

import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { objName, sortedMetadata } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

export function larkPayload(e: FluxEvent): Record<string, unknown> {
  const isError = e.severity === 'error';
  let content = `**${e.message}**\n\n`;
  for (const [k, v] of sortedMetadata(e)) content += `${k}: ${v}\n`;
  return {
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: {
        title: { tag: 'plain_text', content: `${isError ? '\u{1f6a8}' : '\u{1f4ab}'} ${objName(e)}` },
        template: isError ? 'red' : 'turquoise',
      },
      elements: [{ tag: 'div', text: { tag: 'lark_md', content } }],
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'lark',
  transport: 'http',
  needs: 'address (Lark/Feishu bot webhook URL)',
  create(opts) {
    try {
      parseRequestURI(opts.url);
    } catch (err) {
      if (err instanceof GoURLError) throw new NotifierError(`invalid Slack hook URL ${opts.url}`);
      throw err;
    }
    return {
      *post(e) {
        // Not wrapped: the sender's error is returned as it is.
        yield* send(sharedPost(opts.url, larkPayload(e), { useProxy: false, useTLS: false }), '');
        return { sent: true };
      },
    };
  },
};
