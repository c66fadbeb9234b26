import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/pagerduty.js';
import type { PlannedHttpRequest } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent } from './drive.js';

const URL = 'https://events.pagerduty.com/v2/enqueue';
const KEY = 'R0UT1NGKEY';
const UID = '7d0cdc51-ddcf-4743-b223-83ca5c699632';

// providers §4.18, compact.
const RESOLVE_BODY = `{"routing_key":"${KEY}","event_action":"resolve","dedup_key":"${UID}"}`;
const CHANGE_BODY =
  `{"routing_key":"${KEY}","payload":{"summary":"reconciliation succeeded: kustomization/podinfo",` +
  '"source":"Flux kustomize-controller","timestamp":"2025-06-01T12:00:00Z",' +
  '"custom_details":{"message":"Applied revision: main@sha1:abc123","metadata":{"revision":"main@sha1:abc123","summary":"Cluster: production"}}}}';
const TRIGGER_BODY =
  `{"routing_key":"${KEY}","event_action":"trigger","dedup_key":"${UID}","payload":{` +
  '"summary":"reconciliation failed: kustomization/podinfo","source":"Flux kustomize-controller","severity":"error",' +
  '"timestamp":"2025-06-01T12:00:00Z","component":"podinfo","group":"Kustomization",' +
  '"custom_details":{"message":"Health check failed","metadata":{"revision":"main@sha1:abc123","summary":"Cluster: production"}}}}';

const errorEvent = () => sampleEvent({ severity: 'error', reason: 'ReconciliationFailed', message: 'Health check failed' });

function post(o: Parameters<typeof options>[0] = {}, e = sampleEvent(), replies = [reply(202)]) {
  return drive(provider.create(options({ url: URL, channel: KEY, ...o })).post(e), replies);
}
const http = (d: ReturnType<typeof post>) => d.requests as PlannedHttpRequest[];

describe('pagerduty (providers §4.18)', () => {
  it('pagerduty: sample info event E resolves, then sends a change event (providers §4.18)', () => {
    const d = post();
    const [first, second] = http(d);
    expect(provider.type).toBe('pagerduty');
    expect(http(d)).toHaveLength(2);
    expect(first!.url).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(first!.body).toBe(RESOLVE_BODY);
    expect(second!.url).toBe('https://events.pagerduty.com/v2/change/enqueue');
    expect(second!.body).toBe(CHANGE_BODY);
    for (const r of [first!, second!]) {
      expect(r.method).toBe('POST');
      expect(r.headers).toEqual([['Content-Type', 'application/json']]);
      expect(r.retry).toBe('retryablehttp');
    }
    expect(d.outcome).toEqual({ sent: true });
  });

  it('pagerduty: an error event triggers an incident with a payload and no change event (providers §4.18)', () => {
    const d = post({}, errorEvent());
    expect(http(d)).toHaveLength(1);
    expect(http(d)[0]!.body).toBe(TRIGGER_BODY);
  });

  it('pagerduty: upstream trigger example: summary is "<description>: <lower(kind/name)>" (pagerduty_test.go)', () => {
    const e = sampleEvent({
      involvedObject: { kind: 'GitRepository', namespace: 'flux-system', name: 'test-app', uid: '1234' },
      severity: 'error',
      timestamp: '2020-01-01T00:00:00Z',
      message: 'message',
      reason: 'Failed',
      metadata: { key1: 'val1', key2: 'val2' },
      reportingController: 'source-controller',
    });
    expect(http(post({ channel: 'notARealRoutingKey' }, e))[0]!.body).toBe(
      '{"routing_key":"notARealRoutingKey","event_action":"trigger","dedup_key":"1234","payload":{' +
        '"summary":"failed: gitrepository/test-app","source":"Flux source-controller","severity":"error",' +
        '"timestamp":"2020-01-01T00:00:00Z","component":"test-app","group":"GitRepository",' +
        '"custom_details":{"message":"message","metadata":{"key1":"val1","key2":"val2"}}}}',
    );
  });

  it('pagerduty: events with reason Progressing are skipped (providers §3.8)', () => {
    const d = post({}, sampleEvent({ reason: 'Progressing' }));
    expect(d.requests).toHaveLength(0);
    expect(d.outcome?.sent).toBe(false);
    expect(d.outcome?.note).toMatch(/Progressing/);
  });

  it('pagerduty: a trace event only resolves; the change event is for exactly info (providers §3.9)', () => {
    const d = post({}, sampleEvent({ severity: 'trace' }));
    expect(http(d)).toHaveLength(1);
    expect(http(d)[0]!.body).toBe(RESOLVE_BODY);
  });

  it('pagerduty: the address keeps only scheme and host (providers §4.18)', () => {
    const d = post({ url: 'https://events.eu.pagerduty.com/some/path?x=1' });
    expect(http(d).map((r) => r.url)).toEqual([
      'https://events.eu.pagerduty.com/v2/enqueue',
      'https://events.eu.pagerduty.com/v2/change/enqueue',
    ]);
  });

  it('pagerduty: dedup_key is omitted without an object UID (providers §4.18)', () => {
    const e = sampleEvent({ involvedObject: { kind: 'Kustomization', namespace: 'flux-system', name: 'podinfo' } });
    expect(http(post({}, e))[0]!.body).toBe(`{"routing_key":"${KEY}","event_action":"resolve"}`);
  });

  it('pagerduty: metadata is null when the event has none (providers §4.18)', () => {
    const d = post({}, sampleEvent({ metadata: undefined }));
    expect(http(d)[1]!.body as string).toContain('"custom_details":{"message":"Applied revision: main@sha1:abc123","metadata":null}');
  });

  it('pagerduty: the routing key is the channel and is not validated (providers §4.18)', () => {
    expect(http(post({ channel: '' }))[0]!.body).toBe(`{"routing_key":"","event_action":"resolve","dedup_key":"${UID}"}`);
  });

  it('pagerduty: a refused alert event fails with failed sending event and stops (providers §4.18)', () => {
    const d = post({}, sampleEvent(), [reply(400, '{"status":"invalid event"}')]);
    expect(d.requests).toHaveLength(1);
    expect(errorText(d)).toBe(
      'failed sending event: request failed: request failed with status code 400: {"status":"invalid event"}',
    );
  });

  it('pagerduty: a refused change event fails with failed sending change event (providers §4.18)', () => {
    const d = post({}, sampleEvent(), [reply(202), reply(400, 'bad')]);
    expect(d.requests).toHaveLength(2);
    expect(errorText(d)).toBe('failed sending change event: request failed: request failed with status code 400: bad');
  });

  it('pagerduty: a bad address fails with the %q-quoted address (providers §4.18)', () => {
    expect(() => provider.create(options({ url: 'not a url' }))).toThrow(
      `invalid PagerDuty endpoint URL "not a url": 'parse "not a url": invalid URI for request'`,
    );
    expect(() => provider.create(options({ url: '' }))).toThrow(`invalid PagerDuty endpoint URL "": 'parse "": empty url'`);
  });
});
