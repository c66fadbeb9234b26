// Cluster mode's EventSource: a ClusterWatch feeding the runner. Live emissions wait on the runner's
// pause/step gate; the initial list is ingested as history (not dispatched) unless replayHistory.
// The pipeline must be built with `lookupObject: source.lookupObject` in its DecideOptions so that
// matchLabels reads the labels this source fetched.

import type { LookupObject } from '../../flux/match.js';
import type { Runner } from '../../runner/runner.js';
import type { EventSource } from '../source.js';
import { ClusterWatch, type ClusterWatchOptions } from './cluster-watch.js';
import type { KubeTarget } from './kubeconfig.js';

export interface ClusterSourceOptions extends ClusterWatchOptions {
  /** Dispatch the events the cluster already held at start (default: show them as history only). */
  replayHistory?: boolean;
}

export class ClusterSource implements EventSource {
  readonly label: string;
  private watch: ClusterWatch | undefined;
  private labelsLookup: LookupObject | undefined;

  constructor(
    readonly target: KubeTarget,
    private readonly o: ClusterSourceOptions = {},
  ) {
    this.label = target.label;
  }

  /** For DecideOptions.lookupObject; valid before start (it reads the source's label cache). */
  readonly lookupObject: LookupObject = (ref) =>
    this.labelsLookup ? this.labelsLookup(ref) : { found: false, reason: 'the cluster source has not started' };

  /** The underlying watch, once started (tests, status details). */
  get cluster(): ClusterWatch | undefined {
    return this.watch;
  }

  async start(runner: Runner): Promise<void> {
    const replay = this.o.replayHistory === true;
    this.watch = new ClusterWatch(
      this.target,
      {
        // History is shown at once, even while paused: it is not dispatched anyway.
        beforeEmit: (em) => (em.history && !replay ? Promise.resolve() : runner.ready()),
        onEmission: (em) => {
          runner.ingest(em.input, { history: em.history && !replay });
        },
        onCatalog: (c, why) => runner.setCatalog(c, why),
        onNotice: (level, text) => runner.notice(level, text),
        onConnection: (s) => runner.setConnection(s),
        // Set before the notice that explains it, which redraws the status bar.
        onLabel: (label) => {
          runner.sourceLabel = label;
        },
      },
      this.o,
    );
    runner.sourceLabel = this.watch.label;
    this.labelsLookup = this.watch.lookupObject;
    const proxy = this.target.proxy ? `; proxy ${this.target.proxy.url} from ${this.target.proxy.from === 'environment' ? 'HTTPS_PROXY/HTTP_PROXY' : 'the kubeconfig proxy-url'}` : '';
    runner.notice('info', `cluster: ${this.watch.label} (kubeconfig: ${this.target.origin}${proxy})`);
    this.watch.start();
  }

  async stop(): Promise<void> {
    await this.watch?.stop();
  }
}
