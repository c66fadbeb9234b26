// generic-hmac (providers §4.2, notification-controller §6.10): the generic forwarder plus an
// `X-Signature: sha256=<hex>` header, HMAC-SHA256 of the exact body keyed by the Secret token.

import { createHmac } from 'node:crypto';
import { checkHookURL, forwarderRequest } from './generic.js';
import { send } from './sender.js';
import type { NotifierOptions, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/**
 * The HMAC key: the controller uses the token's raw bytes. NotifierOptions.token is a decoded
 * string, so the Secret's own bytes are preferred when the token came from them (they differ
 * only for a token that is not valid UTF-8).
 */
export function hmacKey(opts: NotifierOptions): Buffer {
  const raw = opts.secretData.token;
  if (raw !== undefined && opts.token !== '' && raw.toString('utf8') === opts.token) return raw;
  return Buffer.from(opts.token, 'utf8');
}

/** `sha256=` + lower-case hex HMAC-SHA256 of the body's UTF-8 bytes. */
export function signature(body: string, key: Buffer): string {
  return 'sha256=' + createHmac('sha256', key).update(Buffer.from(body, 'utf8')).digest('hex');
}

export const provider: ProviderDefinition = {
  type: 'generic-hmac',
  transport: 'http',
  needs: 'address (webhook URL), Secret token (HMAC key); optional Secret headers',
  create(opts) {
    checkHookURL(opts.url);
    const key = hmacKey(opts);
    if (key.length === 0) throw new NotifierError('HMAC key is empty');
    return {
      *post(e) {
        yield* send(forwarderRequest(opts, e, (body) => signature(body, key)));
        return { sent: true };
      },
    };
  },
};
