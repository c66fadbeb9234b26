// Event metadata as NC rewrites it: cleanup on intake (spec §2.4), removal of the internal token
// (§5.1) and the per-alert combination with RFC 0008 precedence (§5.2).

import { objectGroupKeys, objectGroupPrefix } from './apigroup.js';
import { equalFold } from './fold.js';
import { compareUtf8 } from './gojson.js';
import { EVENT_GROUP_PREFIX, stringMap, type Alert, type FluxEvent, type StringMap } from './types.js';

/** Keeps event-group and object-group keys, minus `<group>/checksum` and `<group>/digest` (strings.EqualFold). */
export function cleanupMetadata(e: FluxEvent): { event: FluxEvent; dropped: string[] } {
  const x = objectGroupKeys(e.involvedObject.apiVersion);
  const prefix = x.prefix;
  const kept = stringMap();
  let dropped: string[] | undefined;
  const md = e.metadata;
  if (md) {
    for (const k in md) {
      // NC compares with strings.EqualFold; the prefix test comes second, as upstream
      if (!equalFold(k, x.checksum) && !equalFold(k, x.digest) && (k.startsWith(EVENT_GROUP_PREFIX) || k.startsWith(prefix))) kept[k] = md[k]!;
      else (dropped ??= []).push(k);
    }
  }
  // After cleanup the metadata is always a map, possibly empty.
  return { event: { ...e, metadata: kept }, dropped: dropped ? dropped.sort(compareUtf8) : [] };
}

/** The internal token key `<object group>/token`, deleted before alerts are looked at. */
export function internalTokenKey(e: FluxEvent): string {
  return objectGroupKeys(e.involvedObject.apiVersion).token;
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

/** The event's prefixed keys split by layer once, so each alert only merges (spec §5.2). */
export interface MetadataLayers {
  /** Layer 1: event-group keys, prefix stripped. */
  annotations: Array<[string, string]>;
  /** Layer 4: object-group keys, prefix stripped. */
  controller: Array<[string, string]>;
}

export function metadataLayers(e: FluxEvent): MetadataLayers {
  const md = e.metadata ?? {};
  const prefix = objectGroupPrefix(e.involvedObject.apiVersion);
  const annotations: Array<[string, string]> = [];
  const controller: Array<[string, string]> = [];
  for (const k of Object.keys(md)) {
    if (k.startsWith(EVENT_GROUP_PREFIX)) annotations.push([k.slice(EVENT_GROUP_PREFIX.length), md[k]!]);
    if (k.startsWith(prefix)) controller.push([k.slice(prefix.length), md[k]!]);
  }
  return { annotations, controller };
}

// An alert's eventMetadata is fixed once loaded: its keys are listed once.
const alertKeys = new WeakMap<StringMap, string[]>();
function keysOf(m: StringMap): string[] {
  let k = alertKeys.get(m);
  if (!k) alertKeys.set(m, (k = Object.keys(m)));
  return k;
}

export function combineEventMetadata(e: FluxEvent, alert: Alert, layers: MetadataLayers = metadataLayers(e)): CombinedMetadata {
  const combined = stringMap();
  let collided = false;
  let size = 0;
  const ann = layers.annotations;
  for (let i = 0; i < ann.length; i++) {
    combined[ann[i]![0]] = ann[i]![1];
    size++;
  }
  const em = alert.spec.eventMetadata;
  if (em) {
    const keys = keysOf(em);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k in combined) collided = true;
      else size++;
      combined[k] = em[k]!;
    }
  }
  const summary = alert.spec.summary ?? '';
  if (summary !== '') {
    if ('summary' in combined) collided = true;
    else size++;
    combined.summary = summary;
  }
  const ctl = layers.controller;
  for (let i = 0; i < ctl.length; i++) {
    const k = ctl[i]![0];
    if (k in combined) collided = true;
    else size++;
    combined[k] = ctl[i]![1];
  }
  const event: FluxEvent = { ...e };
  if (size > 0) event.metadata = combined;
  else if (e.metadata) event.metadata = stringMap(Object.entries(e.metadata));
  return { event, conflicts: collided ? conflictsOf(layers, alert) : [], usedDeprecatedSummary: summary !== '' };
}

/** Every key set by more than one layer, with the layers in order (the rare, slow path). */
function conflictsOf(layers: MetadataLayers, alert: Alert): Array<{ key: string; sources: string[] }> {
  const sources = new Map<string, string[]>();
  const note = (k: string, src: string) => {
    const list = sources.get(k);
    if (list) list.push(src);
    else sources.set(k, [src]);
  };
  for (const [k] of layers.annotations) note(k, METADATA_SOURCES.eventGroup);
  for (const k of Object.keys(alert.spec.eventMetadata ?? {})) note(k, METADATA_SOURCES.alertEventMetadata);
  if ((alert.spec.summary ?? '') !== '') note('summary', METADATA_SOURCES.alertSummary);
  for (const [k] of layers.controller) note(k, METADATA_SOURCES.objectGroup);
  return [...sources.entries()]
    .filter(([, srcs]) => srcs.length > 1)
    .map(([key, srcs]) => ({ key, sources: srcs }))
    .sort((a, b) => compareUtf8(a.key, b.key));
}

/** Whether the metadata map is empty or absent (both are left out of the JSON). */
export function isEmptyMetadata(m: StringMap | undefined): boolean {
  return !m || Object.keys(m).length === 0;
}
