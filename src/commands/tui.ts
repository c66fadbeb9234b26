// The terminal UI over the runner: on a scenario (--fixtures DIR), an event endpoint (--listen ADDR)
// or a cluster (--context NAME, the default). Builds
// the pipeline and runner from the flags, starts the source after the first frame, and returns
// when the user quits. Without a terminal it refuses (exit 2) and points to the headless commands.

import { access } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { DeliveryLane } from '../runner/delivery-lane.js';
import { writeCapture } from '../runner/fixture-writer.js';
import { Pipeline } from '../runner/pipeline.js';
import { Runner } from '../runner/runner.js';
import { readFixtureEvents } from '../sources/fixture-events.js';
import { FixtureSource } from '../sources/fixture-source.js';
import { ReceiverSource } from '../sources/receiver-source.js';
import { ClusterSource } from '../sources/cluster/cluster-source.js';
import { loadKubeTarget } from '../sources/cluster/kubeconfig.js';
import type { EventSource } from '../sources/source.js';
import { Catalog } from '../flux/catalog.js';
import type { Diagnostic, ManifestSet } from '../flux/manifests.js';
import type { LookupObject } from '../flux/match.js';
import { sharedDispatchers } from '../transport/dispatcher.js';
import type { Io } from './index.js';
import { decideOptions, loadInputs } from './inputs.js';
import { mockFaultsFromFlag, rateLimiterFromFlag } from './options.js';
import { MockState } from '../../mocks/state.js';

export interface TerminalStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Route console output above the frame (default); tests whose console is not Node's turn it off. */
  patchConsole?: boolean;
}

export const NOT_A_TTY = 'the terminal UI needs an interactive terminal (stdin and stdout must be a TTY)';
export const NOT_A_TTY_HINT =
  'for scripts and pipes use the headless commands: `flux-notify-tui explain -f DIR --event FILE` (why each alert fires), ' +
  '`flux-notify-tui replay --events DIR` (the whole pipeline over a scenario), `flux-notify-tui receive -f DIR --listen ADDR` (an event endpoint)';

/**
 * How the app is rendered, shared with the benchmark so it measures what users get. Runner
 * changes are already batched to ≤ 30 frames/s by the app (useRunnerVersion); Ink's own throttle
 * at 60/s then only delays a keypress's frame by ≤ 17 ms when it lands just after a runner frame.
 */
export const INK_RENDER_OPTIONS = { exitOnCtrlC: false, maxFps: 60 } as const;

// The alternate screen keeps the user's scrollback intact and restores it on quit, as k9s and lazygit do.
const ENTER_ALT_SCREEN = '\u001b[?1049h';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

function positiveNumber(v: unknown, flag: string, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UserError(`invalid ${flag} ${JSON.stringify(v)}: expected a positive ${integer ? 'integer' : 'number'}`, flag === '--speed' ? 'e.g. --speed 2 (twice as fast) or --speed 0.5' : 'e.g. --history 10000');
  }
  return n;
}

export type TuiSource =
  | { kind: 'fixtures'; dir: string }
  | { kind: 'listen'; addr: string; files: string[] }
  | { kind: 'cluster'; kubeconfig?: string; context?: string; namespace?: string; allNamespaces: boolean; replayHistory: boolean };

export interface TuiFlags {
  source: TuiSource;
  speed: number;
  step: boolean;
  send: boolean;
  history: number;
}

/** Flags checked before anything is read, so a typo is reported even without a terminal. */
export function tuiFlags(values: Record<string, unknown>): TuiFlags {
  const clusterFlags = ['context', 'kubeconfig', 'namespace', 'all-namespaces'].filter((f) => values[f] !== undefined);
  const chosen = [typeof values.fixtures === 'string' && '--fixtures', typeof values.listen === 'string' && '--listen', clusterFlags.length > 0 && `--${clusterFlags[0]}`].filter(Boolean);
  if (chosen.length > 1) throw new UserError(`${chosen.join(' and ')} choose different event sources`, 'use one of: --fixtures DIR, --listen ADDR (with -f manifests), or the cluster flags --context/--kubeconfig/-n/-A');
  if (values.namespace !== undefined && values['all-namespaces'] === true) throw new UserError('-n and -A exclude each other', 'use -n NAMESPACE or -A');
  let source: TuiSource;
  if (typeof values.fixtures === 'string') source = { kind: 'fixtures', dir: values.fixtures };
  else if (typeof values.listen === 'string') {
    const files = (values.file as string[] | undefined) ?? [];
    if (files.length === 0) throw new UserError('--listen needs the manifests to decide with', 'add -f PATH (Alerts, Providers, Secrets)');
    source = { kind: 'listen', addr: values.listen, files };
  } else {
    source = {
      kind: 'cluster',
      ...(typeof values.kubeconfig === 'string' ? { kubeconfig: values.kubeconfig } : {}),
      ...(typeof values.context === 'string' ? { context: values.context } : {}),
      ...(typeof values.namespace === 'string' ? { namespace: values.namespace } : {}),
      allNamespaces: values['all-namespaces'] === true,
      replayHistory: values['replay-history'] === true,
    };
  }
  const speed = positiveNumber(values.speed, '--speed', false) ?? 1;
  return { source, speed, step: values.step === true, send: values.send === true, history: positiveNumber(values.history, '--history', true) ?? 10_000 };
}

interface Prepared {
  catalog: Catalog;
  set?: ManifestSet;
  warnings: Diagnostic[];
  source: EventSource;
  eventClock: 'event' | 'wall';
  lookupObject?: LookupObject;
  allowHosts: string[];
}

/** Reads what the chosen source needs before the first frame (bad input fails here, exit 2). */
async function prepareSource(flags: TuiFlags): Promise<Prepared> {
  const src = flags.source;
  if (src.kind === 'fixtures') {
    let fixture;
    try {
      fixture = await readFixtureEvents(src.dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(`cannot read events from ${src.dir}: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`, 'pass a scenario directory with events.ndjson and manifests/, such as fixtures/demo');
    }
    if (!fixture.manifestsDir) throw new UserError(`${src.dir} is a file`, 'pass the scenario directory (events.ndjson and manifests/), such as fixtures/demo');
    try {
      await access(fixture.manifestsDir);
    } catch {
      throw new UserError(`${fixture.manifestsDir}: no such directory`, 'a scenario keeps its Alerts, Providers and Secrets in manifests/ next to events.ndjson');
    }
    const loaded = await loadInputs([fixture.manifestsDir]);
    return { catalog: loaded.catalog, set: loaded.set, warnings: loaded.warnings, source: new FixtureSource(fixture, src.dir), eventClock: 'event', allowHosts: [] };
  }
  if (src.kind === 'listen') {
    const loaded = await loadInputs(src.files);
    return { catalog: loaded.catalog, set: loaded.set, warnings: loaded.warnings, source: new ReceiverSource(src.addr), eventClock: 'wall', allowHosts: [] };
  }
  const target = loadKubeTarget({
    ...(src.kubeconfig ? { kubeconfig: src.kubeconfig } : {}),
    ...(src.context ? { context: src.context } : {}),
    ...(src.namespace ? { namespace: src.namespace } : {}),
    allNamespaces: src.allNamespaces,
  });
  const source = new ClusterSource(target, { replayHistory: src.replayHistory });
  let apiHost: string[] = [];
  try {
    apiHost = [new URL(target.server).host];
  } catch {
    // an unparsable server URL fails in the source with its own message
  }
  return {
    catalog: new Catalog({ alerts: [], providers: [], secrets: [], others: [] }),
    warnings: [],
    source,
    eventClock: 'wall',
    lookupObject: source.lookupObject,
    // msw also sees node:https: the API server must pass through in mock mode.
    allowHosts: apiHost,
  };
}

/**
 * Loads React, Ink and the app on first use. React chooses its development build (several times
 * slower per frame, with debug data kept per element) unless NODE_ENV says otherwise when it is
 * first loaded, so the TUI sets production unless the user chose; the headless commands never
 * load React at all.
 */
export async function loadUi() {
  process.env.NODE_ENV ??= 'production';
  const [{ render }, { createElement }, { App }] = await Promise.all([import('ink'), import('react'), import('../ui/app.js')]);
  return { render, createElement, App };
}

export async function runTuiCommand(values: Record<string, unknown>, io: Io, term: TerminalStreams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const flags = tuiFlags(values);
  if (term.stdin.isTTY !== true || term.stdout.isTTY !== true) throw new UserError(NOT_A_TTY, NOT_A_TTY_HINT);
  const limiter = rateLimiterFromFlag(values['rate-limit']);
  const opts = decideOptions({ noCrossNamespaceRefs: values['no-cross-namespace-refs'] === true, featureGates: (values['feature-gates'] as string[] | undefined) ?? [] });

  const prep = await prepareSource(flags);
  // MOCK goes to the msw mocks (previews included), REAL to the services; the lane switches between them.
  const lane = new DeliveryLane(prep.catalog, { allowHosts: prep.allowHosts, state: new MockState({ faults: mockFaultsFromFlag(values['mock-fault']) }) });
  const runner = new Runner({
    pipeline: new Pipeline(prep.catalog, limiter, prep.lookupObject ? { ...opts, lookupObject: prep.lookupObject } : opts),
    deliver: (d, mode) => lane.deliver(d, mode === 'real' ? 'real' : 'mock'),
    // --send means real delivery, as for replay and receive; m switches back to MOCK.
    mode: flags.send ? 'real' : 'mock',
    sendAllowed: flags.send,
    historySize: flags.history,
    eventClock: prep.eventClock,
    speed: flags.speed,
    startPaused: flags.step,
    onCatalog: (c) => lane.setCatalog(c),
  });
  const source = prep.source;
  for (const w of prep.warnings) if (w.severity === 'warning') runner.notice('warning', `${w.file}${w.line !== undefined ? `:${w.line}` : ''}: ${w.message}`);

  const write = () => writeCapture(process.cwd(), runner.events.toArray(), prep.set ?? manifestSetOf(runner.catalog));
  const { render, createElement, App } = await loadUi();
  term.stdout.write(ENTER_ALT_SCREEN);
  try {
    const app = render(createElement(App, { runner, onWriteFixture: write }), {
      stdin: term.stdin,
      stdout: term.stdout,
      stderr: term.stderr,
      // q and ctrl-c both go through the app's quit, so the source is stopped the same way.
      ...INK_RENDER_OPTIONS,
      patchConsole: term.patchConsole ?? true,
    });
    // The first frame is drawn before any event arrives.
    await source.start(runner);
    await app.waitUntilExit();
  } finally {
    await source.stop();
    term.stdout.write(LEAVE_ALT_SCREEN);
    await lane.close();
    await sharedDispatchers.close();
  }
  const c = runner.counters;
  io.stderr.write(`flux-notify-tui: ${c.events} event(s), ${c.matched} matched, ${c.dispatched} dispatched, ${c.dropped} dropped, ${c.rateLimited} rate limited, ${c.deliveryErrors} delivery error(s)\n`);
  return 0;
}

/** The manifests behind a catalog (cluster mode writes what it has seen with `w`). */
function manifestSetOf(c: Catalog): ManifestSet {
  return { alerts: [...c.alerts], providers: c.allProviders(), secrets: c.allSecrets(), others: [], diagnostics: [] };
}
