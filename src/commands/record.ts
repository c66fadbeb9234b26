// `record`: watches a cluster like the TUI does and writes a scenario that --fixtures / replay can
// play back: events.ndjson (one Kubernetes Event per emission, with delayMs from the real spacing)
// and manifests/ (the Alerts, Providers, referenced Secrets and labelled objects seen). Secret
// values are redacted unless --include-secrets, keeping their shape (URLs keep scheme and host)
// so that replayed decisions stay the same.

import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { UserError } from '../errors.js';
import { ClusterWatch, type ClusterWatchOptions } from '../sources/cluster/cluster-watch.js';
import type { Emission } from '../sources/cluster/emissions.js';
import type { Json } from '../sources/cluster/http.js';
import { loadKubeTarget, type KubeEnv } from '../sources/cluster/kubeconfig.js';
import { parseGoDuration } from '../transport/duration.js';
import type { Io } from './index.js';

export const RECORD_HELP = `flux-notify-tui record [--kubeconfig PATH] [--context NAME] [-n NS | -A] --out PATH
                      [--include-secrets] [--history] [--duration D] [--count N]

Watches a cluster as the TUI does and writes a scenario that --fixtures (and replay --events) plays
back: the Flux events as they happen, one line per emission with delayMs from their real spacing,
and the Alerts, Providers, referenced Secrets and labelled objects seen. Stops on Ctrl-C, after
--duration or after --count events.

      --kubeconfig PATH    default: $KUBECONFIG (merged), else ~/.kube/config
      --context NAME       default: the current context (an unknown name is an error listing the known ones)
  -n, --namespace NS       events of this namespace (default: the context's, else all); Alerts and
                           Providers are read in all namespaces, as the controller does, when RBAC allows
  -A, --all-namespaces
      --out PATH           a scenario directory (PATH/events.ndjson + PATH/manifests/), or a .ndjson
                           file (manifests/ next to it)
      --include-secrets    write Secret values as they are (default: redacted, shape kept)
      --history            also write the events the cluster already held at start
      --duration D         stop after this long (Go duration: 30s, 10m)
      --count N            stop after N live events

Exit codes: 0 recorded; 2 bad usage or no usable kubeconfig/context.
`;

export const RECORD_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  out: { type: 'string' },
  'include-secrets': { type: 'boolean' },
  history: { type: 'boolean' },
  duration: { type: 'string' },
  count: { type: 'string' },
} as const;

export interface RecordDeps {
  signal?: AbortSignal;
  env?: KubeEnv;
  /** Watch tuning (tests use short backoffs). */
  watch?: ClusterWatchOptions;
  now?: () => number;
}

/** Values that are not secret and that notifiers parse (CA certificates). */
const PUBLIC_KEYS = new Set(['ca.crt', 'tls.crt', 'caFile', 'certFile']);
export const REDACTED = 'REDACTED';
const REDACTED_ANNOTATION = 'flux-notify-tui/redacted';

/** One Secret value with its shape kept: URLs keep scheme and host, header maps keep their names. */
export function redactValue(key: string, value: string): string {
  if (PUBLIC_KEYS.has(key)) return value;
  const text = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(text)) {
    try {
      const u = new URL(text);
      if (u.host) return `${u.protocol}//${u.host}/${REDACTED}`;
    } catch {
      // not a URL after all
    }
  }
  if (key === 'headers') {
    try {
      const m = parseYaml(text) as unknown;
      if (m && typeof m === 'object' && !Array.isArray(m)) {
        return stringify(Object.fromEntries(Object.keys(m).map((k) => [k, REDACTED])));
      }
    } catch {
      // not YAML: redacted whole below
    }
  }
  return REDACTED;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object as a manifest: server bookkeeping dropped, and kubectl's copy of the last apply
 * (which holds a Secret's values in clear) removed. */
export function cleanManifest(o: Json): Json {
  const m: Json = { ...(isObj(o.metadata) ? o.metadata : {}) };
  for (const k of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink']) delete m[k];
  if (isObj(m.annotations)) {
    const a = { ...m.annotations };
    delete a['kubectl.kubernetes.io/last-applied-configuration'];
    if (Object.keys(a).length) m.annotations = a;
    else delete m.annotations;
  }
  const out: Json = { apiVersion: o.apiVersion, kind: o.kind, metadata: m };
  for (const [k, v] of Object.entries(o)) if (!['apiVersion', 'kind', 'metadata', 'status'].includes(k)) out[k] = v;
  return out;
}

export function redactSecret(o: Json): Json {
  const s = cleanManifest(o);
  if (isObj(s.data)) {
    const data: Json = {};
    for (const [k, v] of Object.entries(s.data)) {
      const plain = Buffer.from(typeof v === 'string' ? v : '', 'base64').toString('utf8');
      data[k] = Buffer.from(redactValue(k, plain)).toString('base64');
    }
    s.data = data;
  }
  delete s.stringData;
  const m = s.metadata as Json;
  m.annotations = { ...(isObj(m.annotations) ? m.annotations : {}), [REDACTED_ANNOTATION]: 'true' };
  return s;
}

/** --out: a scenario directory, or a .ndjson file whose directory gets manifests/. */
export function recordPaths(out: string): { eventsFile: string; manifestsDir: string; scenarioDir: string } {
  if (/\.(nd)?jsonl?$/.test(out)) {
    const dir = dirname(out);
    return { eventsFile: out, manifestsDir: join(dir, 'manifests'), scenarioDir: dir };
  }
  return { eventsFile: join(out, 'events.ndjson'), manifestsDir: join(out, 'manifests'), scenarioDir: out };
}

/** An event line: delayMs first, then the Event as watched (minus managedFields). */
function eventLine(em: Emission, delayMs: number): string {
  const meta = { ...(isObj(em.obj.metadata) ? em.obj.metadata : {}) };
  delete meta.managedFields;
  return JSON.stringify({ delayMs, ...em.obj, metadata: meta }) + '\n';
}

const MANIFEST_FILES = ['alerts.yaml', 'providers.yaml', 'secrets.yaml', 'objects.yaml'];

async function writeManifests(dir: string, watch: ClusterWatch, includeSecrets: boolean): Promise<number> {
  const snap = watch.snapshot();
  const docs = (objs: Json[]) => objs.map((o) => stringify(o)).join('---\n');
  const byName = (a: Json, b: Json) => JSON.stringify(a.metadata).localeCompare(JSON.stringify(b.metadata));
  const objects = snap.objects.map((o) => {
    const m = o.metadata;
    const metadata: Json = { name: m.name, namespace: m.namespace };
    if (isObj(m.labels)) metadata.labels = m.labels;
    return { apiVersion: o.apiVersion, kind: o.kind, metadata } as Json;
  });
  const files: Array<[string, Json[]]> = [
    ['alerts.yaml', snap.alerts.map(cleanManifest).sort(byName)],
    ['providers.yaml', snap.providers.map(cleanManifest).sort(byName)],
    ['secrets.yaml', snap.secrets.map((s) => (includeSecrets ? cleanManifest(s) : redactSecret(s))).sort(byName)],
    ['objects.yaml', objects.sort(byName)],
  ];
  await mkdir(dir, { recursive: true });
  let n = 0;
  for (const [file, objs] of files) {
    n += objs.length;
    const header = `# recorded by flux-notify-tui from context ${watch.target.context}\n`;
    await writeFile(join(dir, file), header + docs(objs), { mode: file === 'secrets.yaml' ? 0o600 : 0o644 });
  }
  return n;
}

export async function runRecordCommand(values: Record<string, unknown>, io: Io, deps: RecordDeps = {}): Promise<number> {
  if (typeof values.out !== 'string' || values.out === '') throw new UserError('--out is required', 'e.g. --out fixtures/my-cluster (a scenario directory) or --out events.ndjson');
  let durationMs: number | undefined;
  if (typeof values.duration === 'string') {
    try {
      durationMs = parseGoDuration(values.duration);
    } catch (e) {
      throw new UserError(`invalid --duration ${JSON.stringify(values.duration)}: ${(e as Error).message}`, 'use a Go duration such as 30s or 10m');
    }
  }
  let maxCount: number | undefined;
  if (typeof values.count === 'string') {
    maxCount = Number(values.count);
    if (!Number.isInteger(maxCount) || maxCount <= 0) throw new UserError(`invalid --count ${JSON.stringify(values.count)}`, 'a positive whole number of events');
  }
  const flags: { kubeconfig?: string; context?: string; namespace?: string; allNamespaces?: boolean } = {};
  if (typeof values.kubeconfig === 'string') flags.kubeconfig = values.kubeconfig;
  if (typeof values.context === 'string') flags.context = values.context;
  if (typeof values.namespace === 'string') flags.namespace = values.namespace;
  if (values['all-namespaces'] === true) flags.allNamespaces = true;
  const target = loadKubeTarget(flags, deps.env ?? process.env);
  const paths = recordPaths(values.out);
  const includeSecrets = values['include-secrets'] === true;
  const withHistory = values.history === true;
  const now = deps.now ?? Date.now;

  await mkdir(dirname(paths.eventsFile), { recursive: true });
  try {
    const stray = (await readdir(paths.manifestsDir)).filter((f) => !MANIFEST_FILES.includes(f));
    if (stray.length) io.stderr.write(`warning: ${paths.manifestsDir} also holds ${stray.join(', ')}: replay loads them too\n`);
  } catch {
    // no manifests directory yet
  }
  const out: WriteStream = createWriteStream(paths.eventsFile, { flags: 'w' });
  const write = (s: string) => new Promise<void>((resolve, reject) => out.write(s, (e) => (e ? reject(e) : resolve())));

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  deps.signal?.addEventListener('abort', onSignal, { once: true });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let timer: NodeJS.Timeout | undefined;

  let live = 0;
  let written = 0;
  let lastLive: number | undefined;
  let lastHistory: number | undefined;
  let started: number | undefined;
  let writes = Promise.resolve();
  const watch = new ClusterWatch(
    target,
    {
      onEmission: (em) => {
        if (em.history && !withHistory) return;
        let delay: number;
        if (em.history) {
          // History is paced by the Events' own times.
          delay = lastHistory === undefined ? 0 : Math.max(0, em.seenAt - lastHistory);
          lastHistory = em.seenAt;
        } else {
          delay = Math.max(0, em.seenAt - (lastLive ?? started ?? em.seenAt));
          lastLive = em.seenAt;
          live++;
        }
        written++;
        const line = eventLine(em, Math.round(delay));
        writes = writes.then(() => write(line));
        const r = em.input.event.involvedObject;
        io.stderr.write(`${em.history ? 'history' : `+${Math.round(delay)}ms`} ${r.kind}/${r.namespace}/${r.name} ${em.input.event.reason}\n`);
        if (maxCount !== undefined && live >= maxCount) stop.abort();
      },
      onCatalog: (_c, why) => {
        if (started === undefined) started = now();
        io.stderr.write(`${why}\n`);
      },
      onNotice: (level, text) => io.stderr.write(`${level}: ${text}\n`),
      onConnection: (s) => {
        if (s.state === 'retrying' || s.state === 'failed') io.stderr.write(`${s.state}: ${s.detail}\n`);
      },
    },
    { ...(deps.now ? { now: deps.now } : {}), ...deps.watch },
  );
  io.stderr.write(`recording Flux events from ${watch.label} into ${paths.eventsFile}${withHistory ? ' (with history)' : ''}; Ctrl-C to stop\n`);
  watch.start();
  if (durationMs !== undefined) timer = setTimeout(onSignal, durationMs);
  if (!stop.signal.aborted) await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  if (timer) clearTimeout(timer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  deps.signal?.removeEventListener('abort', onSignal);
  await watch.stop();
  await writes;
  await new Promise<void>((resolve) => out.end(() => resolve()));
  const manifests = await writeManifests(paths.manifestsDir, watch, includeSecrets);
  // --fixtures DIR reads DIR/events.ndjson; another file name is replayed with -f and --events.
  const scenario = basename(paths.eventsFile) === 'events.ndjson';
  const how = scenario ? `flux-notify-tui --fixtures ${paths.scenarioDir}` : `flux-notify-tui replay -f ${paths.manifestsDir} --events ${paths.eventsFile}`;
  io.stderr.write(`recorded ${written} event(s) and ${manifests} manifest(s)${includeSecrets ? '' : ' (secret values redacted)'}; replay with: ${how}\n`);
  io.stdout.write(`${scenario ? paths.scenarioDir : paths.eventsFile}\n`);
  return 0;
}
