import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/zulip.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const SAMPLE_FORM =
  'content=%23%23+Flux+Status%0A%0A%E2%84%B9%EF%B8%8F+Kustomization%2Fflux-system%2Fpodinfo%0A%0AApplied+revision%3A+main%40sha1%3Aabc123' +
  '%0A%0AMetadata%3A%0A%2A+%60revision%60%3A+main%40sha1%3Aabc123%0A%2A+%60summary%60%3A+Cluster%3A+production%0A&to=general&topic=alerts&type=stream';

function post(o: Parameters<typeof options>[0], e = sampleEvent(), replies = [reply()]) {
  const opts = options({ url: 'https://my-org.zulipchat.com', channel: 'general/alerts', username: 'bot@example.com', password: 'key', ...o });
  return drive(provider.create(opts).post(e), replies);
}

describe('zulip (providers §4.32)', () => {
  it('zulip: sample event E form body byte for byte (providers §4.32)', () => {
    const d = post({});
    const req = onlyHttp(d);
    expect(provider.type).toBe('zulip');
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://my-org.zulipchat.com/api/v1/messages');
    expect(req.body).toBe(SAMPLE_FORM);
    expect(req.headers).toEqual([
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['Authorization', 'Basic ' + Buffer.from('bot@example.com:key').toString('base64')],
    ]);
    expect(req.useProxy).toBe(true);
    expect(req.useTLS).toBe(true);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('zulip: basic auth value for user/password (upstream helper vector)', () => {
    expect(onlyHttp(post({ username: 'user', password: 'password' })).headers).toContainEqual(['Authorization', 'Basic dXNlcjpwYXNzd29yZA==']);
  });

  it('zulip: no Authorization when username and password are both empty (providers §4.32)', () => {
    expect(onlyHttp(post({ username: '', password: '' })).headers).toEqual([['Content-Type', 'application/x-www-form-urlencoded']]);
  });

  it('zulip: path replaced by /api/v1/messages, user-info, port and query kept (providers §4.32)', () => {
    expect(onlyHttp(post({ url: 'https://u:p@zulip.example.com:8443/some/path?x=1' })).url).toBe(
      'https://u:p@zulip.example.com:8443/api/v1/messages?x=1',
    );
    expect(onlyHttp(post({ url: 'https://zulip.example.com/api/v1/messages' })).url).toBe('https://zulip.example.com/api/v1/messages');
  });

  it('zulip: an empty address passes the constructor (lenient url.Parse, providers §4.32)', () => {
    expect(onlyHttp(post({ url: '' })).url).toBe('/api/v1/messages');
  });

  it('zulip: warning emoji for error severity in the markdown post (zulip_test.go)', () => {
    const e = {
      involvedObject: { kind: 'Kustomization', name: 'test-ks', namespace: 'default' },
      severity: 'error',
      timestamp: null,
      message: 'Test event message',
      reason: '',
      metadata: { key1: 'value1', key2: 'value2' },
      reportingController: '',
    };
    const form = new URLSearchParams(onlyHttp(post({ channel: 'general/announcements' }, e)).body as string);
    expect(form.get('content')).toBe('## Flux Status\n\n⚠️ Kustomization/default/test-ks\n\nTest event message\n\nMetadata:\n* `key1`: value1\n* `key2`: value2\n');
    expect(form.get('to')).toBe('general');
    expect(form.get('topic')).toBe('announcements');
    expect(form.get('type')).toBe('stream');
  });

  it('zulip: topic keeps further slashes (providers §4.32)', () => {
    const form = new URLSearchParams(onlyHttp(post({ channel: 'ops/flux/prod' })).body as string);
    expect(form.get('to')).toBe('ops');
    expect(form.get('topic')).toBe('flux/prod');
  });

  it('zulip: errors are returned unwrapped (zulip.go returns the sender error as is)', () => {
    expect(errorText(post({}, sampleEvent(), [reply(400, '{"result":"error","msg":"Stream does not exist"}')]))).toBe(
      'request failed: request failed with status code 400: {"result":"error","msg":"Stream does not exist"}',
    );
  });

  it('zulip: bad channel formats are refused (providers §4.32)', () => {
    const err = (channel: string) => thrown(() => provider.create(options({ url: 'https://z.example.com', channel })));
    expect(err('invalid_format')).toBe("invalid Zulip channel format, expected <channel>/<topic>, got 'invalid_format'");
    expect(err('/topic')).toBe("invalid Zulip channel format, expected <channel>/<topic>, got '/topic'");
    expect(err('stream/')).toBe("invalid Zulip channel format, expected <channel>/<topic>, got 'stream/'");
    expect(err('')).toBe("invalid Zulip channel format, expected <channel>/<topic>, got ''");
  });

  it('zulip: an unparsable address is refused before the channel check (zulip_test.go)', () => {
    expect(thrown(() => provider.create(options({ url: '\x7f', channel: 'bad' })))).toBe(
      'invalid Zulip endpoint URL: parse "\\x7f": net/url: invalid control character in URL',
    );
  });
});
