// Choosing the cluster as kubectl does: --kubeconfig, else $KUBECONFIG (files merged, first one wins
// for every name), else ~/.kube/config, else the in-cluster service account; then --context
// (validated: client-node's setCurrentContext accepts any name) and the namespace scope.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { UserError } from '../../errors.js';
import { proxyConfigFromEnv, proxyForURL } from '../../transport/proxyenv.js';

export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
}

/** The variables read: KUBECONFIG, KUBERNETES_SERVICE_HOST, HTTP(S)_PROXY and NO_PROXY (either case). */
export type KubeEnv = Record<string, string | undefined>;

export type NamespaceScope =
  | { all: true; namespace?: undefined; why: string }
  | { all: false; namespace: string; why: string };

export interface KubeTarget {
  kc: KubeConfig;
  context: string;
  server: string;
  scope: NamespaceScope;
  /** Where the configuration came from, for messages. */
  origin: string;
  /** The proxy used and where it came from, when there is one. */
  proxy?: { url: string; from: 'proxy-url' | 'environment' };
  /** For the status bar: "context kind-flux · events: flux-system (context)" — the first line is narrow. */
  label: string;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function loadFile(path: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    // Invalid entries are dropped so one broken context does not hide the others; the chosen
    // context is checked below, with a precise message.
    kc.loadFromFile(path, { onInvalidEntry: 'filter' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UserError(`cannot load kubeconfig ${path}: ${why}`, 'pass --kubeconfig PATH or set KUBECONFIG to a readable kubeconfig file');
  }
  return kc;
}

/** kubectl's merge of $KUBECONFIG: missing files are skipped, the first file to name a cluster,
 * user or context wins, and current-context comes from the first file that sets it. */
function mergeFiles(paths: string[]): KubeConfig {
  const clusters: Cluster[] = [];
  const users: User[] = [];
  const contexts: Context[] = [];
  let current = '';
  for (const p of paths) {
    const kc = loadFile(p);
    for (const c of kc.getClusters()) if (!clusters.some((x) => x.name === c.name)) clusters.push(c);
    for (const u of kc.getUsers()) if (!users.some((x) => x.name === u.name)) users.push(u);
    for (const c of kc.getContexts()) if (!contexts.some((x) => x.name === c.name)) contexts.push(c);
    if (!current && kc.getCurrentContext()) current = kc.getCurrentContext();
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters, users, contexts, currentContext: current });
  return kc;
}

function loadConfig(flags: KubeFlags, env: KubeEnv, home: string): { kc: KubeConfig; origin: string } {
  if (flags.kubeconfig) return { kc: loadFile(flags.kubeconfig), origin: flags.kubeconfig };
  if (env.KUBECONFIG) {
    const all = env.KUBECONFIG.split(delimiter).filter(Boolean);
    const present = all.filter((p) => existsSync(p));
    if (present.length === 0) {
      throw new UserError(`KUBECONFIG names no existing file (${all.join(delimiter) || 'empty'})`, 'point KUBECONFIG at your kubeconfig, or pass --kubeconfig PATH');
    }
    return { kc: mergeFiles(present), origin: `KUBECONFIG (${present.join(delimiter)})` };
  }
  const def = join(home, '.kube', 'config');
  if (existsSync(def)) return { kc: loadFile(def), origin: def };
  if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return { kc, origin: 'in-cluster service account' };
  }
  throw new UserError(`no kubeconfig found: --kubeconfig not given, KUBECONFIG not set, and ${def} does not exist`, 'pass --kubeconfig PATH, set KUBECONFIG, or replay a recording with --fixtures DIR');
}

/** -n / -A / the context's namespace, else all namespaces; `why` is shown on screen. */
export function chooseScope(flags: KubeFlags, contextNamespace: string | undefined): NamespaceScope {
  if (flags.allNamespaces && flags.namespace) {
    throw new UserError('--namespace and --all-namespaces are mutually exclusive', 'pass one of -n NAMESPACE or -A');
  }
  if (flags.allNamespaces) return { all: true, why: 'all namespaces (-A)' };
  if (flags.namespace !== undefined) {
    if (flags.namespace === '') throw new UserError('--namespace needs a value', 'e.g. -n flux-system, or -A for all namespaces');
    return { all: false, namespace: flags.namespace, why: `namespace ${flags.namespace} (-n)` };
  }
  if (contextNamespace) return { all: false, namespace: contextNamespace, why: `namespace ${contextNamespace} (from the context)` };
  return { all: true, why: 'all namespaces (the context sets no namespace)' };
}

/** Loads and validates the kubeconfig and context. Throws UserError with the known contexts. */
export function loadKubeTarget(flags: KubeFlags, env: KubeEnv = process.env, home: string = homedir()): KubeTarget {
  const { kc, origin } = loadConfig(flags, env, home);
  const known = kc.getContexts().map((c) => c.name);
  const list = known.length ? known.join(', ') : '(none)';
  const name = flags.context ?? kc.getCurrentContext();
  if (!name) {
    throw new UserError(`no context chosen: ${origin} has no current-context and --context was not given`, `pass --context NAME; known contexts: ${list}`);
  }
  const ctx = kc.getContextObject(name);
  if (!ctx) {
    const what = flags.context ? `context "${name}" not found in ${origin}` : `current-context "${name}" of ${origin} names no context`;
    throw new UserError(what, `known contexts: ${list}`);
  }
  kc.setCurrentContext(name);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) {
    throw new UserError(`context "${name}" refers to cluster "${ctx.cluster}", which is not in ${origin} (or is invalid)`, 'fix the kubeconfig, or pick another context with --context');
  }
  if (!cluster.server) throw new UserError(`cluster "${ctx.cluster}" has no server defined`, 'fix the kubeconfig');
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    throw new UserError(`cluster "${ctx.cluster}" uses ${cluster.server}: plain HTTP is refused unless the cluster sets insecure-skip-tls-verify: true`, 'use the https:// address, or set insecure-skip-tls-verify: true for a local test cluster');
  }
  if (ctx.user && !kc.getUser(ctx.user)) {
    throw new UserError(`context "${name}" refers to user "${ctx.user}", which is not in ${origin}`, 'fix the kubeconfig, or pick another context with --context');
  }
  const scope = chooseScope(flags, ctx.namespace);
  // -n narrows the Events only (Alerts and Providers are read cluster-wide): the label says so.
  const label = scope.all ? `context ${name} · ${scope.why}` : `context ${name} · events: ${scope.namespace} (${flags.namespace !== undefined ? '-n' : 'context'})`;
  const target: KubeTarget = { kc, context: name, server: cluster.server, scope, origin, label };
  if (cluster.proxyUrl) target.proxy = { url: cluster.proxyUrl, from: 'proxy-url' };
  else {
    // kubectl (client-go) honours HTTPS_PROXY/HTTP_PROXY/NO_PROXY with Go's rules when the
    // kubeconfig sets no proxy-url; client-node ignores them. Setting proxy-url on our copy of the
    // cluster makes client-node's own proxy agent carry the traffic.
    const envProxy = proxyForURL(proxyConfigFromEnv(env), new URL(cluster.server));
    if (envProxy) {
      const proxied = { ...cluster, proxyUrl: envProxy.href };
      kc.clusters = kc.clusters.map((c) => (c === cluster ? proxied : c));
      target.proxy = { url: envProxy.href, from: 'environment' };
    }
  }
  return target;
}
