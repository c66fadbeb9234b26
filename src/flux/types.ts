// The notification-controller domain model: Flux events, Alerts, Providers, Secrets.
// Shapes follow the v1beta3 API and fluxcd/pkg apis/event v1beta1 after our loading and
// normalisation; field order of ObjectReference is the Go struct order (spec §1.1).

/** A string → string map. Always created with `stringMap()` so keys like `__proto__` are data. */
export type StringMap = Record<string, string>;

export function stringMap(entries?: Iterable<[string, string]>): StringMap {
  const m = Object.create(null) as StringMap;
  if (entries) for (const [k, v] of entries) m[k] = v;
  return m;
}

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** The Flux event as notification-controller holds it (Go type event.Event). */
export interface FluxEvent {
  involvedObject: ObjectReference;
  severity: string;
  /** RFC 3339, UTC, whole seconds, or null for Go's zero time. */
  timestamp: string | null;
  message: string;
  reason: string;
  /** undefined models Go's nil map; an empty map is also left out of the JSON. */
  metadata?: StringMap;
  reportingController: string;
  reportingInstance?: string;
}

/** Where an object came from, for messages that name the file, document and line. */
export interface SourceLocation {
  file: string;
  /** 0-based index of the YAML document (or List item path) in the file. */
  doc: number;
  /** 1-based line where the object starts, when known. */
  line?: number;
  /** For List items: index inside `items`. */
  item?: number;
}

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: StringMap;
  annotations?: StringMap;
}

export interface CrossNamespaceObjectReference {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
  /** undefined = absent (B5 shortcut); {} = present and empty (still reads the object). */
  matchLabels?: StringMap;
}

export interface AlertSpec {
  providerRef: { name: string };
  eventSeverity: string;
  eventSources: CrossNamespaceObjectReference[];
  inclusionList?: string[];
  exclusionList?: string[];
  eventMetadata?: StringMap;
  summary?: string;
  suspend?: boolean;
}

export interface ProviderSpec {
  type: string;
  interval?: string;
  channel?: string;
  username?: string;
  address?: string;
  timeout?: string;
  proxy?: string;
  proxySecretRef?: { name: string };
  secretRef?: { name: string };
  serviceAccountName?: string;
  certSecretRef?: { name: string };
  suspend?: boolean;
  commitStatusExpr?: string;
}

interface Loaded {
  /** apiVersion as written in the manifest (v1beta1/v1beta2 are converted to v1beta3). */
  apiVersion: string;
  metadata: ObjectMeta;
  /** The object as the API server would store it (pruned, defaulted), for CEL's `alert`/`provider`. */
  object: Record<string, unknown>;
  source: SourceLocation;
}

export interface Alert extends Loaded {
  kind: 'Alert';
  spec: AlertSpec;
}

export interface Provider extends Loaded {
  kind: 'Provider';
  spec: ProviderSpec;
}

export interface Secret extends Loaded {
  kind: 'Secret';
  type?: string;
  /** Decoded bytes of `data` merged with `stringData` (stringData wins, as the API server does). */
  data: Record<string, Buffer>;
}

/** Any other object: only its identity and labels matter (matchLabels, spec §3.2 B6). */
export interface OtherObject extends Loaded {
  kind: string;
}

export const EVENT_GROUP = 'event.toolkit.fluxcd.io';
export const EVENT_GROUP_PREFIX = 'event.toolkit.fluxcd.io/';
