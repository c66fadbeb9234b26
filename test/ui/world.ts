// Runners over small hand-built scenarios for the TUI tests: real decisions (Catalog, Pipeline,
// the provider registry), deliveries answered by a fake so each outcome is chosen by the test.

import { Catalog } from '../../src/flux/catalog.js';
import { fluxInput } from '../../src/flux/event-input.js';
import { RateLimiter } from '../../src/flux/ratelimit.js';
import { stringMap, type Alert, type FluxEvent, type Provider, type Secret } from '../../src/flux/types.js';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import type { DeliveryResult } from '../../src/runner/delivery.js';
import { Pipeline } from '../../src/runner/pipeline.js';
import { Runner, type DeliverFn } from '../../src/runner/runner.js';
import { alert, event, provider } from '../flux/build.js';

export { alert, event, provider };

/** A delivery as the delivery layer reports it, failing for providers named in `failFor`. */
export function fakeDeliver(failFor: string[] = []): DeliverFn & { calls: Array<{ alert: string; mode: string }> } {
  const calls: Array<{ alert: string; mode: string }> = [];
  const fn = async (d: Parameters<DeliverFn>[0], mode: Parameters<DeliverFn>[1]): Promise<DeliveryResult> => {
    const alertId = `${d.alert.metadata.namespace}/${d.alert.metadata.name}`;
    const providerId = `${d.provider.metadata.namespace}/${d.provider.metadata.name}`;
    calls.push({ alert: alertId, mode });
    const fail = failFor.includes(providerId);
    return {
      alert: alertId,
      provider: providerId,
      type: d.provider.spec.type,
      mode,
      outcome: fail ? 'failed' : 'delivered',
      status: fail ? 404 : 200,
      ok: !fail,
      ...(fail ? { error: 'postMessage failed: failed to post to the webhook: 404 Not Found', controllerEvent: { reason: 'NotificationDispatchFailed', message: 'failed to send notification for Kustomization/flux-system/apps: 404' } } : {}),
      requests: [{ method: 'POST', url: 'https://hooks.slack.com/services/*****', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer *****' }, body: { text: d.notification.message, marker: 'BODY-MARKER' }, bodyText: JSON.stringify({ text: d.notification.message }) }],
      replies: [{ status: fail ? 404 : 200, body: fail ? 'no_service' : 'ok' }],
      durationMs: 3,
      attempts: [1],
    };
  };
  return Object.assign(fn, { calls });
}

export interface World {
  alerts?: Alert[];
  providers?: Provider[];
  secrets?: Secret[];
  sendAllowed?: boolean;
  mode?: 'mock' | 'real';
  deliver?: DeliverFn;
  historySize?: number;
  startPaused?: boolean;
}

export function makeRunner(w: World = {}): Runner {
  const catalog = new Catalog({ alerts: w.alerts ?? [], providers: w.providers ?? [], secrets: w.secrets ?? [], others: [] });
  const pipeline = new Pipeline(catalog, new RateLimiter(5 * 60_000), { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: createNotifierFromRegistry });
  const runner = new Runner({
    pipeline,
    deliver: w.deliver ?? fakeDeliver(),
    mode: w.mode ?? 'mock',
    sendAllowed: w.sendAllowed ?? false,
    historySize: w.historySize,
    eventClock: 'event',
    startPaused: w.startPaused,
  });
  runner.sourceLabel = 'test/fixtures/scenario';
  return runner;
}

/** The scenario most tests use: two Slack alerts on Kustomizations, one of them errors-only. */
export function standardWorld(extra: World = {}): Runner {
  return makeRunner({
    alerts: [
      alert('flux-system', 'on-call', { eventSeverity: 'error', providerRef: { name: 'slack' } }),
      alert('flux-system', 'everything', { providerRef: { name: 'slack' }, eventMetadata: stringMap([['cluster', 'prod-eu-1']]) }),
      alert('flux-system', 'helm-only', { eventSources: [{ kind: 'HelmRelease', name: '*' }] }),
    ],
    providers: [provider('flux-system', 'slack')],
    ...extra,
  });
}

let second = 0;
/** A Kustomization event with its own timestamp (so the rate limiter does not merge them). */
export function kevent(name: string, over: Partial<FluxEvent> = {}): FluxEvent {
  second++;
  const ts = new Date(Date.UTC(2026, 10, 21, 9, 0, second)).toISOString().replace('.000Z', 'Z');
  return event({ involvedObject: { kind: 'Kustomization', namespace: 'flux-system', name, apiVersion: 'kustomize.toolkit.fluxcd.io/v1' }, timestamp: ts, message: `reconciled ${name} (${second})`, ...over });
}

export function ingest(runner: Runner, ...events: FluxEvent[]) {
  for (const e of events) runner.ingest(fluxInput(e));
}
