// The objects NC would see through its informer cache, indexed for lookups: alerts in
// namespace/name order, providers and secrets by namespace/name, other objects for labels.

import { objectGroup } from './apigroup.js';
import type { OptionsCache } from './dispatch.js';
import type { LookupObject, ObjectLookup } from './match.js';
import type { Alert, OtherObject, Provider, Secret } from './types.js';

export interface CatalogInput {
  alerts: Alert[];
  providers: Provider[];
  secrets: Secret[];
  others: OtherObject[];
}

const key = (ns: string, name: string) => `${ns}\u0000${name}`;

/** What every decision needs of an alert, worked out once per catalog. */
export interface AlertEntry {
  alert: Alert;
  /** `namespace/name` */
  id: string;
  /** `namespace/providerRef.name` */
  providerId: string;
  /** The referenced Provider, looked up in the alert's namespace. */
  provider: Provider | undefined;
  /** Alerts with equal keys add the same metadata (eventMetadata, then summary). */
  metadataKey: string;
}

function metadataKeyOf(a: Alert): string {
  const em = a.spec.eventMetadata;
  // JSON of the entries in their order: unambiguous for any keys and values
  return JSON.stringify([em ? Object.entries(em) : null, a.spec.summary ?? '']);
}

const NO_ENTRIES: readonly AlertEntry[] = Object.freeze([]);

export class Catalog {
  readonly alerts: Alert[];
  private readonly providers = new Map<string, Provider>();
  private readonly secrets = new Map<string, Secret>();
  private readonly objects = new Map<string, OtherObject | Alert | Provider | Secret>();
  /** Notifier options per Provider (see dispatch.ts OptionsCache). */
  readonly notifierCache: OptionsCache = new WeakMap();
  /** Every alert with its lookups, in namespace/name order. */
  readonly entries: AlertEntry[];
  /** namespace → kind → the alerts with a source entry for them: the only ones that can match. */
  private readonly bySource = new Map<string, Map<string, AlertEntry[]>>();

  constructor(input: CatalogInput) {
    this.alerts = [...input.alerts].sort((a, b) =>
      a.metadata.namespace === b.metadata.namespace
        ? a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0
        : a.metadata.namespace < b.metadata.namespace ? -1 : 1,
    );
    for (const p of input.providers) this.providers.set(key(p.metadata.namespace, p.metadata.name), p);
    for (const s of input.secrets) this.secrets.set(key(s.metadata.namespace, s.metadata.name), s);
    for (const o of [...input.others, ...input.alerts, ...input.providers, ...input.secrets]) {
      this.objects.set(this.objectKey(objectGroup(o.apiVersion), o.kind, o.metadata.namespace, o.metadata.name), o);
    }
    this.entries = this.alerts.map((a) => this.makeEntry(a));
    for (const entry of this.entries) {
      const a = entry.alert;
      const seen = new Set<string>();
      for (const src of a.spec.eventSources) {
        const ns = src.namespace || a.metadata.namespace;
        const k = `${ns}\u0000${src.kind}`;
        if (seen.has(k)) continue;
        seen.add(k);
        let kinds = this.bySource.get(ns);
        if (!kinds) this.bySource.set(ns, (kinds = new Map()));
        const list = kinds.get(src.kind);
        if (list) list.push(entry);
        else kinds.set(src.kind, [entry]);
      }
    }
  }

  private makeEntry(a: Alert): AlertEntry {
    const ns = a.metadata.namespace;
    const pname = a.spec.providerRef.name;
    return { alert: a, id: `${ns}/${a.metadata.name}`, providerId: `${ns}/${pname}`, provider: this.provider(ns, pname), metadataKey: metadataKeyOf(a) };
  }

  private objectKey(group: string, kind: string, ns: string, name: string) {
    return `${group}\u0000${kind}\u0000${ns}\u0000${name}`;
  }

  provider = (namespace: string, name: string): Provider | undefined => this.providers.get(key(namespace, name));

  allSecrets(): Secret[] {
    return [...this.secrets.values()];
  }

  allProviders(): Provider[] {
    return [...this.providers.values()];
  }

  /** Where a Provider sends to: the Secret `address` key when present (spec §6.1), else spec.address. */
  providerAddress(p: Provider): string {
    const ref = p.spec.secretRef;
    const s = ref ? this.secret(p.metadata.namespace, ref.name) : undefined;
    if (s && 'address' in s.data) return s.data.address!.toString('utf8').trim();
    return p.spec.address ?? '';
  }
  secret = (namespace: string, name: string): Secret | undefined => this.secrets.get(key(namespace, name));

  /** Alerts with a source entry for this namespace and kind (others fail at §3.2 B2 for sure). */
  candidates(namespace: string, kind: string): readonly Alert[] {
    return this.candidateEntries(namespace, kind).map((c) => c.alert);
  }

  /** The same, with each alert's lookups (the decision's path). */
  candidateEntries(namespace: string, kind: string): readonly AlertEntry[] {
    return this.bySource.get(namespace)?.get(kind) ?? NO_ENTRIES;
  }

  /** Label lookup against the loaded manifests, by the event's group and kind. */
  lookupObject: LookupObject = (ref): ObjectLookup => {
    const group = objectGroup(ref.apiVersion);
    const o = this.objects.get(this.objectKey(group, ref.kind, ref.namespace, ref.name));
    if (!o) {
      return { found: false, reason: `${ref.kind} ${ref.namespace}/${ref.name} (${ref.apiVersion}) is not among the loaded manifests; NC would get "not found"` };
    }
    const note = o.apiVersion !== ref.apiVersion ? `manifest is ${o.apiVersion}, event asks for ${ref.apiVersion}: assumed served by the cluster` : undefined;
    return note ? { found: true, labels: o.metadata.labels, note } : { found: true, labels: o.metadata.labels };
  };
}
