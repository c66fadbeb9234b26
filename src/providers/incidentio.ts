// incident.io (providers §4.35): an alert event for an incident.io HTTP alert source through the
// shared sender. Errors fire, anything else resolves, keyed by the object UID; `Progressing` is
// skipped. The Provider type string has a dot: `incident.io`.

import { goMap } from '../flux/gojson.js';
import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { objName } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** Go struct order: title, status, deduplication_key, description (omitempty), source_url (never set), metadata. */
export function incidentioPayload(e: FluxEvent): Record<string, unknown> {
  const metadata = new Map<string, unknown>(Object.entries(e.metadata ?? {}));
  metadata.set('severity', e.severity);
  metadata.set('reason', e.reason);
  if (e.reportingController !== '') metadata.set('reportingController', e.reportingController);
  const out: Record<string, unknown> = {
    title: `${objName(e)}: ${e.reason}`,
    status: e.severity === 'error' ? 'firing' : 'resolved',
    // Not omitempty: an object without UID sends "".
    deduplication_key: e.involvedObject.uid ?? '',
  };
  if (e.message !== '') out.description = e.message;
  // metadata is omitempty, but it always holds at least severity and reason.
  out.metadata = goMap(metadata);
  return out;
}

export const provider: ProviderDefinition = {
  type: 'incident.io',
  transport: 'http',
  needs: 'address (incident.io HTTP alert source URL), Secret token (alert source API token)',
  create(opts) {
    try {
      parseRequestURI(opts.url);
    } catch (err) {
      if (err instanceof GoURLError) {
        throw new NotifierError(`invalid incident.io alert source URL ${opts.url}: '${err.message}'`);
      }
      throw err;
    }
    if (opts.token === '') throw new NotifierError('empty incident.io API token');
    return {
      *post(e) {
        if (e.reason === 'Progressing') {
          return { sent: false, note: 'incident.io skips events with reason Progressing' };
        }
        const req = sharedPost(opts.url, incidentioPayload(e), { extraHeaders: [['Authorization', `Bearer ${opts.token}`]] });
        yield* send(req);
        return { sent: true };
      },
    };
  },
};
