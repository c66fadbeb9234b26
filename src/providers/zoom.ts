// Zoom Team Chat incoming webhook (providers §4.34): the rich message format, requested with
// `format=full` unless the address already asks for a format, and the verification token as the
// raw Authorization header.

import type { FluxEvent } from '../flux/types.js';
import { GoURLError, encodeValues, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { objName, sortedMetadata } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/**
 * The URL as the notifier re-serialises it: when `format` is missing or empty the query is
 * decoded, `format=full` set, and everything re-encoded sorted (malformed pairs disappear).
 */
export function zoomURL(raw: string): string {
  const u = parseRequestURI(raw);
  const query = u.query();
  const format = query.find(([k]) => k === 'format');
  if (format === undefined || format[1] === '') {
    u.rawQuery = encodeValues([...query.filter(([k]) => k !== 'format'), ['format', 'full']]);
  }
  return u.toString();
}

export function zoomPayload(e: FluxEvent): Record<string, unknown> {
  // `text` and `items` are omitempty.
  const message: Record<string, unknown> = { type: 'message' };
  if (e.message !== '') message.text = e.message;
  const body: unknown[] = [message];
  const meta = sortedMetadata(e);
  if (meta.length > 0) body.push({ type: 'fields', items: meta.map(([key, value]) => ({ key, value })) });
  return {
    content: {
      head: { text: objName(e), sub_head: { text: e.severity } },
      body,
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'zoom',
  transport: 'http',
  needs: 'address (Zoom incoming webhook URL), token (verification token)',
  create(opts) {
    try {
      parseRequestURI(opts.url);
    } catch (err) {
      if (err instanceof GoURLError) {
        throw new NotifierError(`invalid Zoom incoming webhook URL ${opts.url}: '${err.message}'`);
      }
      throw err;
    }
    if (opts.token === '') throw new NotifierError('empty Zoom verification token');
    return {
      *post(e) {
        const req = sharedPost(zoomURL(opts.url), zoomPayload(e), {
          extraHeaders: [['Authorization', opts.token]],
        });
        yield* send(req);
        return { sent: true };
      },
    };
  },
};
