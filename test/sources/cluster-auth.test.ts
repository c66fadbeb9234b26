// Authentication as a first run against kind (or a cloud cluster) meets it: kind's kubeconfig
// (mutual TLS with client-certificate-data/client-key-data, no token), refused certificates and a
// stale CA with a message the user can act on, and exec credential plugins (client-node runs them;
// the fake API server checks the bearer token they print).

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kindKubeconfigYaml } from '../../mocks/fake-kube/kubeconfig.js';
import { alert, fluxEvent, provider } from '../../mocks/fake-kube/objects.js';
import type { FakeKube } from '../../mocks/fake-kube/server.js';
import {
  FAKE_KUBE_EXPIRED_CLIENT_CERT_PEM,
  FAKE_KUBE_EXPIRED_CLIENT_KEY_PEM,
  OTHER_CA_PEM,
  OTHER_CLIENT_CERT_PEM,
  OTHER_CLIENT_KEY_PEM,
} from '../../mocks/fake-kube/tls.js';
import { outcome, sleepMs, startHarness, until, untilWatching, type Harness } from './cluster-harness.js';

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** kube-apiserver as kind runs it: x509 client certificates from its CA, anonymous requests allowed (and then refused by RBAC). */
const KIND_SERVER = { clientCerts: true, token: null, anonymousAuth: true } as const;

const seedInline = (fake: FakeKube) => {
  fake.create(provider('flux-system', 'slack', { type: 'slack', channel: 'general', address: 'https://hooks.slack.com/services/x' }));
  fake.create(alert('flux-system', 'on-call', { providerRef: { name: 'slack' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }] }));
};

const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

/** A GET with only the CA trusted and no credentials at all, as curl --cacert would send it. */
async function bareGet(fake: FakeKube, path: string, cert?: { cert: string; key: string }): Promise<{ status: number; body: unknown }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(fake.url + path, { ca: fake.caPem, ...(cert ?? {}) }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('kind-style mutual TLS', () => {
  it("the fake API server requires a client certificate signed by its CA: a foreign or expired one is 401 with kube-apiserver's Status, none at all is system:anonymous (403)", async () => {
    h = await startHarness({ fake: KIND_SERVER, seed: seedInline, kubeconfigYaml: (fake) => kindKubeconfigYaml(fake) });
    await untilWatching(h, 5000, 2);
    expect(await bareGet(h.fake, '/apis/notification.toolkit.fluxcd.io', { cert: OTHER_CLIENT_CERT_PEM, key: OTHER_CLIENT_KEY_PEM })).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(await bareGet(h.fake, '/apis/notification.toolkit.fluxcd.io', { cert: FAKE_KUBE_EXPIRED_CLIENT_CERT_PEM, key: FAKE_KUBE_EXPIRED_CLIENT_KEY_PEM })).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(await bareGet(h.fake, '/apis/notification.toolkit.fluxcd.io')).toEqual({
      status: 403,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'forbidden: User "system:anonymous" cannot get path "/apis/notification.toolkit.fluxcd.io"', reason: 'Forbidden', details: {}, code: 403 },
    });
  });

  it('a kind kubeconfig (certificate-authority-data, client-certificate-data, client-key-data, no token) connects over mutual TLS and receives events', async () => {
    h = await startHarness({ fake: KIND_SERVER, seed: seedInline, kubeconfigYaml: (fake) => kindKubeconfigYaml(fake) });
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'apps' }));
    await until('event', () => h!.live('apps').length === 1);
    expect(outcome(h.live('apps')[0]!, 'flux-system/on-call')).toBe('dispatched/ok');
    // Every request was authenticated by the certificate (kind's admin user), none refused.
    expect(h.fake.requests.length).toBeGreaterThan(4);
    expect(h.fake.requests.every((r) => r.user === 'kubernetes-admin' && r.status < 400)).toBe(true);
    expect(h.runner.sourceLabel).toBe('context kind-dev · all namespaces (the context sets no namespace)');
    expect(h.runner.connection.state).toBe('connected');
  });

  it('a client certificate from another CA (a recreated kind cluster) gives a clear error and a failed state, not a crash and not "no Flux"', async () => {
    h = await startHarness({ fake: KIND_SERVER, seed: seedInline, kubeconfigYaml: (fake) => kindKubeconfigYaml(fake, { certPem: OTHER_CLIENT_CERT_PEM, keyPem: OTHER_CLIENT_KEY_PEM }) });
    const text =
      'client certificate not trusted by the API server (401 Unauthorized): CN=kubernetes-admin, issued by another cluster CA; if the cluster was recreated, export its kubeconfig again (kind: kind export kubeconfig --name NAME) (user "kind-dev", context kind-dev)';
    await until('notice', () => h!.notices().includes(`error: ${text}`));
    await until('failed', () => h!.runner.connection.state === 'failed');
    const c = h.runner.connection;
    expect(c.state === 'failed' && c.detail.startsWith(text)).toBe(true);
    // Retried (the notice is not repeated), every answer a 401, and no claim that Flux is missing.
    await until('retried', () => h!.fake.requests.length >= 3);
    expect(h.fake.requests.every((r) => r.status === 401)).toBe(true);
    expect(h.notices().filter((n) => n.startsWith('error:'))).toHaveLength(1);
    expect(h.notices().some((n) => n.includes('no Alert can match'))).toBe(false);
  });

  it("an expired client certificate (kind's last a year) is named as expired, with the date", async () => {
    h = await startHarness({ fake: KIND_SERVER, seed: seedInline, kubeconfigYaml: (fake) => kindKubeconfigYaml(fake, { certPem: FAKE_KUBE_EXPIRED_CLIENT_CERT_PEM, keyPem: FAKE_KUBE_EXPIRED_CLIENT_KEY_PEM }) });
    await until('notice', () => h!.notices().some((n) => n.startsWith('error: ')));
    expect(h.notices().find((n) => n.startsWith('error: '))).toBe(
      "error: client certificate expired on 2001-01-01 (401 Unauthorized): CN=kubernetes-admin, issued by fake-kube test CA; kind's client certificates last one year: renew them (or recreate the cluster) and export the kubeconfig again (user \"kind-dev\", context kind-dev)",
    );
    expect(h.runner.connection.state).toBe('failed');
  });

  it('a user without any credential is treated as system:anonymous (403): said so, not mistaken for missing RBAC on Flux', async () => {
    h = await startHarness({ fake: KIND_SERVER, seed: seedInline, kubeconfig: { user: {} } });
    const text = 'no credentials the API server recognises (403 for system:anonymous): it has no client certificate, token or exec plugin (user "fake-user", context fake)';
    await until('notice', () => h!.notices().includes(`error: ${text}`));
    await until('failed', () => h!.runner.connection.state === 'failed');
    expect(h.fake.requests.every((r) => r.status === 403 && r.user === 'system:anonymous')).toBe(true);
    expect(h.notices().some((n) => n.includes('no Alert can match'))).toBe(false);
  });

  it("a kubeconfig trusting another CA than the server's: the TLS failure says the server certificate is not signed by the kubeconfig's CA", async () => {
    h = await startHarness({ fake: KIND_SERVER, seed: seedInline, kubeconfigYaml: (fake) => kindKubeconfigYaml(fake, { caPem: OTHER_CA_PEM }) });
    await until('retrying', () => h!.runner.connection.state === 'retrying');
    const c = h.runner.connection;
    expect(c.state === 'retrying' && c.detail).toMatch(
      /^discovery: TLS: the API server's certificate is not signed by the kubeconfig's certificate-authority \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\); if the cluster was recreated, export its kubeconfig again \(kind: kind export kubeconfig --name NAME\); retry \d+ in /,
    );
    // The handshake failed before any request reached the server. (Node names the code after the
    // chain the server sends: the leaf alone or with its CA.)
    expect(h.fake.requests).toHaveLength(0);
  });
});

/** A kubeconfig user entry running a node script as exec credential plugin. */
async function execUser(dir: string, script: string, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const path = join(dir, 'plugin.mjs');
  await writeFile(path, script);
  return {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: process.execPath,
      args: [path],
      env: Object.entries(env).map(([name, value]) => ({ name, value })),
      interactiveMode: 'Never',
    },
  };
}

// Counts its runs in $RUNS and prints an ExecCredential; fails until $OK_FILE exists, when set.
const PLUGIN = `
import { appendFileSync, existsSync } from 'node:fs';
appendFileSync(process.env.RUNS, 'run\\n');
if (process.env.OK_FILE && !existsSync(process.env.OK_FILE)) {
  process.stderr.write('error: not logged in: run "cloud login" first\\n');
  process.exit(1);
}
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-token-7f3a' } }));
`;

describe('exec credential plugins', () => {
  it('the token an exec plugin prints is sent as the bearer token (checked by the server), and the plugin runs once, not per request', async () => {
    const dir = await tmpDir();
    h = await startHarness({
      fake: { token: 'exec-token-7f3a' },
      seed: seedInline,
      kubeconfig: { user: await execUser(dir, PLUGIN, { RUNS: join(dir, 'runs') }) },
    });
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'apps' }));
    await until('event', () => h!.live('apps').length === 1);
    expect(outcome(h.live('apps')[0]!, 'flux-system/on-call')).toBe('dispatched/ok');
    expect(h.fake.requests.length).toBeGreaterThan(4);
    expect(h.fake.requests.every((r) => r.status < 400)).toBe(true);
    // client-node would run a plugin whose credential has no expirationTimestamp for every request.
    expect((await readFile(join(dir, 'runs'), 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('a failing exec plugin is an error naming the command and its stderr, retried; once it succeeds the tool connects', async () => {
    const dir = await tmpDir();
    const ok = join(dir, 'ok');
    h = await startHarness({
      fake: { token: 'exec-token-7f3a' },
      seed: seedInline,
      kubeconfig: { user: await execUser(dir, PLUGIN, { RUNS: join(dir, 'runs'), OK_FILE: ok }) },
    });
    const text = `exec credential plugin "${process.execPath}" failed: error: not logged in: run "cloud login" first`;
    await until('notice', () => h!.notices().includes(`error: ${text}`));
    await until('failed', () => h!.runner.connection.state === 'failed');
    const c = h.runner.connection;
    expect(c.state === 'failed' && c.detail.startsWith(text)).toBe(true);
    // Nothing reached the server without a credential.
    expect(h.fake.requests).toHaveLength(0);
    await writeFile(ok, '');
    await untilWatching(h);
    expect(h.notices()).toContain(`info: credentials accepted: connected to ${h.fake.url}`);
    h.fake.create(fluxEvent({ name: 'apps' }));
    await until('event', () => h!.live('apps').length === 1);
  });

  it('a token from an exec plugin that the server refuses is named as such, and the plugin is asked again after each 401', async () => {
    const dir = await tmpDir();
    h = await startHarness({
      fake: { token: 'the-real-token' },
      seed: seedInline,
      kubeconfig: { user: await execUser(dir, PLUGIN, { RUNS: join(dir, 'runs') }) },
    });
    const text = `token from exec plugin "${process.execPath}" refused (401 Unauthorized): expired, or for another cluster? (user "fake-user", context fake)`;
    await until('notice', () => h!.notices().includes(`error: ${text}`));
    await until('asked again', () => h!.fake.requests.length >= 3);
    await sleepMs(50);
    expect((await readFile(join(dir, 'runs'), 'utf8')).split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2);
  });

  it('an exec plugin command that does not exist says so', async () => {
    h = await startHarness({
      seed: seedInline,
      kubeconfig: { user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'flux-notify-tui-no-such-plugin', interactiveMode: 'Never' } } },
    });
    await until('notice', () => h!.notices().some((n) => n.startsWith('error: exec credential plugin')));
    expect(h.notices()).toContain('error: exec credential plugin "flux-notify-tui-no-such-plugin" failed: spawn flux-notify-tui-no-such-plugin ENOENT (is it installed and on PATH?)');
    expect(h.runner.connection.state).toBe('failed');
  });
});

async function tmpDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'fnt-exec-'));
  dirs.push(d);
  return d;
}
