// generic (providers §4.1, notification-controller §6.10): the event itself, byte for byte, POSTed
// to the address through the shared sender. generic-hmac reuses this builder and adds a signature.

import { encodeEvent } from '../flux/gojson.js';
import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import type { NotifierOptions, PlannedHttpRequest, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** The constructor's address check (url.ParseRequestURI), with the forwarder's error text. */
export function checkHookURL(raw: string): void {
  try {
    parseRequestURI(raw);
  } catch (err) {
    if (err instanceof GoURLError) throw new NotifierError(`invalid hook URL ${raw}: ${err.message}`);
    throw err;
  }
}

/**
 * The forwarder's request. Header order is the order the controller sets them: Content-Type,
 * Gotk-Component, the Secret headers (set-semantics, so they may replace the first two), then the
 * signature when there is one (set last, so a Secret header cannot replace it).
 */
export function forwarderRequest(
  opts: NotifierOptions,
  e: FluxEvent,
  sign?: (body: string) => string,
): PlannedHttpRequest {
  const body = encodeEvent(e);
  const extra: Array<[string, string]> = [['Gotk-Component', e.reportingController]];
  for (const [k, v] of Object.entries(opts.headers)) extra.push([k, v]);
  if (sign) extra.push(['X-Signature', sign(body)]);
  return sharedPost(opts.url, undefined, {
    raw: { body, contentType: 'application/json' },
    extraHeaders: extra,
  });
}

export const provider: ProviderDefinition = {
  type: 'generic',
  transport: 'http',
  needs: 'address (webhook URL); optional Secret headers',
  create(opts) {
    checkHookURL(opts.url);
    return {
      *post(e) {
        yield* send(forwarderRequest(opts, e));
        return { sent: true };
      },
    };
  },
};
