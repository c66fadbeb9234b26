// `record`: events as NDJSON with delayMs from their real spacing, manifests seen, secrets
// redacted unless asked — and the result replays through the fixture reader to the same decisions.

import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { cleanManifest, recordPaths, redactSecret, redactValue, runRecordCommand } from '../../src/commands/record.js';
import { UserError } from '../../src/errors.js';
import { Catalog } from '../../src/flux/catalog.js';
import { loadManifests } from '../../src/flux/manifests.js';
import { RateLimiter } from '../../src/flux/ratelimit.js';
import { decideOptions } from '../../src/commands/inputs.js';
import { Pipeline } from '../../src/runner/pipeline.js';
import { parseFixtureEvents, readFixtureEvents } from '../../src/sources/fixture-events.js';
import { alert, fluxEvent, kustomization, provider } from '../../mocks/fake-kube/objects.js';
import { writeFakeKubeconfig } from '../../mocks/fake-kube/kubeconfig.js';
import type { FakeKube } from '../../mocks/fake-kube/server.js';
import { FAST, seedNotification, sleepMs, startFake, until } from './cluster-harness.js';

let fake: FakeKube | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  fake = undefined;
  dir = undefined;
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } }, out, err };
}

async function setup(seed: (f: FakeKube) => void = seedNotification) {
  const s = await startFake();
  fake = s.fake;
  dir = s.dir;
  seed(fake);
  const kubeconfig = await writeFakeKubeconfig(fake, dir);
  return { fake, dir, kubeconfig };
}

describe('record', () => {
  it('writes live events as NDJSON with delayMs from their real spacing, and the manifests seen, to a scenario directory', async () => {
    const { fake, dir, kubeconfig } = await setup((f) => {
      seedNotification(f);
      f.create(alert('flux-system', 'prod', { providerRef: { name: 'slack' }, eventSources: [{ kind: 'Kustomization', name: '*', matchLabels: { env: 'prod' } }] }));
      f.create(kustomization('flux-system', 'apps', { env: 'prod' }));
      f.create(fluxEvent({ name: 'old-one' }));
    });
    const scenario = join(dir, 'scenario');
    const { io: out, out: stdout, err } = io();
    const run = runRecordCommand({ kubeconfig, out: scenario, count: '2' }, out, { watch: FAST });
    await until('recording', () => fake.openWatches('events') === 2);
    fake.create(fluxEvent({ name: 'apps', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:0123456789abcdef0123456789abcdef01234567' }));
    await sleepMs(400);
    fake.create(fluxEvent({ name: 'apps', reason: 'HealthCheckFailed', type: 'Warning', message: 'health check failed after 30s' }));
    expect(await run).toBe(0);
    expect(stdout.join('')).toBe(`${scenario}\n`);
    expect(err.join('')).toContain(`replay with: flux-notify-tui --fixtures ${scenario}`);

    const text = await readFile(join(scenario, 'events.ndjson'), 'utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0]!)[0]).toBe('delayMs');
    expect(lines.map((l) => l.reason)).toEqual(['ReconciliationSucceeded', 'HealthCheckFailed']);
    // About the 400 ms between the two creations; the margin absorbs delivery jitter on a busy machine.
    expect(lines[1]!.delayMs as number).toBeGreaterThanOrEqual(200);
    expect(lines[1]!.delayMs as number).toBeLessThan(3000);

    // What --fixtures reads: the same parser, the manifests directory next to it.
    const fx = await readFixtureEvents(scenario);
    expect(fx.events.map((e) => e.error)).toEqual([undefined, undefined]);
    expect(fx.events[1]!.delayMs).toBe(lines[1]!.delayMs);
    // Each Event as the first of its two views delivered it (which one wins is a race between two sockets).
    for (const e of fx.events) expect(['core/v1', 'events.k8s.io/v1']).toContain(e.input!.origin);
    expect(await readdir(fx.manifestsDir!)).toEqual(['alerts.yaml', 'objects.yaml', 'providers.yaml', 'secrets.yaml']);
    const set = await loadManifests([fx.manifestsDir!]);
    expect(set.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(set.alerts.map((a) => a.metadata.name).sort()).toEqual(['on-call', 'prod']);
    expect(set.others.map((o) => `${o.kind}/${o.metadata.name}:${o.metadata.labels?.env}`)).toEqual(['Kustomization/apps:prod']);

    // Replayed, the events are decided as in the cluster (labels from objects.yaml).
    const pipeline = new Pipeline(new Catalog(set), new RateLimiter(null), decideOptions({ noCrossNamespaceRefs: false, featureGates: [] }));
    const p = pipeline.process(fx.events[0]!.input!, Date.now());
    const outcomes = Object.fromEntries(p.decision!.evaluated.map((a) => [a.alert, a.outcome]));
    expect(outcomes).toEqual({ 'flux-system/on-call': 'dispatched', 'flux-system/prod': 'dispatched' });
  });

  it('secrets are written redacted by default, keeping their shape; --include-secrets writes them as they are', async () => {
    const { fake, dir, kubeconfig } = await setup();
    const a = io();
    const run = runRecordCommand({ kubeconfig, out: join(dir, 'red'), duration: '400ms' }, a.io, { watch: FAST });
    await until('recording', () => fake.openWatches('events') === 2);
    expect(await run).toBe(0);
    const redacted = await readFile(join(dir, 'red', 'manifests', 'secrets.yaml'), 'utf8');
    expect(redacted).not.toContain(Buffer.from('https://hooks.slack.com/services/T000/B000/XXXX').toString('base64'));
    const doc = parseAllDocuments(redacted)[0]!.toJS() as { data: Record<string, string>; metadata: { annotations: Record<string, string> } };
    expect(Buffer.from(doc.data.address!, 'base64').toString()).toBe('https://hooks.slack.com/REDACTED');
    expect(doc.metadata.annotations['flux-notify-tui/redacted']).toBe('true');
    expect(a.err.join('')).toContain('(secret values redacted)');

    const b = io();
    const run2 = runRecordCommand({ kubeconfig, out: join(dir, 'clear'), duration: '400ms', 'include-secrets': true }, b.io, { watch: FAST });
    expect(await run2).toBe(0);
    const clear = parseYaml((await readFile(join(dir, 'clear', 'manifests', 'secrets.yaml'), 'utf8')).replace(/^#.*\n/, '')) as { data: Record<string, string> };
    expect(Buffer.from(clear.data.address!, 'base64').toString()).toBe('https://hooks.slack.com/services/T000/B000/XXXX');
  });

  it('--history also writes the events the cluster held at start, paced by their own times', async () => {
    const { dir, kubeconfig } = await setup((f) => {
      seedNotification(f);
      f.create(fluxEvent({ name: 'b', eventName: 'b1', at: new Date('2025-03-01T10:00:00Z') }));
      f.create(fluxEvent({ name: 'a', eventName: 'a1', at: new Date('2025-03-01T10:00:07Z') }));
    });
    const a = io();
    expect(await runRecordCommand({ kubeconfig, out: join(dir, 'h'), duration: '500ms', history: true }, a.io, { watch: FAST })).toBe(0);
    const lines = (await readFile(join(dir, 'h', 'events.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { delayMs: number; involvedObject: { name: string } });
    expect(lines.map((l) => [l.involvedObject.name, l.delayMs])).toEqual([['b', 0], ['a', 7000]]);
  });

  it('without --history the events already in the cluster are not written', async () => {
    const { dir, kubeconfig } = await setup((f) => {
      seedNotification(f);
      f.create(fluxEvent({ name: 'old' }));
    });
    const a = io();
    expect(await runRecordCommand({ kubeconfig, out: join(dir, 'n'), duration: '400ms' }, a.io, { watch: FAST })).toBe(0);
    expect(await readFile(join(dir, 'n', 'events.ndjson'), 'utf8')).toBe('');
  });

  it('--out FILE.ndjson writes manifests/ next to it and says how to replay it', async () => {
    const { dir, kubeconfig } = await setup();
    const a = io();
    const file = join(dir, 'rec', 'cap.ndjson');
    expect(await runRecordCommand({ kubeconfig, out: file, duration: '300ms' }, a.io, { watch: FAST })).toBe(0);
    expect(await readdir(join(dir, 'rec'))).toEqual(['cap.ndjson', 'manifests']);
    expect(a.err.join('')).toContain(`replay with: flux-notify-tui replay -f ${join(dir, 'rec', 'manifests')} --events ${file}`);
    expect(recordPaths('x/events.ndjson')).toEqual({ eventsFile: 'x/events.ndjson', manifestsDir: 'x/manifests', scenarioDir: 'x' });
  });

  it('bad usage is a UserError: missing --out, invalid --duration, invalid --count, unknown context', async () => {
    const a = io();
    await expect(runRecordCommand({}, a.io)).rejects.toThrow(UserError);
    await expect(runRecordCommand({}, a.io)).rejects.toThrow('--out is required');
    await expect(runRecordCommand({ out: 'x', duration: '5 minutes' }, a.io)).rejects.toThrow('invalid --duration "5 minutes": time: invalid duration "5 minutes"');
    await expect(runRecordCommand({ out: 'x', count: '0' }, a.io)).rejects.toThrow('invalid --count "0"');
    const { kubeconfig } = await setup();
    const e = await runRecordCommand({ kubeconfig, out: 'x', context: 'nope' }, a.io).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).hint).toBe('known contexts: fake');
  });
});

describe('record: redaction and manifest cleaning', () => {
  it('a URL keeps scheme and host only; a token becomes REDACTED; CA certificates are kept (they are public)', () => {
    expect(redactValue('address', 'https://hooks.slack.com/services/T/B/X')).toBe('https://hooks.slack.com/REDACTED');
    expect(redactValue('proxy', 'http://user:pass@proxy.internal:3128')).toBe('http://proxy.internal:3128/REDACTED');
    expect(redactValue('token', 'ghp_abcdef')).toBe('REDACTED');
    expect(redactValue('ca.crt', '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n')).toContain('BEGIN CERTIFICATE');
  });

  it('a headers map keeps its header names with redacted values (the generic provider parses it)', () => {
    expect(parseYaml(redactValue('headers', 'Authorization: Bearer abc\nX-Key: 123\n'))).toEqual({ Authorization: 'REDACTED', 'X-Key': 'REDACTED' });
  });

  it("kubectl's last-applied annotation is dropped (it holds a Secret's values in clear), as are server fields and status", () => {
    const s = redactSecret({
      apiVersion: 'v1', kind: 'Secret',
      metadata: { name: 's', namespace: 'n', uid: 'u', resourceVersion: '9', managedFields: [], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"token":"c2VjcmV0"}}' } },
      data: { token: Buffer.from('secret').toString('base64') },
    });
    expect(JSON.stringify(s)).not.toContain('c2VjcmV0');
    expect(s.metadata).toEqual({ name: 's', namespace: 'n', annotations: { 'flux-notify-tui/redacted': 'true' } });
    expect(cleanManifest({ apiVersion: 'x/v1', kind: 'K', metadata: { name: 'a', generation: 2 }, spec: {}, status: { ok: true } })).toEqual({ apiVersion: 'x/v1', kind: 'K', metadata: { name: 'a' }, spec: {} });
  });

  it('a recorded line with delayMs is read back by parseFixtureEvents as the same Kubernetes Event', () => {
    const ev = { delayMs: 1234, ...fluxEvent({ name: 'apps', reason: 'Progressing', message: 'building' }) };
    const [fe] = parseFixtureEvents(JSON.stringify(ev) + '\n', 'rec.ndjson');
    expect(fe!.delayMs).toBe(1234);
    expect(fe!.input!.event.reason).toBe('Progressing');
    expect(fe!.input!.event.message).toBe('building');
  });

  it('cleanManifest leaves a manifest without server fields unchanged', () => {
    const p = provider('ns', 'gh', { type: 'github', address: 'https://github.com/org/repo', secretRef: { name: 'gh' } });
    expect(cleanManifest(p)).toEqual(p);
  });
});
