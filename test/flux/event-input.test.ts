import { describe, expect, it } from 'vitest';
import { decodeFluxEvent, EventDecodeError } from '../../src/flux/event-json.js';
import { EventInputError, parseEventInput } from '../../src/flux/event-input.js';
import { encodeEvent } from '../../src/flux/gojson.js';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import type { Notifier, PlannedHttpRequest } from '../../src/providers/types.js';
import { alert, provider, run } from './build.js';

const sample = {
  involvedObject: { kind: 'Kustomization', namespace: 'apps', name: 'webapp', uid: 'u1', apiVersion: 'kustomize.toolkit.fluxcd.io/v1', resourceVersion: '18211' },
  severity: 'error',
  timestamp: '2022-10-28T07:26:19Z',
  message: 'validation error',
  reason: 'ValidationFailed',
  metadata: { 'kustomize.toolkit.fluxcd.io/revision': 'main@sha1:731f' },
  reportingController: 'kustomize-controller',
  reportingInstance: 'kc-1',
};

describe('Flux event decoding (spec §2.3)', () => {
  it('round-trips a controller event byte for byte', () => {
    const text = JSON.stringify(sample);
    expect(encodeEvent(decodeFluxEvent(text))).toBe(text);
  });

  it('§8.28 field names match case-insensitively and the last occurrence wins', () => {
    const e = decodeFluxEvent('{"severity":"info","SEVERITY":"error","Message":"m","INVOLVEDOBJECT":{"KIND":"Kustomization","Name":"a"}}');
    expect(e.severity).toBe('error');
    expect(e.message).toBe('m');
    expect(e.involvedObject).toEqual({ kind: 'Kustomization', name: 'a' });
    expect(decodeFluxEvent('{"severity":"a","SEVERITY":"b","severity":"c"}').severity).toBe('c');
  });

  it('§8.28 unknown fields are ignored and a null body decodes to the empty event', () => {
    expect(decodeFluxEvent('{"foo":1,"message":"x"}').message).toBe('x');
    expect(decodeFluxEvent('null')).toEqual({ involvedObject: {}, severity: '', timestamp: null, message: '', reason: '', reportingController: '' });
  });

  it('§8.28 an empty-string timestamp is rejected (400); other formats too', () => {
    for (const ts of ['""', '"2024-01-01"', '"2024-01-01 10:00:00Z"', '12']) {
      expect(() => decodeFluxEvent(`{"timestamp":${ts}}`), ts).toThrow(EventDecodeError);
    }
  });

  it('§1.1 timestamps are normalised to UTC whole seconds: 2024-01-01T10:00:00.123+02:00 → 2024-01-01T08:00:00Z', () => {
    expect(decodeFluxEvent('{"timestamp":"2024-01-01T10:00:00.123+02:00"}').timestamp).toBe('2024-01-01T08:00:00Z');
    expect(decodeFluxEvent('{"timestamp":null}').timestamp).toBeNull();
  });

  it('§2.3 metadata values must be strings; a null metadata is fine; an empty body is a 400', () => {
    expect(() => decodeFluxEvent('{"metadata":{"a":1}}')).toThrow(EventDecodeError);
    expect(() => decodeFluxEvent('{"metadata":{"a":{}}}')).toThrow(EventDecodeError);
    expect(decodeFluxEvent('{"metadata":null}').metadata).toBeUndefined();
    expect(() => decodeFluxEvent('')).toThrow(EventDecodeError);
    expect(() => decodeFluxEvent('{"message":"x"} trailing')).toThrow(EventDecodeError);
    expect(() => decodeFluxEvent('{"message":5}')).toThrow(EventDecodeError);
  });

  it('§1.1 a lone surrogate escape decodes to U+FFFD as Go does', () => {
    expect(decodeFluxEvent('{"message":"a\\ud800b"}').message).toBe('a\ufffdb');
  });
});

describe('Kubernetes Event conversion (spec §1.6)', () => {
  const core = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'webapp.17a', namespace: 'apps', annotations: { 'kustomize.toolkit.fluxcd.io/revision': 'main@sha1:abc' }, creationTimestamp: '2024-05-01T10:00:00Z' },
    involvedObject: { kind: 'Kustomization', namespace: 'apps', name: 'webapp', uid: 'u', apiVersion: 'kustomize.toolkit.fluxcd.io/v1', resourceVersion: '5' },
    reason: 'ReconciliationSucceeded',
    message: 'Applied revision: main@sha1:abc',
    source: { component: 'kustomize-controller' },
    firstTimestamp: '2024-05-01T10:00:00Z',
    lastTimestamp: '2024-05-01T10:05:00Z',
    count: 1,
    type: 'Normal',
    reportingComponent: 'kustomize-controller',
    reportingInstance: '',
  };

  it('§1.6 maps a core/v1 Event field by field, keeping annotation prefixes', () => {
    const r = parseEventInput(JSON.stringify(core));
    expect(r.origin).toBe('core/v1');
    expect(r.event).toEqual({
      involvedObject: core.involvedObject,
      severity: 'info',
      timestamp: '2024-05-01T10:05:00Z',
      message: 'Applied revision: main@sha1:abc',
      reason: 'ReconciliationSucceeded',
      metadata: { 'kustomize.toolkit.fluxcd.io/revision': 'main@sha1:abc' },
      reportingController: 'kustomize-controller',
    });
    expect(r.notDelivered).toBeUndefined();
  });

  it('§8.29 (§1.6 limit 1) a core/v1 Normal event is flagged "may be trace"; Warning maps to error', () => {
    expect(parseEventInput(JSON.stringify(core)).caveats.some((c) => c.startsWith('may be trace'))).toBe(true);
    const w = parseEventInput(JSON.stringify({ ...core, type: 'Warning' }));
    expect(w.event.severity).toBe('error');
    expect(w.caveats.some((c) => c.startsWith('may be trace'))).toBe(false);
  });

  it('§8.30 the emitter\'s event.toolkit.fluxcd.io/* annotations on a core/v1 Event become metadata and reach the provider unprefixed', () => {
    // §1.4 step 2: the recorder writes the same map as Event annotations and POST metadata;
    // §1.6 keeps the prefixes; §5.2 strips them when combining, so a generic webhook gets plain keys.
    const annotated = { ...core, metadata: { ...core.metadata, annotations: {
      'event.toolkit.fluxcd.io/commit': '3f2a9c1d',
      'event.toolkit.fluxcd.io/team': 'platform',
      'kustomize.toolkit.fluxcd.io/revision': 'main@sha1:abc',
    } } };
    const input = parseEventInput(JSON.stringify(annotated));
    expect(input.event.metadata).toEqual({
      'event.toolkit.fluxcd.io/commit': '3f2a9c1d',
      'event.toolkit.fluxcd.io/team': 'platform',
      'kustomize.toolkit.fluxcd.io/revision': 'main@sha1:abc',
    });
    const hook = provider('apps', 'hook', { type: 'generic', address: 'https://hooks.example.com/flux' });
    const r = run(input.event, { alerts: [alert('apps', 'a', { providerRef: { name: 'hook' } })], providers: [hook] }, { createNotifier: createNotifierFromRegistry });
    expect(r.dispatches).toHaveLength(1);
    const d = r.dispatches[0]!;
    const req = (d.notifier as Notifier).post(d.notification).next().value as PlannedHttpRequest;
    expect(JSON.parse(req.body as string).metadata).toEqual({ commit: '3f2a9c1d', team: 'platform', revision: 'main@sha1:abc' });
    // Go encodes a map with its keys sorted.
    expect(req.body).toContain('"metadata":{"commit":"3f2a9c1d","revision":"main@sha1:abc","team":"platform"}');
  });

  it('§8.31 an aggregated event has its prefix stripped and is flagged metadata lost', () => {
    const r = parseEventInput(JSON.stringify({ ...core, message: '(combined from similar events): Health check failed', metadata: { ...core.metadata, annotations: undefined } }));
    expect(r.event.message).toBe('Health check failed');
    expect(r.caveats.some((c) => c.startsWith('metadata lost (aggregated)'))).toBe(true);
  });

  it('§8.31 a merged repeat (count > 1) is flagged: annotations are from the first occurrence', () => {
    const r = parseEventInput(JSON.stringify({ ...core, count: 3 }));
    expect(r.count).toBe(3);
    expect(r.caveats.some((c) => c.startsWith('merged repeats (count 3)'))).toBe(true);
  });

  it('§1.6 selection: cluster-scoped objects, notification-controller events and other types never reach NC', () => {
    const noNs = parseEventInput(JSON.stringify({ ...core, involvedObject: { ...core.involvedObject, namespace: '' } }));
    expect(noNs.notDelivered).toMatch(/namespace must all be set/);
    const nc = parseEventInput(JSON.stringify({ ...core, reportingComponent: 'notification-controller', source: { component: 'notification-controller' } }));
    expect(nc.notDelivered).toMatch(/notification-controller itself/);
    expect(parseEventInput(JSON.stringify({ ...core, type: 'Other' })).notDelivered).toMatch(/neither Normal nor Warning/);
  });

  it('§1.6 timestamp falls back through series.lastObservedTime, eventTime, firstTimestamp, creationTimestamp', () => {
    const r = parseEventInput(JSON.stringify({ ...core, lastTimestamp: null, firstTimestamp: null, eventTime: '2024-05-01T10:07:00.123456Z' }));
    expect(r.event.timestamp).toBe('2024-05-01T10:07:00Z');
    const c = parseEventInput(JSON.stringify({ ...core, lastTimestamp: null, firstTimestamp: null }));
    expect(c.event.timestamp).toBe('2024-05-01T10:00:00Z');
  });

  it('§1.6 events.k8s.io/v1 uses regarding, note and deprecated fields', () => {
    const ev = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'x', namespace: 'apps', annotations: { 'event.toolkit.fluxcd.io/commit': 'c' } },
      regarding: core.involvedObject,
      note: 'Health check failed',
      reason: 'HealthCheckFailed',
      type: 'Warning',
      reportingController: 'kustomize-controller',
      reportingInstance: 'kc-pod',
      deprecatedLastTimestamp: '2024-05-01T11:00:00Z',
      deprecatedCount: 2,
    };
    const r = parseEventInput(JSON.stringify(ev));
    expect(r.origin).toBe('events.k8s.io/v1');
    expect(r.event).toMatchObject({ severity: 'error', message: 'Health check failed', timestamp: '2024-05-01T11:00:00Z', reportingController: 'kustomize-controller', reportingInstance: 'kc-pod' });
    expect(r.count).toBe(2);
  });

  it('bad input: text that is not JSON, or an undecodable Flux event, is an EventInputError with a hint', () => {
    expect(() => parseEventInput('{nope', 'e.json')).toThrow(EventInputError);
    expect(() => parseEventInput('{"metadata":{"a":1}}', 'e.json')).toThrow(/NC would answer 400/);
  });

  it('§8.29 (§1.2) a Flux event with severity trace is flagged: Flux controllers never POST trace', () => {
    expect(parseEventInput(JSON.stringify({ ...sample, severity: 'trace' })).caveats[0]).toMatch(/never POST trace/);
  });
});
