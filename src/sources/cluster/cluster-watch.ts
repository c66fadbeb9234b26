// The cluster side of cluster mode, independent of the runner (the TUI source and `record` both
// drive it): discovers the notification API version, keeps Alerts, Providers and the referenced
// Secrets in sync as a Catalog, watches Flux's Events, turns them into emissions, fetches labels
// that matchLabels needs, and reports connection state and notices. Start-up order matters: the
// catalog is loaded before the first Event is listed, so history is decided against it.
//
// Scope: -n limits the Events, not the catalog. notification-controller reads Alerts and Providers
// in every namespace, and an Alert in one namespace may name event sources in another, so they are
// listed cluster-wide; only when RBAC refuses that (403) are they read in the -n namespace, with a
// warning and the narrower scope in the label. Without the notification API (Flux not installed
// yet), discovery is retried with backoff and the catalog is loaded once the API appears.

import { Catalog } from '../../flux/catalog.js';
import type { LookupObject } from '../../flux/match.js';
import type { ConnectionState, RunnerNotice } from '../../runner/runner.js';
import { Backoff, sleep, type BackoffOptions } from './backoff.js';
import { CatalogSync } from './catalog-sync.js';
import { explainAnonymous, explainUnauthorized } from './credentials.js';
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
  /** Re-discovery pacing while the notification API is not served (default 2 s doubling to 60 s). */
  discoveryBackoff?: BackoffOptions;
  /** List page size (limit); the server answers with continue tokens beyond it. */
  pageSize?: number;
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
  /** The label (context and scope) changed, e.g. Alerts fell back to the -n namespace. */
  onLabel?(label: string): void;
}

type NotificationKind = 'Alert' | 'Provider';

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
  /** Kinds read only in the -n namespace because the cluster-wide list was refused. */
  private readonly narrowed = new Set<NotificationKind>();
  /** Set while Alerts and Providers load after start: one catalog notice for the lot. */
  private lateLoad = false;
  private lastAuthNotice = '';

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

  /** The status-bar label: context, event scope and, under -n, where Alerts and Providers are read. */
  get label(): string {
    const s = this.target.scope;
    if (s.all) return this.target.label;
    const ns = s.namespace;
    let where = 'alerts: all namespaces';
    // Short: the status bar's first line also holds the playback and connection state.
    if (this.narrowed.has('Alert')) where = `alerts: ${ns} only (403)`;
    else if (this.narrowed.has('Provider')) where = `alerts: all namespaces, providers: ${ns} only (403)`;
    return `${this.target.label} · ${where}`;
  }

  private async main(): Promise<void> {
    const signal = this.abort.signal;
    const disc = await this.discover(signal);
    if (signal.aborted || !disc) return;
    this.notification = disc;
    if (disc.found) await this.loadNotification(disc, signal);
    else this.handlers.onNotice('warning', `${disc.reason}: events are shown, but no Alert can match them; checking again, Alerts and Providers are watched as soon as the API is served`);
    if (signal.aborted) return;
    this.catalogReady = true;
    this.publishCatalog(this.loadedText());
    this.startEvents(signal);
    if (!disc.found) this.runs.push(this.awaitNotificationApi(signal));
  }

  private loadedText(): string {
    const c = this.sync.counts;
    const d = this.notification;
    const from = d?.found ? ` (${NOTIFICATION_GROUP}/${d.version})` : '';
    // This notice stays in the footer after start-up: a narrowed scope goes first, where it shows.
    const ns = this.target.scope.namespace;
    const only = this.narrowed.size === 0 ? '' : ` (${(['Alert', 'Provider'] as const).filter((k) => this.narrowed.has(k)).map((k) => (k === 'Alert' ? 'alerts' : 'providers')).join(' and ')} of namespace ${ns} only: the cluster-wide list is forbidden)`;
    return `loaded from the cluster${only}: ${c.alerts} alert(s), ${c.providers} provider(s), ${c.secrets} referenced secret(s)${from}`;
  }

  /** Starts the Alert and Provider reflectors and waits for their first lists (or failure). */
  private async loadNotification(disc: Extract<NotificationDiscovery, { found: true }>, signal: AbortSignal): Promise<void> {
    if (disc.version !== 'v1beta3') {
      this.handlers.onNotice('warning', `the cluster serves ${NOTIFICATION_GROUP}/${disc.version}, not v1beta3 (an older Flux): objects are converted to v1beta3 for the simulation; notification-controller v1.9 requires v1beta3`);
      this.sync = new CatalogSync({ oldVersionServed: true });
    }
    this.alerts = this.notificationReflector('Alert', disc.version);
    this.providers = this.notificationReflector('Provider', disc.version);
    for (const r of [this.alerts, this.providers]) this.runs.push(r.run(signal));
    // History is decided against a complete catalog: wait for the first lists (or their failure).
    const settled = (r: Reflector | undefined) => !r || r.synced || r.lastState.state === 'retrying';
    await this.until(() => settled(this.alerts) && settled(this.providers));
    await this.until(() => [...this.secrets.values()].every((s) => s.watch.synced || s.watch.lastState.state === 'retrying'));
  }

  /** Flux installed after start: discovery again with backoff until the notification API is served. */
  private async awaitNotificationApi(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff({ initialMs: 2000, maxMs: 60_000, ...this.o.discoveryBackoff });
    while (!signal.aborted) {
      await sleep(backoff.next(), signal);
      if (signal.aborted) return;
      let d: NotificationDiscovery;
      try {
        d = await discoverNotificationApi(this.http, signal);
      } catch {
        // A failing server shows in the event watches' state; keep asking.
        continue;
      }
      if (!d.found) continue;
      this.notification = d;
      this.handlers.onNotice('info', `${NOTIFICATION_GROUP}/${d.version} is now served (Flux installed?): watching Alerts and Providers`);
      this.lateLoad = true;
      await this.loadNotification(d, signal);
      this.lateLoad = false;
      if (signal.aborted) return;
      this.publishCatalog(this.loadedText());
      return;
    }
  }

  /** A 401, a 403 for system:anonymous, or a failing exec plugin: the credentials, not the network. */
  private authProblem(err: ApiError): string | undefined {
    if (err.code === 401) return explainUnauthorized(this.target.kc, this.target.context);
    if (err.code === 403 && err.message.includes('"system:anonymous"')) return explainAnonymous(this.target.kc, this.target.context);
    if (err.reason === 'ExecPlugin' || err.reason === 'Credentials') return err.message;
    return undefined;
  }

  private async discover(signal: AbortSignal): Promise<NotificationDiscovery | undefined> {
    const backoff = new Backoff(this.o.backoff);
    this.setState('discovery', { state: 'listing' });
    while (!signal.aborted) {
      try {
        const d = await discoverNotificationApi(this.http, signal);
        this.states.delete('discovery');
        if (this.lastAuthNotice) this.handlers.onNotice('info', `credentials accepted: connected to ${this.target.server}`);
        this.lastAuthNotice = '';
        return d;
      } catch (e) {
        if (signal.aborted) return undefined;
        const err = e instanceof ApiError ? e : new ApiError(String(e), 0);
        const auth = this.authProblem(err);
        if (auth) {
          // Shown once (until it changes), and retried: a renewed exec credential may fix it.
          if (auth !== this.lastAuthNotice) this.handlers.onNotice('error', auth);
          this.lastAuthNotice = auth;
          const delay = backoff.next();
          this.setState('discovery', { state: 'retrying', attempt: backoff.attempt, nextInMs: delay, error: auth, code: 401 });
          await sleep(delay, signal);
          continue;
        }
        if (err.forbidden) {
          this.states.delete('discovery');
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
      ...(this.o.pageSize !== undefined ? { pageSize: this.o.pageSize } : {}),
    };
  }

  /** Alerts or Providers: cluster-wide, or in the -n namespace once that was refused (narrowed). */
  private notificationReflector(kind: NotificationKind, version: string, narrowed = false): Reflector {
    const plural = kind === 'Alert' ? 'alerts' : 'providers';
    const prefix = `/apis/${NOTIFICATION_GROUP}/${version}`;
    const ns = this.target.scope.all ? undefined : this.target.scope.namespace;
    return new Reflector({
      ...this.reflectorBase(narrowed ? `${plural} (namespace ${ns})` : plural),
      path: narrowed ? this.scoped(prefix, plural) : `${prefix}/${plural}`,
      keepObjects: true,
      onChange: (c) => this.onNotificationChange(kind, c),
      ...(ns !== undefined && !narrowed ? { giveUp: (err: ApiError) => this.narrow(kind, version, ns, err) } : {}),
    });
  }

  /** The cluster-wide list was refused: read the -n namespace instead, and say what is lost. */
  private narrow(kind: NotificationKind, version: string, ns: string, err: ApiError): boolean {
    if (!err.forbidden || this.authProblem(err)) return false;
    const old = kind === 'Alert' ? this.alerts : this.providers;
    // Objects an earlier cluster-wide list brought from other namespaces are no longer kept in sync.
    for (const o of old?.items() ?? []) {
      if (str(((o.metadata ?? {}) as Json).namespace) !== ns) this.onNotificationChange(kind, { type: 'DELETED', obj: o, phase: 'watch' });
    }
    this.narrowed.add(kind);
    const r = this.notificationReflector(kind, version, true);
    if (kind === 'Alert') this.alerts = r;
    else this.providers = r;
    this.runs.push(r.run(this.abort.signal));
    this.handlers.onLabel?.(this.label);
    const plural = kind === 'Alert' ? 'alerts' : 'providers';
    const lost =
      kind === 'Alert'
        ? `an Alert in another namespace whose eventSources name ${ns} is not seen, so its decisions are missing`
        : `an Alert in another namespace will show provider-not-found`;
    this.handlers.onNotice('warning', `cannot list ${plural} in all namespaces (${err.message}): reading namespace ${ns} only; ${lost}. Grant list/watch on alerts and providers cluster-wide (docs/rbac.yaml) to see them all`);
    this.changed();
    return true;
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

  private onNotificationChange(kind: NotificationKind, c: Change) {
    const r = this.sync.apply(kind, nsName(c.obj), c.type === 'DELETED' ? null : c.obj);
    for (const p of r.problems) this.handlers.onNotice('warning', p);
    if (kind === 'Provider') this.reconcileSecrets();
    if (r.why && this.catalogReady && !this.lateLoad) this.publishCatalog(r.why);
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
          if (r.why && this.catalogReady && !this.lateLoad) this.publishCatalog(`${r.why} (used by provider ${s.providers.join(', ')})`);
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
    // A stopped reflector (given up, or replaced by a narrower one) is no longer part of the state.
    if (s.state === 'stopped') this.states.delete(name);
    else this.states.set(name, s);
    if (!name.startsWith('secret ') && name !== 'discovery') {
      if (s.state === 'retrying' && prev?.state !== 'retrying') {
        const auth = this.authProblem(new ApiError(s.error, s.code));
        this.handlers.onNotice(auth ? 'error' : 'warning', `${name}: ${auth ?? s.error}; retrying with backoff`);
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
    // Refused credentials are not a passing network problem: shown as a failure, still retried.
    const refused = retrying.find(([, s]) => s.code === 401);
    if (refused) {
      const [name, s] = refused;
      const why = name === 'discovery' ? s.error : (this.authProblem(new ApiError(s.error, s.code)) ?? s.error);
      return { state: 'failed', detail: `${why} (retry ${s.attempt} in ${seconds(s.nextInMs)})` };
    }
    if (retrying.length > 0) {
      retrying.sort((a, b) => a[1].nextInMs - b[1].nextInMs);
      const [name, s] = retrying[0]!;
      const more = retrying.length > 1 ? ` (+${retrying.length - 1} more)` : '';
      return { state: 'retrying', detail: `${name}: ${s.error}; retry ${s.attempt} in ${seconds(s.nextInMs)}${more}`, attempt: s.attempt, nextInMs: s.nextInMs };
    }
    const listing = entries.filter(([, s]) => s.state === 'listing').map(([n]) => n);
    if (!this.eventsStarted || listing.length > 0) {
      return { state: 'connecting', detail: listing.length ? `listing ${listing.join(', ')}` : 'loading alerts and providers' };
    }
    const c = this.sync.counts;
    const apis = [...this.events.keys()].filter((a) => !this.gaveUp.has(a));
    const noApi = this.notification && !this.notification.found ? ` · no ${NOTIFICATION_GROUP} yet` : '';
    return { state: 'connected', detail: `${c.alerts} alert(s), ${c.providers} provider(s), ${c.secrets} secret(s)${noApi} · events via ${apis.join(' + ')}` };
  }
}
