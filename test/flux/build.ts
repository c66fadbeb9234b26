// Builders for decision-core tests: objects as the manifest loader produces them.

import { Catalog } from '../../src/flux/catalog.js';
import { decide, intake, type DecideOptions } from '../../src/flux/decide.js';
import type { Alert, AlertSpec, FluxEvent, OtherObject, Provider, ProviderSpec, Secret } from '../../src/flux/types.js';
import { stringMap } from '../../src/flux/types.js';

const src = { file: 'test.yaml', doc: 0 };

export function alert(ns: string, name: string, spec: Partial<AlertSpec> = {}): Alert {
  const full: AlertSpec = {
    providerRef: { name: 'slack' },
    eventSeverity: 'info',
    eventSources: [{ kind: 'Kustomization', name: '*' }],
    ...spec,
  };
  return {
    kind: 'Alert',
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    metadata: { name, namespace: ns, uid: `uid-${name}` },
    spec: full,
    object: { apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Alert', metadata: { name, namespace: ns }, spec: full },
    source: src,
  };
}

export function provider(ns: string, name: string, spec: Partial<ProviderSpec> = {}, uid = '0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a'): Provider {
  const full: ProviderSpec = { type: 'slack', address: 'https://hooks.slack.com/services/T/B/X', ...spec };
  return {
    kind: 'Provider',
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    metadata: { name, namespace: ns, uid },
    spec: full,
    object: { apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Provider', metadata: { name, namespace: ns, uid }, spec: full },
    source: src,
  };
}

export function secret(ns: string, name: string, data: Record<string, string>): Secret {
  const d: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(data)) d[k] = Buffer.from(v, 'utf8');
  return { kind: 'Secret', apiVersion: 'v1', metadata: { name, namespace: ns }, data: d, object: {}, source: src };
}

export function object(apiVersion: string, kind: string, ns: string, name: string, labels?: Record<string, string>): OtherObject {
  return { kind, apiVersion, metadata: { name, namespace: ns, labels: labels ? stringMap(Object.entries(labels)) : undefined }, object: {}, source: src };
}

export function event(over: Partial<FluxEvent> & { involvedObject?: FluxEvent['involvedObject'] } = {}): FluxEvent {
  return {
    involvedObject: {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'podinfo',
      uid: '7d0cdc51-ddcf-4743-b223-83ca5c699632',
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      resourceVersion: '123456',
    },
    severity: 'info',
    timestamp: '2025-06-01T12:00:00Z',
    message: 'Applied revision: main@sha1:abc123',
    reason: 'ReconciliationSucceeded',
    metadata: stringMap([['kustomize.toolkit.fluxcd.io/revision', 'main@sha1:abc123']]),
    reportingController: 'kustomize-controller',
    reportingInstance: 'kustomize-controller-5f6b8d9c7d-x2x4z',
    ...over,
  };
}

/** A notifier factory that accepts every type; tests of constructor errors pass their own. */
export const acceptAll = () => ({});

export function run(
  e: FluxEvent,
  objs: { alerts?: Alert[]; providers?: Provider[]; secrets?: Secret[]; others?: OtherObject[] },
  opts: Partial<DecideOptions> = {},
) {
  const catalog = new Catalog({ alerts: objs.alerts ?? [], providers: objs.providers ?? [], secrets: objs.secrets ?? [], others: objs.others ?? [] });
  return decide(intake(e).event, catalog, { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: acceptAll, ...opts });
}
