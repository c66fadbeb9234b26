// Shared set-up for the cluster tests: a FakeKube on 127.0.0.1, a kubeconfig for it, and a
// ClusterSource feeding a Runner whose deliveries are recorded instead of sent.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../src/flux/catalog.js';
import { RateLimiter } from '../../src/flux/ratelimit.js';
import type { Dispatch } from '../../src/flux/dispatch.js';
import { decideOptions } from '../../src/commands/inputs.js';
import { Pipeline } from '../../src/runner/pipeline.js';
import { Runner, type EventRecord } from '../../src/runner/runner.js';
import type { DeliveryResult } from '../../src/runner/delivery.js';
import { ClusterSource, type ClusterSourceOptions } from '../../src/sources/cluster/cluster-source.js';
import { loadKubeTarget, type KubeEnv, type KubeFlags } from '../../src/sources/cluster/kubeconfig.js';
import { FakeKube, type FakeKubeOptions } from '../../mocks/fake-kube/server.js';
import { writeFakeKubeconfig, type FakeKubeconfigOptions } from '../../mocks/fake-kube/kubeconfig.js';
import { alert, provider, secret } from '../../mocks/fake-kube/objects.js';

/** Fast retries so that recovery is seen within a test's time budget. */
export const FAST = { backoff: { initialMs: 20, maxMs: 200, jitter: 0 }, forbiddenRetryMs: 300, secretPollMs: 100, discoveryBackoff: { initialMs: 50, maxMs: 200, jitter: 0 } } satisfies ClusterSourceOptions;

export interface Harness {
  fake: FakeKube;
  dir: string;
  kubeconfig: string;
  source: ClusterSource;
  runner: Runner;
  delivered: Dispatch[];
  records(): EventRecord[];
  /** Records of live (non-history) events for involved object `name`. */
  live(name?: string): EventRecord[];
  notices(): string[];
  /** Event views expected to be watching once started. */
  views: number;
  close(): Promise<void>;
}

export async function startFake(o: FakeKubeOptions = {}): Promise<{ fake: FakeKube; dir: string }> {
  const fake = await FakeKube.start(o);
  const dir = await mkdtemp(join(tmpdir(), 'fnt-cluster-'));
  return { fake, dir };
}

/** The usual objects: Provider slack (secret slack-url) and Alert on-call for every Kustomization. */
export function seedNotification(fake: FakeKube, ns = 'flux-system') {
  fake.create(secret(ns, 'slack-url', { address: 'https://hooks.slack.com/services/T000/B000/XXXX' }));
  fake.create(provider(ns, 'slack', { type: 'slack', channel: 'general', secretRef: { name: 'slack-url' } }));
  fake.create(alert(ns, 'on-call', { providerRef: { name: 'slack' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }] }));
}

export async function startHarness(
  o: {
    fake?: FakeKubeOptions;
    kubeconfig?: FakeKubeconfigOptions;
    flags?: KubeFlags;
    source?: ClusterSourceOptions;
    seed?: (fake: FakeKube) => void;
    env?: KubeEnv;
    /** Server address written to the kubeconfig instead of the fake's own (e.g. a name only a proxy resolves). */
    server?: (url: string) => string;
    /** The kubeconfig text itself (e.g. kind's shape), instead of the usual token one. */
    kubeconfigYaml?: (fake: FakeKube, dir: string) => string;
  } = {},
): Promise<Harness> {
  const { fake, dir } = await startFake(o.fake);
  (o.seed ?? seedNotification)(fake);
  const shown = { url: o.server ? o.server(fake.url) : fake.url, tls: fake.tls, caPem: fake.caPem, token: fake.token };
  let kubeconfig: string;
  if (o.kubeconfigYaml) {
    kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, o.kubeconfigYaml(fake, dir), { mode: 0o600 });
  } else kubeconfig = await writeFakeKubeconfig(shown, dir, o.kubeconfig);
  const target = loadKubeTarget({ kubeconfig, ...o.flags }, o.env ?? {});
  const source = new ClusterSource(target, { ...FAST, ...o.source });
  const pipeline = new Pipeline(new Catalog({ alerts: [], providers: [], secrets: [], others: [] }), new RateLimiter(null), {
    ...decideOptions({ noCrossNamespaceRefs: false, featureGates: [] }),
    lookupObject: source.lookupObject,
  });
  const delivered: Dispatch[] = [];
  const runner = new Runner({
    pipeline,
    mode: 'mock',
    sendAllowed: false,
    deliver: async (d): Promise<DeliveryResult> => {
      delivered.push(d);
      return { alert: '', provider: '', type: d.provider.spec.type, mode: 'mock', outcome: 'delivered', status: 200, ok: true, requests: [], replies: [], durationMs: 0, attempts: [] };
    },
  });
  await source.start(runner);
  const records = () => runner.events.toArray();
  return {
    fake,
    dir,
    kubeconfig,
    source,
    runner,
    delivered,
    records,
    live: (name) => records().filter((r) => !r.history && (name === undefined || r.processed.event.involvedObject.name === name)),
    notices: () => runner.notices.toArray().map((n) => `${n.level}: ${n.text}`),
    views: o.source?.eventApis?.length ?? 2,
    close: async () => {
      await source.stop();
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once every event view is watching (after the initial lists). */
export async function untilWatching(h: Harness, timeoutMs = 5000, views = h.views): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (h.runner.connection.state === 'connected' && h.fake.openWatches('events') >= views) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`not watching after ${timeoutMs} ms: ${JSON.stringify(h.runner.connection)}`);
}

export async function until(what: string, pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

export const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function outcome(rec: EventRecord, alertName: string): string | undefined {
  const a = rec.processed.decision?.evaluated.find((x) => x.alert === alertName);
  return a ? `${a.outcome}/${a.reason}` : undefined;
}

/** An HTTP CONNECT proxy on 127.0.0.1 that sends every tunnel to 127.0.0.1 (so test host names need no DNS). */
export async function startConnectProxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const { connect } = await import('node:net');
  const tunnels: string[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client, head) => {
    tunnels.push(String(req.url));
    const port = Number(String(req.url).split(':').pop());
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
