// `receive`: a headless, wire-compatible event endpoint printing one NDJSON line per event.

import { UserError } from '../errors.js';
import { startReceiver } from '../sources/receiver.js';
import { Pipeline } from '../runner/pipeline.js';
import { outputFormat } from './explain-command.js';
import type { Io } from './index.js';
import { decideOptions, loadInputs } from './inputs.js';
import { processedLine, processedSummary } from './ndjson.js';
import { mockFaultsFromFlag, rateLimiterFromFlag } from './options.js';
import { MockState } from '../../mocks/state.js';
import type { DeliveryResult } from '../runner/delivery.js';
import { DeliveryLane } from '../runner/delivery-lane.js';
import type { ProcessedEvent } from '../runner/pipeline.js';
import { sharedDispatchers } from '../transport/dispatcher.js';
import { deliveryLine, deliveryText } from './replay.js';

export async function runReceiveCommand(values: Record<string, unknown>, io: Io, signal?: AbortSignal): Promise<number> {
  const format = outputFormat(values.output, ['ndjson', 'text']);
  if (typeof values.listen !== 'string') throw new UserError('--listen is required', 'e.g. --listen 127.0.0.1:9090 (or :9090 for every interface)');
  const opts = decideOptions({ noCrossNamespaceRefs: values['no-cross-namespace-refs'] === true, featureGates: (values['feature-gates'] as string[] | undefined) ?? [] });
  const { catalog } = await loadInputs((values.file as string[] | undefined) ?? []);
  const pipeline = new Pipeline(catalog, rateLimiterFromFlag(values['rate-limit']), opts);
  const mode = values.send === true ? 'real' : 'mock';
  // Loopback passes through msw, so the receiver itself stays reachable in mock mode.
  const lane = new DeliveryLane(catalog, { showSecrets: values['show-secrets'] === true, state: new MockState({ faults: mockFaultsFromFlag(values['mock-fault']) }) });
  // Delivery is asynchronous, after the 202, as in NC; lines are written in arrival order.
  let queue = Promise.resolve();
  const onEvent = (p: ProcessedEvent) => {
    queue = queue.then(async () => {
      const deliveries: DeliveryResult[] = [];
      for (const d of p.decision?.dispatches ?? []) deliveries.push(await lane.deliver(d, mode));
      if (format === 'ndjson') io.stdout.write(JSON.stringify(processedLine(p, deliveries.map(deliveryLine))) + '\n');
      else io.stdout.write(processedSummary(p) + '\n' + deliveries.map(deliveryText).join(''));
    });
  };
  let receiver;
  try {
    receiver = await startReceiver(values.listen, {
      pipeline,
      onEvent,
      onReject: (status, why) => io.stderr.write(`request refused with ${status}: ${why}\n`),
    });
  } catch (e) {
    throw new UserError(`cannot listen on ${values.listen}: ${(e as Error).message}`, 'pick a free port, e.g. --listen 127.0.0.1:9090');
  }
  io.stderr.write(`receiving Flux events on ${receiver.url} (point a controller's --events-addr or curl at it); delivery: ${mode === 'real' ? 'REAL (--send)' : 'mock (nothing leaves the machine)'}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    if (signal) signal.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await receiver.close();
  await queue;
  await lane.close();
  await sharedDispatchers.close();
  return 0;
}
