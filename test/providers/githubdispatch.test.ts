import { describe, expect, test } from 'vitest';
import { provider } from '../../src/providers/githubdispatch.js';
import type { PlannedHttpRequest } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent, thrown, SAMPLE_EVENT_WIRE } from './drive.js';

const E_WIRE = SAMPLE_EVENT_WIRE;

const notifier = (o: Parameters<typeof options>[0] = {}) =>
  provider.create(options({ url: 'https://github.com/stefanprodan/podinfo', token: 'ghp_token', ...o }));
const http = (r: unknown) => r as PlannedHttpRequest;

describe('githubdispatch', () => {
  test('githubdispatch: POST /dispatches with event_type and the event as client_payload (providers §4.23)', () => {
    const d = drive(notifier().post(sampleEvent()), [reply(204, '')]);
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests).toHaveLength(1);
    const r = http(d.requests[0]);
    expect(r.method).toBe('POST');
    expect(r.url).toBe('https://api.github.com/repos/stefanprodan/podinfo/dispatches');
    expect(E_WIRE.length).toBe(519);
    expect(r.body).toBe(`{"event_type":"Kustomization/podinfo.flux-system","client_payload":${E_WIRE}}\n`);
    expect(r.headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Accept', 'application/vnd.github.v3+json'],
      ['User-Agent', 'go-github/v64.0.0'],
      ['X-Github-Api-Version', '2022-11-28'],
      ['Authorization', 'Bearer ghp_token'],
    ]);
    expect(r.retry).toBe('none');
    expect(r.preflight).toBeFalsy();
  });

  test('githubdispatch: client_payload keeps HTML escaping, event_type does not (providers §4.23)', () => {
    const e = sampleEvent({ message: 'a <b> & c', involvedObject: { kind: 'Kustomization', name: 'pod<info>', namespace: 'ns' } });
    const body = http(drive(notifier().post(e), [reply(204, '')]).requests[0]).body as string;
    expect(body.startsWith('{"event_type":"Kustomization/pod<info>.ns","client_payload":{')).toBe(true);
    expect(body).toContain('"name":"pod\\u003cinfo\\u003e"');
    expect(body).toContain('"message":"a \\u003cb\\u003e \\u0026 c"');
  });

  test('githubdispatch: no Progressing skip and no commit status needed (providers §4.23)', () => {
    const d = drive(notifier({ commitStatus: '' }).post(sampleEvent({ reason: 'Progressing' })), [reply(204, '')]);
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests).toHaveLength(1);
  });

  test('githubdispatch: the Enterprise base URL rule applies (providers §4.22)', () => {
    const d = drive(notifier({ url: 'git@ghe.example.com:org/app.git' }).post(sampleEvent()), [reply(204, '')]);
    expect(http(d.requests[0]).url).toBe('https://ghe.example.com/api/v3/repos/org/app/dispatches');
  });

  test('githubdispatch: 202 and non-2xx are errors (providers §4.23)', () => {
    expect(errorText(drive(notifier().post(sampleEvent()), [reply(202, '')]))).toBe(
      'could not send github repository dispatch webhook: job scheduled on GitHub side; try again later',
    );
    expect(errorText(drive(notifier().post(sampleEvent()), [reply(404, '{"message":"Not Found"}')]))).toBe(
      'could not send github repository dispatch webhook: POST https://api.github.com/repos/stefanprodan/podinfo/dispatches: 404 Not Found []',
    );
  });

  test('githubdispatch: a secondary rate limit drops the error list (go-github AbuseRateLimitError)', () => {
    const body = '{"message":"You have exceeded a secondary rate limit","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}';
    expect(errorText(drive(notifier().post(sampleEvent()), [reply(403, body)]))).toBe(
      'could not send github repository dispatch webhook: POST https://api.github.com/repos/stefanprodan/podinfo/dispatches: 403 You have exceeded a secondary rate limit',
    );
  });

  describe('githubdispatch: factory errors (providers §4.23)', () => {
    test('githubdispatch: token or app required', () => {
      expect(thrown(() => notifier({ token: '' }))).toBe('github token or github app details must be specified');
    });
    test('githubdispatch: invalid repository id', () => {
      expect(thrown(() => notifier({ url: 'https://github.com/foo/bar/baz' }))).toBe("invalid repository id: 'foo/bar/baz'");
    });
  });
});
