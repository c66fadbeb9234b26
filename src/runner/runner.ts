// The runner: wires an event source through the pipeline to deliveries, keeps a bounded history
// and the counters the UI shows, and takes the UI's intents (pause, step, resend, mode). It knows
// nothing of React: the UI subscribes to change notifications and reads snapshots.

import type { Catalog } from '../flux/catalog.js';
import type { InputEvent } from '../flux/event-input.js';
import type { DeliveryMode, DeliveryResult } from './delivery.js';
import type { Dispatch } from '../flux/dispatch.js';
import type { Pipeline, ProcessedEvent } from './pipeline.js';
import { Ring } from './ring.js';

export type ConnectionState =
  | { state: 'idle' }
  | { state: 'connecting'; detail?: string }
  | { state: 'connected'; detail?: string }
  | { state: 'retrying'; detail: string; attempt: number; nextInMs: number }
  | { state: 'done'; detail?: string }
  | { state: 'failed'; detail: string };

export interface EventRecord {
  id: number;
  receivedAt: number;
  /** Shown from a cluster's initial list: not dispatched unless asked. */
  history: boolean;
  processed: ProcessedEvent;
  deliveries: DeliveryResult[];
  /** Deliveries still in flight. */
  pending: number;
}

export interface Counters {
  events: number;
  /** Events with at least one matching alert. */
  matched: number;
  dispatched: number;
  /** Alert decisions dropped after matching. */
  dropped: number;
  rateLimited: number;
  deliveryErrors: number;
}

export interface AlertStats {
  hits: number;
  dispatched: number;
  lastMatchAt?: number;
  lastEventId?: number;
}

export type Playback = { state: 'playing'; speed: number } | { state: 'paused' } | { state: 'stepping' };

export interface RunnerNotice {
  at: number;
  level: 'info' | 'warning' | 'error';
  text: string;
}

export type DeliverFn = (d: Dispatch, mode: DeliveryMode) => Promise<DeliveryResult>;

export interface RunnerOptions {
  pipeline: Pipeline;
  deliver: DeliverFn;
  mode: 'mock' | 'real';
  /** Whether REAL may be switched on (only with --send). */
  sendAllowed: boolean;
  historySize?: number;
  now?: () => number;
  /** Clock for the rate limiter: the event's own time when replaying fixtures, else now. */
  eventClock?: 'event' | 'wall';
  speed?: number;
  startPaused?: boolean;
  /** Told when the manifests change (the delivery lane captures new Provider addresses). */
  onCatalog?: (c: Catalog) => void;
}

type Listener = () => void;

export class Runner {
  readonly events: Ring<EventRecord>;
  readonly notices: Ring<RunnerNotice>;
  counters: Counters = { events: 0, matched: 0, dispatched: 0, dropped: 0, rateLimited: 0, deliveryErrors: 0 };
  readonly alertStats = new Map<string, AlertStats>();
  mode: 'mock' | 'real';
  playback: Playback;
  connection: ConnectionState = { state: 'idle' };
  sourceLabel = '';
  /** Bumped on every change; the UI re-renders when it moves. */
  version = 0;
  private nextId = 0;
  private readonly listeners = new Set<Listener>();
  private waiting: Array<() => void> = [];
  private readonly now: () => number;
  private lastEventClock = 0;

  constructor(private readonly opts: RunnerOptions) {
    this.events = new Ring(opts.historySize ?? 10_000);
    this.notices = new Ring(200);
    this.mode = opts.mode;
    this.now = opts.now ?? Date.now;
    this.playback = opts.startPaused ? { state: 'paused' } : { state: 'playing', speed: opts.speed ?? 1 };
  }

  get catalog(): Catalog {
    return this.opts.pipeline.catalog;
  }

  get sendAllowed(): boolean {
    return this.opts.sendAllowed;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed() {
    this.version++;
    for (const l of this.listeners) l();
  }

  notice(level: RunnerNotice['level'], text: string) {
    this.notices.push({ at: this.now(), level, text });
    this.changed();
  }

  setConnection(c: ConnectionState) {
    this.connection = c;
    this.changed();
  }

  /** Replaces the manifests (cluster edits); the next event is decided against them. */
  setCatalog(c: Catalog, why: string) {
    this.opts.pipeline.catalog = c;
    this.opts.onCatalog?.(c);
    this.notice('info', why);
  }

  /** Sources await this before emitting the next event: it resolves while playing, or once per step. */
  ready(): Promise<void> {
    if (this.playback.state === 'playing') return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  get speed(): number {
    return this.playback.state === 'playing' ? this.playback.speed : 1;
  }

  pause() {
    this.playback = { state: 'paused' };
    this.changed();
  }

  resume() {
    this.playback = { state: 'playing', speed: this.opts.speed ?? 1 };
    const w = this.waiting;
    this.waiting = [];
    for (const r of w) r();
    this.changed();
  }

  togglePause() {
    if (this.playback.state === 'playing') this.pause();
    else this.resume();
  }

  /** Lets exactly one waiting event through and stays paused. */
  step() {
    this.playback = { state: 'stepping' };
    const r = this.waiting.shift();
    r?.();
    this.changed();
  }

  setMode(mode: 'mock' | 'real'): boolean {
    if (mode === 'real' && !this.opts.sendAllowed) {
      this.notice('warning', 'REAL delivery is only available when started with --send');
      return false;
    }
    this.mode = mode;
    this.notice(mode === 'real' ? 'warning' : 'info', mode === 'real' ? 'REAL delivery on: notifications go to the configured services' : 'MOCK delivery: nothing leaves the machine');
    return true;
  }

  /** Processes one event now: decisions are synchronous; deliveries run in the background. */
  ingest(input: InputEvent, o: { history?: boolean } = {}): EventRecord {
    const at = this.now();
    let clock = at;
    if (this.opts.eventClock === 'event' && input.event.timestamp) {
      clock = Date.parse(input.event.timestamp);
      this.lastEventClock = clock;
    } else if (this.opts.eventClock === 'event') clock = this.lastEventClock;
    const processed = this.opts.pipeline.process(input, clock);
    const rec: EventRecord = { id: this.nextId++, receivedAt: at, history: o.history === true, processed, deliveries: [], pending: 0 };
    this.events.push(rec);
    this.count(rec);
    if (!rec.history) this.dispatch(rec);
    this.changed();
    return rec;
  }

  private count(rec: EventRecord) {
    const c = this.counters;
    c.events++;
    const p = rec.processed;
    if (p.rateLimited) {
      c.rateLimited++;
      return;
    }
    const evaluated = p.decision?.evaluated ?? [];
    if (evaluated.some((a) => a.matched)) c.matched++;
    for (const a of evaluated) {
      if (!a.matched) continue;
      const s = this.alertStats.get(a.alert) ?? { hits: 0, dispatched: 0 };
      s.hits++;
      s.lastMatchAt = rec.receivedAt;
      s.lastEventId = rec.id;
      if (a.outcome === 'dispatched') s.dispatched++;
      this.alertStats.set(a.alert, s);
      if (a.outcome === 'dispatched') c.dispatched++;
      else if (a.outcome === 'dropped') c.dropped++;
    }
  }

  private dispatch(rec: EventRecord) {
    const dispatches = rec.processed.decision?.dispatches ?? [];
    const mode = this.mode;
    for (const d of dispatches) {
      rec.pending++;
      this.opts
        .deliver(d, mode)
        .then((r) => {
          rec.deliveries.push(r);
          if (!r.ok) this.counters.deliveryErrors++;
        })
        .catch((e: unknown) => this.notice('error', `delivery crashed: ${(e as Error).message}`))
        .finally(() => {
          rec.pending--;
          this.changed();
        });
    }
  }

  /** `s`: sends the selected event's notifications again (history events included). */
  resend(id: number): boolean {
    const rec = this.find(id);
    if (!rec || !rec.processed.decision) return false;
    rec.history = false;
    rec.deliveries = [];
    this.dispatch(rec);
    this.changed();
    return true;
  }

  find(id: number): EventRecord | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const r = this.events.at(i)!;
      if (r.id === id) return r;
      if (r.id < id) break;
    }
    return undefined;
  }

  /** Resolves when no delivery is in flight (headless runs and tests). */
  async settled(): Promise<void> {
    for (;;) {
      const busy = this.events.toArray().some((r) => r.pending > 0);
      if (!busy) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
