// pagerduty (providers §4.18): PagerDuty Events API v2 through the shared sender. An error
// triggers an incident; anything else resolves it (dedup key = object UID), and an `info` event
// is also recorded as a change event. `Progressing` events are skipped.

import { goMap } from '../flux/gojson.js';
import type { FluxEvent } from '../flux/types.js';
import { GoURLError, goStrconvQuote, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { nameAndDescription } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** `<scheme>://<host>` of the address: its path and query are dropped. */
export function pagerDutyEndpoint(raw: string): string {
  try {
    const u = parseRequestURI(raw);
    return `${u.scheme}://${u.host}`;
  } catch (err) {
    if (err instanceof GoURLError) {
      throw new NotifierError(`invalid PagerDuty endpoint URL ${goStrconvQuote(raw)}: '${err.message}'`);
    }
    throw err;
  }
}

function customDetails(e: FluxEvent) {
  // A nil metadata map encodes as null.
  return goMap({ message: e.message, metadata: e.metadata ? goMap(e.metadata) : null });
}

function summary(e: FluxEvent): string {
  const { name, description } = nameAndDescription(e);
  return `${description}: ${name}`;
}

/** go-pagerduty V2Event: routing_key, event_action, dedup_key (omitempty), payload (errors only). */
export function alertEvent(e: FluxEvent, routingKey: string): Record<string, unknown> {
  const uid = e.involvedObject.uid ?? '';
  const out: Record<string, unknown> = {
    routing_key: routingKey,
    event_action: e.severity === 'error' ? 'trigger' : 'resolve',
  };
  if (uid !== '') out.dedup_key = uid;
  if (e.severity === 'error') {
    const o = e.involvedObject;
    const payload: Record<string, unknown> = {
      summary: summary(e),
      source: `Flux ${e.reportingController}`,
      // The severity mapping of upstream only ever sees `error` here.
      severity: 'error',
      timestamp: e.timestamp ?? GO_ZERO_TIME,
    };
    if (o.name) payload.component = o.name;
    if (o.kind) payload.group = o.kind;
    payload.custom_details = customDetails(e);
    out.payload = payload;
  }
  return out;
}

/** go-pagerduty ChangeEvent: routing_key, payload{summary, source, timestamp, custom_details}. */
export function changeEvent(e: FluxEvent, routingKey: string): Record<string, unknown> {
  return {
    routing_key: routingKey,
    payload: {
      summary: summary(e),
      source: `Flux ${e.reportingController}`,
      timestamp: e.timestamp ?? GO_ZERO_TIME,
      custom_details: customDetails(e),
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'pagerduty',
  transport: 'http',
  needs: 'address (PagerDuty events host), channel (routing / integration key)',
  create(opts) {
    const endpoint = pagerDutyEndpoint(opts.url);
    return {
      *post(e) {
        if (e.reason === 'Progressing') {
          return { sent: false, note: 'pagerduty skips events with reason Progressing' };
        }
        yield* send(sharedPost(`${endpoint}/v2/enqueue`, alertEvent(e, opts.channel)), 'failed sending event');
        // Only exactly `info` adds a change event (a trace event only resolves).
        if (e.severity === 'info') {
          yield* send(sharedPost(`${endpoint}/v2/change/enqueue`, changeEvent(e, opts.channel)), 'failed sending change event');
        }
        return { sent: true };
      },
    };
  },
};
