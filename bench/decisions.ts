// Benchmark (issue: decision core): decide 100k events against 100 alerts in one process and
// compare with only JSON.parse of the same NDJSON. Target: decisions ≤ 3× the parse time.

import { performance } from 'node:perf_hooks';
import { Catalog } from '../src/flux/catalog.js';
import { fluxInput } from '../src/flux/event-input.js';
import { decodeFluxEvent } from '../src/flux/event-json.js';
import { RateLimiter } from '../src/flux/ratelimit.js';
import type { Alert, OtherObject, Provider, Secret } from '../src/flux/types.js';
import { stringMap } from '../src/flux/types.js';
import { createNotifierFromRegistry } from '../src/providers/registry.js';
import { Pipeline } from '../src/runner/pipeline.js';

const KINDS = ['Kustomization', 'HelmRelease', 'GitRepository', 'OCIRepository', 'HelmRepository'];
const NAMESPACES = ['flux-system', 'apps', 'monitoring', 'team-a', 'team-b'];
const GROUPS: Record<string, string> = {
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1', HelmRelease: 'helm.toolkit.fluxcd.io/v2', GitRepository: 'source.toolkit.fluxcd.io/v1',
  OCIRepository: 'source.toolkit.fluxcd.io/v1beta2', HelmRepository: 'source.toolkit.fluxcd.io/v1',
};
const src = { file: 'bench', doc: 0 };

export function world(nAlerts = 100) {
  const providers: Provider[] = [];
  const secrets: Secret[] = [];
  const alerts: Alert[] = [];
  const others: OtherObject[] = [];
  for (const ns of NAMESPACES) {
    const spec = { type: 'slack', address: 'https://hooks.slack.com/services/T/B/X', channel: 'alerts' };
    providers.push({ kind: 'Provider', apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', metadata: { name: 'slack', namespace: ns, uid: `uid-${ns}` }, spec, object: { spec }, source: src });
    const gspec = { type: 'generic-hmac', address: 'https://hooks.example/flux', secretRef: { name: 'hmac' } };
    providers.push({ kind: 'Provider', apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', metadata: { name: 'hook', namespace: ns, uid: `uid2-${ns}` }, spec: gspec, object: { spec: gspec }, source: src });
    secrets.push({ kind: 'Secret', apiVersion: 'v1', metadata: { name: 'hmac', namespace: ns }, data: { token: Buffer.from('k') }, object: {}, source: src });
    for (let i = 0; i < 20; i++) {
      const kind = KINDS[i % KINDS.length]!;
      others.push({ kind, apiVersion: GROUPS[kind]!, metadata: { name: `app-${i}`, namespace: ns, labels: stringMap([['team', i % 2 ? 'a' : 'b']]) }, object: {}, source: src });
    }
  }
  for (let i = 0; i < nAlerts; i++) {
    const ns = NAMESPACES[i % NAMESPACES.length]!;
    const kind = KINDS[i % KINDS.length]!;
    const mode = i % 4;
    const spec: Alert['spec'] = {
      providerRef: { name: i % 3 ? 'slack' : 'hook' },
      eventSeverity: i % 5 === 0 ? 'error' : 'info',
      eventSources: [
        mode === 0 ? { kind, name: '*' } : mode === 1 ? { kind, name: `app-${i % 20}` } : mode === 2 ? { kind, name: '*', matchLabels: stringMap([['team', 'a']]) } : { kind, name: '*', namespace: NAMESPACES[(i + 1) % 5]! },
        { kind: KINDS[(i + 2) % KINDS.length]!, name: '*' },
      ],
      ...(i % 3 === 0 ? { inclusionList: ['(?i)reconciliation', 'failed after \\d+s'] } : {}),
      ...(i % 7 === 0 ? { exclusionList: ['^Dependencies do not meet', 'timeout waiting for: \\[Deployment'] } : {}),
      eventMetadata: stringMap([['cluster', 'bench']]),
    };
    alerts.push({ kind: 'Alert', apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', metadata: { name: `alert-${i}`, namespace: ns, uid: `a-${i}` }, spec, object: { spec }, source: src });
  }
  return { alerts, providers, secrets, others };
}

export function ndjson(n: number): string[] {
  const lines: string[] = [];
  const reasons = ['ReconciliationSucceeded', 'HealthCheckFailed', 'Progressing', 'ArtifactFailed', 'UpgradeSucceeded'];
  for (let i = 0; i < n; i++) {
    const kind = KINDS[i % KINDS.length]!;
    const error = i % 4 === 0;
    lines.push(JSON.stringify({
      involvedObject: { kind, namespace: NAMESPACES[(i >> 3) % 5], name: `app-${i % 20}`, uid: `u-${i % 100}`, apiVersion: GROUPS[kind], resourceVersion: String(1000 + i) },
      severity: error ? 'error' : 'info',
      timestamp: '2026-11-21T09:00:00Z',
      message: error ? `health check failed after ${i % 300}s: timeout waiting for: [Deployment/apps/app-${i % 20} status: 'InProgress']` : `Reconciliation finished in ${i % 90}s, next run in 10m0s (#${i})`,
      reason: reasons[i % reasons.length],
      metadata: { [`${GROUPS[kind]!.split('/')[0]}/revision`]: `main@sha1:${(i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(5)}` },
      reportingController: 'kustomize-controller',
      reportingInstance: 'kustomize-controller-abc',
    }));
  }
  return lines;
}

export function runDecisionBench(nEvents = 100_000, nAlerts = 100) {
  const lines = ndjson(nEvents);
  const w = world(nAlerts);
  const catalog = new Catalog(w);
  // warm up both paths (JIT), then measure
  for (const l of lines.slice(0, 2000)) JSON.parse(l);
  const warm = new Pipeline(catalog, new RateLimiter(5 * 60_000), { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: createNotifierFromRegistry });
  for (const l of lines.slice(0, 2000)) warm.process(fluxInput(decodeFluxEvent(l)), 0);

  let t = performance.now();
  let sink = 0;
  for (const l of lines) sink += (JSON.parse(l) as { message: string }).message.length;
  const parseMs = performance.now() - t;

  const events = lines.map((l) => fluxInput(decodeFluxEvent(l)));
  const pipeline = new Pipeline(catalog, new RateLimiter(5 * 60_000), { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: createNotifierFromRegistry });
  let dispatched = 0;
  let matched = 0;
  t = performance.now();
  for (let i = 0; i < events.length; i++) {
    const p = pipeline.process(events[i]!, i);
    for (const a of p.decision?.evaluated ?? []) {
      if (a.matched) matched++;
      if (a.outcome === 'dispatched') dispatched++;
    }
  }
  const decideMs = performance.now() - t;

  t = performance.now();
  for (const l of lines) decodeFluxEvent(l);
  const goDecodeMs = performance.now() - t;
  return { nEvents, nAlerts, parseMs, decideMs, goDecodeMs, ratio: decideMs / parseMs, matched, dispatched, sink };
}
