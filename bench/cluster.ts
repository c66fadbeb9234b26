// Benchmark (issue: cluster mode): latency from an Event written on the (fake) API server to the
// decision in the runner, compared in the same run with a bare client-node Watch on the same
// server receiving it. Target: at most +50 ms over the bare watch at 1k events/s.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as k8s from '@kubernetes/client-node';
import { FakeKube } from '../mocks/fake-kube/server.js';
import { writeFakeKubeconfig } from '../mocks/fake-kube/kubeconfig.js';
import { alert, fluxEvent, provider, secret } from '../mocks/fake-kube/objects.js';
import { Catalog } from '../src/flux/catalog.js';
import { RateLimiter } from '../src/flux/ratelimit.js';
import { createNotifierFromRegistry } from '../src/providers/registry.js';
import { Pipeline } from '../src/runner/pipeline.js';
import { Runner } from '../src/runner/runner.js';
import { ClusterSource } from '../src/sources/cluster/cluster-source.js';
import { loadKubeTarget } from '../src/sources/cluster/kubeconfig.js';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

export async function runClusterBench(total = 3000, perSecond = 1000) {
  const fake = await FakeKube.start();
  const dir = await mkdtemp(join(tmpdir(), 'fnt-bench-kube-'));
  try {
    fake.create(secret('flux-system', 'slack-url', { address: 'https://hooks.slack.com/services/T000/B000/XXXX' }));
    fake.create(provider('flux-system', 'slack', { type: 'slack', channel: 'general', secretRef: { name: 'slack-url' } }));
    fake.create(alert('flux-system', 'on-call', { providerRef: { name: 'slack' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }] }));
    const kubeconfig = await writeFakeKubeconfig(fake, dir);

    const written = new Map<string, number>();
    const decided: number[] = [];
    const bare: number[] = [];

    // The tool: cluster source → runner (decisions; deliveries are not part of this measure).
    const target = loadKubeTarget({ kubeconfig, namespace: 'flux-system' }, {});
    const source = new ClusterSource(target, { eventApis: ['core/v1'] });
    const pipeline = new Pipeline(new Catalog({ alerts: [], providers: [], secrets: [], others: [] }), new RateLimiter(null), {
      noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: createNotifierFromRegistry, lookupObject: source.lookupObject,
    });
    const runner = new Runner({
      pipeline, mode: 'mock', sendAllowed: false, historySize: total + 10,
      deliver: async () => ({ alert: '', provider: '', type: '', mode: 'mock', outcome: 'delivered', status: 200, ok: true, requests: [], replies: [], durationMs: 0, attempts: [] }),
    });
    const origIngest = runner.ingest.bind(runner);
    runner.ingest = (input, o) => {
      const rec = origIngest(input, o);
      const t = written.get(input.event.message);
      if (t !== undefined && rec.processed.decision) decided.push(performance.now() - t);
      return rec;
    };
    await source.start(runner);

    // The baseline: a bare client-node watch on the same collection.
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfig);
    const watch = new k8s.Watch(kc);
    const req = await watch.watch('/api/v1/namespaces/flux-system/events', {}, (_type: string, obj: { message?: string }) => {
      const t = written.get(obj.message ?? '');
      if (t !== undefined) bare.push(performance.now() - t);
    }, () => undefined);

    const deadline = Date.now() + 10_000;
    while ((runner.connection.state !== 'connected' || fake.openWatches('events') < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));

    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const message = `Reconciliation finished in ${i}ms, next run in 10m0s`;
      written.set(message, performance.now());
      fake.create(fluxEvent({ name: `app-${i % 50}`, message }));
    }
    const end = Date.now() + 10_000;
    while ((decided.length < total || bare.length < total) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    (req as { abort?: () => void }).abort?.();
    await source.stop();
    return {
      total, perSecond,
      received: { tool: decided.length, bare: bare.length },
      tool: { p50: pct(decided, 50), p99: pct(decided, 99) },
      bare: { p50: pct(bare, 50), p99: pct(bare, 99) },
    };
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}
