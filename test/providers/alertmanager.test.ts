import { describe, expect, it } from 'vitest';
import { goTitle, provider } from '../../src/providers/alertmanager.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent } from './drive.js';

const URL = 'https://alertmanager.example.com/api/v2/alerts';

// providers §4.16, compact.
const SAMPLE_BODY =
  '[{"status":"firing","labels":{"alertname":"FluxKustomizationReconciliationsucceeded","kind":"Kustomization",' +
  '"name":"podinfo","namespace":"flux-system","reason":"ReconciliationSucceeded","reportingcontroller":"kustomize-controller",' +
  '"revision":"main@sha1:abc123","severity":"info"},' +
  '"annotations":{"message":"Applied revision: main@sha1:abc123","summary":"Cluster: production"},' +
  '"startsAt":"2025-06-01T12:00:00Z","endsAt":"0001-01-01T00:00:00Z"}]';

function post(o: Parameters<typeof options>[0] = {}, e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options({ url: URL, ...o })).post(e), replies);
}
const alert = (e = sampleEvent()) => JSON.parse(onlyHttp(post({}, e)).body as string)[0];

describe('alertmanager (providers §4.16)', () => {
  it('alertmanager: sample event E body byte for byte, a one-element array (providers §4.16)', () => {
    const d = post();
    const req = onlyHttp(d);
    expect(provider.type).toBe('alertmanager');
    expect(req.method).toBe('POST');
    expect(req.url).toBe(URL);
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.headers).toEqual([['Content-Type', 'application/json']]);
    expect(req.retry).toBe('retryablehttp');
    expect(d.outcome).toEqual({ sent: true });
  });

  it('alertmanager: status is firing for info and error alike, label severity follows the event (providers §3.9)', () => {
    const a = alert(sampleEvent({ severity: 'error', reason: 'HealthCheckFailed' }));
    expect(a.status).toBe('firing');
    expect(a.labels.severity).toBe('error');
    expect(a.labels.alertname).toBe('FluxKustomizationHealthcheckfailed');
  });

  it('alertmanager: alertname title-cases the reason, collapsing CamelCase (providers §4.16)', () => {
    expect(goTitle('ReconciliationSucceeded')).toBe('Reconciliationsucceeded');
    expect(goTitle('HealthCheckFailed')).toBe('Healthcheckfailed');
    expect(goTitle('Progressing')).toBe('Progressing');
  });

  it('alertmanager: title casing starts a new word after spaces and hyphens but not after digits or _ (providers §4.16)', () => {
    expect(goTitle('health check-failed')).toBe('Health Check-Failed');
    expect(goTitle('build2FAILED')).toBe('Build2failed');
    expect(goTitle('dry_RUN')).toBe('Dry_run');
    expect(goTitle("don't stop")).toBe("Don't Stop");
    expect(goTitle('')).toBe('');
  });

  it('alertmanager: summary moves from labels to annotations (providers §4.16)', () => {
    const a = alert();
    expect(a.labels).not.toHaveProperty('summary');
    expect(a.annotations).toEqual({ message: 'Applied revision: main@sha1:abc123', summary: 'Cluster: production' });
    const none = alert(sampleEvent({ metadata: { revision: 'r' } }));
    expect(Object.keys(none.annotations)).toEqual(['message']);
  });

  it('alertmanager: fixed labels overwrite metadata keys of the same name (providers §4.16)', () => {
    const a = alert(sampleEvent({ metadata: { name: 'other', severity: 'x', extra: 'kept' } }));
    expect(a.labels.name).toBe('podinfo');
    expect(a.labels.severity).toBe('info');
    expect(a.labels.extra).toBe('kept');
  });

  it('alertmanager: startsAt is the event time and endsAt always the Go zero time (providers §4.16)', () => {
    const a = alert();
    expect(a.startsAt).toBe('2025-06-01T12:00:00Z');
    expect(a.endsAt).toBe('0001-01-01T00:00:00Z');
    expect(alert(sampleEvent({ timestamp: null })).startsAt).toBe('0001-01-01T00:00:00Z');
  });

  it('alertmanager: a token alone sends Bearer auth (providers §4.16)', () => {
    expect(onlyHttp(post({ token: 'tok' })).headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer tok'],
    ]);
  });

  it('alertmanager: username and password send Basic auth (providers §4.16)', () => {
    expect(onlyHttp(post({ username: 'user', password: 'password' })).headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Basic dXNlcjpwYXNzd29yZA=='],
    ]);
  });

  it('alertmanager: with token and username+password only Basic is sent (providers §4.16 quirk)', () => {
    expect(onlyHttp(post({ token: 'tok', username: 'user', password: 'password' })).headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Basic dXNlcjpwYXNzd29yZA=='],
    ]);
  });

  it('alertmanager: a username without password sends no auth (providers §4.16)', () => {
    expect(onlyHttp(post({ username: 'user' })).headers).toEqual([['Content-Type', 'application/json']]);
  });

  it('alertmanager: a refused reply fails with postMessage failed (providers §3.4)', () => {
    expect(errorText(post({}, sampleEvent(), [reply(400, 'bad')]))).toBe(
      'postMessage failed: request failed: request failed with status code 400: bad',
    );
  });

  it('alertmanager: a bad address fails with the quoted parse error (providers §4.16)', () => {
    expect(() => provider.create(options({ url: 'not a url' }))).toThrow(
      `invalid Alertmanager URL not a url: 'parse "not a url": invalid URI for request'`,
    );
    expect(() => provider.create(options({ url: '' }))).toThrow(`invalid Alertmanager URL : 'parse "": empty url'`);
  });
});
