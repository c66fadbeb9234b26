import { describe, expect, it } from 'vitest';
import { encodeEvent } from '../../src/flux/gojson.js';
import { cleanupMetadata, combineEventMetadata, excludeInternalMetadata } from '../../src/flux/metadata.js';
import { stringMap } from '../../src/flux/types.js';
import { alert, event, provider, run } from './build.js';

const md = (o: Record<string, string>) => stringMap(Object.entries(o));

describe('metadata cleanup (spec §2.4)', () => {
  it('§8.21 keeps only event-group and object-group keys, drops checksum/digest case-insensitively, keeps nested keys', () => {
    const e = event({
      metadata: md({
        'kustomize.toolkit.fluxcd.io/revision': 'r',
        'kustomize.toolkit.fluxcd.io/Checksum': 'c',
        'kustomize.toolkit.fluxcd.io/DIGEST': 'd',
        'kustomize.toolkit.fluxcd.io/aa/bb': 'nested',
        'event.toolkit.fluxcd.io/checksum': 'kept',
        'event.toolkit.fluxcd.io/digest': 'kept2',
        'source.toolkit.fluxcd.io/revision': 'other group',
        plain: 'no prefix',
      }),
    });
    const { event: out, dropped } = cleanupMetadata(e);
    expect(out.metadata).toEqual({
      'kustomize.toolkit.fluxcd.io/revision': 'r',
      'kustomize.toolkit.fluxcd.io/aa/bb': 'nested',
      'event.toolkit.fluxcd.io/checksum': 'kept',
      'event.toolkit.fluxcd.io/digest': 'kept2',
    });
    expect(dropped).toEqual(['kustomize.toolkit.fluxcd.io/Checksum', 'kustomize.toolkit.fluxcd.io/DIGEST', 'plain', 'source.toolkit.fluxcd.io/revision']);
  });

  it('§2.4 checksum/digest are compared with Go strings.EqualFold: ſ folds to s and the Kelvin sign to k', () => {
    const e = event({
      metadata: md({
        'kustomize.toolkit.fluxcd.io/checkſum': 'long s',
        'kustomize.toolkit.fluxcd.io/\u212Aeep': 'kelvin, not excluded',
        'kustomize.toolkit.fluxcd.io/chec\u212Asum': 'kelvin k',
        'kustomize.toolkit.fluxcd.io/dİgest': 'dotted capital I does not fold to i',
      }),
    });
    const { event: out, dropped } = cleanupMetadata(e);
    expect(out.metadata).toEqual({
      'kustomize.toolkit.fluxcd.io/\u212Aeep': 'kelvin, not excluded',
      'kustomize.toolkit.fluxcd.io/dİgest': 'dotted capital I does not fold to i',
    });
    expect(dropped).toEqual(['kustomize.toolkit.fluxcd.io/checkſum', 'kustomize.toolkit.fluxcd.io/chec\u212Asum']);
  });

  it('§2.4 an event without apiVersion keeps keys with the "/" prefix', () => {
    const e = event({ metadata: md({ '/revision': 'x', 'kustomize.toolkit.fluxcd.io/revision': 'y' }) });
    delete e.involvedObject.apiVersion;
    expect(cleanupMetadata(e).event.metadata).toEqual({ '/revision': 'x' });
  });

  it('§2.4 afterwards the metadata is always a map, possibly empty', () => {
    const e = event({ metadata: undefined });
    expect(cleanupMetadata(e).event.metadata).toEqual({});
  });

  it('§8.22 <object group>/token is removed before matching; event.toolkit.fluxcd.io/token is not', () => {
    const e = event({ metadata: md({ 'kustomize.toolkit.fluxcd.io/token': 't1', 'event.toolkit.fluxcd.io/token': 't2' }) });
    expect(excludeInternalMetadata(e).metadata).toEqual({ 'event.toolkit.fluxcd.io/token': 't2' });
    const r = run(e, { alerts: [alert('flux-system', 'a')], providers: [provider('flux-system', 'slack')] });
    expect(r.alerts[0]!.metadata).toEqual({ token: 't2' });
  });
});

describe('metadata combination (spec §5.2)', () => {
  it('§8.19 precedence: object annotations < eventMetadata < summary < controller metadata; every overlap is a conflict', () => {
    const a = alert('flux-system', 'a', { eventMetadata: stringMap([['summary', 'from eventMetadata'], ['env', 'prod'], ['revision', 'alert']]), summary: 'from summary' });
    const e = event({
      metadata: md({
        'event.toolkit.fluxcd.io/summary': 'from annotation',
        'event.toolkit.fluxcd.io/env': 'prod',
        'kustomize.toolkit.fluxcd.io/revision': 'main@sha1:abc',
      }),
    });
    const c = combineEventMetadata(e, a);
    expect(c.event.metadata).toEqual({ summary: 'from summary', env: 'prod', revision: 'main@sha1:abc' });
    expect(c.conflicts).toEqual([
      { key: 'env', sources: ['involved object annotations', 'Alert object .spec.eventMetadata'] },
      { key: 'revision', sources: ['Alert object .spec.eventMetadata', 'involved object controller metadata'] },
      { key: 'summary', sources: ['involved object annotations', 'Alert object .spec.eventMetadata', 'Alert object .spec.summary'] },
    ]);
  });

  it('§8.19 summary is overridden by controller metadata; a conflict is recorded even for equal values', () => {
    const a = alert('flux-system', 'a', { summary: 'same' });
    const e = event({ metadata: md({ 'kustomize.toolkit.fluxcd.io/summary': 'same' }) });
    const r = run(e, { alerts: [a], providers: [provider('flux-system', 'slack')] });
    expect(r.alerts[0]!.metadata).toEqual({ summary: 'same' });
    expect(r.alerts[0]!.metadataConflicts).toEqual({ summary: ['Alert object .spec.summary', 'involved object controller metadata'] });
    expect(r.alerts[0]!.controllerEvents).toContainEqual({
      reason: 'MetadataAppendFailed',
      message: 'metadata key conflicts detected (please refer to the Alert API docs and Flux RFC 0008 for more information)',
      annotations: { summary: 'Alert object .spec.summary, involved object controller metadata' },
    });
    expect(r.alerts[0]!.logs).toContain("warning: specifying an alert summary with '.spec.summary' is deprecated, use '.spec.eventMetadata.summary' instead");
  });

  it('§8.20 with no metadata the notification metadata stays empty and the key is absent from JSON', () => {
    const e = event({ metadata: md({}) });
    const c = combineEventMetadata(e, alert('flux-system', 'a'));
    expect(encodeEvent(c.event)).not.toContain('"metadata"');
    expect(c.conflicts).toEqual([]);
  });

  it('§5.2 the combined map replaces the event metadata: only unprefixed keys remain', () => {
    const e = event({ metadata: md({ 'kustomize.toolkit.fluxcd.io/revision': 'r', 'event.toolkit.fluxcd.io/commit': 'c' }) });
    expect(combineEventMetadata(e, alert('flux-system', 'a')).event.metadata).toEqual({ revision: 'r', commit: 'c' });
  });

  it('§5.2 the shared event is not changed by the per-alert combination', () => {
    const e = event();
    const before = encodeEvent(e);
    combineEventMetadata(e, alert('flux-system', 'a', { eventMetadata: stringMap([['x', 'y']]) }));
    expect(encodeEvent(e)).toBe(before);
  });

  it('providers §1.3 the sample notification E serialises to the 519 documented bytes', () => {
    const a = alert('flux-system', 'podinfo-alerts', { eventMetadata: stringMap([['summary', 'Cluster: production']]), eventSources: [{ kind: 'Kustomization', name: 'podinfo' }] });
    const r = run(event(), { alerts: [a], providers: [provider('flux-system', 'slack')] });
    const wire = encodeEvent(r.dispatches[0]!.notification);
    expect(wire).toBe(
      '{"involvedObject":{"kind":"Kustomization","namespace":"flux-system","name":"podinfo","uid":"7d0cdc51-ddcf-4743-b223-83ca5c699632","apiVersion":"kustomize.toolkit.fluxcd.io/v1","resourceVersion":"123456"},"severity":"info","timestamp":"2025-06-01T12:00:00Z","message":"Applied revision: main@sha1:abc123","reason":"ReconciliationSucceeded","metadata":{"revision":"main@sha1:abc123","summary":"Cluster: production"},"reportingController":"kustomize-controller","reportingInstance":"kustomize-controller-5f6b8d9c7d-x2x4z"}',
    );
    expect(Buffer.byteLength(wire)).toBe(519);
  });
});
