// `--listen ADDR` in the TUI: the wire-compatible event endpoint as an event source. Events are
// processed by the runner as they arrive (the 429/202 answers use its rate limiter).

import type { Runner } from '../runner/runner.js';
import { startReceiver, type RunningReceiver } from './receiver.js';
import type { EventSource } from './source.js';

export class ReceiverSource implements EventSource {
  private rx: RunningReceiver | undefined;
  constructor(private readonly addr: string) {}

  get label(): string {
    return this.rx ? `listening on ${this.rx.url}` : `listening on ${this.addr}`;
  }

  async start(runner: Runner): Promise<void> {
    runner.setConnection({ state: 'connecting', detail: `binding ${this.addr}` });
    try {
      this.rx = await startReceiver(this.addr, {
        // Events are decided as they arrive (NC answers at once too); pause only holds replays.
        pipeline: { process: (input) => runner.ingest(input).processed },
        onEvent: () => undefined,
        onReject: (status, why) => runner.notice('warning', `request refused with ${status}: ${why}`),
      });
    } catch (e) {
      runner.setConnection({ state: 'failed', detail: `cannot listen on ${this.addr}: ${(e as Error).message}` });
      return;
    }
    runner.sourceLabel = this.label;
    runner.setConnection({ state: 'connected', detail: `POST Flux events to ${this.rx.url}` });
  }

  async stop(): Promise<void> {
    await this.rx?.close();
  }
}
