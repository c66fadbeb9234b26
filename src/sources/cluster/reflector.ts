// One resource kept in sync by list + watch, with client-go's resume semantics and none of
// client-node's informer traps: every failure is retried with backoff (the informer stops for good
// on anything but 410); a watch resumes from the last resourceVersion seen (objects or bookmarks),
// so nothing is lost or repeated across a dropped connection; 410 Gone (HTTP or an ERROR event)
// re-lists, and the re-list is diffed against what was known so only real changes come out.

import { ApiError, type Json, type KubeHttp } from './http.js';
import { Backoff, sleep, type BackoffOptions } from './backoff.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';
/** initial: from the first list (history); relist: found by a re-list after 410; watch: live. */
export type Phase = 'initial' | 'relist' | 'watch';

export interface Change {
  type: ChangeType;
  obj: Json;
  phase: Phase;
}

export type ReflectorState =
  | { state: 'listing' }
  | { state: 'watching'; resourceVersion: string }
  | { state: 'retrying'; attempt: number; nextInMs: number; error: string; code: number }
  | { state: 'stopped' };

export interface ReflectorOptions {
  /** For messages: "events (core/v1)". */
  name: string;
  http: KubeHttp;
  /** Collection path, e.g. /api/v1/namespaces/flux-system/events. */
  path: string;
  /** Extra list/watch parameters (fieldSelector). */
  query?: Record<string, string>;
  /** Client-side selection: objects failing it are neither kept nor reported. */
  filter?: (obj: Json) => boolean;
  /** Keep whole objects (for items()); otherwise only identity and resourceVersion. */
  keepObjects?: boolean;
  onChange(c: Change): void;
  /** After a list was applied (its changes already reported). */
  onSynced?(phase: 'initial' | 'relist'): void;
  onState?(s: ReflectorState): void;
  backoff?: BackoffOptions;
  /** A 403 is retried no sooner than this (RBAC changes are rare). */
  forbiddenRetryMs?: number;
  pageSize?: number;
  /** Asked on every failure; true stops the reflector for good (e.g. an optional view that is forbidden). */
  giveUp?(err: ApiError): boolean;
  /** Server-side watch timeout; client-go picks 5–10 min at random so watches do not end together. */
  watchTimeoutSeconds?: () => number;
}

interface Known {
  rv: string;
  /** Identity only, unless keepObjects. */
  obj: Json;
}

const meta = (o: Json): Json => (typeof o.metadata === 'object' && o.metadata !== null ? (o.metadata as Json) : {});
const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function objectKey(o: Json): string {
  const m = meta(o);
  return str(m.uid) || `${str(m.namespace)}/${str(m.name)}`;
}

function identity(o: Json): Json {
  const m = meta(o);
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion } };
}

export class Reflector {
  /** Last resourceVersion seen: the point a watch resumes from. */
  resourceVersion = '';
  /** True once the first list has been applied. */
  synced = false;
  lastState: ReflectorState = { state: 'stopped' };
  private readonly known = new Map<string, Known>();
  private readonly backoff: Backoff;

  constructor(private readonly o: ReflectorOptions) {
    this.backoff = new Backoff(o.backoff);
  }

  get name(): string {
    return this.o.name;
  }

  /** The objects currently known (whole objects only with keepObjects). */
  items(): Json[] {
    return [...this.known.values()].map((k) => k.obj);
  }

  private state(s: ReflectorState) {
    this.lastState = s;
    this.o.onState?.(s);
  }

  /** Runs until the signal aborts; never throws. */
  async run(signal: AbortSignal): Promise<void> {
    let listed = false;
    let gones = 0;
    while (!signal.aborted) {
      try {
        if (!listed) {
          this.state({ state: 'listing' });
          await this.list(signal);
          listed = true;
          this.backoff.reset();
        }
        const progressed = await this.watchOnce(signal);
        gones = 0;
        // A stream the server ends at once, again and again, must not become a busy loop.
        if (progressed) this.backoff.reset();
        else await this.pause(new ApiError('watch ended without events', 0), signal);
      } catch (e) {
        if (signal.aborted) break;
        const err = e instanceof ApiError ? e : new ApiError((e as Error).message ?? String(e), 0, '', e);
        if (this.o.giveUp?.(err)) break;
        if (err.gone && gones++ < 2) {
          // The resourceVersion was compacted away: only a fresh list can say what changed.
          listed = false;
          this.resourceVersion = '';
          continue;
        }
        if (err.gone) listed = false;
        await this.pause(err, signal);
      }
    }
    this.state({ state: 'stopped' });
  }

  private async pause(err: ApiError, signal: AbortSignal) {
    let delay = this.backoff.next();
    if (err.forbidden) delay = Math.max(delay, this.o.forbiddenRetryMs ?? 60_000);
    this.state({ state: 'retrying', attempt: this.backoff.attempt, nextInMs: delay, error: err.message, code: err.code });
    await sleep(delay, signal);
  }

  private async list(signal: AbortSignal) {
    const seen = new Map<string, Known>();
    const fresh: Json[] = [];
    let cont = '';
    let rv = '';
    do {
      const q = new URLSearchParams({ ...this.o.query, limit: String(this.o.pageSize ?? 500) });
      if (cont) q.set('continue', cont);
      const page = await this.o.http.get(`${this.o.path}?${q}`, { signal });
      const m = meta(page);
      rv = str(m.resourceVersion);
      cont = str(m.continue);
      const items = Array.isArray(page.items) ? (page.items as unknown[]) : [];
      for (const it of items) {
        if (typeof it !== 'object' || it === null) continue;
        const obj = it as Json;
        // List items carry no apiVersion/kind; the list does.
        if (!obj.kind && typeof page.kind === 'string') obj.kind = page.kind.replace(/List$/, '');
        if (!obj.apiVersion && typeof page.apiVersion === 'string') obj.apiVersion = page.apiVersion;
        if (this.o.filter && !this.o.filter(obj)) continue;
        seen.set(objectKey(obj), { rv: str(meta(obj).resourceVersion), obj: this.o.keepObjects ? obj : identity(obj) });
        fresh.push(obj);
      }
    } while (cont && !signal.aborted);
    if (signal.aborted) return;
    const phase: Phase = this.synced ? 'relist' : 'initial';
    const changes: Change[] = [];
    for (const obj of fresh) {
      const k = objectKey(obj);
      const before = this.known.get(k);
      if (!before) changes.push({ type: 'ADDED', obj, phase });
      else if (before.rv !== seen.get(k)!.rv) changes.push({ type: 'MODIFIED', obj, phase });
    }
    for (const [k, before] of this.known) if (!seen.has(k)) changes.push({ type: 'DELETED', obj: before.obj, phase });
    this.known.clear();
    for (const [k, v] of seen) this.known.set(k, v);
    this.resourceVersion = rv;
    this.synced = true;
    for (const c of changes) this.o.onChange(c);
    this.o.onSynced?.(phase);
  }

  /** One watch stream; true when it delivered anything (objects or bookmarks). */
  private async watchOnce(signal: AbortSignal): Promise<boolean> {
    const timeout = this.o.watchTimeoutSeconds?.() ?? Math.round(300 * (1 + Math.random()));
    const query: Record<string, string> = { ...this.o.query, resourceVersion: this.resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(timeout) };
    let progressed = false;
    const started = Date.now();
    await this.o.http.watch(
      this.o.path,
      query,
      (ev) => {
        const m = meta(ev.object);
        if (ev.type === 'ERROR') {
          const code = typeof ev.object.code === 'number' ? ev.object.code : 0;
          throw new ApiError(str(ev.object.message) || `watch error ${code}`, code, str(ev.object.reason));
        }
        const rv = str(m.resourceVersion);
        progressed = true;
        if (ev.type === 'BOOKMARK') {
          if (rv) this.resourceVersion = rv;
          return;
        }
        if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return;
        if (rv) this.resourceVersion = rv;
        this.apply(ev.type, ev.object);
      },
      {
        signal,
        idleTimeoutMs: (timeout + 60) * 1000,
        onOpen: () => this.state({ state: 'watching', resourceVersion: this.resourceVersion }),
      },
    );
    // A long quiet watch that the server closed on schedule is healthy too.
    return progressed || Date.now() - started >= 1000;
  }

  private apply(type: ChangeType, obj: Json) {
    const k = objectKey(obj);
    const before = this.known.get(k);
    const keep = !this.o.filter || this.o.filter(obj);
    if (type === 'DELETED' || !keep) {
      if (!before && type !== 'DELETED') return;
      this.known.delete(k);
      if (before || keep) this.o.onChange({ type: 'DELETED', obj, phase: 'watch' });
      return;
    }
    const rv = str(meta(obj).resourceVersion);
    // A watch started without a resourceVersion replays current objects as ADDED: not a change.
    if (before && before.rv === rv) return;
    this.known.set(k, { rv, obj: this.o.keepObjects ? obj : identity(obj) });
    this.o.onChange({ type: before ? 'MODIFIED' : 'ADDED', obj, phase: 'watch' });
  }
}
