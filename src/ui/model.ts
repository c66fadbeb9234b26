// Read-only views over the runner's state for the panes: the (filtered) event list, the match
// marker, the outbox and the per-alert / per-provider rows. Pure functions of runner state, so the
// components stay thin and these are testable without rendering.

import type { DeliveryResult } from '../runner/delivery.js';
import type { EventRecord, Runner, RunnerNotice } from '../runner/runner.js';
import type { Alert, Provider } from '../flux/types.js';
import { matchesFilter, type Filterable, type FilterTerm } from './filter.js';
import { clockTime, eventTime } from './format.js';

/** The events the Events pane shows, oldest first, with O(1) lookups when unfiltered. */
export interface EventList {
  readonly length: number;
  at(i: number): EventRecord | undefined;
  indexOfId(id: number): number;
}

export function eventFilterable(rec: EventRecord): Filterable {
  const e = rec.processed.event;
  const ref = e.involvedObject;
  return { kind: ref.kind, name: ref.name, namespace: ref.namespace, reason: e.reason, severity: e.severity, text: e.message };
}

export function eventList(runner: Runner, terms: readonly FilterTerm[]): EventList {
  const ring = runner.events;
  if (terms.length === 0) {
    // Ids are consecutive in the ring (one per ingest), so an id's index is a subtraction:
    // the unfiltered list at 10k events costs nothing per frame.
    return {
      length: ring.length,
      at: (i) => ring.at(i),
      indexOfId: (id) => {
        const first = ring.at(0);
        if (!first) return -1;
        const i = id - first.id;
        return i >= 0 && i < ring.length ? i : -1;
      },
    };
  }
  const items: EventRecord[] = [];
  for (let i = 0; i < ring.length; i++) {
    const r = ring.at(i)!;
    if (matchesFilter(terms, eventFilterable(r))) items.push(r);
  }
  return {
    length: items.length,
    at: (i) => items[i],
    indexOfId: (id) => {
      // ids ascend, so a binary search finds it
      let lo = 0;
      let hi = items.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = items[mid]!.id;
        if (v === id) return mid;
        if (v < id) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },
  };
}

/** The selected index: the chosen id if still listed, else the tail (follow mode or evicted). */
export function selectedIndex(list: EventList, selectedId: number | null): number {
  if (list.length === 0) return -1;
  if (selectedId === null) return list.length - 1;
  const i = list.indexOfId(selectedId);
  if (i >= 0) return i;
  // The event left the bounded history or the filter: keep the cursor near where it was.
  const first = list.at(0)!;
  return selectedId < first.id ? 0 : list.length - 1;
}

export type MarkerTone = 'ok' | 'warn' | 'bad' | 'dim' | 'busy';

/** The Events pane's match column: how many alerts dispatched, and whether delivery went wrong. */
export function matchMarker(rec: EventRecord): { text: string; tone: MarkerTone } {
  const p = rec.processed;
  if (p.rateLimited) return { text: 'RL', tone: 'warn' };
  const evaluated = p.decision?.evaluated ?? [];
  let matched = 0;
  let dispatched = 0;
  for (const a of evaluated) {
    if (a.matched) matched++;
    if (a.outcome === 'dispatched') dispatched++;
  }
  if (matched === 0) return { text: '·', tone: 'dim' };
  if (dispatched === 0) return { text: '!0', tone: 'warn' };
  if (rec.pending > 0) return { text: `…${dispatched}`, tone: 'busy' };
  if (rec.deliveries.some((d) => !d.ok)) return { text: `✗${dispatched}`, tone: 'bad' };
  if (rec.history) return { text: `h${dispatched}`, tone: 'dim' };
  return { text: `✓${dispatched}`, tone: 'ok' };
}

export interface OutboxEntry {
  event: EventRecord;
  index: number;
  delivery: DeliveryResult;
}

export function outboxEntries(runner: Runner, terms: readonly FilterTerm[]): OutboxEntry[] {
  const out: OutboxEntry[] = [];
  const ring = runner.events;
  for (let i = 0; i < ring.length; i++) {
    const rec = ring.at(i)!;
    if (rec.deliveries.length === 0) continue;
    if (terms.length > 0 && !matchesFilter(terms, eventFilterable(rec))) continue;
    rec.deliveries.forEach((delivery, index) => out.push({ event: rec, index, delivery }));
  }
  return out;
}

/** The runner's notices the filter lets through (any term looks at the level and the text). */
export function logRows(runner: Runner, terms: readonly FilterTerm[]): RunnerNotice[] {
  const out: RunnerNotice[] = [];
  for (let i = 0; i < runner.notices.length; i++) {
    const n = runner.notices.at(i)!;
    if (terms.length === 0 || matchesFilter(terms.map((t) => ({ field: 'text', value: t.value })), { severity: n.level, text: n.text })) out.push(n);
  }
  return out;
}

export interface AlertRow {
  alert: Alert;
  id: string;
  hits: number;
  dispatched: number;
  lastMatchAt?: number;
  lastEventId?: number;
  /** HH:MM:SS of the last matching event's own time (replays show event time), else when it came. */
  lastMatchTime?: string;
}

export function alertRows(runner: Runner, terms: readonly FilterTerm[]): AlertRow[] {
  const rows: AlertRow[] = [];
  for (const a of runner.catalog.alerts) {
    const id = `${a.metadata.namespace}/${a.metadata.name}`;
    const f: Filterable = { kind: 'Alert', name: a.metadata.name, namespace: a.metadata.namespace, text: `${a.spec.providerRef.name} ${a.spec.eventSources.map((s) => `${s.kind}/${s.name}`).join(' ')}` };
    if (!matchesFilter(terms, f)) continue;
    const s = runner.alertStats.get(id);
    let lastMatchTime: string | undefined;
    if (s?.lastEventId !== undefined) {
      const rec = runner.find(s.lastEventId);
      lastMatchTime = rec ? eventTime(rec) : s.lastMatchAt !== undefined ? clockTime(s.lastMatchAt) : undefined;
    }
    rows.push({ alert: a, id, hits: s?.hits ?? 0, dispatched: s?.dispatched ?? 0, lastMatchAt: s?.lastMatchAt, lastEventId: s?.lastEventId, lastMatchTime });
  }
  return rows;
}

export interface ProviderRow {
  provider: Provider;
  id: string;
  alerts: number;
  deliveries: number;
  errors: number;
  lastStatus: number | null;
  lastError?: string;
}

export function providerRows(runner: Runner, providers: readonly Provider[], terms: readonly FilterTerm[]): ProviderRow[] {
  const rows = new Map<string, ProviderRow>();
  for (const p of providers) {
    const id = `${p.metadata.namespace}/${p.metadata.name}`;
    if (!matchesFilter(terms, { kind: 'Provider', name: p.metadata.name, namespace: p.metadata.namespace, text: `${p.spec.type} ${p.spec.address ?? ''} ${p.spec.channel ?? ''}` })) continue;
    rows.set(id, { provider: p, id, alerts: 0, deliveries: 0, errors: 0, lastStatus: null });
  }
  for (const a of runner.catalog.alerts) {
    const r = rows.get(`${a.metadata.namespace}/${a.spec.providerRef.name}`);
    if (r) r.alerts++;
  }
  const ring = runner.events;
  for (let i = 0; i < ring.length; i++) {
    for (const d of ring.at(i)!.deliveries) {
      const r = rows.get(d.provider);
      if (!r) continue;
      r.deliveries++;
      r.lastStatus = d.status;
      if (!d.ok) {
        r.errors++;
        r.lastError = d.error;
      }
    }
  }
  return [...rows.values()];
}

/** Every loaded Provider, in namespace/name order (the catalog keeps them in load order). */
export function catalogProviders(runner: Runner): Provider[] {
  return runner.catalog.allProviders().sort((a, b) => {
    const x = `${a.metadata.namespace}/${a.metadata.name}`;
    const y = `${b.metadata.namespace}/${b.metadata.name}`;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
