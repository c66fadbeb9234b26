// A fake Kubernetes API server for tests: a real HTTP(S) server on 127.0.0.1 that speaks the parts
// of the API the cluster source uses — discovery, list (with limit/continue), get (including the
// PartialObjectMetadata form), and watch as a chunked NDJSON stream with resourceVersions, bookmarks
// and 410 Gone — plus faults a real cluster produces: ERROR events, dropped connections, 403s.
// One global resourceVersion counter, as etcd has, so "resume from N" means the same thing for
// every resource. Where it matters to a client, it answers as kube-apiserver does (1.32+, WatchList
// on): authentication (bearer token, x509 client certificates, anonymous → 403), ListOptions
// validation (422/400), paginated lists that are one consistent snapshot, list items of built-in
// types without apiVersion/kind, watches that end after timeoutSeconds (default 30–60 min), bookmarks
// every minute and 2 s before that end, and the initial-events-end bookmark of a watch from "now".

import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
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
  /** Bearer token accepted; default "fake-token". `null`: no token is valid (with clientCerts, certificates only; without, anything goes). */
  token?: string | null;
  resources?: ResourceType[];
  /** How a watch from a compacted resourceVersion is refused: an ERROR event in a 200 stream (what the API server does) or an HTTP 410. */
  goneAs?: 'event' | 'http';
  /**
   * Ask TLS clients for a certificate and accept one signed by the fake's CA (kube-apiserver's
   * --client-ca-file; kind's kubeconfig authenticates this way). The token, when set, is accepted too.
   */
  clientCerts?: boolean;
  /** Requests with no credentials at all are system:anonymous and get 403, as kube-apiserver's default --anonymous-auth=true; otherwise 401. */
  anonymousAuth?: boolean;
  /** Bookmark period for watches that allow them (the watch cache sends one about every minute). */
  bookmarkIntervalMs?: number;
  /** Watch length when the client sets no timeoutSeconds; the API server picks 30–60 min (--min-request-timeout 1800 × [1, 2)). */
  defaultWatchTimeoutSeconds?: () => number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  watch: boolean;
  accept: string;
  status: number;
  /** Who the request was authenticated as ('' when refused). */
  user: string;
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
  bookmarkTimer?: NodeJS.Timeout;
}

interface LogEntry {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  storeKey: string;
  obj: KubeObject;
  /** The object before a MODIFIED or DELETED: lets a paginated list be served as of its snapshot. */
  prev?: KubeObject;
}

interface Forbidden {
  plural: string;
  namespace?: string;
  /** Only requests at the cluster scope (no namespace): what a RoleBinding without a ClusterRoleBinding refuses. */
  clusterScope?: boolean;
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
  /** The oldest resourceVersion the watch cache can serve a watch from (its initialisation). */
  private watchFloorRv = 0;
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
  readonly clientCerts: boolean;
  readonly anonymousAuth: boolean;
  readonly resources: ResourceType[];
  goneAs: 'event' | 'http';
  /** Called before a list page is computed (a test can change the store between two pages). */
  beforeList: ((path: string, query: Record<string, string>) => void) | undefined;
  private readonly bookmarkIntervalMs: number;
  private readonly defaultWatchTimeoutSeconds: () => number;

  private constructor(opts: FakeKubeOptions) {
    this.tls = opts.tls ?? true;
    this.token = opts.token === undefined ? 'fake-token' : opts.token;
    this.clientCerts = opts.clientCerts === true && this.tls;
    this.anonymousAuth = opts.anonymousAuth === true;
    this.resources = [...(opts.resources ?? DEFAULT_RESOURCES)];
    this.goneAs = opts.goneAs ?? 'event';
    this.bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 60_000;
    this.defaultWatchTimeoutSeconds = opts.defaultWatchTimeoutSeconds ?? (() => Math.floor(1800 * (1 + Math.random())));
  }

  static async start(opts: FakeKubeOptions = {}): Promise<FakeKube> {
    const fk = new FakeKube(opts);
    const handler = (req: IncomingMessage, res: ServerResponse) => fk.handle(req, res);
    // requestCert without rejectUnauthorized: the handshake succeeds whatever the client sends, and
    // the certificate is judged per request (kube-apiserver asks with tls.RequestClientCert and
    // leaves the verdict to its x509 authenticator, which answers 401 for a bad one).
    fk.server = fk.tls
      ? createHttpsServer({ cert: FAKE_KUBE_SERVER_CERT_PEM, key: FAKE_KUBE_SERVER_KEY_PEM, ...(fk.clientCerts ? { ca: FAKE_KUBE_CA_PEM, requestCert: true, rejectUnauthorized: false } : {}) }, handler)
      : createHttpServer(handler);
    await new Promise<void>((resolve, reject) => {
      fk.server.once('error', reject);
      fk.server.listen(0, '127.0.0.1', () => resolve());
    });
    const a = fk.server.address() as AddressInfo;
    fk.url = `${fk.tls ? 'https' : 'http'}://127.0.0.1:${a.port}`;
    return fk;
  }

  async close(): Promise<void> {
    for (const w of [...this.watchers]) this.endWatch(w);
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Starts serving more resources (a CRD installed while clients run); discovery shows them at once. */
  addResources(types: ResourceType[]): void {
    this.resources.push(...types);
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
    this.publish({ rv: this.rv, type: 'MODIFIED', storeKey: this.storeKey(t), obj: o, prev: old });
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
    this.publish({ rv: this.rv, type: 'DELETED', storeKey: this.storeKey(t), obj: o, prev: old });
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

  /**
   * The API server restarted: its watch cache starts over at the current resourceVersion, so a
   * watch from anything older gets 410 (lists and continue tokens, served by etcd, are unaffected).
   * This is also what a busy cluster does to a resourceVersion that is minutes old.
   */
  restartWatchCache(): void {
    this.watchFloorRv = this.rv;
  }

  /** 403 for matching requests (verbs: get, list, watch; all when omitted; any namespace unless one is named). */
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
      this.forget(w);
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

  /** Sends a BOOKMARK with the current resourceVersion to watches that allow them, now. */
  bookmark(): number {
    let n = 0;
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      n++;
      this.writeLine(w, JSON.stringify({ type: 'BOOKMARK', object: this.bookmarkObject(w) }) + '\n');
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

  private forget(w: Watcher) {
    this.watchers.delete(w);
    if (w.timer) clearTimeout(w.timer);
    if (w.bookmarkTimer) clearTimeout(w.bookmarkTimer);
  }

  private endWatch(w: Watcher) {
    this.forget(w);
    w.res.end();
  }

  private send(res: ServerResponse, rec: RequestRecord, code: number, body: unknown) {
    rec.status = code;
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  /**
   * Who the request is, as kube-apiserver's authenticators decide: a client certificate the CA
   * verifies, else the bearer token; a presented but invalid credential is 401 (an expired or
   * foreign certificate, a wrong token); no credential at all is system:anonymous when anonymous
   * auth is on, else 401. null means 401.
   */
  private authenticate(req: IncomingMessage): string | null {
    const sock = req.socket as Partial<TLSSocket>;
    let badCert = false;
    if (this.clientCerts && typeof sock.getPeerCertificate === 'function') {
      const cert = sock.getPeerCertificate();
      if (cert && Object.keys(cert).length > 0) {
        const cn = cert.subject?.CN;
        if (sock.authorized) return (Array.isArray(cn) ? cn[0] : cn) || 'x509-user';
        badCert = true;
      }
    }
    const auth = req.headers.authorization;
    const open = this.token === null && !this.clientCerts;
    if (auth !== undefined) {
      if (open) return 'system:serviceaccount:test:flux-notify-tui';
      return this.token !== null && auth === `Bearer ${this.token}` ? 'system:serviceaccount:test:flux-notify-tui' : null;
    }
    if (badCert) return null;
    if (open) return 'system:serviceaccount:test:flux-notify-tui';
    return this.anonymousAuth ? 'system:anonymous' : null;
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    const watch = query.watch === 'true' || query.watch === '1';
    const rec: RequestRecord = { method: req.method ?? 'GET', path: url.pathname, query, watch, accept: String(req.headers.accept ?? ''), status: 0, user: '' };
    this.requests.push(rec);
    const user = this.authenticate(req);
    if (user === null) {
      this.send(res, rec, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    rec.user = user;
    if (req.method !== 'GET') {
      this.send(res, rec, 405, status(405, 'MethodNotAllowed', 'the fake API server is read-only over HTTP'));
      return;
    }
    const parts = url.pathname.split('/').filter(Boolean);
    const isDiscovery = (parts[0] === 'api' && parts.length <= 2) || (parts[0] === 'apis' && parts.length <= 3);
    // Discovery is granted to system:authenticated only (the system:discovery role).
    if (isDiscovery && user === 'system:anonymous') {
      this.send(res, rec, 403, status(403, 'Forbidden', `forbidden: User "system:anonymous" cannot get path "${url.pathname}"`, {}));
      return;
    }
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
    const fields = parseFieldSelector(query.fieldSelector ?? '');
    if (typeof fields === 'string') {
      this.send(res, rec, 400, status(400, 'BadRequest', fields));
      return;
    }
    const fieldName = fields['metadata.name'];
    if (fields['metadata.namespace'] !== undefined) namespace = fields['metadata.namespace'];
    const verb = name ? 'get' : watch ? 'watch' : 'list';
    const deny = this.forbidden.find(
      (f) =>
        f.plural === t.plural &&
        (!f.namespace || f.namespace === namespace) &&
        (!f.clusterScope || namespace === undefined) &&
        (!f.name || f.name === (name ?? fieldName)) &&
        (!f.verbs || f.verbs.includes(verb)),
    );
    if (deny || user === 'system:anonymous') {
      const what = name ?? fieldName;
      const gr = t.group ? `${t.plural}.${t.group}` : t.plural;
      this.send(res, rec, 403, status(403, 'Forbidden',
        `${gr}${what ? ` "${what}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${t.plural}" in API group "${t.group}"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`,
        { name: what ?? '', group: t.group, kind: t.plural }));
      return;
    }
    if (name) {
      this.getOne(t, version, namespace, name, req, res, rec);
      return;
    }
    const invalid = validateListOptions(query, watch);
    if (invalid.length > 0) {
      const message = `ListOptions.meta.k8s.io "" is invalid: ${invalid.length === 1 ? invalid[0]!.text : `[${invalid.map((e) => e.text).join(', ')}]`}`;
      this.send(res, rec, 422, status(422, 'Invalid', message, {
        group: 'meta.k8s.io',
        kind: 'ListOptions',
        causes: invalid.map((e) => ({ reason: e.reason, message: e.text.slice(e.field.length + 2), field: e.field })),
      }));
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

  /** A store as it was at resourceVersion rv, rebuilt by undoing the later changes (the log covers everything since the last compaction). */
  private snapshot(storeKey: string, rv: number): Map<string, KubeObject> {
    const snap = new Map(this.store(storeKey));
    for (let i = this.log.length - 1; i >= 0 && this.log[i]!.rv > rv; i--) {
      const e = this.log[i]!;
      if (e.storeKey !== storeKey) continue;
      const k = this.objKey(e.obj.metadata.namespace, e.obj.metadata.name);
      if (e.type === 'ADDED') snap.delete(k);
      else if (e.prev) snap.set(k, e.prev);
    }
    return snap;
  }

  private list(t: ResourceType, version: string, namespace: string | undefined, name: string | undefined, query: Record<string, string>, res: ServerResponse, rec: RequestRecord) {
    this.beforeList?.(rec.path, query);
    const fail = this.failLists.get(t.plural);
    if (fail && fail.times > 0) {
      fail.times--;
      this.send(res, rec, fail.code, status(fail.code, 'InternalError', `injected list failure ${fail.code}`));
      return;
    }
    // Every page of a paginated list is served from the snapshot of the first one (etcd reads at
    // the list's revision); the token carries it, and a compaction makes it expire as the real one does.
    let offset = 0;
    let listRv = this.rv;
    if (query.continue) {
      if (query.resourceVersion && query.resourceVersion !== '0') {
        this.send(res, rec, 400, status(400, 'BadRequest', 'specifying resource version is not allowed when using continue'));
        return;
      }
      let tok: { rv: number; offset: number };
      try {
        tok = JSON.parse(Buffer.from(query.continue, 'base64').toString('utf8')) as { rv: number; offset: number };
        if (typeof tok.rv !== 'number' || typeof tok.offset !== 'number') throw new Error('incorrect encoded start resourceVersion');
      } catch (e) {
        this.send(res, rec, 400, status(400, 'BadRequest', `invalid continue token: ${(e as Error).message}`));
        return;
      }
      if (tok.rv < this.compactedRv) {
        this.send(res, rec, 410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'));
        return;
      }
      offset = tok.offset;
      listRv = tok.rv;
    }
    const all = [...this.snapshot(this.storeKey(t), listRv).values()]
      .filter((o) => this.matches(o, namespace, name))
      .sort((a, b) => this.objKey(a.metadata.namespace, a.metadata.name).localeCompare(this.objKey(b.metadata.namespace, b.metadata.name)));
    // Pagination only when asked: without limit the whole collection comes in one answer.
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
      items: page.map((o) => {
        const v = this.view(o, t, version);
        // A typed list's items carry no apiVersion/kind (only the list does); custom resources keep them.
        if (builtin(t)) {
          delete (v as Record<string, unknown>).apiVersion;
          delete (v as Record<string, unknown>).kind;
        }
        return v;
      }),
    });
  }

  private watch(t: ResourceType, version: string, namespace: string | undefined, name: string | undefined, query: Record<string, string>, res: ServerResponse, rec: RequestRecord) {
    const from = query.resourceVersion ?? '';
    // With WatchList on (1.32+), a watch from "now" ("" or "0") without sendInitialEvents is
    // defaulted to sendInitialEvents=true: the current objects come as ADDED, then (with bookmarks)
    // a BOOKMARK annotated k8s.io/initial-events-end. sendInitialEvents=false starts at "now" bare.
    const fromNow = from === '' || from === '0';
    const initialEvents = query.sendInitialEvents !== undefined ? query.sendInitialEvents === 'true' : fromNow;
    const fromNum = fromNow ? null : Number(from);
    const floor = Math.max(this.compactedRv, this.watchFloorRv);
    if (fromNum !== null && fromNum < floor && this.goneAs === 'http') {
      this.send(res, rec, 410, status(410, 'Expired', `too old resource version: ${fromNum} (${floor})`));
      return;
    }
    rec.status = 200;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    if (fromNum !== null && fromNum < floor) {
      res.end(JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${fromNum} (${floor})`) }) + '\n');
      return;
    }
    const w: Watcher = { storeKey: this.storeKey(t), type: t, version, bookmarks: query.allowWatchBookmarks === 'true', res };
    if (namespace) w.namespace = namespace;
    if (name) w.name = name;
    this.watchers.add(w);
    res.on('close', () => this.forget(w));
    // The server ends every watch: after timeoutSeconds, or after its own 30–60 min.
    const timeoutS = query.timeoutSeconds ? Number(query.timeoutSeconds) : this.defaultWatchTimeoutSeconds();
    const deadline = Date.now() + timeoutS * 1000;
    w.timer = setTimeout(() => this.endWatch(w), timeoutS * 1000);
    if (w.bookmarks) this.scheduleBookmark(w, deadline);
    if (initialEvents) {
      for (const o of this.store(w.storeKey).values()) if (this.matches(o, namespace, name)) this.write(w, 'ADDED', o);
      if (w.bookmarks) this.writeLine(w, JSON.stringify({ type: 'BOOKMARK', object: this.bookmarkObject(w, true) }) + '\n');
    } else if (fromNum !== null) {
      for (const e of this.log) if (e.rv > fromNum && e.storeKey === w.storeKey && this.matches(e.obj, namespace, name)) this.write(w, e.type, e.obj);
    }
  }

  /** The watch cache's rhythm: a bookmark about every interval, and one 2 s before the watch's end. */
  private scheduleBookmark(w: Watcher, deadline: number) {
    const now = Date.now();
    const next = Math.min(now + this.bookmarkIntervalMs, deadline - 2000);
    if (next <= now) return;
    w.bookmarkTimer = setTimeout(() => {
      if (!this.watchers.has(w)) return;
      this.writeLine(w, JSON.stringify({ type: 'BOOKMARK', object: this.bookmarkObject(w) }) + '\n');
      this.scheduleBookmark(w, deadline);
    }, next - now);
  }

  /**
   * What a BOOKMARK carries: an empty object of the watched kind with only the resourceVersion
   * (the latest the server has seen, for any resource). Typed objects serialise their zero fields
   * (creationTimestamp null, an Event's empty involvedObject...), custom resources do not.
   */
  private bookmarkObject(w: Watcher, initialEventsEnd = false): Record<string, unknown> {
    const apiVersion = w.type.group ? `${w.type.group}/${w.version}` : w.version;
    const metadata: Record<string, unknown> = { resourceVersion: String(this.rv) };
    if (builtin(w.type)) metadata.creationTimestamp = null;
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    const o: Record<string, unknown> = { kind: w.type.kind, apiVersion, metadata };
    if (w.type.kind === 'Event' && w.type.group === '') {
      Object.assign(o, { involvedObject: {}, source: {}, firstTimestamp: null, lastTimestamp: null, eventTime: null, reportingComponent: '', reportingInstance: '' });
    } else if (w.type.kind === 'Event' && w.type.group === 'events.k8s.io') {
      Object.assign(o, { eventTime: null, regarding: {}, deprecatedSource: {}, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null });
    }
    return o;
  }

  private writeLine(w: Watcher, line: string) {
    const q = this.held.get(`${w.type.group}/${w.type.plural}`);
    if (q) q.push(() => w.res.write(line));
    else w.res.write(line);
  }

  private write(w: Watcher, type: string, o: KubeObject) {
    this.writeLine(w, JSON.stringify({ type, object: this.view(o, w.type, w.version) }) + '\n');
  }

  private publish(e: LogEntry) {
    this.log.push({ ...e, obj: clone(e.obj), ...(e.prev ? { prev: clone(e.prev) } : {}) });
    for (const w of this.watchers) {
      if (w.storeKey === e.storeKey && this.matches(e.obj, w.namespace, w.name)) this.write(w, e.type, e.obj);
    }
  }
}

/** Built-in API types (core, *.k8s.io, apps...) are typed on the server; the rest here are CRDs. */
function builtin(t: ResourceType): boolean {
  return !t.group.includes('.') || t.group.endsWith('.k8s.io');
}

/** metadata.name / metadata.namespace equality terms (what every resource supports); anything else is 400 as for an unsupported field label. */
function parseFieldSelector(sel: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const term of sel.split(',').filter(Boolean)) {
    const m = /^([^=!]+)(==|=)(.*)$/.exec(term);
    if (!m) return `invalid field selector term: ${term} (the fake API server implements equality only)`;
    const key = m[1]!.trim();
    if (key !== 'metadata.name' && key !== 'metadata.namespace') return `field label not supported: ${key}`;
    out[key] = m[3]!;
  }
  return out;
}

interface FieldError {
  field: string;
  reason: 'FieldValueForbidden' | 'FieldValueNotSupported';
  /** "<field>: <Type>: <detail>" as the API server prints a field error. */
  text: string;
}

/** kube-apiserver's ListOptions validation (after its WatchList defaulting, which adds nothing invalid). */
function validateListOptions(q: Record<string, string>, watch: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const forbidden = (field: string, detail: string) => errs.push({ field, reason: 'FieldValueForbidden', text: `${field}: Forbidden: ${detail}` });
  const unsupported = (field: string, value: string, allowed: string[]) =>
    errs.push({ field, reason: 'FieldValueNotSupported', text: `${field}: Unsupported value: "${value}": supported values: ${allowed.map((a) => `"${a}"`).join(', ')}` });
  const match = q.resourceVersionMatch ?? '';
  const sendInitialEvents = q.sendInitialEvents;
  if (watch) {
    if (sendInitialEvents !== undefined && match !== 'NotOlderThan') forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
    if (match) {
      if (sendInitialEvents === undefined) forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
      if (match !== 'NotOlderThan') unsupported('resourceVersionMatch', match, ['NotOlderThan']);
      if (q.continue) forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided');
    }
    return errs;
  }
  if (match) {
    if (!q.resourceVersion) forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (q.continue) forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided');
    if (match !== 'Exact' && match !== 'NotOlderThan') unsupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']);
    if (match === 'Exact' && q.resourceVersion === '0') forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  }
  if (sendInitialEvents !== undefined) forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list');
  return errs;
}
