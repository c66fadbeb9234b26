import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/grafana.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent } from './drive.js';

const URL = 'https://grafana.example.com/api/annotations';

// providers §4.17, compact (metadata tags in sorted order, §3.6).
const SAMPLE_BODY =
  '{"when":1748779200,"text":"kustomization/podinfo.flux-system","tags":["flux","kustomize-controller",' +
  '"revision: main@sha1|abc123","summary: Cluster| production","kind: Kustomization","name: podinfo","namespace: flux-system"]}';

function post(o: Parameters<typeof options>[0] = {}, e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options({ url: URL, ...o })).post(e), replies);
}
const payload = (e = sampleEvent()) => JSON.parse(onlyHttp(post({}, e)).body as string);

describe('grafana (providers §4.17)', () => {
  it('grafana: sample event E body byte for byte (providers §4.17)', () => {
    const d = post();
    const req = onlyHttp(d);
    expect(provider.type).toBe('grafana');
    expect(req.method).toBe('POST');
    expect(req.url).toBe(URL);
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.headers).toEqual([['Content-Type', 'application/json']]);
    expect(req.retry).toBe('retryablehttp');
    expect(d.outcome).toEqual({ sent: true });
  });

  it('grafana: when is Unix seconds, not milliseconds (providers §1.3, §4.17)', () => {
    expect(payload().when).toBe(1748779200);
  });

  it('grafana: text is the object name and the message is not sent (providers §4.17)', () => {
    const p = payload();
    expect(p.text).toBe('kustomization/podinfo.flux-system');
    expect(JSON.stringify(p)).not.toContain('Applied revision');
  });

  it('grafana: tags follow the upstream test order for its test event (grafana_test.go)', () => {
    const p = payload(
      sampleEvent({
        involvedObject: { kind: 'GitRepository', namespace: 'gitops-system', name: 'webapp' },
        metadata: { test: 'metadata' },
        reportingController: 'source-controller',
      }),
    );
    expect(p.text).toBe('gitrepository/webapp.gitops-system');
    expect(p.tags).toEqual(['flux', 'source-controller', 'test: metadata', 'kind: GitRepository', 'name: webapp', 'namespace: gitops-system']);
  });

  it('grafana: every : in metadata keys and values becomes | (providers §4.17)', () => {
    expect(payload(sampleEvent({ metadata: { 'a:b': 'c:d:e' } })).tags).toContain('a|b: c|d|e');
  });

  it('grafana: a token sends Bearer auth and wins over username+password (providers §4.17)', () => {
    expect(onlyHttp(post({ token: 'tok', username: 'user', password: 'password' })).headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer tok'],
    ]);
  });

  it('grafana: without token, username and password send Basic auth (providers §4.17)', () => {
    expect(onlyHttp(post({ username: 'user', password: 'password' })).headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Basic dXNlcjpwYXNzd29yZA=='],
    ]);
    expect(onlyHttp(post({ password: 'password' })).headers).toEqual([['Content-Type', 'application/json']]);
  });

  it('grafana: a refused reply fails with postMessage failed (providers §3.4)', () => {
    expect(errorText(post({}, sampleEvent(), [reply(401, 'Unauthorized')]))).toBe(
      'postMessage failed: request failed: request failed with status code 401: Unauthorized',
    );
  });

  it('grafana: a bad address fails without the parse error text (providers §4.17)', () => {
    expect(() => provider.create(options({ url: 'not a url' }))).toThrow(/^invalid Grafana URL not a url$/);
    expect(() => provider.create(options({ url: '' }))).toThrow(/^invalid Grafana URL $/);
  });
});
