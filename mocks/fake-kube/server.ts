// A fake Kubernetes API server for tests: a real HTTP(S) server on 127.0.0.1 that speaks the parts
// of the API the cluster source uses — discovery, list (with limit/continue), get (including the
// PartialObjectMetadata form), and watch as a chunked NDJSON stream with resourceVersions, bookmarks
// and 410 Gone — plus faults a real cluster produces: ERROR events, dropped connections, 403s.
// One global resourceVersion counter, as etcd has, so "resume from N" means the same thing for
// every resource.

import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { FAKE_KUBE_CA_PEM, FAKE_KUBE_SERVER_CERT_PEM, FAKE_KUBE_SERVER_KEY_PEM } from './tls.js';

export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string; resourceVersion?: string; uid?: string; labels?: Record<string, string> };
};

export interface ResourceType {
  group: string;
  /** Versions served, preferred first. */
  versions: string[];
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Resources sharing one store (core/v1 events and events.k8s.io/v1 events are one set of objects). */
  store?: string;
}

/** What the fake serves by default: the resources the cluster source reads, and Flux objects for label lookups. */
export const DEFAULT_RESOURCES: ResourceType[] = [
  { group: '', versions: ['v1'], plural: 'events', kind: 'Event', namespaced: true, store: 'events' },
  { group: 'events.k8s.io', versions: ['v1'], plural: 'events', kind: 'Event', namespaced: true, store: 'events' },
  { group: '', versions: ['v1'], plural: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', versions: ['v1'], plural: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: 'notification.toolkit.fluxcd.io', versions: ['v1beta3', 'v1beta2'], plural: 'alerts', kind: 'Alert', namespaced: true },
  { group: 'notification.toolkit.fluxcd.io', versions: ['v1beta3', 'v1beta2'], plural: 'providers', kind: 'Provider', namespaced: true },
  { group: 'kustomize.toolkit.fluxcd.io', versions: ['v1'], plural: 'kustomizations', kind: 'Kustomization', namespaced: true },
  { group: 'source.toolkit.fluxcd.io', versions: ['v1'], plural: 'gitrepositories', kind: 'GitRepository', namespaced: true },
  { group: 'helm.toolkit.fluxcd.io', versions: ['v2'], plural: 'helmreleases', kind: 'HelmRelease', namespaced: true },
];

export interface FakeKubeOptions {
  /** Serve HTTPS with the test CA (default) or plain HTTP (needs insecure-skip-tls-verify in the kubeconfig). */
  tls?: boolean;
  /** Bearer token required on every request; default "fake-token". `null` accepts anything. */
  token?: string | null;
  resources?: ResourceType[];
  /** How a watch from a compacted resourceVersion is refused: an ERROR event in a 200 stream (what the API server does) or an HTTP 410. */
  goneAs?: 'event' | 'http';
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  watch: boolean;
  accept: string;
  status: number;
}

interface Watcher {
  storeKey: string;
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  bookmarks: boolean;
  res: ServerResponse;
  timer?: NodeJS.Timeout;
}

interface LogEntry {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  storeKey: string;
  obj: KubeObject;
}

interface Forbidden {
  plural: string;
  namespace?: string;
  name?: string;
  verbs?: string[];
}

const clone = <T>(v: T): T => structuredClone(v);

function status(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  const s: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) s.details = details;
  return s;
}

/** core/v1 Event → the events.k8s.io/v1 view of the same object (the API server's conversion). */
export function toEventsV1(e: KubeObject): KubeObject {
  const out: KubeObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: clone(e.metadata) };
  const copy = (from: string, to: string) => {
    if (e[from] !== undefined && e[from] !== null) out[to] = clone(e[from]);
  };
  copy('eventTime', 'eventTime');
  copy('series', 'series');
  copy('reportingComponent', 'reportingController');
  copy('reportingInstance', 'reportingInstance');
  copy('action', 'action');
  copy('reason', 'reason');
  copy('involvedObject', 'regarding');
  copy('related', 'related');
  copy('message', 'note');
  copy('type', 'type');
  copy('source', 'deprecatedSource');
  copy('firstTimestamp', 'deprecatedFirstTimestamp');
  copy('lastTimestamp', 'deprecatedLastTimestamp');
  copy('count', 'deprecatedCount');
  return out;
}

export class FakeKube {
  readonly requests: RequestRecord[] = [];
  /** Set to make the next N list requests of a plural fail with this status code (e.g. 500). */
  readonly failLists = new Map<string, { code: number; times: number }>();
  /** Delays list answers of `<group>/<plural>` (core group: `/events`), to order concurrent lists. */
  readonly listDelayMs = new Map<string, number>();
  /** Watch events held back per `<group>/<plural>` (a slow stream), written on release. */
  private readonly held = new Map<string, Array<() => void>>();
  private rv = 100;
  private compactedRv = 0;
  private uidSeq = 0;
  private readonly stores = new Map<string, Map<string, KubeObject>>();
  private readonly log: LogEntry[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly forbidden: Forbidden[] = [];
  private server!: Server;
  url = '';
  readonly caPem: string = FAKE_KUBE_CA_PEM;
  readonly token: string | null;
  readonly tls: boolean;
  readonly resources: ResourceType[];
  goneAs: 'event' | 'http';

  private constructor(opts: FakeKubeOptions) {
    this.tls = opts.tls ?? true;
    this.token = opts.token === undefined ? 'fake-token' : opts.token;
    this.resources = opts.resources ?? DEFAULT_RESOURCES;
    this.goneAs = opts.goneAs ?? 'event';
  }

  static async start(opts: FakeKubeOptions = {}): Promise<FakeKube> {
    const fk = new FakeKube(opts);
    const handler = (req: IncomingMessage, res: ServerResponse) => fk.handle(req, res);
    fk.server = fk.tls ? createHttpsServer({ cert: FAKE_KUBE_SERVER_CERT_PEM, key: FAKE_KUBE_SERVER_KEY_PEM }, handler) : createHttpServer(handler);
    await new Promise<void>((resolve, reject) => {
      fk.server.once('error', reject);
      fk.server.listen(0, '127.0.0.1', () => resolve());
    });
    const a = fk.server.address() as AddressInfo;
    fk.url = `${fk.tls ? 'https' : 'http'}://127.0.0.1:${a.port}`;
    return fk;
  }

  async close(): Promise<void> {
    for (const w of this.watchers) this.endWatch(w);
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  // ---- store ------------------------------------------------------------------------------

  private typeOf(apiVersion: string, kind: string): ResourceType {
    const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
    const t = this.resources.find((r) => r.group === group && r.kind === kind && r.versions.includes(version));
    if (!t) throw new Error(`fake-kube: ${apiVersion} ${kind} is not served`);
    return t;
  }

  private storeKey(t: ResourceType): string {
    return t.store ?? `${t.group}/${t.plural}`;
  }

  private store(key: string): Map<string, KubeObject> {
    let s = this.stores.get(key);
    if (!s) this.stores.set(key, (s = new Map()));
    return s;
  }

  private objKey(ns: string | undefined, name: string) {
    return `${ns ?? ''}/${name}`;
  }

  /** Creates an object (uid, resourceVersion and creationTimestamp assigned); returns the stored copy. */
  create(obj: KubeObject): KubeObject {
    const t = this.typeOf(obj.apiVersion, obj.kind);
    const o = clone(obj);
    if (t.namespaced && !o.metadata.namespace) o.metadata.namespace = 'default';
    const s = this.store(this.storeKey(t));
    const k = this.objKey(o.metadata.namespace, o.metadata.name);
    if (s.has(k)) throw new Error(`fake-kube: ${obj.kind} ${k} already exists`);
    o.metadata.uid = o.metadata.uid ?? `uid-${++this.uidSeq}-${randomUUID().slice(0, 8)}`;
    o.metadata.creationTimestamp = o.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (o.kind !== 'Event' && t.group !== '') o.metadata.generation = 1;
    o.metadata.resourceVersion = String(++this.rv);
    s.set(k, o);
    this.publish({ rv: this.rv, type: 'ADDED', storeKey: this.storeKey(t), obj: o });
    return clone(o);
  }

  /** Replaces an existing object (generation bumps when spec changes); returns the stored copy. */
  update(obj: KubeObject): KubeObject {
    const t = this.typeOf(obj.apiVersion, obj.kind);
    const s = this.store(this.storeKey(t));
    const k = this.objKey(t.namespaced ? (obj.metadata.namespace ?? 'default') : undefined, obj.metadata.name);
    const old = s.get(k);
    if (!old) throw new Error(`fake-kube: ${obj.kind} ${k} not found`);
    const o = clone(obj);
    o.metadata.uid = old.metadata.uid;
    o.metadata.creationTimestamp = old.metadata.creationTimestamp;
    if (typeof old.metadata.generation === 'number') {
      o.metadata.generation = JSON.stringify(old.spec) === JSON.stringify(o.spec) ? old.metadata.generation : old.metadata.generation + 1;
    }
    o.metadata.resourceVersion = String(++this.rv);
    s.set(k, o);
    this.publish({ rv: this.rv, type: 'MODIFIED', storeKey: this.storeKey(t), obj: o });
    return clone(o);
  }

  /** Read-modify-write of a stored object. */
  modify(apiVersion: string, kind: string, namespace: string | undefined, name: string, fn: (o: KubeObject) => void): KubeObject {
    const cur = this.get(apiVersion, kind, namespace, name);
    if (!cur) throw new Error(`fake-kube: ${kind} ${namespace}/${name} not found`);
    fn(cur);
    return this.update(cur);
  }

  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): void {
    const t = this.typeOf(apiVersion, kind);
    const s = this.store(this.storeKey(t));
    const k = this.objKey(t.namespaced ? namespace : undefined, name);
    const old = s.get(k);
    if (!old) throw new Error(`fake-kube: ${kind} ${k} not found`);
    s.delete(k);
    const o = clone(old);
    o.metadata.resourceVersion = String(++this.rv);
    this.publish({ rv: this.rv, type: 'DELETED', storeKey: this.storeKey(t), obj: o });
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const t = this.typeOf(apiVersion, kind);
    const o = this.store(this.storeKey(t)).get(this.objKey(t.namespaced ? namespace : undefined, name));
    return o ? clone(o) : undefined;
  }

  // ---- faults -----------------------------------------------------------------------------

  /** Older resourceVersions become "too old": watches from them get 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv;
    this.log.length = 0;
  }

  /** 403 for matching requests (verbs: get, list, watch; all when omitted). */
  forbid(f: Forbidden): void {
    this.forbidden.push(f);
  }

  allow(): void {
    this.forbidden.length = 0;
  }

  /** Destroys the sockets of open watches (optionally after half a JSON line); returns how many. */
  dropWatches(filter: { plural?: string; partialLine?: boolean } = {}): number {
    let n = 0;
    for (const w of [...this.watchers]) {
      if (filter.plural && w.type.plural !== filter.plural) continue;
      n++;
      if (filter.partialLine) w.res.write('{"type":"ADDED","object":{"kind":');
      this.watchers.delete(w);
      if (w.timer) clearTimeout(w.timer);
      w.res.socket?.destroy();
    }
    return n;
  }

  /** Sends an ERROR event with a Status to open watches, then ends them as the API server does. */
  watchError(code: number, filter: { plural?: string } = {}): number {
    let n = 0;
    const reason = code === 410 ? 'Expired' : code === 500 ? 'InternalError' : 'Unknown';
    for (const w of [...this.watchers]) {
      if (filter.plural && w.type.plural !== filter.plural) continue;
      n++;
      w.res.write(JSON.stringify({ type: 'ERROR', object: status(code, reason, code === 410 ? 'too old resource version' : `injected error ${code}`) }) + '\n');
      this.endWatch(w);
    }
    return n;
  }

  /** Sends a BOOKMARK with the current resourceVersion to watches that allow them. */
  bookmark(): number {
    let n = 0;
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      n++;
      const apiVersion = w.type.group ? `${w.type.group}/${w.version}` : w.version;
      w.res.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: w.type.kind, apiVersion, metadata: { resourceVersion: String(this.rv) } } }) + '\n');
    }
    return n;
  }

  /** Ends open watches normally (as a server-side timeout does). */
  closeWatches(filter: { plural?: string } = {}): number {
    let n = 0;
    for (const w of [...this.watchers]) {
      if (filter.plural && w.type.plural !== filter.plural) continue;
      n++;
      this.endWatch(w);
    }
    return n;
  }

  /** Holds back what open and new watches of `<group>/<plural>` would be sent, until released. */
  holdWatches(key: string): void {
    if (!this.held.has(key)) this.held.set(key, []);
  }

  releaseWatches(key: string): void {
    const q = this.held.get(key) ?? [];
    this.held.delete(key);
    for (const w of q) w();
  }

  openWatches(plural?: string): number {
    let n = 0;
    for (const w of this.watchers) if (!plural || w.type.plural === plural) n++;
    return n;
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private endWatch(w: Watcher) {
    this.watchers.delete(w);
    if (w.timer) clearTimeout(w.timer);
    w.res.end();
  }

  private send(res: ServerResponse, rec: RequestRecord, code: number, body: unknown) {
    rec.status = code;
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    const watch = query.watch === 'true' || query.watch === '1';
    const rec: RequestRecord = { method: req.method ?? 'GET', path: url.pathname, query, watch, accept: String(req.headers.accept ?? ''), status: 0 };
    this.requests.push(rec);
    if (this.token !== null && req.headers.authorization !== `Bearer ${this.token}`) {
      this.send(res, rec, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (req.method !== 'GET') {
      this.send(res, rec, 405, status(405, 'MethodNotAllowed', 'the fake API server is read-only over HTTP'));
      return;
    }
    const parts = url.pathname.split('/').filter(Boolean);
    if (this.discovery(parts, res, rec)) return;
    // /api/v1/... or /apis/{group}/{version}/...
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 2) {
      group = '';
      version = parts[1]!;
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      group = parts[1]!;
      version = parts[2]!;
      rest = parts.slice(3);
    } else {
      this.send(res, rec, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name] = rest;
    const t = this.resources.find((r) => r.group === group && r.plural === plural && r.versions.includes(version));
    if (!t || rest.length > 2) {
      this.send(res, rec, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    const fieldName = /(?:^|,)metadata\.name=([^,]*)/.exec(query.fieldSelector ?? '')?.[1];
    const fieldNs = /(?:^|,)metadata\.namespace=([^,]*)/.exec(query.fieldSelector ?? '')?.[1];
    if (fieldNs) namespace = fieldNs;
    const verb = name ? 'get' : watch ? 'watch' : 'list';
    const deny = this.forbidden.find(
      (f) => f.plural === t.plural && (!f.namespace || f.namespace === namespace) && (!f.name || f.name === (name ?? fieldName)) && (!f.verbs || f.verbs.includes(verb)),
    );
    if (deny) {
      const what = name ?? fieldName;
      const gr = t.group ? `${t.plural}.${t.group}` : t.plural;
      this.send(res, rec, 403, status(403, 'Forbidden',
        `${gr}${what ? ` "${what}"` : ''} is forbidden: User "system:serviceaccount:test:flux-notify-tui" cannot ${verb} resource "${t.plural}" in API group "${t.group}"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`,
        { name: what ?? '', group: t.group, kind: t.plural }));
      return;
    }
    if (name) {
      this.getOne(t, version, namespace, name, req, res, rec);
      return;
    }
    if (watch) this.watch(t, version, namespace, fieldName, query, res, rec);
    else {
      const delay = this.listDelayMs.get(`${t.group}/${t.plural}`);
      // The list reflects the state when it is answered, as a real server's would.
      if (delay) setTimeout(() => this.list(t, version, namespace, fieldName, query, res, rec), delay);
      else this.list(t, version, namespace, fieldName, query, res, rec);
    }
  }

  private discovery(parts: string[], res: ServerResponse, rec: RequestRecord): boolean {
    const groups = new Map<string, string[]>();
    for (const r of this.resources) {
      if (!r.group) continue;
      const vs = groups.get(r.group) ?? [];
      for (const v of r.versions) if (!vs.includes(v)) vs.push(v);
      groups.set(r.group, vs);
    }
    const groupJson = (g: string) => {
      const vs = groups.get(g)!;
      return {
        name: g,
        versions: vs.map((v) => ({ groupVersion: `${g}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${g}/${vs[0]}`, version: vs[0] },
      };
    };
    const resourceList = (g: string, v: string) => ({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: g ? `${g}/${v}` : v,
      resources: this.resources
        .filter((r) => r.group === g && r.versions.includes(v))
        .map((r) => ({ name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'list', 'watch'] })),
    });
    if (parts.length === 1 && parts[0] === 'api') {
      this.send(res, rec, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
      return true;
    }
    if (parts.length === 2 && parts[0] === 'api' && parts[1] === 'v1') {
      this.send(res, rec, 200, resourceList('', 'v1'));
      return true;
    }
    if (parts.length === 1 && parts[0] === 'apis') {
      this.send(res, rec, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups.keys()].map(groupJson) });
      return true;
    }
    if (parts.length === 2 && parts[0] === 'apis') {
      if (!groups.has(parts[1]!)) this.send(res, rec, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      else this.send(res, rec, 200, { kind: 'APIGroup', apiVersion: 'v1', ...groupJson(parts[1]!) });
      return true;
    }
    if (parts.length === 3 && parts[0] === 'apis') {
      const vs = groups.get(parts[1]!);
      if (!vs?.includes(parts[2]!)) this.send(res, rec, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      else this.send(res, rec, 200, resourceList(parts[1]!, parts[2]!));
      return true;
    }
    return false;
  }

  /** The object as the requested version shows it (no schema conversion beyond events). */
  private view(o: KubeObject, t: ResourceType, version: string): KubeObject {
    if (t.kind === 'Event' && t.group === 'events.k8s.io') return toEventsV1(o);
    const c = clone(o);
    c.apiVersion = t.group ? `${t.group}/${version}` : version;
    return c;
  }

  private matches(o: KubeObject, namespace: string | undefined, name: string | undefined) {
    return (!namespace || o.metadata.namespace === namespace) && (!name || o.metadata.name === name);
  }

  private getOne(t: ResourceType, version: string, namespace: string | undefined, name: string, req: IncomingMessage, res: ServerResponse, rec: RequestRecord) {
    const o = this.store(this.storeKey(t)).get(this.objKey(t.namespaced ? namespace : undefined, name));
    if (!o) {
      const gr = t.group ? `${t.plural}.${t.group}` : t.plural;
      this.send(res, rec, 404, status(404, 'NotFound', `${gr} "${name}" not found`, { name, group: t.group, kind: t.plural }));
      return;
    }
    // client-go's metadata client asks for this form; the server answers with metadata only.
    if (String(req.headers.accept ?? '').includes('as=PartialObjectMetadata')) {
      this.send(res, rec, 200, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: clone(o.metadata) });
      return;
    }
    this.send(res, rec, 200, this.view(o, t, version));
  }

  private list(t: ResourceType, version: string, namespace: string | undefined, name: string | undefined, query: Record<string, string>, res: ServerResponse, rec: RequestRecord) {
    const fail = this.failLists.get(t.plural);
    if (fail && fail.times > 0) {
      fail.times--;
      this.send(res, rec, fail.code, status(fail.code, 'InternalError', `injected list failure ${fail.code}`));
      return;
    }
    const all = [...this.store(this.storeKey(t)).values()]
      .filter((o) => this.matches(o, namespace, name))
      .sort((a, b) => this.objKey(a.metadata.namespace, a.metadata.name).localeCompare(this.objKey(b.metadata.namespace, b.metadata.name)));
    // Pages come from the current state (a real server serves a snapshot); the token carries the
    // list's resourceVersion so a compaction makes it expire like the real one.
    let offset = 0;
    let listRv = this.rv;
    if (query.continue) {
      const tok = JSON.parse(Buffer.from(query.continue, 'base64').toString('utf8')) as { rv: number; offset: number };
      if (tok.rv < this.compactedRv) {
        this.send(res, rec, 410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'));
        return;
      }
      offset = tok.offset;
      listRv = tok.rv;
    }
    const limit = query.limit ? Number(query.limit) : 0;
    const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const metadata: Record<string, unknown> = { resourceVersion: String(listRv) };
    if (limit > 0 && offset + limit < all.length) {
      metadata.continue = Buffer.from(JSON.stringify({ rv: listRv, offset: offset + limit })).toString('base64');
      metadata.remainingItemCount = all.length - offset - limit;
    }
    this.send(res, rec, 200, {
      kind: `${t.kind}List`,
      apiVersion: t.group ? `${t.group}/${version}` : version,
      metadata,
      items: page.map((o) => this.view(o, t, version)),
    });
  }

  private watch(t: ResourceType, version: string, namespace: string | undefined, name: string | undefined, query: Record<string, string>, res: ServerResponse, rec: RequestRecord) {
    const from = query.resourceVersion ?? '';
    const fromNum = from === '' || from === '0' ? null : Number(from);
    if (fromNum !== null && fromNum < this.compactedRv && this.goneAs === 'http') {
      this.send(res, rec, 410, status(410, 'Expired', `too old resource version: ${fromNum} (${this.compactedRv})`));
      return;
    }
    rec.status = 200;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    if (fromNum !== null && fromNum < this.compactedRv) {
      res.end(JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${fromNum} (${this.compactedRv})`) }) + '\n');
      return;
    }
    const w: Watcher = { storeKey: this.storeKey(t), type: t, version, bookmarks: query.allowWatchBookmarks === 'true', res };
    if (namespace) w.namespace = namespace;
    if (name) w.name = name;
    this.watchers.add(w);
    res.on('close', () => {
      this.watchers.delete(w);
      if (w.timer) clearTimeout(w.timer);
    });
    if (query.timeoutSeconds) w.timer = setTimeout(() => this.endWatch(w), Number(query.timeoutSeconds) * 1000);
    if (fromNum === null) {
      // "Start at most recent": the current objects first, as synthetic ADDED events.
      for (const o of this.store(w.storeKey).values()) if (this.matches(o, namespace, name)) this.write(w, 'ADDED', o);
    } else {
      for (const e of this.log) if (e.rv > fromNum && e.storeKey === w.storeKey && this.matches(e.obj, namespace, name)) this.write(w, e.type, e.obj);
    }
  }

  private write(w: Watcher, type: string, o: KubeObject) {
    const line = JSON.stringify({ type, object: this.view(o, w.type, w.version) }) + '\n';
    const q = this.held.get(`${w.type.group}/${w.type.plural}`);
    if (q) q.push(() => w.res.write(line));
    else w.res.write(line);
  }

  private publish(e: LogEntry) {
    this.log.push({ ...e, obj: clone(e.obj) });
    for (const w of this.watchers) {
      if (w.storeKey === e.storeKey && this.matches(e.obj, w.namespace, w.name)) this.write(w, e.type, e.obj);
    }
  }
}
