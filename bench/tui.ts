// Benchmark (issue: TUI under load): replay 1M events through the runner (decisions and mock
// deliveries) with the app mounted on an off-screen terminal, and report peak RSS (target
// ≤ 150 MB); then, during a 5k events/s burst, the time from a keypress to the first frame that
// shows it (target p99 ≤ 50 ms).

import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Catalog } from '../src/flux/catalog.js';
import { fluxInput, type InputEvent } from '../src/flux/event-input.js';
import { RateLimiter } from '../src/flux/ratelimit.js';
import { stringMap } from '../src/flux/types.js';
import { createNotifierFromRegistry } from '../src/providers/registry.js';
import { deliverDispatch } from '../src/runner/delivery.js';
import { Pipeline } from '../src/runner/pipeline.js';
import { Runner } from '../src/runner/runner.js';
import { world } from './decisions.js';

const KINDS = ['Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'HelmRepository'];
const NAMESPACES = ['flux-system', 'apps', 'monitoring', 'team-a', 'team-b'];
const GROUPS: Record<string, string> = {
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1', HelmRelease: 'helm.toolkit.fluxcd.io/v2', GitRepository: 'source.toolkit.fluxcd.io/v1',
  OCIRepository: 'source.toolkit.fluxcd.io/v1beta2', HelmRepository: 'source.toolkit.fluxcd.io/v1',
};
const REASONS = ['ReconciliationSucceeded', 'HealthCheckFailed', 'Progressing', 'ArtifactFailed', 'UpgradeSucceeded'];
const BASE = Date.UTC(2026, 10, 21, 9, 0, 0);

/** Event i, made on demand so a million of them never sit in memory at once. */
function benchEvent(i: number): InputEvent {
  const kind = KINDS[i % KINDS.length]!;
  const error = i % 4 === 0;
  const ts = new Date(BASE + Math.floor(i / 5000) * 1000).toISOString().replace('.000Z', 'Z');
  return fluxInput({
    involvedObject: { kind, namespace: NAMESPACES[(i >> 3) % 5]!, name: `app-${i % 20}`, uid: `u-${i % 100}`, apiVersion: GROUPS[kind]!, resourceVersion: String(1000 + i) },
    severity: error ? 'error' : 'info',
    timestamp: ts,
    message: error ? `health check failed after ${i % 300}s: timeout waiting for: [Deployment/apps/app-${i % 20} status: 'InProgress']` : `Reconciliation finished in ${i % 90}s, next run in 10m0s (#${i})`,
    reason: REASONS[i % REASONS.length]!,
    metadata: stringMap([[`${GROUPS[kind]!.split('/')[0]}/revision`, `main@sha1:${(((i * 2654435761) >>> 0).toString(16).padStart(8, '0')).repeat(5)}`]]),
    reportingController: 'kustomize-controller',
    reportingInstance: 'kustomize-controller-abc',
  });
}

/** A terminal nobody looks at: keeps only the last frame and counts what was written. */
class OffscreenStdout extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  frames = 0;
  bytes = 0;
  onWrite: ((s: string) => void) | undefined;
  write = (s: string) => {
    this.frames++;
    this.bytes += s.length;
    this.onWrite?.(s);
    return true;
  };
}

class ScriptedStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(s: string) {
    this.data = s;
    this.emit('readable');
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LatencyStats {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const stats = (xs: number[]): LatencyStats => ({ samples: xs.length, p50Ms: percentile(xs, 50), p99Ms: percentile(xs, 99), maxMs: xs.length ? Math.max(...xs) : NaN });

export interface TuiBenchResult {
  events: number;
  alerts: number;
  replayMs: number;
  peakRssMb: number;
  rssAfterMb: number;
  heapAfterMb: number;
  externalAfterMb: number;
  history: number;
  frames: number;
  burst: { rate: number; seconds: number; ingested: number; loopDelayP99Ms: number; loopDelayMaxMs: number; move: LatencyStats; overlay: LatencyStats; all: LatencyStats };
}

export async function runTuiBench(o: { events?: number; alerts?: number; burstSeconds?: number; rate?: number; mountUi?: boolean } = {}): Promise<TuiBenchResult> {
  const mountUi = o.mountUi ?? true;
  const nEvents = o.events ?? 1_000_000;
  const nAlerts = o.alerts ?? 20;
  const rate = o.rate ?? 5000;
  const burstSeconds = o.burstSeconds ?? 10;
  // Ink writes no frames when it believes it runs in CI: this bench measures frames, so it must
  // load Ink as a terminal session would (imported here, after the variable is cleared).
  const ci = process.env.CI;
  delete process.env.CI;
  // The same loader as the command (React's production build unless NODE_ENV says otherwise).
  const { INK_RENDER_OPTIONS, loadUi } = await import('../src/commands/tui.js');
  const ui = mountUi ? await loadUi() : undefined;
  if (ci !== undefined) process.env.CI = ci;

  const w = world(nAlerts);
  const catalog = new Catalog(w);
  // The limiter is off: every event is decided and delivered, the most work and memory per event.
  const pipeline = new Pipeline(catalog, new RateLimiter(null), { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: createNotifierFromRegistry });
  // Deliveries are built by the real notifiers and answered in-process (render mode: healthy
  // replies, no msw, no socket): the bench measures the runner and the UI, not a mock server's
  // throughput (the TUI's mock lane sends one request at a time through msw).
  const runner = new Runner({ pipeline, deliver: (d) => deliverDispatch(d, { mode: 'render' }), mode: 'mock', sendAllowed: false, eventClock: 'event' });
  runner.sourceLabel = 'bench';
  const stdout = new OffscreenStdout();
  const stdin = new ScriptedStdin();
  // Without the UI (for comparison) nothing renders and the keypress phase is skipped.
  const app = ui
    ? ui.render(ui.createElement(ui.App, { runner, providers: w.providers }), {
        ...INK_RENDER_OPTIONS,
        stdout: stdout as unknown as NodeJS.WriteStream,
        stderr: new OffscreenStdout() as unknown as NodeJS.WriteStream,
        stdin: stdin as unknown as NodeJS.ReadStream,
        patchConsole: false,
      })
    : undefined;
  await sleep(50);

  // Phase 1: the million, as fast as the runner goes, yielding to the event loop between batches
  // so deliveries settle and the UI renders (as a fixture replay at high speed does).
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const t0 = performance.now();
  const BATCH = 500;
  for (let i = 0; i < nEvents; i += BATCH) {
    for (let j = i; j < Math.min(nEvents, i + BATCH); j++) runner.ingest(benchEvent(j));
    await new Promise((r) => setImmediate(r));
  }
  await runner.settled();
  const replayMs = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  (globalThis as { gc?: () => void }).gc?.();
  const rssAfterMb = process.memoryUsage.rss() / 2 ** 20;
  const mem = process.memoryUsage();
  const heapAfterMb = mem.heapUsed / 2 ** 20;
  const externalAfterMb = mem.external / 2 ** 20;

  // Phase 2: a steady burst at `rate` events/s while keys are pressed a few times a second;
  // latency = keypress → first frame whose text shows its effect. Two kinds of key: k/G (move
  // off the tail and back: an update of the Events pane) and ? (help overlay in and out: the
  // whole body is replaced, the most work a key causes).
  const KEYS: Array<{ key: string; kind: 'move' | 'overlay'; shows: (frame: string) => boolean }> = [
    { key: 'k', kind: 'move', shows: (f) => f.includes('╭─') && !f.includes('⇣ following') },
    { key: 'G', kind: 'move', shows: (f) => f.includes('⇣ following') },
    { key: '?', kind: 'overlay', shows: (f) => f.includes('esc or ? closes') },
    { key: '?', kind: 'overlay', shows: (f) => f.includes('╭─') && !f.includes('esc or ? closes') },
  ];
  const samples: Record<'move' | 'overlay', number[]> = { move: [], overlay: [] };
  let pending: { at: number; k: (typeof KEYS)[number] } | undefined;
  let turn = 0;
  stdout.onWrite = (s) => {
    if (pending && pending.k.shows(s)) {
      samples[pending.k.kind].push(performance.now() - pending.at);
      pending = undefined;
    }
  };
  // How late the event loop runs during the burst: the floor under any keypress latency.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  let ingested = 0;
  let next = nEvents;
  const started = performance.now();
  // Catches up on late ticks, so the stream really is `rate` events/s however busy the loop is.
  const producer = setInterval(() => {
    if (rate === 0) return;
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; ingested < due; ingested++) runner.ingest(benchEvent(next++));
  }, 10);
  while (mountUi && performance.now() - started < burstSeconds * 1000) {
    await sleep(60 + Math.random() * 60);
    if (pending) continue;
    const k = KEYS[turn++ % KEYS.length]!;
    pending = { at: performance.now(), k };
    stdin.write(k.key);
  }
  clearInterval(producer);
  loopDelay.disable();
  await sleep(100);
  await runner.settled();
  app?.unmount();
  peak = Math.max(peak, process.memoryUsage.rss());
  return {
    events: nEvents,
    alerts: nAlerts,
    replayMs,
    peakRssMb: peak / 2 ** 20,
    rssAfterMb,
    heapAfterMb,
    externalAfterMb,
    history: runner.events.length,
    frames: stdout.frames,
    burst: { rate, seconds: mountUi ? burstSeconds : 0, ingested, loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6, move: stats(samples.move), overlay: stats(samples.overlay), all: stats([...samples.move, ...samples.overlay]) },
  };
}

/**
 * Runs the bench in a fresh process, so its peak RSS is the TUI's own and not what earlier
 * benches in bench/run.ts left behind.
 */
export function runTuiBenchInChild(o: { events?: number; mountUi?: boolean; nodeFlags?: string[] } = {}): TuiBenchResult {
  const args = ['--expose-gc', ...(o.nodeFlags ?? []), fileURLToPath(import.meta.url), '--child', String(o.events ?? 1_000_000), o.mountUi === false ? 'no-ui' : 'ui'];
  const res = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = res.stdout.trim().split('\n').at(-1) ?? '';
  if (res.status !== 0 || !line.startsWith('{')) throw new Error(`tui bench child failed (${res.status}): ${res.stderr.slice(-2000)}`);
  return JSON.parse(line) as TuiBenchResult;
}

/** For bench/run.ts: prints the figures (the app mounted, then the runner alone for comparison). */
export async function printTuiBench(o: { events?: number } = {}): Promise<void> {
  const events = o.events ?? 1_000_000;
  const mb = (n: number) => `${n.toFixed(0)} MB`;
  const r = runTuiBenchInChild({ events });
  const bare = runTuiBenchInChild({ events, mountUi: false });
  console.log(`tui: ${events.toLocaleString('en')} events × 20 alerts through the runner (every dispatch built and answered in-process, rate limit off) with the app mounted off-screen (120×40)`);
  console.log(`  replay ${(r.replayMs / 1000).toFixed(1)} s (${Math.round(r.events / (r.replayMs / 1000)).toLocaleString('en')} events/s), ${r.frames} frames, history kept ${r.history}`);
  console.log(`  peak RSS ${mb(r.peakRssMb)} (target ≤ 150 MB); after the replay and a full GC: RSS ${mb(r.rssAfterMb)}, JS heap used ${mb(r.heapAfterMb)}, external ${mb(r.externalAfterMb)}`);
  console.log(`  the runner alone, same events, no UI: peak RSS ${mb(bare.peakRssMb)}; after GC RSS ${mb(bare.rssAfterMb)}, JS heap used ${mb(bare.heapAfterMb)}; replay ${(bare.replayMs / 1000).toFixed(1)} s`);
  const line = (label: string, x: LatencyStats) => `    ${label.padEnd(34)} ${String(x.samples).padStart(3)} samples: p50 ${x.p50Ms.toFixed(1)} ms, p99 ${x.p99Ms.toFixed(1)} ms, max ${x.maxMs.toFixed(1)} ms`;
  console.log(`  keypress → frame during a ${r.burst.rate}/s burst over ${r.burst.seconds} s (${r.burst.ingested} events; event-loop delay p99 ${r.burst.loopDelayP99Ms.toFixed(1)} ms, max ${r.burst.loopDelayMaxMs.toFixed(1)} ms):`);
  console.log(line('all keys (target p99 ≤ 50 ms)', r.burst.all));
  console.log(line('k / G (move, update the list)', r.burst.move));
  console.log(line('? (help overlay in / out)', r.burst.overlay));
}

if (process.argv[2] === '--child' && process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runTuiBench({ events: Number(process.argv[3]), mountUi: process.argv[4] !== 'no-ui', rate: process.argv[5] === undefined ? undefined : Number(process.argv[5]) });
  process.stdout.write(JSON.stringify(r) + '\n');
  process.exit(0);
}
