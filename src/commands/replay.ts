// `replay`: the whole pipeline over a stream of events — decisions, rate limiting, delivery
// (mock by default, real with --send) — one NDJSON line per event.

import { access } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { Pipeline } from '../runner/pipeline.js';
import type { DeliveryResult } from '../runner/delivery.js';
import { DeliveryLane } from '../runner/delivery-lane.js';
import { readFixtureEvents } from '../sources/fixture-events.js';
import { sharedDispatchers } from '../transport/dispatcher.js';
import { outputFormat } from './explain-command.js';
import type { Io } from './index.js';
import { decideOptions, loadInputs } from './inputs.js';
import { processedLine, processedSummary } from './ndjson.js';
import { mockFaultsFromFlag, rateLimiterFromFlag } from './options.js';
import { MockState } from '../../mocks/state.js';

export async function runReplayCommand(values: Record<string, unknown>, io: Io): Promise<number> {
  const format = outputFormat(values.output, ['ndjson', 'text']);
  if (typeof values.events !== 'string') throw new UserError('--events is required', 'pass --events FILE.ndjson or a scenario directory such as fixtures/demo');
  let fixture;
  try {
    fixture = await readFixtureEvents(values.events);
  } catch (e) {
    throw new UserError(`cannot read events from ${values.events}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`, 'pass an NDJSON file or a scenario directory with events.ndjson');
  }
  let paths = (values.file as string[] | undefined) ?? [];
  if (paths.length === 0 && fixture.manifestsDir) {
    try {
      await access(fixture.manifestsDir);
      paths = [fixture.manifestsDir];
    } catch {
      // fall through to the "no manifests" error
    }
  }
  const opts = decideOptions({ noCrossNamespaceRefs: values['no-cross-namespace-refs'] === true, featureGates: (values['feature-gates'] as string[] | undefined) ?? [] });
  const { catalog } = await loadInputs(paths);
  const pipeline = new Pipeline(catalog, rateLimiterFromFlag(values['rate-limit']), opts);
  const mode = values.send === true ? 'real' : 'mock';
  if (mode === 'real') io.stderr.write('REAL delivery (--send): notifications go to the configured services\n');
  const lane = new DeliveryLane(catalog, { showSecrets: values['show-secrets'] === true, state: new MockState({ faults: mockFaultsFromFlag(values['mock-fault']) }) });
  let clock = 0;
  let failed = 0;
  let bad = 0;
  for (const fe of fixture.events) {
    if (!fe.input) {
      bad++;
      io.stderr.write(`${fixture.file}:${fe.line}: skipped: ${fe.error}\n`);
      if (format === 'ndjson') io.stdout.write(JSON.stringify({ line: fe.line, error: fe.error }) + '\n');
      continue;
    }
    // The limiter's clock: the event's own time when it has one, else the replay pacing.
    const ts = fe.input.event.timestamp;
    clock = ts ? Date.parse(ts) : clock + fe.delayMs;
    const p = pipeline.process(fe.input, clock);
    const deliveries: DeliveryResult[] = [];
    for (const d of p.decision?.dispatches ?? []) {
      deliveries.push(await lane.deliver(d, mode));
    }
    failed += deliveries.filter((d) => !d.ok).length;
    if (format === 'ndjson') {
      io.stdout.write(JSON.stringify(processedLine(p, deliveries.map(deliveryLine))) + '\n');
    } else {
      io.stdout.write(processedSummary(p) + '\n');
      io.stdout.write(deliveries.map(deliveryText).join(''));
    }
  }
  await lane.close();
  await sharedDispatchers.close();
  if (bad > 0) return 2;
  return failed > 0 ? 1 : 0;
}

export function deliveryText(d: DeliveryResult): string {
  const retries = d.attempts.reduce((a, n) => a + Math.max(0, n - 1), 0);
  return `    → ${d.provider} (${d.type}) ${d.outcome}${d.status !== null ? ` ${d.status}` : ''}${retries ? ` after ${retries} retr${retries === 1 ? 'y' : 'ies'}` : ''}${d.error ? `: ${d.error}` : ''}${d.note ? ` (${d.note})` : ''}\n`;
}

export function deliveryLine(d: DeliveryResult) {
  const line: Record<string, unknown> = { alert: d.alert, provider: d.provider, type: d.type, mode: d.mode, outcome: d.outcome, status: d.status, ok: d.ok, preview: d.preview ?? null, attempts: d.attempts, requests: d.requests, replies: d.replies };
  if (d.note) line.note = d.note;
  if (d.error) {
    line.error = d.error;
    line.controllerEvent = d.controllerEvent;
  }
  return line as { alert: string; provider: string; status: string; ok: boolean };
}
