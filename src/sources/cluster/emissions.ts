// From watched Kubernetes Events to Flux event emissions (spec §1.6 "Occurrences"): which Events
// come from Flux, how many emissions a change means (ADDED is one; a count going up by n is n;
// anything else none), and the dedupe that keeps an emission from being shown twice — across a
// resumed or re-listed watch, and across the core/v1 and events.k8s.io/v1 views of one Event.

import { parseEventInput, type InputEvent } from '../../flux/event-input.js';
import type { Json } from './http.js';
import type { Change } from './reflector.js';

/** Flux's controllers, as they name themselves in events (reportingComponent / source.component). */
export const FLUX_CONTROLLERS: ReadonlySet<string> = new Set([
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
  'image-reflector-controller',
  'image-automation-controller',
  // Flux 2.7's ArtifactGenerator controller; its objects are outside *.toolkit.fluxcd.io.
  'source-watcher',
]);

/** API groups whose objects are Flux's (ArtifactGenerator lives in source.extensions.fluxcd.io). */
const FLUX_GROUP_SUFFIXES = ['.toolkit.fluxcd.io', '.extensions.fluxcd.io'];

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const meta = (o: Json): Json => (isObj(o.metadata) ? o.metadata : {});

const isCore = (o: Json) => o.apiVersion === 'v1';

function reporting(o: Json): string {
  const src = isObj(isCore(o) ? o.source : o.deprecatedSource) ? ((isCore(o) ? o.source : o.deprecatedSource) as Json) : {};
  return str(isCore(o) ? o.reportingComponent : o.reportingController) || str(src.component);
}

function regarding(o: Json): Json {
  const r = isCore(o) ? o.involvedObject : o.regarding;
  return isObj(r) ? r : {};
}

/** An Event from a Flux controller, or about an object in one of Flux's API groups. */
export function isFluxKubeEvent(o: Json): boolean {
  if (FLUX_CONTROLLERS.has(reporting(o))) return true;
  const av = str(regarding(o).apiVersion);
  const group = av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
  return FLUX_GROUP_SUFFIXES.some((g) => group.endsWith(g));
}

/** The emission count of an Event: count (core/v1), deprecatedCount or series.count; at least 1. */
export function eventCount(o: Json): number {
  const series = isObj(o.series) ? o.series : {};
  for (const v of [isCore(o) ? o.count : o.deprecatedCount, series.count]) if (typeof v === 'number' && v > 0) return v;
  return 1;
}

/** The time the Event last happened, for ordering the initial list (ms; 0 when unknown). */
export function eventTime(o: Json): number {
  const series = isObj(o.series) ? o.series : {};
  const cands = isCore(o)
    ? [o.lastTimestamp, series.lastObservedTime, o.eventTime, o.firstTimestamp, meta(o).creationTimestamp]
    : [o.deprecatedLastTimestamp, series.lastObservedTime, o.eventTime, o.deprecatedFirstTimestamp, meta(o).creationTimestamp];
  for (const c of cands) {
    const t = Date.parse(str(c));
    if (!Number.isNaN(t)) return t;
  }
  return 0;
}

export interface Emission {
  /** The Kubernetes Event as watched (for record). */
  obj: Json;
  input: InputEvent;
  /** From the initial list: already happened before we looked. */
  history: boolean;
  /** `uid#occurrence`: what makes an emission unique. */
  key: string;
  /** Wall-clock ms when it was seen (history: the Event's own time). */
  seenAt: number;
}

interface Seen {
  count: number;
  rv: string;
}

export interface EmissionTrackerOptions {
  now?: () => number;
  /** How long a deleted Event's uid is remembered, so a late view of it is not taken as new. */
  tombstoneMs?: number;
  /** Keep events NC would never receive (spec §1.6 selection), flagged; default: skip them. */
  includeUndeliverable?: boolean;
}

export class EmissionTracker {
  private readonly seen = new Map<string, Seen>();
  private readonly tombstones = new Map<string, number>();
  private readonly now: () => number;
  private readonly tombstoneMs: number;
  /** Events skipped because NC would never receive them (own events of NC, cluster-scoped objects). */
  skipped = 0;

  constructor(private readonly o: EmissionTrackerOptions = {}) {
    this.now = o.now ?? Date.now;
    this.tombstoneMs = o.tombstoneMs ?? 10 * 60_000;
  }

  /** How many Events are tracked (bounded by what the cluster holds: Events expire). */
  get size(): number {
    return this.seen.size;
  }

  /** The emissions one watched change means; [] for repeats, deletions and non-increments. */
  onChange(c: Change): Emission[] {
    const obj = c.obj;
    const m = meta(obj);
    const uid = str(m.uid) || `${str(m.namespace)}/${str(m.name)}`;
    if (c.type === 'DELETED') {
      this.seen.delete(uid);
      this.tombstones.set(uid, this.now());
      this.prune();
      return [];
    }
    if (this.tombstones.has(uid)) return [];
    const count = eventCount(obj);
    const rv = str(m.resourceVersion);
    const prev = this.seen.get(uid);
    // The same object version again (the other API view, a replayed watch): nothing new.
    if (prev && prev.rv === rv) return [];
    if (c.phase === 'initial') {
      if (prev) {
        if (count > prev.count) this.seen.set(uid, { count, rv });
        return [];
      }
      this.seen.set(uid, { count, rv });
      return this.convert(obj, uid, count, 1, 1, true);
    }
    // Seen live for the first time: every occurrence happened after we started looking.
    const from = prev ? prev.count : 0;
    if (count <= from) {
      if (prev) this.seen.set(uid, { count: prev.count, rv });
      return [];
    }
    this.seen.set(uid, { count, rv });
    const out: Emission[] = [];
    const n = count - from;
    for (let k = from + 1; k <= count; k++) out.push(...this.convert(obj, uid, k, k - from, n, false));
    return out;
  }

  private convert(obj: Json, uid: string, occurrence: number, index: number, of: number, history: boolean): Emission[] {
    let input: InputEvent;
    try {
      // The converter takes text; one serialisation per event keeps src/flux untouched.
      input = parseEventInput(JSON.stringify(obj), `Event ${str(meta(obj).namespace)}/${str(meta(obj).name)}`);
    } catch {
      return [];
    }
    if (input.notDelivered && !this.o.includeUndeliverable) {
      this.skipped++;
      return [];
    }
    const caveats = [...input.caveats];
    if (of > 1) {
      caveats.push(`occurrence ${index} of ${of} folded into one update of the Event (count now ${occurrence - index + of}): each is shown with the latest message, annotations and time`);
    }
    const annotations = isObj(meta(obj).annotations) ? (meta(obj).annotations as Json) : {};
    if (occurrence > 1 && Object.keys(annotations).some((k) => k.endsWith('/token'))) {
      caveats.push('a token annotation is present on a repeated Event: NC probably received a fresh token for this occurrence and did not rate-limit it; the rate-limit result here is an approximation (spec §1.6 limit 2)');
    }
    if (history) caveats.push('history: the Event was already in the cluster when the watch started');
    return [{ obj, input: { ...input, caveats }, history, key: `${uid}#${occurrence}`, seenAt: history ? eventTime(obj) || this.now() : this.now() }];
  }

  private prune() {
    const cutoff = this.now() - this.tombstoneMs;
    for (const [uid, at] of this.tombstones) {
      if (at >= cutoff) break;
      this.tombstones.delete(uid);
    }
  }
}
