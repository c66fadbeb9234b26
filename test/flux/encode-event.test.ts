import { describe, expect, it } from 'vitest';
import { compareUtf8, encodeEvent, eventStruct, goJson } from '../../src/flux/gojson.js';
import { stringMap, type FluxEvent } from '../../src/flux/types.js';

const sample: FluxEvent = {
  involvedObject: { kind: 'Kustomization', namespace: 'flux-system', name: 'podinfo', uid: '7d0cdc51-ddcf-4743-b223-83ca5c699632', apiVersion: 'kustomize.toolkit.fluxcd.io/v1', resourceVersion: '123456' },
  severity: 'info',
  timestamp: '2025-06-01T12:00:00Z',
  message: 'Applied revision: main@sha1:abc123',
  reason: 'ReconciliationSucceeded',
  metadata: stringMap([['summary', 'Cluster: production'], ['revision', 'main@sha1:abc123']]),
  reportingController: 'kustomize-controller',
  reportingInstance: 'kustomize-controller-5f6b8d9c7d-x2x4z',
};

describe('encodeEvent: the event JSON as Go encodes it (providers §1.3)', () => {
  it('§1.3 the sample event, byte for byte', () => {
    expect(encodeEvent(sample)).toBe(
      '{"involvedObject":{"kind":"Kustomization","namespace":"flux-system","name":"podinfo","uid":"7d0cdc51-ddcf-4743-b223-83ca5c699632","apiVersion":"kustomize.toolkit.fluxcd.io/v1","resourceVersion":"123456"},"severity":"info","timestamp":"2025-06-01T12:00:00Z","message":"Applied revision: main@sha1:abc123","reason":"ReconciliationSucceeded","metadata":{"revision":"main@sha1:abc123","summary":"Cluster: production"},"reportingController":"kustomize-controller","reportingInstance":"kustomize-controller-5f6b8d9c7d-x2x4z"}',
    );
  });

  it('§1.3 the fast encoder agrees with the generic struct encoder on awkward events', () => {
    const events: FluxEvent[] = [
      sample,
      { ...sample, timestamp: null, metadata: undefined, reportingInstance: undefined },
      { ...sample, metadata: stringMap(), involvedObject: { kind: 'GitRepository', name: 'x' } },
      { ...sample, message: '<b>&\u2028"\\\n\t\u0001\ud800 ok \ud83d\ude00', metadata: stringMap([['\ud83d\ude00', 'astral'], ['\uffff', 'bmp'], ['a<b', '&']]) },
      { ...sample, reason: '', severity: 'error', involvedObject: { kind: '', namespace: '', name: 'n', fieldPath: 'spec' } },
    ];
    for (const e of events) {
      for (const escapeHTML of [true, false]) expect(encodeEvent(e, { escapeHTML })).toBe(goJson(eventStruct(e), { escapeHTML }));
    }
  });

  it('§1.1 map keys sort by UTF-8 bytes: U+FFFF before an astral character, though UTF-16 says otherwise', () => {
    expect(compareUtf8('\uffff', '\ud83d\ude00')).toBeLessThan(0);
    expect(compareUtf8('b', 'a')).toBeGreaterThan(0);
    expect(compareUtf8('same', 'same')).toBe(0);
    expect(encodeEvent({ ...sample, metadata: stringMap([['\ud83d\ude00', '1'], ['\uffff', '2']]) })).toContain('"metadata":{"\uffff":"2","\ud83d\ude00":"1"}');
  });
});
