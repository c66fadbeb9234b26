import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/sentry.js';
import { drive, onlyHttp, options, reply, sampleEvent } from './drive.js';

const DSN = 'https://public@o123.ingest.sentry.io/456';

// The SDK identity of sentry-go v0.46.2 with its default integrations (providers §4.10).
const SDK =
  '{"name":"sentry.go","version":"0.46.2","integrations":["ContextifyFrames","Environment","GlobalTags",' +
  '"IgnoreErrors","IgnoreTransactions","Modules"],"packages":[{"name":"sentry-go","version":"0.46.2"}]}';

function post(o: Parameters<typeof options>[0] = {}, e = sampleEvent(), replies = [reply(200, '{"id":"x"}')]) {
  return drive(provider.create(options({ url: DSN, ...o })).post(e), replies);
}

/** The three envelope lines (header, item header, payload), checking the framing. */
function lines(body: string): [string, string, string] {
  expect(body.endsWith('\n')).toBe(true);
  const parts = body.slice(0, -1).split('\n');
  expect(parts).toHaveLength(3);
  return parts as [string, string, string];
}

describe('sentry (providers §4.10)', () => {
  it('sentry: POSTs an envelope to <scheme>://<host>/api/<project>/envelope/ (providers §4.10)', () => {
    const req = onlyHttp(post());
    expect(provider.type).toBe('sentry');
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://o123.ingest.sentry.io/api/456/envelope/');
  });

  it('sentry: SDK headers with the DSN public key (providers §4.10)', () => {
    expect(onlyHttp(post()).headers).toEqual([
      ['User-Agent', 'sentry.go/0.46.2'],
      ['Content-Type', 'application/x-sentry-envelope'],
      ['X-Sentry-Auth', 'Sentry sentry_version=7, sentry_client=sentry.go/0.46.2, sentry_key=public'],
    ]);
  });

  it('sentry: a DSN secret is appended to the auth header; port and path prefix are kept (providers §4.10)', () => {
    const req = onlyHttp(post({ url: 'http://pub:sec@sentry.local:9000/sub/path/42' }));
    expect(req.url).toBe('http://sentry.local:9000/sub/path/api/42/envelope/');
    expect(req.headers[2]).toEqual([
      'X-Sentry-Auth',
      'Sentry sentry_version=7, sentry_client=sentry.go/0.46.2, sentry_key=pub, sentry_secret=sec',
    ]);
    expect(lines(req.body as string)[0]).toBe(`{"dsn":"http://pub:sec@sentry.local:9000/sub/path/42","sdk":${SDK}}`);
  });

  it('sentry: the default port of the scheme is not written (providers §4.10)', () => {
    expect(onlyHttp(post({ url: 'https://k@sentry.example.com:443/7' })).url).toBe('https://sentry.example.com/api/7/envelope/');
  });

  it('sentry: an error event is sent as an error event with metadata context (providers §4.10)', () => {
    const e = sampleEvent({ severity: 'error', message: 'Health check failed' });
    const [header, item, payload] = lines(onlyHttp(post({ channel: 'production' }, e)).body as string);
    expect(header).toBe(`{"dsn":"${DSN}","sdk":${SDK}}`);
    const expected =
      '{"environment":"production","level":"error","message":"Health check failed","platform":"go",' +
      `"sdk":${SDK},"server_name":"kustomize-controller","timestamp":"2025-06-01T12:00:00Z",` +
      '"transaction":"Kustomization: flux-system/podinfo",' +
      '"contexts":{"metadata":{"revision":"main@sha1:abc123","summary":"Cluster: production"}}}';
    expect(payload).toBe(expected);
    expect(item).toBe(`{"type":"event","length":${Buffer.byteLength(expected)}}`);
  });

  it('sentry: an info event is sent as a transaction with one span and the flux_* tags (providers §4.10)', () => {
    const [, item, payload] = lines(onlyHttp(post({ channel: 'production' })).body as string);
    const tags =
      '{"flux_involved_object_kind":"Kustomization","flux_involved_object_name":"podinfo",' +
      '"flux_involved_object_namespace":"flux-system","flux_reason":"ReconciliationSucceeded",' +
      '"flux_reporting_controller":"kustomize-controller","flux_reporting_instance":"kustomize-controller-5f6b8d9c7d-x2x4z",' +
      '"revision":"main@sha1:abc123","summary":"Cluster: production"}';
    const expected =
      '{"environment":"production","level":"info","message":"Applied revision: main@sha1:abc123","platform":"go",' +
      `"sdk":${SDK},"timestamp":"2025-06-01T12:00:00Z","transaction":"Kustomization: flux-system/podinfo",` +
      '"type":"transaction","start_timestamp":"2025-06-01T12:00:00Z",' +
      `"spans":[{"op":"event","start_timestamp":"2025-06-01T12:00:00Z","timestamp":"2025-06-01T12:00:00Z","origin":"manual","tags":${tags}}],` +
      `"tags":${tags},"contexts":{"trace":{"op":"event"}}}`;
    expect(payload).toBe(expected);
    expect(item).toBe(`{"type":"transaction","length":${Buffer.byteLength(expected)}}`);
  });

  it('sentry: metadata tags replace flux_* tags of the same name (sentry_test.go)', () => {
    const e = sampleEvent({ metadata: { flux_reason: 'custom' } });
    const payload = JSON.parse(lines(onlyHttp(post({}, e)).body as string)[2]);
    expect(payload.tags.flux_reason).toBe('custom');
  });

  it('sentry: without channel no environment is written (providers §4.10)', () => {
    const payload = JSON.parse(lines(onlyHttp(post()).body as string)[2]);
    expect(payload).not.toHaveProperty('environment');
  });

  it('sentry: delivery is fire-and-forget: no retries, no proxy, any reply is success (providers §4.10, §7)', () => {
    const d = post({}, sampleEvent(), [reply(500, 'boom')]);
    const req = onlyHttp(d);
    expect(req.retry).toBe('none');
    expect(req.useProxy).toBe(false);
    expect(req.useTLS).toBe(true);
    expect(d.outcome?.sent).toBe(true);
    expect(d.error).toBeUndefined();
  });

  it('sentry: a transport failure is not an error of the notifier (providers §4.10)', () => {
    const conv = provider.create(options({ url: DSN })).post(sampleEvent());
    conv.next();
    const step = conv.throw(new Error('Post "https://o123.ingest.sentry.io/api/456/envelope/": connection refused'));
    expect(step.done).toBe(true);
    expect(step.value).toMatchObject({ sent: true });
    expect((step.value as { note: string }).note).toContain('connection refused');
  });

  it('sentry: the note names the SDK-generated fields that are not reproduced (providers §4.10, §6)', () => {
    const note = post().outcome?.note ?? '';
    expect(note).toMatch(/fire-and-forget/);
    for (const f of ['event_id', 'sent_at', 'release', 'trace_id', 'span_id', 'server_name']) expect(note).toContain(f);
  });

  it('sentry: a severity other than info and error becomes the SDK usage error (providers §4.10)', () => {
    const d = post({}, sampleEvent({ severity: 'trace' }));
    const payload = JSON.parse(lines(onlyHttp(d).body as string)[2]);
    expect(payload.level).toBe('error');
    expect(payload).not.toHaveProperty('message');
    expect(payload.exception).toEqual([{ type: 'sentry.usageError', value: 'CaptureEvent called with nil event' }]);
    expect(d.outcome?.note).toMatch(/usage error/);
  });

  it('sentry: DSN errors (providers §4.10, sentry_test.go)', () => {
    const err = (url: string) => () => provider.create(options({ url }));
    expect(err('')).toThrow(/^DSN cannot be empty$/);
    expect(err('ftp://k@host/1')).toThrow(/^\[Sentry\] DsnParseError: invalid scheme$/);
    expect(err('https://host/1')).toThrow(/^\[Sentry\] DsnParseError: empty username$/);
    expect(err('https://k@/1')).toThrow(/^\[Sentry\] DsnParseError: empty host$/);
    expect(err('https://k@host')).toThrow(/^\[Sentry\] DsnParseError: empty project id$/);
    expect(err('https://k@host/')).toThrow(/^\[Sentry\] DsnParseError: empty project id$/);
    expect(err('https://k@host/1/')).toThrow(/^\[Sentry\] DsnParseError: empty project id$/);
    expect(err('https://k@host:99999999999999999999/1')).toThrow(/^\[Sentry\] DsnParseError: invalid port$/);
    expect(err(':bad')).toThrow('[Sentry] DsnParseError: invalid url: parse ":bad": missing protocol scheme');
    expect(() => provider.create(options({ url: 'https://test@localhost/1', channel: 'foo' }))).not.toThrow();
  });
});
