import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/incidentio.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent } from './drive.js';

const URL = 'https://api.incident.io/v2/alert_events/http/01HXYZ';

// providers §4.35, compact.
const SAMPLE_BODY =
  '{"title":"kustomization/podinfo.flux-system: ReconciliationSucceeded","status":"resolved",' +
  '"deduplication_key":"7d0cdc51-ddcf-4743-b223-83ca5c699632","description":"Applied revision: main@sha1:abc123",' +
  '"metadata":{"reason":"ReconciliationSucceeded","reportingController":"kustomize-controller",' +
  '"revision":"main@sha1:abc123","severity":"info","summary":"Cluster: production"}}';

function post(o: Parameters<typeof options>[0] = {}, e = sampleEvent(), replies = [reply(202)]) {
  return drive(provider.create(options({ url: URL, token: 'tok', ...o })).post(e), replies);
}
const payload = (e = sampleEvent()) => JSON.parse(onlyHttp(post({}, e)).body as string);

describe('incident.io (providers §4.35)', () => {
  it('incident.io: the type string has a dot (providers §4.35)', () => {
    expect(provider.type).toBe('incident.io');
  });

  it('incident.io: sample event E body byte for byte (providers §4.35)', () => {
    const d = post();
    const req = onlyHttp(d);
    expect(req.method).toBe('POST');
    expect(req.url).toBe(URL);
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.retry).toBe('retryablehttp');
    expect(d.outcome).toEqual({ sent: true });
  });

  it('incident.io: headers are Content-Type and Authorization Bearer <token> (providers §4.35)', () => {
    expect(onlyHttp(post()).headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer tok'],
    ]);
  });

  it('incident.io: status is firing for error, resolved otherwise (providers §3.9)', () => {
    expect(payload(sampleEvent({ severity: 'error' })).status).toBe('firing');
    expect(payload(sampleEvent({ severity: 'trace' })).status).toBe('resolved');
  });

  it('incident.io: upstream test values (incidentio_test.go)', () => {
    const p = payload(
      sampleEvent({
        involvedObject: { kind: 'GitRepository', namespace: 'gitops-system', name: 'webapp', uid: '2f5c9d21-b62c-4a35-9b17-1b0f4c8e2d3a' },
        message: 'message',
        reason: 'reason',
        metadata: { test: 'metadata' },
        reportingController: 'source-controller',
      }),
    );
    expect(p.title).toBe('gitrepository/webapp.gitops-system: reason');
    expect(p.status).toBe('resolved');
    expect(p.deduplication_key).toBe('2f5c9d21-b62c-4a35-9b17-1b0f4c8e2d3a');
    expect(p.description).toBe('message');
    expect(p.metadata).toEqual({ test: 'metadata', severity: 'info', reason: 'reason', reportingController: 'source-controller' });
  });

  it('incident.io: severity, reason and reportingController overwrite metadata keys of the same name (providers §4.35)', () => {
    const p = payload(sampleEvent({ metadata: { severity: 'x', reason: 'y', reportingController: 'z' } }));
    expect(p.metadata).toEqual({ severity: 'info', reason: 'ReconciliationSucceeded', reportingController: 'kustomize-controller' });
  });

  it('incident.io: an empty reporting controller is left out of metadata (providers §4.35)', () => {
    expect(payload(sampleEvent({ reportingController: '' })).metadata).not.toHaveProperty('reportingController');
  });

  it('incident.io: deduplication_key is always present, description omitted when empty (providers §4.35)', () => {
    const req = onlyHttp(post({}, sampleEvent({ involvedObject: { kind: 'Kustomization', namespace: 'ns', name: 'n' }, message: '' })));
    expect(req.body as string).toBe(
      '{"title":"kustomization/n.ns: ReconciliationSucceeded","status":"resolved","deduplication_key":"",' +
        '"metadata":{"reason":"ReconciliationSucceeded","reportingController":"kustomize-controller",' +
        '"revision":"main@sha1:abc123","severity":"info","summary":"Cluster: production"}}',
    );
  });

  it('incident.io: events with reason Progressing are skipped (providers §3.8)', () => {
    const d = post({}, sampleEvent({ reason: 'Progressing' }));
    expect(d.requests).toHaveLength(0);
    expect(d.outcome?.sent).toBe(false);
  });

  it('incident.io: a refused reply fails with postMessage failed (providers §3.4)', () => {
    expect(errorText(post({}, sampleEvent(), [reply(401, 'unauthorized')]))).toBe(
      'postMessage failed: request failed: request failed with status code 401: unauthorized',
    );
  });

  it('incident.io: factory errors for a bad address and a missing token (providers §4.35)', () => {
    expect(() => provider.create(options({ url: 'invalid-url', token: 'tok' }))).toThrow(
      `invalid incident.io alert source URL invalid-url: 'parse "invalid-url": invalid URI for request'`,
    );
    expect(() => provider.create(options({ url: URL, token: '' }))).toThrow('empty incident.io API token');
  });
});
