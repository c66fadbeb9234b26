// Offline source: replays a scenario's events.ndjson with its delayMs pacing (× speed), and
// waits on the runner between events so pause and step hold the stream.

import type { Runner } from '../runner/runner.js';
import type { FixtureEvents } from './fixture-events.js';
import type { EventSource } from './source.js';

export class FixtureSource implements EventSource {
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  /** Resolves when every event has been emitted. */
  done: Promise<void> = Promise.resolve();

  constructor(
    private readonly fixture: FixtureEvents,
    readonly label: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => this.defaultSleep(ms),
  ) {}

  private defaultSleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  async start(runner: Runner): Promise<void> {
    runner.sourceLabel = this.label;
    runner.setConnection({ state: 'connected', detail: `replaying ${this.fixture.events.length} events` });
    this.done = this.run(runner);
  }

  private async run(runner: Runner) {
    let emitted = 0;
    for (const fe of this.fixture.events) {
      if (this.stopped) return;
      if (fe.delayMs > 0 && runner.playback.state === 'playing') await this.sleep(fe.delayMs / runner.speed);
      await runner.ready();
      if (this.stopped) return;
      if (!fe.input) {
        runner.notice('warning', `${this.fixture.file}:${fe.line}: skipped: ${fe.error}`);
        continue;
      }
      runner.ingest(fe.input);
      emitted++;
    }
    runner.setConnection({ state: 'done', detail: `replayed ${emitted} events` });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }
}
