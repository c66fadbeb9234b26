// Choosing cluster, context and namespace as kubectl does, with errors that list what is known.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { chooseScope, loadKubeTarget } from '../../src/sources/cluster/kubeconfig.js';
import { fakeKubeconfigYaml } from '../../mocks/fake-kube/kubeconfig.js';

const fakeTls = { url: 'https://127.0.0.1:6443', tls: true, caPem: 'unused', token: 't' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fnt-kc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, yaml: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, yaml);
  return p;
}

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

describe('kubeconfig and context', () => {
  it('an unknown --context is an error listing the known contexts', async () => {
    const kc = await write('kc', fakeKubeconfigYaml(fakeTls, { contexts: [{ name: 'kind-flux' }, { name: 'prod' }] }));
    const e = userError(() => loadKubeTarget({ kubeconfig: kc, context: 'staging' }, {}));
    expect(e.message).toBe(`context "staging" not found in ${kc}`);
    expect(e.hint).toBe('known contexts: kind-flux, prod');
    expect(e.exitCode).toBe(2);
  });

  it('no current-context and no --context is an error listing the known contexts', async () => {
    const kc = await write('kc', fakeKubeconfigYaml(fakeTls, { contexts: [{ name: 'a' }, { name: 'b' }], current: null }));
    const e = userError(() => loadKubeTarget({ kubeconfig: kc }, {}));
    expect(e.message).toBe(`no context chosen: ${kc} has no current-context and --context was not given`);
    expect(e.hint).toBe('pass --context NAME; known contexts: a, b');
  });

  it('a current-context naming no context is an error, not a silent null cluster', async () => {
    const kc = await write('kc', fakeKubeconfigYaml(fakeTls, { contexts: [{ name: 'a' }], current: 'gone' }));
    const e = userError(() => loadKubeTarget({ kubeconfig: kc }, {}));
    expect(e.message).toBe(`current-context "gone" of ${kc} names no context`);
    expect(e.hint).toBe('known contexts: a');
  });

  it('a context whose cluster is missing is an error', async () => {
    const kc = await write('kc', fakeKubeconfigYaml(fakeTls, { contexts: [{ name: 'a', cluster: 'nowhere' }] }));
    const e = userError(() => loadKubeTarget({ kubeconfig: kc }, {}));
    expect(e.message).toBe(`context "a" refers to cluster "nowhere", which is not in ${kc} (or is invalid)`);
  });

  it('a plain http:// server without insecure-skip-tls-verify is refused up front (client-node would refuse each request)', async () => {
    const yaml = fakeKubeconfigYaml({ ...fakeTls, tls: true, url: 'http://127.0.0.1:8080' });
    const kc = await write('kc', yaml);
    const e = userError(() => loadKubeTarget({ kubeconfig: kc }, {}));
    expect(e.message).toBe('cluster "fake-cluster" uses http://127.0.0.1:8080: plain HTTP is refused unless the cluster sets insecure-skip-tls-verify: true');
  });

  it('a missing --kubeconfig file is an error naming it', () => {
    const p = join(dir, 'nope');
    const e = userError(() => loadKubeTarget({ kubeconfig: p }, {}));
    expect(e.message).toBe(`cannot load kubeconfig ${p}: no such file`);
  });

  it('KUBECONFIG files are merged as kubectl does: missing files skipped, the first file wins for a name and for current-context', async () => {
    const a = await write('a', fakeKubeconfigYaml({ ...fakeTls, url: 'https://127.0.0.1:1111' }, { contexts: [{ name: 'shared', namespace: 'from-a' }], current: 'shared' }));
    const b = await write('b', fakeKubeconfigYaml({ ...fakeTls, url: 'https://127.0.0.1:2222' }, { contexts: [{ name: 'shared', namespace: 'from-b' }, { name: 'only-b' }], current: 'only-b' }));
    const t = loadKubeTarget({}, { KUBECONFIG: [join(dir, 'missing'), a, b].join(delimiter) });
    expect(t.context).toBe('shared');
    expect(t.server).toBe('https://127.0.0.1:1111');
    expect(t.scope).toEqual({ all: false, namespace: 'from-a', why: 'namespace from-a (from the context)' });
    const t2 = loadKubeTarget({ context: 'only-b' }, { KUBECONFIG: [a, b].join(delimiter) });
    expect(t2.context).toBe('only-b');
  });

  it('KUBECONFIG naming no existing file is an error', () => {
    const e = userError(() => loadKubeTarget({}, { KUBECONFIG: join(dir, 'x') }));
    expect(e.message).toBe(`KUBECONFIG names no existing file (${join(dir, 'x')})`);
  });

  it('without --kubeconfig and KUBECONFIG, ~/.kube/config is read; without it, the error says what was tried', async () => {
    const e = userError(() => loadKubeTarget({}, {}, dir));
    expect(e.message).toBe(`no kubeconfig found: --kubeconfig not given, KUBECONFIG not set, and ${join(dir, '.kube', 'config')} does not exist`);
    mkdirSync(join(dir, '.kube'));
    await write('.kube/config', fakeKubeconfigYaml(fakeTls, { contexts: [{ name: 'home' }] }));
    expect(loadKubeTarget({}, {}, dir).context).toBe('home');
  });

  it('--kubeconfig wins over KUBECONFIG', async () => {
    const a = await write('a', fakeKubeconfigYaml(fakeTls, { contexts: [{ name: 'from-flag' }] }));
    const b = await write('b', fakeKubeconfigYaml(fakeTls, { contexts: [{ name: 'from-env' }] }));
    expect(loadKubeTarget({ kubeconfig: a }, { KUBECONFIG: b }).context).toBe('from-flag');
  });
});

describe('proxy', () => {
  it('HTTPS_PROXY applies to an https server unless NO_PROXY matches it (Go rules, as kubectl); proxy-url in the kubeconfig wins', async () => {
    const remote = { ...fakeTls, url: 'https://api.cluster.example:6443' };
    const kc = await write('kc', fakeKubeconfigYaml(remote));
    const t = loadKubeTarget({ kubeconfig: kc }, { HTTPS_PROXY: 'proxy.corp:3128' });
    expect(t.proxy).toEqual({ url: 'http://proxy.corp:3128/', from: 'environment' });
    expect(t.kc.getCurrentCluster()?.proxyUrl).toBe('http://proxy.corp:3128/');
    expect(loadKubeTarget({ kubeconfig: kc }, { HTTPS_PROXY: 'proxy.corp:3128', NO_PROXY: '.example' }).proxy).toBeUndefined();
    // An https server never uses HTTP_PROXY, and loopback is never proxied.
    expect(loadKubeTarget({ kubeconfig: kc }, { HTTP_PROXY: 'proxy.corp:3128' }).proxy).toBeUndefined();
    const local = await write('local', fakeKubeconfigYaml(fakeTls));
    expect(loadKubeTarget({ kubeconfig: local }, { HTTPS_PROXY: 'proxy.corp:3128' }).proxy).toBeUndefined();
    const withUrl = await write('pu', fakeKubeconfigYaml(remote).replace('server: https://api.cluster.example:6443', 'server: https://api.cluster.example:6443\n      proxy-url: socks5://127.0.0.1:1080'));
    expect(loadKubeTarget({ kubeconfig: withUrl }, { HTTPS_PROXY: 'proxy.corp:3128' }).proxy).toEqual({ url: 'socks5://127.0.0.1:1080', from: 'proxy-url' });
  });
});

describe('namespace scope', () => {
  it('-n wins, then the context namespace, else all namespaces — and the reason is said', () => {
    expect(chooseScope({ namespace: 'apps' }, 'flux-system')).toEqual({ all: false, namespace: 'apps', why: 'namespace apps (-n)' });
    expect(chooseScope({}, 'flux-system')).toEqual({ all: false, namespace: 'flux-system', why: 'namespace flux-system (from the context)' });
    expect(chooseScope({}, undefined)).toEqual({ all: true, why: 'all namespaces (the context sets no namespace)' });
    expect(chooseScope({ allNamespaces: true }, 'flux-system')).toEqual({ all: true, why: 'all namespaces (-A)' });
  });

  it('-n together with -A is an error', () => {
    const e = userError(() => chooseScope({ namespace: 'a', allNamespaces: true }, undefined));
    expect(e.message).toBe('--namespace and --all-namespaces are mutually exclusive');
  });

  it('the label for the status bar names the context and the scope', async () => {
    const kc = await write('kc', fakeKubeconfigYaml(fakeTls, { contexts: [{ name: 'kind-flux' }] }));
    expect(loadKubeTarget({ kubeconfig: kc }, {}).label).toBe('context kind-flux · all namespaces (the context sets no namespace)');
  });

  it('with a namespace the label says it limits the events (-n or the context default); Alerts are read cluster-wide', async () => {
    const kc = await write('kc', fakeKubeconfigYaml(fakeTls, { contexts: [{ name: 'kind-flux', namespace: 'flux-system' }] }));
    expect(loadKubeTarget({ kubeconfig: kc }, {}).label).toBe('context kind-flux · events: flux-system (context)');
    expect(loadKubeTarget({ kubeconfig: kc, namespace: 'apps' }, {}).label).toBe('context kind-flux · events: apps (-n)');
  });
});
