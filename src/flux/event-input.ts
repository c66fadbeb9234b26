// Event input (spec §1.6): a Flux event body, a core/v1 Event or an events.k8s.io/v1 Event,
// detected and converted to the Flux event NC would have received, with the caveats that the
// conversion cannot remove kept next to it.

import { decodeFluxEvent, EventDecodeError } from './event-json.js';
import { formatRfc3339, parseRfc3339 } from './timestamp.js';
import { stringMap, type FluxEvent, type ObjectReference, type StringMap } from './types.js';

export type EventOrigin = 'flux' | 'core/v1' | 'events.k8s.io/v1';

export interface InputEvent {
  event: FluxEvent;
  origin: EventOrigin;
  /** Limits of the conversion that the user must see (spec §1.6 "Limits"). */
  caveats: string[];
  /** Why NC would never have received this event (selection rules of §1.6), if so. */
  notDelivered?: string;
  /** Emission count of a Kubernetes Event (`count` / `deprecatedCount` / series.count). */
  count?: number;
}

export class EventInputError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

const AGGREGATED_PREFIX = '(combined from similar events): ';
const REF_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string => (typeof v === 'string' ? v : '');

function toRef(v: unknown): ObjectReference {
  const ref: ObjectReference = {};
  if (!isObj(v)) return ref;
  for (const f of REF_FIELDS) {
    const x = s(v[f]);
    if (x) ref[f] = x;
  }
  return ref;
}

function toTimestamp(candidates: unknown[]): string | null {
  for (const c of candidates) {
    const t = s(c);
    if (!t) continue;
    try {
      return formatRfc3339(parseRfc3339(t));
    } catch {
      // an unparsable timestamp is skipped like a null one; the next candidate is tried
    }
  }
  return null;
}

function annotations(obj: Obj): StringMap | undefined {
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const ann = isObj(meta.annotations) ? meta.annotations : undefined;
  if (!ann) return undefined;
  const m = stringMap();
  for (const [k, v] of Object.entries(ann)) if (typeof v === 'string') m[k] = v;
  return Object.keys(m).length ? m : undefined;
}

/** Applies the §1.6 selection rules; returns the reason NC would not have got it, if any. */
function selection(ref: ObjectReference, reporting: string, type: string): string | undefined {
  if (!ref.kind || !ref.name || !ref.namespace) {
    return 'involvedObject kind, name and namespace must all be set: Flux controllers do not POST events about cluster-scoped or unnamed objects (spec §1.4 step 5)';
  }
  if (!reporting) return 'no reporting component: not emitted by a Flux controller';
  if (reporting === 'notification-controller') return 'emitted by notification-controller itself, which never POSTs its own events';
  if (type !== 'Normal' && type !== 'Warning') return `type ${JSON.stringify(type)} is neither Normal nor Warning`;
  return undefined;
}

function convertKubeEvent(obj: Obj, origin: 'core/v1' | 'events.k8s.io/v1'): InputEvent {
  const core = origin === 'core/v1';
  const ref = toRef(core ? obj.involvedObject : obj.regarding);
  const source = isObj(core ? obj.source : obj.deprecatedSource) ? ((core ? obj.source : obj.deprecatedSource) as Obj) : {};
  const series = isObj(obj.series) ? obj.series : {};
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const type = s(obj.type);
  const reporting = s(core ? obj.reportingComponent : obj.reportingController) || s(source.component);
  const caveats: string[] = [];
  let message = s(core ? obj.message : obj.note);
  if (message.startsWith(AGGREGATED_PREFIX)) {
    message = message.slice(AGGREGATED_PREFIX.length);
    caveats.push('metadata lost (aggregated): client-go folded similar events into one without annotations');
  }
  const timestamp = toTimestamp(
    core
      ? [obj.lastTimestamp, series.lastObservedTime, obj.eventTime, obj.firstTimestamp, meta.creationTimestamp]
      : [obj.deprecatedLastTimestamp, series.lastObservedTime, obj.eventTime, obj.deprecatedFirstTimestamp, meta.creationTimestamp],
  );
  const event: FluxEvent = {
    involvedObject: ref,
    severity: type === 'Warning' ? 'error' : 'info',
    timestamp,
    message,
    reason: s(obj.reason),
    reportingController: reporting,
  };
  const md = annotations(obj);
  if (md) event.metadata = md;
  const instance = s(obj.reportingInstance) || s(source.host);
  if (instance) event.reportingInstance = instance;
  else caveats.push('reportingInstance unknown: the controller pod name is not recorded in the Kubernetes Event');
  if (type === 'Normal') caveats.push('may be trace: trace events are indistinguishable from info here (they are written as Normal but never POSTed)');
  const rawCount = core ? obj.count : obj.deprecatedCount;
  const count = typeof rawCount === 'number' ? rawCount : typeof series.count === 'number' ? (series.count as number) : undefined;
  if (count !== undefined && count > 1) {
    caveats.push(`merged repeats (count ${count}): annotations are those of the first occurrence, so revision/token may be stale and the rate-limit key approximate`);
  }
  caveats.push('timestamp may differ from the POSTed value by less than a second');
  const notDelivered = selection(ref, reporting, type);
  const out: InputEvent = { event, origin, caveats };
  if (notDelivered) out.notDelivered = notDelivered;
  if (count !== undefined) out.count = count;
  return out;
}

/** Detects the kind of event document and converts it. Throws EventInputError for bad input. */
export function parseEventInput(text: string, name = 'event'): InputEvent {
  let probe: unknown;
  try {
    probe = JSON.parse(text);
  } catch (e) {
    throw new EventInputError(`${name}: not JSON: ${(e as Error).message}`, 'give a Flux event (the JSON a controller POSTs), a core/v1 Event or an events.k8s.io/v1 Event');
  }
  if (isObj(probe) && probe.kind === 'Event' && probe.apiVersion === 'v1') return convertKubeEvent(probe, 'core/v1');
  if (isObj(probe) && probe.kind === 'Event' && probe.apiVersion === 'events.k8s.io/v1') return convertKubeEvent(probe, 'events.k8s.io/v1');
  let event: FluxEvent;
  try {
    event = decodeFluxEvent(text);
  } catch (e) {
    if (e instanceof EventDecodeError) {
      throw new EventInputError(`${name}: NC would answer 400: ${e.message}`, 'metadata values must be strings and timestamp an RFC 3339 string or null');
    }
    throw e;
  }
  return fluxInput(event);
}

/** Wraps a decoded Flux event, flagging one NC would receive but no Flux controller would send. */
export function fluxInput(event: FluxEvent): InputEvent {
  const caveats: string[] = [];
  if (event.severity === 'trace') caveats.push('severity trace: Flux controllers never POST trace events (spec §1.2); matched here as NC would if one arrived');
  return { event, origin: 'flux', caveats };
}

/** True when the document has an involvedObject with at least one field. */
export function hasInvolvedObject(e: FluxEvent): boolean {
  return Object.keys(e.involvedObject).length > 0;
}
