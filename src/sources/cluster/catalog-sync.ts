// The cluster's Alerts, Providers and referenced Secrets as a Catalog. Objects come from the API
// server already validated and defaulted; they still go through the manifest loader so that they
// become the same typed objects as `-f` files (and v1beta2 ones are converted the same way).
// A Catalog is immutable: every relevant change builds a new one, with a sentence saying why.

import { Catalog } from '../../flux/catalog.js';
import { formatDiagnostic, loadManifestText } from '../../flux/manifests.js';
import type { Alert, Provider, Secret } from '../../flux/types.js';
import type { Json } from './http.js';

type Kind = 'Alert' | 'Provider' | 'Secret';

interface Entry<T> {
  /** What decisions depend on; a change of anything else (status, managedFields) is ignored. */
  fingerprint: string;
  loaded?: T;
}

export interface SyncResult {
  /** A sentence for the UI, when the catalog must be rebuilt. */
  why?: string;
  /** Problems loading the object (warning level). */
  problems: string[];
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const metaOf = (o: Json): Json => (isObj(o.metadata) ? o.metadata : {});
const nsName = (o: Json) => `${str(metaOf(o).namespace)}/${str(metaOf(o).name)}`;

/** The object as a manifest: server bookkeeping dropped (status is the controller's, not the user's). */
export function manifestOf(o: Json): Json {
  const m = { ...metaOf(o) };
  delete m.managedFields;
  const out: Json = { ...o, metadata: m };
  delete out.status;
  return out;
}

function fingerprint(kind: Kind, o: Json): string {
  const m = metaOf(o);
  if (kind === 'Secret') return JSON.stringify([o.type, o.data, o.stringData]);
  return JSON.stringify([o.apiVersion, o.spec, m.labels, m.annotations]);
}

export interface CatalogSyncOptions {
  /** Suppress the per-object "served-versions" warning when the server itself serves an old version. */
  oldVersionServed?: boolean;
}

export class CatalogSync {
  private readonly alerts = new Map<string, Entry<Alert>>();
  private readonly providers = new Map<string, Entry<Provider>>();
  private readonly secrets = new Map<string, Entry<Secret>>();

  constructor(private readonly o: CatalogSyncOptions = {}) {}

  private map(kind: Kind): Map<string, Entry<Alert | Provider | Secret>> {
    return (kind === 'Alert' ? this.alerts : kind === 'Provider' ? this.providers : this.secrets) as Map<string, Entry<Alert | Provider | Secret>>;
  }

  /** Applies an added/modified object (obj) or a deletion (obj null, key ns/name). */
  apply(kind: Kind, key: string, obj: Json | null): SyncResult {
    const map = this.map(kind);
    const before = map.get(key);
    if (obj === null) {
      if (!before) return { problems: [] };
      map.delete(key);
      return { why: `${kind} ${key} deleted: applies to the next event`, problems: [] };
    }
    const fp = fingerprint(kind, obj);
    if (before && before.fingerprint === fp) return { problems: [] };
    const { loaded, problems } = this.load(kind, obj);
    const entry: Entry<Alert | Provider | Secret> = { fingerprint: fp };
    if (loaded) entry.loaded = loaded;
    map.set(key, entry);
    const verb = before ? 'changed' : 'added';
    return { why: `${kind} ${key} ${verb}: applies to the next event`, problems };
  }

  private load(kind: Kind, obj: Json): { loaded?: Alert | Provider | Secret; problems: string[] } {
    const id = `${kind}/${nsName(obj)}`;
    const set = loadManifestText(JSON.stringify(manifestOf(obj)), `cluster ${id}`);
    const problems = set.diagnostics
      .filter((d) => d.severity !== 'info' && !(this.o.oldVersionServed && d.rule === 'served-versions'))
      .map((d) => `${id}: ${d.severity}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`);
    const loaded = kind === 'Alert' ? set.alerts[0] : kind === 'Provider' ? set.providers[0] : set.secrets[0];
    if (!loaded) {
      const errs = set.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
      if (errs.length === 0) problems.push(`${id}: not usable`);
    }
    return loaded ? { loaded, problems } : { problems };
  }

  build(): Catalog {
    const pick = <T>(m: Map<string, Entry<T>>) => [...m.values()].flatMap((e) => (e.loaded ? [e.loaded] : []));
    return new Catalog({ alerts: pick(this.alerts), providers: pick(this.providers), secrets: pick(this.secrets), others: [] });
  }

  get counts(): { alerts: number; providers: number; secrets: number } {
    return { alerts: this.alerts.size, providers: this.providers.size, secrets: this.secrets.size };
  }

  /** Secrets the Providers reference (secretRef, certSecretRef, proxySecretRef), "ns/name" → providers. */
  referencedSecrets(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [key, e] of this.providers) {
      const p = e.loaded;
      if (!p) continue;
      const ns = p.metadata.namespace;
      for (const ref of [p.spec.secretRef, p.spec.certSecretRef, p.spec.proxySecretRef]) {
        if (!ref?.name) continue;
        const k = `${ns}/${ref.name}`;
        const list = out.get(k) ?? [];
        if (!list.includes(key)) list.push(key);
        out.set(k, list);
      }
    }
    return out;
  }
}
