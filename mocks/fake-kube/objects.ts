// Builders for the objects tests put on the fake API server: core/v1 Events written the way a Flux
// controller's recorder writes them (spec §1.5), Alerts, Providers, Secrets and Flux objects.

import type { KubeObject } from './server.js';

export interface FluxEventSpec {
  namespace?: string;
  /** involvedObject */
  kind?: string;
  name: string;
  apiVersion?: string;
  reason?: string;
  message?: string;
  type?: 'Normal' | 'Warning';
  controller?: string;
  annotations?: Record<string, string>;
  /** Event object name; default `<name>.<hex nanos>` as client-go names them. */
  eventName?: string;
  at?: Date;
  count?: number;
}

const seconds = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
let seq = 0;

const GROUP_VERSION: Record<string, string> = {
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  GitRepository: 'source.toolkit.fluxcd.io/v1',
  HelmRelease: 'helm.toolkit.fluxcd.io/v2',
};

const CONTROLLER: Record<string, string> = {
  Kustomization: 'kustomize-controller',
  GitRepository: 'source-controller',
  HelmRelease: 'helm-controller',
};

/** A core/v1 Event as client-go's recorder writes it for a Flux controller. */
export function fluxEvent(s: FluxEventSpec): KubeObject {
  const kind = s.kind ?? 'Kustomization';
  const ns = s.namespace ?? 'flux-system';
  const at = s.at ?? new Date();
  const controller = s.controller ?? CONTROLLER[kind] ?? 'kustomize-controller';
  const name = s.eventName ?? `${s.name}.${(BigInt(at.getTime()) * 1_000_000n + BigInt(++seq)).toString(16)}`;
  const ev: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: ns },
    involvedObject: { kind, namespace: ns, name: s.name, uid: `obj-${s.name}`, apiVersion: s.apiVersion ?? GROUP_VERSION[kind] ?? 'kustomize.toolkit.fluxcd.io/v1', resourceVersion: '1' },
    reason: s.reason ?? 'ReconciliationSucceeded',
    message: s.message ?? 'Reconciliation finished in 1.2s, next run in 10m0s',
    source: { component: controller },
    firstTimestamp: seconds(at),
    lastTimestamp: seconds(at),
    count: s.count ?? 1,
    type: s.type ?? 'Normal',
    eventTime: null,
    reportingComponent: controller,
    reportingInstance: '',
  };
  if (s.annotations) ev.metadata.annotations = { ...s.annotations };
  return ev;
}

/** The PATCH client-go makes for a repeat of the same event: count + 1, new lastTimestamp, annotations kept. */
export function bumpCount(ev: KubeObject, at = new Date()): void {
  ev.count = (typeof ev.count === 'number' ? ev.count : 1) + 1;
  ev.lastTimestamp = seconds(at);
}

export function alert(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Alert', metadata: { name, namespace }, spec };
}

export function provider(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Provider', metadata: { name, namespace }, spec };
}

export function secret(namespace: string, name: string, data: Record<string, string>): KubeObject {
  const enc: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) enc[k] = Buffer.from(v).toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', data: enc };
}

export function kustomization(namespace: string, name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace, labels },
    spec: { interval: '10m', path: './', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
  };
}
