// One named object kept in sync with the verbs `get` and `watch` only (a watch narrowed by
// fieldSelector metadata.name is authorised like a get of that name), so RBAC can grant access to
// the Secrets the Providers reference and nothing else. A 403 on get is reported and retried
// slowly; a 403 on watch falls back to polling with get.
//
// The watch never starts from the object's own resourceVersion: a Secret written weeks ago (or
// before the API server last restarted) has one older than the watch cache keeps, and a watch from
// it is 410 at once, every time. Without a list there is no collection resourceVersion, so the
// watch starts from "now" (the object comes again as ADDED, same version, no change) and resumes
// from what the stream brought since: bookmarks carry the server's current resourceVersion.

import { ApiError, type Json, type KubeHttp } from './http.js';
import { Backoff, sleep, type BackoffOptions } from './backoff.js';
import type { ReflectorState } from './reflector.js';

export interface NamedWatchOptions {
  http: KubeHttp;
  /** Collection path, e.g. /api/v1/namespaces/flux-system/secrets. */
  path: string;
  name: string;
  /** The object, or null when it does not exist (404 or DELETED). */
  onChange(obj: Json | null): void;
  /** A refused or failed read, with the verb; called on every failure. */
  onError?(err: ApiError, verb: 'get' | 'watch'): void;
  onState?(s: ReflectorState): void;
  backoff?: BackoffOptions;
  forbiddenRetryMs?: number;
  /** Poll interval when watch is forbidden but get is allowed. */
  pollMs?: number;
  watchTimeoutSeconds?: () => number;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const rvOf = (o: Json) => str((o.metadata as Json | undefined)?.resourceVersion);

/** The bookmark a WatchList-enabled server sends after a watch's initial state (Kubernetes 1.27+). */
function isInitialEventsEnd(o: Json): boolean {
  const a = (o.metadata as Json | undefined)?.annotations as Json | undefined;
  return a?.['k8s.io/initial-events-end'] === 'true';
}

export class NamedWatch {
  /** True once the first get answered (found or not found). */
  synced = false;
  /** Set when a get was refused with 403, cleared by the next successful read. */
  forbidden: ApiError | undefined;
  lastState: ReflectorState = { state: 'stopped' };
  private resourceVersion = '';
  private current: Json | null = null;
  private readonly backoff: Backoff;

  constructor(private readonly o: NamedWatchOptions) {
    this.backoff = new Backoff(o.backoff);
  }

  get object(): Json | null {
    return this.current;
  }

  private state(s: ReflectorState) {
    this.lastState = s;
    this.o.onState?.(s);
  }

  private set(obj: Json | null) {
    if (obj === null && this.current === null && this.synced) return;
    if (obj && this.current && rvOf(obj) === rvOf(this.current)) return;
    this.current = obj;
    this.synced = true;
    this.o.onChange(obj);
  }

  private async get(signal: AbortSignal): Promise<void> {
    try {
      const obj = await this.o.http.get(`${this.o.path}/${encodeURIComponent(this.o.name)}`, { signal });
      this.forbidden = undefined;
      this.resourceVersion = '';
      this.set(obj);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) {
        this.forbidden = undefined;
        this.resourceVersion = '';
        this.set(null);
        return;
      }
      if (e instanceof ApiError && e.forbidden) {
        this.forbidden = e;
        this.synced = true;
      }
      throw e;
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    let fresh = false;
    let polling = false;
    let gones = 0;
    while (!signal.aborted) {
      let verb: 'get' | 'watch' = 'get';
      try {
        if (!fresh || polling) {
          if (!polling) this.state({ state: 'listing' });
          await this.get(signal);
          fresh = true;
          this.backoff.reset();
        }
        if (polling) {
          this.state({ state: 'watching', resourceVersion: this.resourceVersion });
          await sleep(this.o.pollMs ?? 30_000, signal);
          continue;
        }
        verb = 'watch';
        await this.watchOnce(signal);
        gones = 0;
      } catch (e) {
        if (signal.aborted) break;
        const err = e instanceof ApiError ? e : new ApiError((e as Error).message ?? String(e), 0, '', e);
        this.o.onError?.(err, verb);
        // Read again and watch from "now"; a 410 that keeps coming is paced by the backoff below.
        if (err.gone) fresh = false;
        if (err.gone && gones++ < 2) continue;
        if (verb === 'watch' && err.forbidden) {
          polling = true;
          continue;
        }
        let delay = this.backoff.next();
        if (err.forbidden) delay = Math.max(delay, this.o.forbiddenRetryMs ?? 5 * 60_000);
        this.state({ state: 'retrying', attempt: this.backoff.attempt, nextInMs: delay, error: err.message, code: err.code });
        await sleep(delay, signal);
      }
    }
    this.state({ state: 'stopped' });
  }

  private async watchOnce(signal: AbortSignal): Promise<void> {
    const timeout = this.o.watchTimeoutSeconds?.() ?? Math.round(300 * (1 + Math.random()));
    const query: Record<string, string> = {
      fieldSelector: `metadata.name=${this.o.name}`,
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(timeout),
    };
    const started = Date.now();
    const fromNow = this.resourceVersion === '';
    let progressed = false;
    let added = false;
    await this.o.http.watch(
      this.o.path,
      query,
      (ev) => {
        if (ev.type === 'ERROR') {
          const code = typeof ev.object.code === 'number' ? ev.object.code : 0;
          throw new ApiError(str(ev.object.message) || `watch error ${code}`, code, str(ev.object.reason));
        }
        progressed = true;
        const rv = rvOf(ev.object);
        if (rv) this.resourceVersion = rv;
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') {
          added = true;
          this.set(ev.object);
        } else if (ev.type === 'DELETED') this.set(null);
        else if (ev.type === 'BOOKMARK' && fromNow && !added && isInitialEventsEnd(ev.object)) {
          // A watch from "now" sent the current state and it did not hold the object: it is gone
          // (deleted between the get and this watch).
          this.set(null);
        }
      },
      { signal, idleTimeoutMs: (timeout + 60) * 1000, onOpen: () => this.state({ state: 'watching', resourceVersion: this.resourceVersion }) },
    );
    if (progressed || Date.now() - started >= 1000) this.backoff.reset();
    else {
      const delay = this.backoff.next();
      this.state({ state: 'retrying', attempt: this.backoff.attempt, nextInMs: delay, error: 'watch ended without events', code: 0 });
      await sleep(delay, signal);
    }
  }
}
