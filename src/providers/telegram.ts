// Telegram (providers §4.12): a MarkdownV2 message through the Bot API. The address is ignored;
// the token goes verbatim into the fixed API URL. Errors are the sender's, unwrapped.

import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseURL } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { objNameSlashed, sortedMetadata } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** MarkdownV2 escaping: a backslash before each special character (backslash included). */
export function telegramEscape(s: string): string {
  return s.replace(/[\\.\-_[\]()~>`#+=|{}!*]/g, '\\$&');
}

export function telegramText(e: FluxEvent): string {
  const emoji = e.severity === 'error' ? '\u{1f6a8}' : '\u{1f4ab}';
  let metadata = '';
  for (const [k, v] of sortedMetadata(e)) metadata += `\\- *${telegramEscape(k)}*: ${telegramEscape(v)}\n`;
  return `*${telegramEscape(`${emoji} ${objNameSlashed(e)}`)}*\n${telegramEscape(e.message)}\n${metadata}`;
}

/**
 * `https://api.telegram.org/bot<token>` with `sendMessage` joined to its path (Go url.JoinPath:
 * the token is parsed as part of the URL, so `/`, `?`, `#` or `%` in it change the result).
 */
export function telegramURL(token: string): string {
  return parseURL(`https://api.telegram.org/bot${token}`).joinPath('sendMessage').toString();
}

export const provider: ProviderDefinition = {
  type: 'telegram',
  transport: 'http',
  needs: 'token (bot token), channel (chat ID, optionally chat:thread)',
  create(opts) {
    if (opts.channel === '') throw new NotifierError('empty Telegram channel');
    if (opts.token === '') throw new NotifierError('empty Telegram token');
    return {
      *post(e) {
        const cut = opts.channel.indexOf(':');
        const payload: Record<string, unknown> = { chat_id: cut < 0 ? opts.channel : opts.channel.slice(0, cut) };
        if (cut >= 0 && cut + 1 < opts.channel.length) payload.message_thread_id = opts.channel.slice(cut + 1);
        payload.text = telegramText(e);
        payload.parse_mode = 'MarkdownV2';
        let url: string;
        try {
          url = telegramURL(opts.token);
        } catch (err) {
          if (err instanceof GoURLError) throw new NotifierError(`failed to construct API URL: ${err.message}`);
          throw err;
        }
        // Telegram never applies the Provider's CA / client certificate.
        yield* send(sharedPost(url, payload, { useTLS: false }), '');
        return { sent: true };
      },
    };
  },
};
