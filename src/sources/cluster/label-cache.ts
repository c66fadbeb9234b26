// Labels of involved objects, for Alerts whose eventSources use matchLabels (spec §3.2 B6). The
// decision is synchronous, so the source fetches the metadata (PartialObjectMetadata, as NC's
// metadata-only cache reads it) before handing the event over, and the pipeline reads this cache.
// Entries live a short while: labels change rarely, and a burst of events about one object
// costs one GET.

import type { Catalog } from '../../flux/catalog.js';
import type { LookupObject, ObjectLookup } from '../../flux/match.js';
import { stringMap, type FluxEvent } from '../../flux/types.js';
import { ApiError, type Json, type KubeHttp } from './http.js';
import type { ResourceResolver } from './discovery.js';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface LabelCacheOptions {
  ttlMs?: number;
  /** Failed reads are retried sooner. */
  errorTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  at: number;
  ttl: number;
  result: ObjectLookup;
  /** The metadata read, kept for `record` (objects whose labels mattered). */
  metadata?: Json;
}

const keyOf = (r: ObjectRef) => `${r.apiVersion}\u0000${r.kind}\u0000${r.namespace}\u0000${r.name}`;

/** The involved object when some alert that can match the event reads its labels. */
export function labelRefFor(e: FluxEvent, catalog: Catalog): ObjectRef | undefined {
  const r = e.involvedObject;
  if (!r.apiVersion || !r.kind || !r.namespace || !r.name) return undefined;
  for (const a of catalog.candidates(r.namespace, r.kind)) {
    if (a.spec.suspend === true) continue;
    for (const src of a.spec.eventSources) {
      if (src.matchLabels === undefined || src.kind !== r.kind) continue;
      if ((src.namespace || a.metadata.namespace) !== r.namespace) continue;
      if (src.name !== '*' && src.name !== r.name) continue;
      return { apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name };
    }
  }
  return undefined;
}

export class LabelCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly ttlMs: number;
  private readonly errorTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** GETs made, for the status line and tests. */
  fetches = 0;

  constructor(
    private readonly http: KubeHttp,
    private readonly resolver: ResourceResolver,
    o: LabelCacheOptions = {},
  ) {
    this.ttlMs = o.ttlMs ?? 30_000;
    this.errorTtlMs = o.errorTtlMs ?? 5_000;
    this.maxEntries = o.maxEntries ?? 5_000;
    this.now = o.now ?? Date.now;
  }

  private fresh(k: string): boolean {
    const e = this.entries.get(k);
    return e !== undefined && this.now() - e.at < e.ttl;
  }

  /** Makes sure the object's labels are cached and fresh. Never throws. */
  async ensure(ref: ObjectRef, signal?: AbortSignal): Promise<void> {
    const k = keyOf(ref);
    if (this.fresh(k)) return;
    let p = this.inflight.get(k);
    if (!p) {
      p = this.fetch(ref, k, signal).finally(() => this.inflight.delete(k));
      this.inflight.set(k, p);
    }
    await p;
  }

  private async fetch(ref: ObjectRef, k: string, signal?: AbortSignal): Promise<void> {
    const what = `${ref.kind} ${ref.namespace}/${ref.name}`;
    let entry: Entry;
    try {
      const path = await this.resolver.collectionPath(ref.apiVersion, ref.kind, ref.namespace);
      if (!path) {
        entry = { at: this.now(), ttl: this.ttlMs, result: { found: false, reason: `the cluster does not serve ${ref.kind} in ${ref.apiVersion}: NC's lookup fails the same way ("no matches for kind")` } };
      } else {
        this.fetches++;
        const obj = await this.http.getMetadata(`${path}/${encodeURIComponent(ref.name)}`, signal);
        const meta = typeof obj.metadata === 'object' && obj.metadata !== null ? (obj.metadata as Json) : {};
        const raw = typeof meta.labels === 'object' && meta.labels !== null ? (meta.labels as Record<string, unknown>) : undefined;
        const labels = raw ? stringMap(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
        entry = { at: this.now(), ttl: this.ttlMs, result: { found: true, labels, note: 'labels read from the cluster' }, metadata: meta };
      }
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(String(e), 0);
      let reason: string;
      if (err.code === 404) reason = `${what} (${ref.apiVersion}) not found in the cluster; NC would get "not found"`;
      else if (err.forbidden) reason = `cannot read ${what}: forbidden for this tool's credentials (grant get on it; NC's own rights may differ): ${err.message}`;
      else reason = `could not read ${what}: ${err.message}`;
      entry = { at: this.now(), ttl: err.code === 404 ? this.ttlMs : this.errorTtlMs, result: { found: false, reason } };
    }
    this.entries.set(k, entry);
    this.prune();
  }

  private prune() {
    if (this.entries.size <= this.maxEntries) return;
    const now = this.now();
    for (const [k, e] of this.entries) if (now - e.at >= e.ttl) this.entries.delete(k);
    // Still too many: drop the oldest (Map keeps insertion order).
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(k);
    }
  }

  /** For DecideOptions.lookupObject: reads what ensure() fetched (stale entries included). */
  lookup: LookupObject = (ref) => {
    const e = this.entries.get(keyOf(ref));
    if (e) return e.result;
    return { found: false, reason: `labels of ${ref.kind} ${ref.namespace}/${ref.name} were not fetched before the decision` };
  };

  /** Metadata of the objects read (found ones), for recording a scenario. */
  objects(): Array<{ ref: ObjectRef; metadata: Json }> {
    const out: Array<{ ref: ObjectRef; metadata: Json }> = [];
    for (const [k, e] of this.entries) {
      if (!e.metadata) continue;
      const [apiVersion, kind, namespace, name] = k.split('\u0000') as [string, string, string, string];
      out.push({ ref: { apiVersion, kind, namespace, name }, metadata: e.metadata });
    }
    return out;
  }
}
