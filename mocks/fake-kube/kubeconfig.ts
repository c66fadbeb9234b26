// A kubeconfig pointing at a FakeKube: one cluster, one token user, any number of contexts — or
// the exact shape `kind create cluster` writes (client certificate and key data, no token).

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FakeKube } from './server.js';
import { FAKE_KUBE_CLIENT_CERT_PEM, FAKE_KUBE_CLIENT_KEY_PEM } from './tls.js';

export interface FakeContext {
  name: string;
  namespace?: string;
  /** Defaults to the fake's cluster. Name an unknown one to test validation. */
  cluster?: string;
}

export interface FakeKubeconfigOptions {
  contexts?: FakeContext[];
  /** current-context; default the first context. `null` leaves it unset. */
  current?: string | null;
  /** Token written for the user; default the fake's token. */
  token?: string;
  /** The whole `user:` entry instead of a token (exec plugin, client certificate, nothing at all). */
  user?: Record<string, unknown>;
}

export function fakeKubeconfigYaml(fk: Pick<FakeKube, 'url' | 'tls' | 'caPem' | 'token'>, o: FakeKubeconfigOptions = {}): string {
  const contexts = o.contexts ?? [{ name: 'fake', namespace: 'flux-system' }];
  // client-node refuses http:// unless the cluster skips TLS verification.
  const cluster: Record<string, unknown> = { server: fk.url };
  if (fk.tls) cluster['certificate-authority-data'] = Buffer.from(fk.caPem).toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  const doc: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake-cluster', cluster }],
    users: [{ name: 'fake-user', user: o.user ?? { token: o.token ?? fk.token ?? 'any' } }],
    contexts: contexts.map((c) => {
      const context: Record<string, unknown> = { cluster: c.cluster ?? 'fake-cluster', user: 'fake-user' };
      if (c.namespace) context.namespace = c.namespace;
      return { name: c.name, context };
    }),
  };
  const current = o.current === undefined ? contexts[0]?.name : o.current;
  if (current) doc['current-context'] = current;
  return stringify(doc);
}

/** Writes `<dir>/kubeconfig` and returns its path. */
export async function writeFakeKubeconfig(fk: Pick<FakeKube, 'url' | 'tls' | 'caPem' | 'token'>, dir: string, o: FakeKubeconfigOptions = {}, file = 'kubeconfig'): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, fakeKubeconfigYaml(fk, o), { mode: 0o600 });
  return path;
}

export interface KindKubeconfigOptions {
  /** The kind cluster name: cluster, user and context are all `kind-<name>`. */
  name?: string;
  certPem?: string;
  keyPem?: string;
  /** The CA the kubeconfig trusts; default the fake's. */
  caPem?: string;
}

/** What `kind create cluster --name dev` writes into ~/.kube/config, pointing at the fake. */
export function kindKubeconfigYaml(fk: Pick<FakeKube, 'url' | 'caPem'>, o: KindKubeconfigOptions = {}): string {
  const name = `kind-${o.name ?? 'dev'}`;
  const b64 = (pem: string) => Buffer.from(pem).toString('base64');
  return stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(o.caPem ?? fk.caPem), server: fk.url }, name }],
    contexts: [{ context: { cluster: name, user: name }, name }],
    'current-context': name,
    kind: 'Config',
    preferences: {},
    users: [{ name, user: { 'client-certificate-data': b64(o.certPem ?? FAKE_KUBE_CLIENT_CERT_PEM), 'client-key-data': b64(o.keyPem ?? FAKE_KUBE_CLIENT_KEY_PEM) } }],
  });
}
