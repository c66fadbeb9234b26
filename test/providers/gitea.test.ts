import { describe, expect, test } from 'vitest';
import { provider } from '../../src/providers/gitea.js';
import type { PlannedHttpRequest } from '../../src/providers/types.js';
import { NotifierInitError } from '../../src/providers/git-common.js';
import { drive, errorText, options, reply, sampleEvent, thrown } from './drive.js';

const SHA = 'abc123def4567890abc123def4567890abc123de';
const ID = 'kustomization/podinfo/0c9c2e41';
const BASE = 'https://gitea.example.com/api/v1';
const LIST = `${BASE}/repos/stefanprodan/podinfo/commits/${SHA}/statuses?limit=50&page=1`;
const CREATE = `${BASE}/repos/stefanprodan/podinfo/statuses/${SHA}`;
const VERSION = reply(200, '{"version":"1.21.11"}');

const variantG = (o: Parameters<typeof sampleEvent>[0] = {}) =>
  sampleEvent({ metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' }, ...o });
const notifier = (o: Parameters<typeof options>[0] = {}) =>
  provider.create(options({ url: 'https://gitea.example.com/stefanprodan/podinfo', token: 'gtoken', commitStatus: ID, ...o }));
const http = (r: unknown) => r as PlannedHttpRequest;
const ok = [VERSION, reply(200, '[]'), reply(201, '{"id":1}')];

describe('gitea', () => {
  test('gitea: Variant G probes the version, lists statuses, posts the status (providers §4.27)', () => {
    const d = drive(notifier().post(variantG()), ok);
    expect(d.outcome).toEqual({ sent: true });
    const [ver, list, create] = d.requests.map(http);
    expect(`${ver!.method} ${ver!.url}`).toBe(`GET ${BASE}/version`);
    expect(ver!.preflight).toBe(true);
    expect(`${list!.method} ${list!.url}`).toBe(`GET ${LIST}`);
    expect(list!.preflight).toBe(true);
    expect(`${create!.method} ${create!.url}`).toBe(`POST ${CREATE}`);
    expect(create!.body).toBe('{"state":"success","target_url":"","description":"reconciliation succeeded","context":"kustomization/podinfo/0c9c2e41"}');
    expect(create!.preflight).toBeFalsy();
  });

  test('gitea: token auth on every call, content type on writes and on the status list (providers §4.27)', () => {
    const d = drive(notifier().post(variantG()), ok);
    const [ver, list, create] = d.requests.map(http);
    expect(ver!.headers).toEqual([['Authorization', 'token gtoken']]);
    // The SDK writes the header name in lower case.
    expect(list!.headers).toEqual([['Authorization', 'token gtoken'], ['content-type', 'application/json']]);
    expect(create!.headers).toEqual([['Authorization', 'token gtoken'], ['content-type', 'application/json']]);
  });

  test('gitea: no retries; proxy and TLS apply to every call (providers §4.27)', () => {
    for (const r of drive(notifier().post(variantG()), ok).requests.map(http)) {
      expect(r.retry).toBe('none');
      expect(r.useProxy).toBe(true);
      expect(r.useTLS).toBe(true);
    }
  });

  test('gitea: the password is used when the token is empty (notification-controller §6.9)', () => {
    const d = drive(notifier({ token: '', password: 'pw' }).post(variantG()), ok);
    expect(http(d.requests[0]).headers).toEqual([['Authorization', 'token pw']]);
  });

  test('gitea: the JSON body keeps Go HTML escaping (providers §3.1)', () => {
    const d = drive(notifier({ commitStatus: 'a<b>&c' }).post(variantG()), ok);
    expect(http(d.requests[2]).body).toContain('"context":"a\\u003cb\\u003e\\u0026c"');
  });

  describe('gitea: address forms (providers §3.5, §4.27)', () => {
    const cases: Array<[string, string]> = [
      ['https://gitea.example.com/stefanprodan/podinfo.git', BASE],
      ['git@gitea.example.com:stefanprodan/podinfo.git', BASE],
      ['ssh://git@gitea.example.com/stefanprodan/podinfo', BASE],
      ['http://gitea.local:3000/stefanprodan/podinfo', 'http://gitea.local:3000/api/v1'],
      ['https://user:pw@gitea.example.com/stefanprodan/podinfo?x=1', BASE],
    ];
    for (const [url, base] of cases) {
      test(url, () => {
        const d = drive(notifier({ url }).post(variantG()), ok);
        expect(http(d.requests[0]).url).toBe(`${base}/version`);
        expect(http(d.requests[2]).url).toBe(`${base}/repos/stefanprodan/podinfo/statuses/${SHA}`);
      });
    }
  });

  describe('gitea: revision forms (providers §3.5)', () => {
    for (const revision of [`main@sha1:${SHA}`, `feature/x@sha1:${SHA}`, `sha1:${SHA}`, `main/${SHA}`, `env/dev/${SHA}`, `HEAD/${SHA}`, SHA]) {
      test(revision, () => {
        const d = drive(notifier().post(variantG({ metadata: { revision } })), ok);
        expect(http(d.requests[1]).url).toBe(LIST);
      });
    }
    test('gitea: originRevision wins over revision (upstream gitea_test.go)', () => {
      const other = '8a9156325322a124e55a369b59063470310ebbd8';
      const d = drive(notifier().post(variantG({ metadata: { revision: `main@sha1:69b59063470310ebbd88a9156325322a124e55a3`, originRevision: `main@sha1:${other}` } })), ok);
      expect(http(d.requests[1]).url).toBe(`${BASE}/repos/stefanprodan/podinfo/commits/${other}/statuses?limit=50&page=1`);
    });
    test('gitea: short SHA (after the version probe)', () => {
      const d = drive(notifier().post(sampleEvent()), [VERSION]);
      expect(errorText(d)).toBe("failed to extract commit hash from 'main@sha1:abc123' revision");
      expect(d.requests).toHaveLength(1);
    });
    test('gitea: missing revision metadata', () => {
      expect(errorText(drive(notifier().post(variantG({ metadata: {} })), [VERSION]))).toBe('missing revision metadata');
    });
  });

  describe('gitea: state mapping (providers §4.21)', () => {
    test('gitea: reason Progressing is sent as pending (providers §3.8)', () => {
      const d = drive(notifier().post(variantG({ reason: 'Progressing' })), ok);
      expect(d.outcome).toEqual({ sent: true });
      expect(http(d.requests[2]).body).toBe('{"state":"pending","target_url":"","description":"progressing","context":"kustomization/podinfo/0c9c2e41"}');
    });
    test('gitea: Progressing wins over an error severity', () => {
      const d = drive(notifier().post(variantG({ reason: 'Progressing', severity: 'error' })), ok);
      expect(http(d.requests[2]).body).toContain('"state":"pending"');
    });
    test('gitea: error severity posts failure', () => {
      const d = drive(notifier().post(variantG({ severity: 'error', reason: 'HealthCheckFailed' })), ok);
      expect(http(d.requests[2]).body).toBe('{"state":"failure","target_url":"","description":"health check failed","context":"kustomization/podinfo/0c9c2e41"}');
    });
    test("gitea: other severities fail with can't convert to gitea state", () => {
      const d = drive(notifier().post(variantG({ severity: 'trace' })), [VERSION]);
      expect(errorText(d)).toBe("can't convert to gitea state");
      expect(d.requests).toHaveLength(1);
    });
  });

  describe('gitea: duplicate rule reads the API status field (providers §4.27)', () => {
    const st = (status: string, context: string, description: string) => ({ id: 1, status, context, description, target_url: '' });
    const run = (list: unknown[]) => drive(notifier().post(variantG()), [VERSION, reply(200, JSON.stringify(list)), reply(201, '{}')]);
    test('gitea: identical newest status is skipped', () => {
      const d = run([st('success', ID, 'reconciliation succeeded')]);
      expect(d.outcome?.sent).toBe(false);
      expect(d.requests).toHaveLength(2);
    });
    test('gitea: a different description is posted', () => {
      expect(run([st('success', ID, 'other')]).outcome).toEqual({ sent: true });
    });
    test('gitea: a `state` key is not what Gitea compares', () => {
      expect(run([{ state: 'success', context: ID, description: 'reconciliation succeeded' }]).outcome).toEqual({ sent: true });
    });
    test('gitea: the first entry with our context decides', () => {
      expect(run([st('failure', ID, 'x'), st('success', ID, 'reconciliation succeeded')]).outcome).toEqual({ sent: true });
      expect(run([st('success', 'other', 'x'), st('success', ID, 'reconciliation succeeded'), st('failure', ID, 'x')]).outcome?.sent).toBe(false);
    });
    test('gitea: entries with an empty field are ignored', () => {
      expect(run([st('success', ID, ''), st('success', ID, 'reconciliation succeeded')]).outcome?.sent).toBe(false);
    });
  });

  describe('gitea: version probe (providers §4.27)', () => {
    test('gitea: a server older than 1.11.0 is refused', () => {
      const d = drive(notifier().post(variantG()), [reply(200, '{"version":"1.10.6"}')]);
      expect(errorText(d)).toBe('failed creating Gitea client: gitea server at https://gitea.example.com is older than 1.11.0');
      expect(d.error).toBeInstanceOf(NotifierInitError);
    });
    test('gitea: a pre-release of 1.11.0 is older', () => {
      expect(errorText(drive(notifier().post(variantG()), [reply(200, '{"version":"1.11.0-rc1"}')]))).toBe(
        'failed creating Gitea client: gitea server at https://gitea.example.com is older than 1.11.0',
      );
    });
    test('gitea: build metadata and Forgejo versions pass', () => {
      expect(drive(notifier().post(variantG()), [reply(200, '{"version":"1.11.0+dev-12-gabc"}'), reply(200, '[]'), reply(201, '{}')]).outcome).toEqual({ sent: true });
      expect(drive(notifier().post(variantG()), [reply(200, '{"version":"7.0.5+gitea-1.21.0"}'), reply(200, '[]'), reply(201, '{}')]).outcome).toEqual({ sent: true });
    });
    test('gitea: an unreadable version', () => {
      expect(errorText(drive(notifier().post(variantG()), [reply(200, '{"version":"nightly"}')]))).toBe('failed creating Gitea client: unknown version: nightly');
    });
    test('gitea: an empty version', () => {
      expect(errorText(drive(notifier().post(variantG()), [reply(200, '{}')]))).toBe('failed creating Gitea client: Malformed version: ');
    });
    test('gitea: a refused probe carries the API message', () => {
      expect(errorText(drive(notifier().post(variantG()), [reply(401, '{"message":"token is required","url":"x"}')]))).toBe(
        'failed creating Gitea client: token is required',
      );
    });
  });

  describe('gitea: SDK error texts (providers §4.27)', () => {
    test('gitea: list failure is wrapped', () => {
      expect(errorText(drive(notifier().post(variantG()), [VERSION, reply(404, '{"errors":null,"message":"not found","url":"x"}')]))).toBe(
        'could not list commit statuses: not found',
      );
    });
    test('gitea: create failure is returned raw: message', () => {
      expect(errorText(drive(notifier().post(variantG()), [VERSION, reply(200, '[]'), reply(403, '{"message":"token does not have at least one of required scope(s)"}')]))).toBe(
        'token does not have at least one of required scope(s)',
      );
    });
    test('gitea: JSON without a message gives status and body', () => {
      expect(errorText(drive(notifier().post(variantG()), [VERSION, reply(200, '[]'), reply(422, '{"errors":["bad"]}')]))).toBe(
        '422 Unprocessable Entity: {"errors":["bad"]}',
      );
    });
    test('gitea: a body that is not JSON', () => {
      expect(errorText(drive(notifier().post(variantG()), [VERSION, reply(200, '[]'), reply(500, 'oops')]))).toBe(
        `unknown API error: 500\nRequest: '/api/v1/repos/stefanprodan/podinfo/statuses/${SHA}' with 'POST' method and 'oops' body`,
      );
    });
    test('gitea: a 2xx body that is not JSON fails json.Unmarshal', () => {
      expect(errorText(drive(notifier().post(variantG()), [VERSION, reply(200, '[]'), reply(201, '')]))).toBe('unexpected end of JSON input');
    });
    test('gitea: an empty repository segment fails before the list request', () => {
      const d = drive(notifier({ url: 'https://gitea.example.com/foo/' }).post(variantG()), [VERSION]);
      expect(errorText(d)).toBe('could not list commit statuses: path segment [1] is empty');
      expect(d.requests).toHaveLength(1);
    });
  });

  describe('gitea: factory errors in upstream order (providers §4.27)', () => {
    test('gitea: commit status cannot be empty', () => {
      expect(thrown(() => provider.create(options({ url: 'https://gitea.example.com/a/b' })))).toBe('commit status cannot be empty');
    });
    test('gitea: gitea token cannot be empty', () => {
      expect(thrown(() => notifier({ token: '' }))).toBe('gitea token cannot be empty');
    });
    test('gitea: invalid repository id', () => {
      expect(thrown(() => notifier({ url: 'https://gitea.example.com/foo/bar/baz' }))).toBe('invalid repository id "foo/bar/baz"');
    });
    test('gitea: invalid proxy URL (after the address checks)', () => {
      expect(thrown(() => notifier({ url: '/foo/bar', proxyURL: 'wrong\nURL' }))).toBe('invalid proxy URL');
      expect(thrown(() => notifier({ url: 'https://gitea.example.com/foo/bar/baz', proxyURL: 'wrong\nURL' }))).toBe('invalid repository id "foo/bar/baz"');
    });
  });
});
