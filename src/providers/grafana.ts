// grafana (providers §4.17): an annotation for Grafana's /api/annotations through the shared
// sender. Only the object name is sent as text; the message is not.

import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseRequestURI } from './gourl.js';
import { basicAuthValue, send, sharedPost } from './sender.js';
import { objName, sortedMetadata } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** Unix seconds of the event time (Go's zero time when there is none). */
function unixSeconds(ts: string | null): number {
  return ts === null ? -62135596800 : Math.floor(Date.parse(ts) / 1000);
}

/** The annotation (Go struct order: when, text, tags). */
export function grafanaPayload(e: FluxEvent): Record<string, unknown> {
  const o = e.involvedObject;
  const tags = ['flux', e.reportingController];
  // Go iterates the metadata map in random order; we sort (providers §3.6). A `:` would read as
  // Grafana's key/value separator, so the controller turns it into `|` in metadata tags only.
  for (const [k, v] of sortedMetadata(e)) tags.push(`${k.replaceAll(':', '|')}: ${v.replaceAll(':', '|')}`);
  tags.push(`kind: ${o.kind ?? ''}`, `name: ${o.name ?? ''}`, `namespace: ${o.namespace ?? ''}`);
  // `when` is in seconds although the annotations API reads milliseconds (upstream quirk, spec §6.5).
  return { when: unixSeconds(e.timestamp), text: objName(e), tags };
}

/** Bearer when a token is set; otherwise Basic when both username and password are. */
export function grafanaAuth(token: string, username: string, password: string): Array<[string, string]> {
  if (token !== '') return [['Authorization', `Bearer ${token}`]];
  if (username !== '' && password !== '') return [['Authorization', basicAuthValue(username, password)]];
  return [];
}

export const provider: ProviderDefinition = {
  type: 'grafana',
  transport: 'http',
  needs: 'address (Grafana /api/annotations URL); optional Secret token (Bearer) or username+password (Basic)',
  create(opts) {
    try {
      parseRequestURI(opts.url);
    } catch (err) {
      // The controller drops the parse error's text here.
      if (err instanceof GoURLError) throw new NotifierError(`invalid Grafana URL ${opts.url}`);
      throw err;
    }
    return {
      *post(e) {
        const extraHeaders = grafanaAuth(opts.token, opts.username, opts.password);
        yield* send(sharedPost(opts.url, grafanaPayload(e), { extraHeaders }));
        return { sent: true };
      },
    };
  },
};
