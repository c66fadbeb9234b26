// opsgenie (providers §4.15): an Opsgenie alert through the shared sender. The alias is a
// SHA-256 of provider UID, object and reason, so Opsgenie de-duplicates repeats of one failure.

import { createHash } from 'node:crypto';
import { goMap } from '../flux/gojson.js';
import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** Lower-case hex SHA-256 of `<providerUID>/<Kind>/<namespace>/<name>/<reason>`. */
export function opsgenieAlias(providerUID: string, e: FluxEvent): string {
  const o = e.involvedObject;
  const key = `${providerUID}/${o.kind ?? ''}/${o.namespace ?? ''}/${o.name ?? ''}/${e.reason}`;
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The alert body (Go struct order: message, alias, description, details). */
export function opsgeniePayload(providerUID: string, e: FluxEvent): Record<string, unknown> {
  // details is the metadata map with `severity` set on top of it (it replaces a metadata key of that name).
  const details = new Map<string, unknown>(Object.entries(e.metadata ?? {}));
  details.set('severity', e.severity);
  return {
    message: `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
    // `alias` is omitempty upstream, but a hash is never empty.
    alias: opsgenieAlias(providerUID, e),
    description: e.message,
    details: goMap(details),
  };
}

export const provider: ProviderDefinition = {
  type: 'opsgenie',
  transport: 'http',
  needs: 'address (Opsgenie alerts API URL), Secret token (API key)',
  create(opts) {
    try {
      parseRequestURI(opts.url);
    } catch (err) {
      if (err instanceof GoURLError) throw new NotifierError(`invalid Opsgenie hook URL ${opts.url}: '${err.message}'`);
      throw err;
    }
    if (opts.token === '') throw new NotifierError('empty Opsgenie apikey/token');
    return {
      *post(e) {
        const payload = opsgeniePayload(opts.providerUID, e);
        yield* send(sharedPost(opts.url, payload, { extraHeaders: [['Authorization', `GenieKey ${opts.token}`]] }));
        return { sent: true };
      },
    };
  },
};
