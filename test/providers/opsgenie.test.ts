import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/opsgenie.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent } from './drive.js';

const URL = 'https://api.opsgenie.com/v2/alerts';
const PROVIDER_UID = '0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a';

// providers §4.15, compact.
const SAMPLE_BODY =
  '{"message":"Kustomization/podinfo","alias":"0c0c81aa493de4df4a773b2e0ec2c9d2bcc1bba73be84116bed85dc544d8b057",' +
  '"description":"Applied revision: main@sha1:abc123",' +
  '"details":{"revision":"main@sha1:abc123","severity":"info","summary":"Cluster: production"}}';

function post(o: Parameters<typeof options>[0], e = sampleEvent(), replies = [reply(202)]) {
  return drive(provider.create(options({ url: URL, token: 'genie-key', providerUID: PROVIDER_UID, ...o })).post(e), replies);
}
const body = (e = sampleEvent(), o: Parameters<typeof options>[0] = {}) => JSON.parse(onlyHttp(post(o, e)).body as string);
const upstreamAlias = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 64);

describe('opsgenie (providers §4.15)', () => {
  it('opsgenie: sample event E body byte for byte (providers §4.15)', () => {
    const d = post({});
    const req = onlyHttp(d);
    expect(provider.type).toBe('opsgenie');
    expect(req.method).toBe('POST');
    expect(req.url).toBe(URL);
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.retry).toBe('retryablehttp');
    expect(d.outcome).toEqual({ sent: true });
  });

  it('opsgenie: headers are Content-Type and Authorization GenieKey <token> (providers §4.15)', () => {
    expect(onlyHttp(post({})).headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'GenieKey genie-key'],
    ]);
  });

  it('opsgenie: alias is the SHA-256 of providerUID/Kind/namespace/name/reason (providers §5)', () => {
    expect(body().alias).toBe('0c0c81aa493de4df4a773b2e0ec2c9d2bcc1bba73be84116bed85dc544d8b057');
  });

  it('opsgenie: alias follows the upstream test: stable over the message, changes with reason and namespace (opsgenie_test.go)', () => {
    const ev = (o: Parameters<typeof sampleEvent>[0] = {}) =>
      sampleEvent({
        involvedObject: { kind: 'GitRepository', namespace: 'gitops-system', name: 'webapp' },
        reason: 'reason',
        message: 'message',
        ...o,
      });
    const uid = { providerUID: 'test-provider-uid-123' };
    const base = upstreamAlias('test-provider-uid-123/GitRepository/gitops-system/webapp/reason');
    expect(body(ev(), uid).alias).toBe(base);
    expect(body(ev({ message: 'different message should not change alias' }), uid).alias).toBe(base);
    expect(body(ev({ metadata: undefined }), uid).alias).toBe(base);
    expect(body(ev({ reason: 'HealthCheckFailed' }), uid).alias).toBe(
      upstreamAlias('test-provider-uid-123/GitRepository/gitops-system/webapp/HealthCheckFailed'),
    );
    expect(
      body(ev({ involvedObject: { kind: 'GitRepository', namespace: 'production', name: 'webapp' } }), uid).alias,
    ).toBe(upstreamAlias('test-provider-uid-123/GitRepository/production/webapp/reason'));
  });

  it('opsgenie: message is Kind/name in original case and description is the event message (providers §4.15)', () => {
    const b = body();
    expect(b.message).toBe('Kustomization/podinfo');
    expect(b.description).toBe('Applied revision: main@sha1:abc123');
  });

  it('opsgenie: details.severity is the event severity and replaces a metadata key of that name (providers §3.9, §4.15)', () => {
    const req = onlyHttp(post({}, sampleEvent({ severity: 'error', metadata: { severity: 'low', a: '1' } })));
    expect(req.body as string).toContain('"details":{"a":"1","severity":"error"}');
  });

  it('opsgenie: an event without metadata still sends details with severity (opsgenie_test.go)', () => {
    expect(onlyHttp(post({}, sampleEvent({ metadata: undefined }))).body as string).toContain('"details":{"severity":"info"}');
  });

  it('opsgenie: a refused reply fails with postMessage failed (providers §3.4)', () => {
    expect(errorText(post({}, sampleEvent(), [reply(422, '{"message":"bad"}')]))).toBe(
      'postMessage failed: request failed: request failed with status code 422: {"message":"bad"}',
    );
  });

  it('opsgenie: factory errors for a bad address and a missing token (providers §4.15)', () => {
    expect(() => provider.create(options({ url: 'not a url', token: 'k' }))).toThrow(
      `invalid Opsgenie hook URL not a url: 'parse "not a url": invalid URI for request'`,
    );
    expect(() => provider.create(options({ url: '', token: 'k' }))).toThrow(`invalid Opsgenie hook URL : 'parse "": empty url'`);
    expect(() => provider.create(options({ url: URL, token: '' }))).toThrow('empty Opsgenie apikey/token');
  });
});
