// `flux-notify-tui --fixtures DIR`: the terminal UI over the runner, replaying a scenario. Builds
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
import { sharedDispatchers } from '../transport/dispatcher.js';
import type { Io } from './index.js';
import { decideOptions, loadInputs } from './inputs.js';
import { rateLimiterFromFlag } from './options.js';

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

export interface TuiFlags {
  fixtures: string;
  speed: number;
  step: boolean;
  send: boolean;
  history: number;
}

/** Flags checked before anything is read, so a typo is reported even without a terminal. */
export function tuiFlags(values: Record<string, unknown>): TuiFlags {
  if (typeof values.fixtures !== 'string') {
    throw new UserError('no event source given', 'run the TUI on a scenario: flux-notify-tui --fixtures fixtures/demo (cluster and --listen sources come later)');
  }
  const speed = positiveNumber(values.speed, '--speed', false) ?? 1;
  return { fixtures: values.fixtures, speed, step: values.step === true, send: values.send === true, history: positiveNumber(values.history, '--history', true) ?? 10_000 };
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

  let fixture;
  try {
    fixture = await readFixtureEvents(flags.fixtures);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read events from ${flags.fixtures}: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`, 'pass a scenario directory with events.ndjson and manifests/, such as fixtures/demo');
  }
  if (!fixture.manifestsDir) throw new UserError(`${flags.fixtures} is a file`, 'pass the scenario directory (events.ndjson and manifests/), such as fixtures/demo');
  try {
    await access(fixture.manifestsDir);
  } catch {
    throw new UserError(`${fixture.manifestsDir}: no such directory`, 'a scenario keeps its Alerts, Providers and Secrets in manifests/ next to events.ndjson');
  }
  const loaded = await loadInputs([fixture.manifestsDir]);

  // MOCK goes to the msw mocks (previews included), REAL to the services; the lane switches between them.
  const lane = new DeliveryLane(loaded.catalog);
  const runner = new Runner({
    pipeline: new Pipeline(loaded.catalog, limiter, opts),
    deliver: (d, mode) => lane.deliver(d, mode === 'real' ? 'real' : 'mock'),
    // --send means real delivery, as for replay and receive; m switches back to MOCK.
    mode: flags.send ? 'real' : 'mock',
    sendAllowed: flags.send,
    historySize: flags.history,
    eventClock: 'event',
    speed: flags.speed,
    startPaused: flags.step,
  });
  const source = new FixtureSource(fixture, flags.fixtures);
  for (const w of loaded.warnings) if (w.severity === 'warning') runner.notice('warning', `${w.file}${w.line !== undefined ? `:${w.line}` : ''}: ${w.message}`);

  const write = () => writeCapture(process.cwd(), runner.events.toArray(), loaded.set);
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
