// `npm run fake-cluster`: a fake Kubernetes API server on 127.0.0.1 holding the demo scenario's
// manifests, writing its events as core/v1 Events (one per second, then looping), so cluster mode
// can be tried without kind: `flux-notify-tui --kubeconfig <printed path>`.

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FakeKube, type KubeObject } from './server.js';
import { writeFakeKubeconfig } from './kubeconfig.js';
import { fluxEvent } from './objects.js';

const scenario = process.argv[2] ?? 'fixtures/demo';
const fake = await FakeKube.start();
for (const f of ['providers.yaml', 'secrets.yaml', 'alerts.yaml', 'flux-objects.yaml']) {
  const text = await readFile(join(scenario, 'manifests', f), 'utf8').catch(() => '');
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJS() as KubeObject | null;
    if (o && o.kind) fake.create(o);
  }
}
const events = (await readFile(join(scenario, 'events.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
const dir = await mkdtemp(join(tmpdir(), 'fnt-fake-cluster-'));
const kubeconfig = await writeFakeKubeconfig(fake, dir, { contexts: [{ name: 'fake-demo', namespace: 'flux-system' }, { name: 'fake-demo-all' }] });
console.log(`fake API server: ${fake.url}`);
console.log(`kubeconfig:      ${kubeconfig}`);
console.log(`try:             flux-notify-tui --kubeconfig ${kubeconfig}            (or -A, or --context fake-demo-all)`);

let i = 0;
const timer = setInterval(() => {
  const e = events[i++ % events.length]!;
  const ref = e.involvedObject;
  fake.create(fluxEvent({
    namespace: ref.namespace, kind: ref.kind, name: ref.name, apiVersion: ref.apiVersion,
    reason: e.reason, message: e.message, type: e.severity === 'error' ? 'Warning' : 'Normal',
    controller: e.reportingController,
    annotations: e.metadata,
  }));
}, Number(process.env.FAKE_CLUSTER_INTERVAL_MS ?? 1000));

const stop = async () => {
  clearInterval(timer);
  await fake.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
