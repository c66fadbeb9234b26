// The cluster side of cluster mode, independent of the runner (the TUI source and `record` both
// drive it): discovers the notification API version, keeps Alerts, Providers and the referenced
// Secrets in sync as a Catalog, watches Flux's Events, turns them into emissions, fetches labels
// that matchLabels needs, and reports connection state and notices. Start-up order matters: the
// catalog is loaded before the first Event is listed, so history is decided against it.

import { Catalog } from '../../flux/catalog.js';
import type { LookupObject } from '../../flux/match.js';
import type { ConnectionState, RunnerNotice } from '../../runner/runner.js';
import { Backoff, sleep, type BackoffOptions } from './backoff.js';
import { CatalogSync } from './catalog-sync.js';
import { discoverNotificationApi, ResourceResolver, type NotificationDiscovery } from './discovery.js';
import { EmissionTracker, isFluxKubeEvent, type Emission } from './emissions.js';
import { ApiError, KubeHttp, type Json } from './http.js';
import type { KubeTarget } from './kubeconfig.js';
import { LabelCache, labelRefFor } from './label-cache.js';
import { NamedWatch } from './named-watch.js';
import { Reflector, type Change, type ReflectorState } from './reflector.js';
import { NOTIFICATION_GROUP } from '../../flux/validate.js';

export type EventApi = 'core/v1' | 'events.k8s.io/v1';

export interface ClusterWatchOptions {
  /** Event views to watch; both by default (one may be forbidden by RBAC: the other then suffices). */
  eventApis?: EventApi[];
  backoff?: BackoffOptions;
  /** A 403 on a list/watch is retried no sooner than this. */
  forbiddenRetryMs?: number;
  /** Polling interval for a Secret that may be read but not watched. */
  secretPollMs?: number;
  watchTimeoutSeconds?: () => number;
  labelTtlMs?: number;
  includeUndeliverable?: boolean;
  /** Emissions waiting (e.g. while paused) beyond this are dropped, with a notice. */
  maxQueued?: number;
  now?: () => number;
  http?: KubeHttp;
}

export interface ClusterWatchHandlers {
  /** Awaited before each emission is prepared: the runner's pause/step gate. */
  beforeEmit?(em: Emission): Promise<void>;
  onEmission(em: Emission): void;
  onCatalog(c: Catalog, why: string): void;
  onNotice(level: RunnerNotice['level'], text: string): void;
  onConnection(s: ConnectionState): void;
}

interface SecretWatch {
  watch: NamedWatch;
  ctl: AbortController;
  run: Promise<void>;
  providers: string[];
  forbiddenNoticed: boolean;
  missingNoticed: boolean;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const nsName = (o: Json) => {
  const m = (o.metadata ?? {}) as Json;
  return `${str(m.namespace)}/${str(m.name)}`;
};

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

export class ClusterWatch {
  readonly http: KubeHttp;
  readonly resolver: ResourceResolver;
  readonly labels: LabelCache;
  readonly tracker: EmissionTracker;
  catalog = new Catalog({ alerts: [], providers: [], secrets: [], others: [] });
  notification: NotificationDiscovery | undefined;
  /** Emissions handed over so far (live and history). */
  emitted = 0;
  dropped = 0;
  private sync = new CatalogSync();
  private readonly abort = new AbortController();
  private alerts: Reflector | undefined;
  private providers: Reflector | undefined;
  private readonly events = new Map<EventApi, Reflector>();
  private readonly gaveUp = new Set<EventApi>();
  private readonly secrets = new Map<string, SecretWatch>();
  private readonly states = new Map<string, ReflectorState>();
  private readonly runs: Promise<void>[] = [];
  private readonly initial = new Map<EventApi, Emission[]>();
  private readonly waiters: Array<() => void> = [];
  private queue: Emission[] = [];
  private pumping = false;
  private catalogReady = false;
  private eventsStarted = false;
  private historyCut = false;
  private lastConnection = '';

  constructor(
    readonly target: KubeTarget,
    private readonly handlers: ClusterWatchHandlers,
    private readonly o: ClusterWatchOptions = {},
  ) {
    this.http = o.http ?? new KubeHttp(target.kc);
    this.resolver = new ResourceResolver(this.http);
    this.labels = new LabelCache(this.http, this.resolver, { ...(o.labelTtlMs !== undefined ? { ttlMs: o.labelTtlMs } : {}), ...(o.now ? { now: o.now } : {}) });
    this.tracker = new EmissionTracker({ ...(o.now ? { now: o.now } : {}), ...(o.includeUndeliverable ? { includeUndeliverable: true } : {}) });
  }

  /** For DecideOptions.lookupObject: labels fetched from the cluster before each decision. */
  get lookupObject(): LookupObject {
    return this.labels.lookup;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  start(): void {
    this.runs.push(this.main());
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const s of this.secrets.values()) s.ctl.abort();
    this.changed();
    await Promise.allSettled([...this.runs, ...[...this.secrets.values()].map((s) => s.run)]);
  }

  /** The raw objects currently known, for recording a scenario. */
  snapshot(): { alerts: Json[]; providers: Json[]; secrets: Json[]; objects: Array<{ apiVersion: string; kind: string; metadata: Json }> } {
    return {
      alerts: this.alerts?.items() ?? [],
      providers: this.providers?.items() ?? [],
      secrets: [...this.secrets.values()].flatMap((s) => (s.watch.object ? [s.watch.object] : [])),
      objects: this.labels.objects().map((x) => ({ apiVersion: x.ref.apiVersion, kind: x.ref.kind, metadata: x.metadata })),
    };
  }

  // ---- start-up -----------------------------------------------------------------------------

  private async main(): Promise<void> {
    const signal = this.abort.signal;
    const disc = await this.discover(signal);
    if (signal.aborted || !disc) return;
    this.notification = disc;
    if (!disc.found) {
      this.handlers.onNotice('warning', `${disc.reason}: events are shown, but no Alert can match them`);
    } else {
      if (disc.version !== 'v1beta3') {
        this.handlers.onNotice('warning', `the cluster serves ${NOTIFICATION_GROUP}/${disc.version}, not v1beta3 (an older Flux): objects are converted to v1beta3 for the simulation; notification-controller v1.9 requires v1beta3`);
        this.sync = new CatalogSync({ oldVersionServed: true });
      }
      this.alerts = this.notificationReflector('Alert', 'alerts', disc.version);
      this.providers = this.notificationReflector('Provider', 'providers', disc.version);
      for (const r of [this.alerts, this.providers]) this.runs.push(r.run(signal));
      // History is decided against a complete catalog: wait for the first lists (or their failure).
      const settled = (r: Reflector | undefined) => !r || r.synced || r.lastState.state === 'retrying';
      await this.until(() => settled(this.alerts) && settled(this.providers));
      await this.until(() => [...this.secrets.values()].every((s) => s.watch.synced || s.watch.lastState.state === 'retrying'));
    }
    if (signal.aborted) return;
    this.catalogReady = true;
    const c = this.sync.counts;
    const from = disc.found ? ` (${NOTIFICATION_GROUP}/${disc.version})` : '';
    this.publishCatalog(`loaded from the cluster: ${c.alerts} alert(s), ${c.providers} provider(s), ${c.secrets} referenced secret(s)${from}`);
    this.startEvents(signal);
  }

  private async discover(signal: AbortSignal): Promise<NotificationDiscovery | undefined> {
    const backoff = new Backoff(this.o.backoff);
    this.setState('discovery', { state: 'listing' });
    while (!signal.aborted) {
      try {
        const d = await discoverNotificationApi(this.http, signal);
        this.states.delete('discovery');
        return d;
      } catch (e) {
        if (signal.aborted) return undefined;
        const err = e instanceof ApiError ? e : new ApiError(String(e), 0);
        if (err.forbidden || err.code === 401) {
          this.states.delete('discovery');
          if (err.code === 401) this.handlers.onNotice('error', `the API server refused the credentials of context ${this.target.context} (401 Unauthorized): ${err.message}`);
          return { found: false, served: [], reason: `cannot discover ${NOTIFICATION_GROUP}: ${err.message}` };
        }
        const delay = backoff.next();
        this.setState('discovery', { state: 'retrying', attempt: backoff.attempt, nextInMs: delay, error: err.message, code: err.code });
        await sleep(delay, signal);
      }
    }
    return undefined;
  }

  private scoped(prefix: string, plural: string): string {
    const s = this.target.scope;
    return s.all ? `${prefix}/${plural}` : `${prefix}/namespaces/${encodeURIComponent(s.namespace)}/${plural}`;
  }

  private reflectorBase(name: string) {
    return {
      name,
      http: this.http,
      onState: (s: ReflectorState) => this.setState(name, s),
      ...(this.o.backoff ? { backoff: this.o.backoff } : {}),
      ...(this.o.forbiddenRetryMs !== undefined ? { forbiddenRetryMs: this.o.forbiddenRetryMs } : {}),
      ...(this.o.watchTimeoutSeconds ? { watchTimeoutSeconds: this.o.watchTimeoutSeconds } : {}),
    };
  }

  private notificationReflector(kind: 'Alert' | 'Provider', plural: string, version: string): Reflector {
    return new Reflector({
      ...this.reflectorBase(plural),
      path: this.scoped(`/apis/${NOTIFICATION_GROUP}/${version}`, plural),
      keepObjects: true,
      onChange: (c) => this.onNotificationChange(kind, c),
    });
  }

  private startEvents(signal: AbortSignal) {
    this.eventsStarted = true;
    for (const api of this.o.eventApis ?? ['core/v1', 'events.k8s.io/v1']) {
      const name = `events (${api})`;
      const r = new Reflector({
        ...this.reflectorBase(name),
        path: this.scoped(api === 'core/v1' ? '/api/v1' : '/apis/events.k8s.io/v1', 'events'),
        filter: isFluxKubeEvent,
        onChange: (c) => this.onEventChange(api, c),
        giveUp: (err) => this.giveUpEvents(api, err),
        onSynced: (phase) => {
          if (phase === 'initial') this.flushInitial(api);
        },
      });
      this.events.set(api, r);
      this.runs.push(this.runEvents(api, r, signal));
    }
    this.updateConnection();
  }

  /** An event view that is forbidden or not served is dropped while another view works. */
  private giveUpEvents(api: EventApi, err: ApiError): boolean {
    if (err.code !== 403 && err.code !== 404) return false;
    const others = [...this.events.keys()].filter((a) => a !== api && !this.gaveUp.has(a));
    if (others.length === 0) return false;
    this.gaveUp.add(api);
    this.handlers.onNotice('info', `events (${api}) not readable (${err.message}): using ${others.join(', ')} only`);
    return true;
  }

  private async runEvents(api: EventApi, r: Reflector, signal: AbortSignal): Promise<void> {
    await r.run(signal);
    this.states.delete(`events (${api})`);
    this.updateConnection();
  }

  // ---- alerts, providers, secrets -----------------------------------------------------------

  private onNotificationChange(kind: 'Alert' | 'Provider', c: Change) {
    const r = this.sync.apply(kind, nsName(c.obj), c.type === 'DELETED' ? null : c.obj);
    for (const p of r.problems) this.handlers.onNotice('warning', p);
    if (kind === 'Provider') this.reconcileSecrets();
    if (r.why && this.catalogReady) this.publishCatalog(r.why);
    this.changed();
  }

  private reconcileSecrets() {
    const wanted = this.sync.referencedSecrets();
    for (const [key, s] of this.secrets) {
      if (wanted.has(key)) continue;
      s.ctl.abort();
      this.secrets.delete(key);
      this.states.delete(`secret ${key}`);
      // No longer referenced: drop it from the catalog without a notice (the Provider change says it).
      this.sync.apply('Secret', key, null);
    }
    for (const [key, providers] of wanted) {
      const existing = this.secrets.get(key);
      if (existing) {
        existing.providers = providers;
        continue;
      }
      this.startSecret(key, providers);
    }
  }

  private startSecret(key: string, providers: string[]) {
    const [ns, name] = key.split('/') as [string, string];
    const ctl = new AbortController();
    const parent = this.abort.signal;
    parent.addEventListener('abort', () => ctl.abort(), { once: true });
    const stateName = `secret ${key}`;
    const s: SecretWatch = {
      providers,
      ctl,
      forbiddenNoticed: false,
      missingNoticed: false,
      run: Promise.resolve(),
      watch: new NamedWatch({
        http: this.http,
        path: `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets`,
        name,
        onState: (st) => this.setState(stateName, st),
        onChange: (obj) => {
          if (s.forbiddenNoticed) {
            s.forbiddenNoticed = false;
            this.handlers.onNotice('info', `secret ${key} is readable again`);
          }
          if (obj === null && !s.missingNoticed) {
            s.missingNoticed = true;
            this.handlers.onNotice('warning', `secret ${key} referenced by provider ${s.providers.join(', ')} does not exist`);
          }
          if (obj) s.missingNoticed = false;
          const r = this.sync.apply('Secret', key, obj);
          for (const p of r.problems) this.handlers.onNotice('warning', p);
          if (r.why && this.catalogReady) this.publishCatalog(`${r.why} (used by provider ${s.providers.join(', ')})`);
          this.changed();
        },
        onError: (err, verb) => {
          if (!err.forbidden) return;
          if (verb === 'get' && !s.forbiddenNoticed) {
            s.forbiddenNoticed = true;
            this.handlers.onNotice('warning', `cannot read secret ${key}: the tool will decide but not deliver for provider ${s.providers.join(', ')} (${err.message})`);
          } else if (verb === 'watch') {
            this.handlers.onNotice('info', `cannot watch secret ${key} (${err.message}): polling it with get instead`);
          }
          this.changed();
        },
        ...(this.o.backoff ? { backoff: this.o.backoff } : {}),
        ...(this.o.forbiddenRetryMs !== undefined ? { forbiddenRetryMs: this.o.forbiddenRetryMs } : {}),
        ...(this.o.secretPollMs !== undefined ? { pollMs: this.o.secretPollMs } : {}),
        ...(this.o.watchTimeoutSeconds ? { watchTimeoutSeconds: this.o.watchTimeoutSeconds } : {}),
      }),
    };
    this.secrets.set(key, s);
    s.run = s.watch.run(ctl.signal).finally(() => this.changed());
  }

  private publishCatalog(why: string) {
    this.catalog = this.sync.build();
    this.handlers.onCatalog(this.catalog, why);
    this.updateConnection();
  }

  // ---- events -------------------------------------------------------------------------------

  private onEventChange(api: EventApi, c: Change) {
    // History is what the first event view to finish listing found. Another view's initial list
    // may hold Events created since: those are new, not history.
    const ems = this.tracker.onChange(c.phase === 'initial' && this.historyCut ? { ...c, phase: 'relist' } : c);
    if (ems.length === 0) return;
    if (c.phase === 'initial') {
      const list = this.initial.get(api) ?? [];
      list.push(...ems);
      this.initial.set(api, list);
      return;
    }
    this.enqueue(ems);
  }

  /** The initial list comes in name order; history is shown in the order things happened. */
  private flushInitial(api: EventApi) {
    this.historyCut = true;
    const list = this.initial.get(api) ?? [];
    this.initial.delete(api);
    list.sort((a, b) => a.seenAt - b.seenAt);
    this.enqueue(list);
  }

  private enqueue(ems: Emission[]) {
    const max = this.o.maxQueued ?? 50_000;
    for (const em of ems) {
      if (this.queue.length >= max) {
        this.queue.shift();
        if (this.dropped++ === 0) this.handlers.onNotice('warning', `more than ${max} events waiting (paused?): the oldest are dropped`);
      }
      this.queue.push(em);
    }
    if (!this.pumping) void this.pump();
  }

  private async pump() {
    this.pumping = true;
    const signal = this.abort.signal;
    try {
      while (this.queue.length > 0 && !signal.aborted) {
        const em = this.queue[0]!;
        await this.handlers.beforeEmit?.(em);
        if (signal.aborted) break;
        // Labels are read after the gate, so a paused event is decided with fresh labels.
        const ref = labelRefFor(em.input.event, this.catalog);
        if (ref) await this.labels.ensure(ref, signal);
        if (signal.aborted) break;
        this.queue.shift();
        this.emitted++;
        this.handlers.onEmission(em);
      }
    } catch (e) {
      this.handlers.onNotice('error', `event handling failed: ${(e as Error).message}`);
    } finally {
      this.pumping = false;
    }
    if (this.queue.length > 0 && !signal.aborted) void this.pump();
  }

  /** Emissions waiting to be handed over (paused runner, label fetches). */
  get pending(): number {
    return this.queue.length;
  }

  // ---- state --------------------------------------------------------------------------------

  private setState(name: string, s: ReflectorState) {
    const prev = this.states.get(name);
    this.states.set(name, s);
    if (!name.startsWith('secret ') && name !== 'discovery') {
      if (s.state === 'retrying' && prev?.state !== 'retrying') {
        this.handlers.onNotice('warning', `${name}: ${s.error}; retrying with backoff`);
      } else if (s.state === 'watching' && prev?.state === 'retrying') {
        this.handlers.onNotice('info', `${name}: watching again from resourceVersion ${s.resourceVersion || '(latest)'}`);
      } else if (s.state === 'listing' && prev && prev.state !== 'listing' && this.reflectorSynced(name)) {
        this.handlers.onNotice('info', `${name}: resourceVersion expired (410 Gone): listing again; only real changes are shown`);
      }
    }
    this.changed();
  }

  private reflectorSynced(name: string): boolean {
    for (const r of [this.alerts, this.providers, ...this.events.values()]) if (r?.name === name) return r.synced;
    return false;
  }

  private changed() {
    this.updateConnection();
    for (const w of this.waiters.splice(0)) w();
  }

  private until(pred: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (pred() || this.abort.signal.aborted) resolve();
        else this.waiters.push(check);
      };
      check();
    });
  }

  private updateConnection() {
    const s = this.connectionState();
    const k = JSON.stringify(s);
    if (k === this.lastConnection) return;
    this.lastConnection = k;
    this.handlers.onConnection(s);
  }

  connectionState(): ConnectionState {
    if (this.abort.signal.aborted) return { state: 'done', detail: 'stopped' };
    // A refused Secret is a notice (shown once), not a connection problem.
    const entries = [...this.states.entries()].filter(([n]) => !(n.startsWith('secret ') && this.secrets.get(n.slice('secret '.length))?.watch.forbidden));
    const retrying = entries.filter(([, s]) => s.state === 'retrying') as Array<[string, Extract<ReflectorState, { state: 'retrying' }>]>;
    if (retrying.length > 0) {
      retrying.sort((a, b) => a[1].nextInMs - b[1].nextInMs);
      const [name, s] = retrying[0]!;
      const more = retrying.length > 1 ? ` (+${retrying.length - 1} more)` : '';
      return { state: 'retrying', detail: `${name}: ${s.error}; retry ${s.attempt} in ${seconds(s.nextInMs)}${more}`, attempt: s.attempt, nextInMs: s.nextInMs };
    }
    const listing = entries.filter(([, s]) => s.state === 'listing').map(([n]) => n);
    if (!this.eventsStarted || listing.length > 0) {
      return { state: 'connecting', detail: `${this.target.label}: ${listing.length ? `listing ${listing.join(', ')}` : 'loading alerts and providers'}` };
    }
    const c = this.sync.counts;
    const apis = [...this.events.keys()].filter((a) => !this.gaveUp.has(a));
    return { state: 'connected', detail: `${this.target.label} · ${c.alerts} alert(s), ${c.providers} provider(s), ${c.secrets} secret(s) · events via ${apis.join(' + ')}` };
  }
}
