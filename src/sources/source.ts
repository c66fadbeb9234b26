// What every event source (fixtures, cluster, HTTP receiver) gives the runner.

import type { Runner } from '../runner/runner.js';

export interface EventSource {
  /** For the status bar: fixtures dir, context, or listen address. */
  readonly label: string;
  start(runner: Runner): Promise<void>;
  stop(): Promise<void>;
}
