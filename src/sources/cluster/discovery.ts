// API discovery: which notification.toolkit.fluxcd.io version the server serves, and the resource
// (plural) behind a kind, which a GET of an involved object needs.

import { ApiError, type Json, type KubeHttp } from './http.js';
import { NOTIFICATION_GROUP } from '../../flux/validate.js';

/** Versions we can read, best first: v1beta3 is what NC v1.9 serves; v1beta2 is converted with a warning. */
export const NOTIFICATION_VERSIONS = ['v1beta3', 'v1beta2'] as const;
export type NotificationVersion = (typeof NOTIFICATION_VERSIONS)[number];

export type NotificationDiscovery =
  | { found: true; version: NotificationVersion; served: string[] }
  | { found: false; served: string[]; reason: string };

export async function discoverNotificationApi(http: KubeHttp, signal?: AbortSignal): Promise<NotificationDiscovery> {
  let group: Json;
  try {
    group = await http.get(`/apis/${NOTIFICATION_GROUP}`, signal ? { signal } : {});
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) {
      return { found: false, served: [], reason: `the cluster does not serve ${NOTIFICATION_GROUP}: Flux's notification-controller CRDs are not installed` };
    }
    throw e;
  }
  const versions = Array.isArray(group.versions) ? (group.versions as Json[]) : [];
  const served = versions.map((v) => (typeof v.version === 'string' ? v.version : '')).filter(Boolean);
  for (const v of NOTIFICATION_VERSIONS) if (served.includes(v)) return { found: true, version: v, served };
  return { found: false, served, reason: `the cluster serves ${NOTIFICATION_GROUP} ${served.join(', ') || '(no versions)'}; this tool reads v1beta3 or v1beta2` };
}

export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

/** kind → resource per group/version, from the server's discovery documents (cached). */
export class ResourceResolver {
  private readonly lists = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(private readonly http: KubeHttp) {}

  /** The resource for apiVersion + kind; null when the server does not serve it. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo | null> {
    let p = this.lists.get(apiVersion);
    if (!p) {
      p = this.fetch(apiVersion);
      this.lists.set(apiVersion, p);
      // A transient failure must not be cached for the session.
      p.catch(() => this.lists.delete(apiVersion));
    }
    return (await p).get(kind) ?? null;
  }

  /** The collection path for objects of this kind, or null when not served. */
  async collectionPath(apiVersion: string, kind: string, namespace: string): Promise<string | null> {
    const r = await this.resolve(apiVersion, kind);
    if (!r) return null;
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return r.namespaced ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${prefix}/${r.plural}`;
  }

  private async fetch(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const out = new Map<string, ResourceInfo>();
    let doc: Json;
    try {
      doc = await this.http.get(path);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return out;
      throw e;
    }
    const resources = Array.isArray(doc.resources) ? (doc.resources as Json[]) : [];
    for (const r of resources) {
      const name = typeof r.name === 'string' ? r.name : '';
      // Subresources (status, scale) share the kind; the main resource has no slash.
      if (!name || name.includes('/') || typeof r.kind !== 'string' || out.has(r.kind)) continue;
      out.set(r.kind, { plural: name, namespaced: r.namespaced === true });
    }
    return out;
  }
}
