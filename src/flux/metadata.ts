// Event metadata as NC rewrites it: cleanup on intake (spec §2.4), removal of the internal token
// (§5.1) and the per-alert combination with RFC 0008 precedence (§5.2).

import { objectGroupPrefix } from './apigroup.js';
import { compareUtf8 } from './gojson.js';
import { EVENT_GROUP_PREFIX, stringMap, type Alert, type FluxEvent, type StringMap } from './types.js';

/** Keeps event-group and object-group keys, minus `<group>/checksum` and `<group>/digest` (any case). */
export function cleanupMetadata(e: FluxEvent): { event: FluxEvent; dropped: string[] } {
  const prefix = objectGroupPrefix(e.involvedObject.apiVersion);
  const exclude = [`${prefix}checksum`.toLowerCase(), `${prefix}digest`.toLowerCase()];
  const kept = stringMap();
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(e.metadata ?? {})) {
    if (!exclude.includes(k.toLowerCase()) && (k.startsWith(EVENT_GROUP_PREFIX) || k.startsWith(prefix))) kept[k] = v;
    else dropped.push(k);
  }
  // After cleanup the metadata is always a map, possibly empty.
  return { event: { ...e, metadata: kept }, dropped: dropped.sort(compareUtf8) };
}

/** The internal token key `<object group>/token`, deleted before alerts are looked at. */
export function internalTokenKey(e: FluxEvent): string {
  return `${objectGroupPrefix(e.involvedObject.apiVersion)}token`;
}

export function excludeInternalMetadata(e: FluxEvent): FluxEvent {
  const key = internalTokenKey(e);
  if (!e.metadata || !(key in e.metadata)) return e;
  const m = stringMap(Object.entries(e.metadata).filter(([k]) => k !== key));
  return { ...e, metadata: m };
}

export const METADATA_SOURCES = {
  eventGroup: 'involved object annotations',
  alertEventMetadata: 'Alert object .spec.eventMetadata',
  alertSummary: 'Alert object .spec.summary',
  objectGroup: 'involved object controller metadata',
} as const;

export const METADATA_CONFLICT_MESSAGE =
  'metadata key conflicts detected (please refer to the Alert API docs and Flux RFC 0008 for more information)';

export interface CombinedMetadata {
  /** The event handed to the provider (metadata replaced when the combined map is non-empty). */
  event: FluxEvent;
  /** Every key with more than one source, sources in layer order; keys sorted. */
  conflicts: Array<{ key: string; sources: string[] }>;
  /** True when `.spec.summary` was used (NC logs a deprecation line every time). */
  usedDeprecatedSummary: boolean;
}

export function combineEventMetadata(e: FluxEvent, alert: Alert): CombinedMetadata {
  const combined = stringMap();
  // Source label per key; a second source turns it into a conflict (the common case has none).
  const first = new Map<string, string>();
  let conflictSources: Map<string, string[]> | undefined;
  const put = (k: string, v: string, src: string) => {
    combined[k] = v;
    const prev = first.get(k);
    if (prev === undefined) {
      first.set(k, src);
      return;
    }
    conflictSources ??= new Map();
    const list = conflictSources.get(k);
    if (list) list.push(src);
    else conflictSources.set(k, [prev, src]);
  };
  const md = e.metadata ?? {};
  const keys = Object.keys(md);
  for (const k of keys) {
    if (k.startsWith(EVENT_GROUP_PREFIX)) put(k.slice(EVENT_GROUP_PREFIX.length), md[k]!, METADATA_SOURCES.eventGroup);
  }
  const em = alert.spec.eventMetadata;
  if (em) for (const k of Object.keys(em)) put(k, em[k]!, METADATA_SOURCES.alertEventMetadata);
  const summary = alert.spec.summary ?? '';
  if (summary !== '') put('summary', summary, METADATA_SOURCES.alertSummary);
  const prefix = objectGroupPrefix(e.involvedObject.apiVersion);
  for (const k of keys) {
    if (k.startsWith(prefix)) put(k.slice(prefix.length), md[k]!, METADATA_SOURCES.objectGroup);
  }
  const conflicts = conflictSources
    ? [...conflictSources.entries()].map(([key, sources]) => ({ key, sources })).sort((a, b) => compareUtf8(a.key, b.key))
    : [];
  const event: FluxEvent = { ...e };
  if (first.size > 0) event.metadata = combined;
  else if (e.metadata) event.metadata = stringMap(Object.entries(e.metadata));
  return { event, conflicts, usedDeprecatedSummary: summary !== '' };
}

/** Whether the metadata map is empty or absent (both are left out of the JSON). */
export function isEmptyMetadata(m: StringMap | undefined): boolean {
  return !m || Object.keys(m).length === 0;
}
