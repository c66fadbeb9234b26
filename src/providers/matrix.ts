// Matrix (providers §4.14): a PUT of an m.text message to the client-server API. The transaction
// ID is the SHA-1 of the event's JSON, so a repeated event reuses it and the homeserver dedupes.

import { createHash } from 'node:crypto';
import { encodeEvent } from '../flux/gojson.js';
import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { objName, sortedMetadata } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** Lower-case hex SHA-1 of the event as the controller serialises it. */
export function matrixTxnId(e: FluxEvent): string {
  return createHash('sha1').update(encodeEvent(e), 'utf8').digest('hex');
}

export function matrixBody(e: FluxEvent): string {
  const emoji = e.severity === 'error' ? '\u{1f6a8}' : '\u{1f4ab}';
  let metadata = '';
  for (const [k, v] of sortedMetadata(e)) metadata += `- ${k}: ${v}\n`;
  return `${emoji} ${objName(e)}\n${e.message}\n${metadata}`;
}

export const provider: ProviderDefinition = {
  type: 'matrix',
  transport: 'http',
  needs: 'address (homeserver URL), channel (room ID), token (access token)',
  create(opts) {
    try {
      parseRequestURI(opts.url);
    } catch (err) {
      if (err instanceof GoURLError) throw new NotifierError(`invalid Matrix homeserver URL ${opts.url}: '${err.message}'`);
      throw err;
    }
    return {
      *post(e) {
        // Plain concatenation: the room ID is not escaped and a trailing `/` in the address stays.
        const url = `${opts.url}/_matrix/client/r0/rooms/${opts.channel}/send/m.room.message/${matrixTxnId(e)}`;
        const req = sharedPost(url, { body: matrixBody(e), msgtype: 'm.text' }, {
          method: 'PUT',
          extraHeaders: [['Authorization', `Bearer ${opts.token}`]],
          // The Matrix notifier passes no proxy option to the sender.
          useProxy: false,
        });
        yield* send(req);
        return { sent: true };
      },
    };
  },
};
