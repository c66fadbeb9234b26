import { describe, expect, test } from 'vitest';
import { provider } from '../../src/providers/github.js';
import { githubClock } from '../../src/providers/github-client.js';
import type { PlannedHttpRequest } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent, thrown } from './drive.js';

const SHA = 'abc123def4567890abc123def4567890abc123de';
const ID = 'kustomization/podinfo/0c9c2e41';
const LIST = `https://api.github.com/repos/stefanprodan/podinfo/commits/${SHA}/statuses?per_page=50`;
const CREATE = `https://api.github.com/repos/stefanprodan/podinfo/statuses/${SHA}`;
const BODY = '{"state":"success","description":"reconciliation succeeded","context":"kustomization/podinfo/0c9c2e41"}\n';

/** Variant G of providers §1.4. */
const variantG = (o: Parameters<typeof sampleEvent>[0] = {}) =>
  sampleEvent({ metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' }, ...o });

const notifier = (o: Parameters<typeof options>[0] = {}) =>
  provider.create(options({ url: 'https://github.com/stefanprodan/podinfo', token: 'ghp_token', commitStatus: ID, ...o }));

const http = (r: unknown) => r as PlannedHttpRequest;

describe('github', () => {
  test('github: Variant G lists statuses then posts the status (providers §4.22 sample)', () => {
    const d = drive(notifier().post(variantG()), [reply(200, '[]'), reply(201, '{}')]);
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests).toHaveLength(2);
    const [list, create] = d.requests.map(http);
    expect(list!.method).toBe('GET');
    expect(list!.url).toBe(LIST);
    expect(list!.preflight).toBe(true);
    expect(list!.body).toBeUndefined();
    expect(create!.method).toBe('POST');
    expect(create!.url).toBe(CREATE);
    expect(create!.body).toBe(BODY);
    expect(create!.preflight).toBeFalsy();
  });

  test('github: headers of every API call, Content-Type only with a body (providers §4.22)', () => {
    const d = drive(notifier().post(variantG()), [reply(200, '[]'), reply(201, '{}')]);
    const [list, create] = d.requests.map(http);
    const common: Array<[string, string]> = [
      ['Accept', 'application/vnd.github.v3+json'],
      ['User-Agent', 'go-github/v64.0.0'],
      ['X-Github-Api-Version', '2022-11-28'],
      ['Authorization', 'Bearer ghp_token'],
    ];
    expect(list!.headers).toEqual(common);
    expect(create!.headers).toEqual([['Content-Type', 'application/json'], ...common]);
  });

  test('github: no retries, no provider proxy, no TLS material for github.com (providers §4.22, §7)', () => {
    const d = drive(notifier().post(variantG()), [reply(200, '[]'), reply(201, '{}')]);
    for (const r of d.requests.map(http)) {
      expect(r.retry).toBe('none');
      expect(r.useProxy).toBe(false);
      expect(r.useTLS).toBe(false);
    }
  });

  test('github: the password is used when the token is empty (notification-controller §6.9)', () => {
    const d = drive(notifier({ token: '', password: 'pw' }).post(variantG()), [reply(200, '[]'), reply(201, '{}')]);
    expect(http(d.requests[0]).headers).toContainEqual(['Authorization', 'Bearer pw']);
  });

  describe('github: every accepted address form gives owner/repo (providers §4.22)', () => {
    for (const url of [
      'https://github.com/stefanprodan/podinfo',
      'https://github.com/stefanprodan/podinfo.git',
      'git@github.com:stefanprodan/podinfo.git',
      'ssh://git@github.com/stefanprodan/podinfo',
    ]) {
      test(url, () => {
        const d = drive(notifier({ url }).post(variantG()), [reply(200, '[]'), reply(201, '{}')]);
        expect(http(d.requests[0]).url).toBe(LIST);
        expect(http(d.requests[1]).url).toBe(CREATE);
      });
    }
  });

  describe('github: GitHub Enterprise base URL rules (providers §4.22)', () => {
    const cases: Array<[string, string]> = [
      ['https://ghe.example.com/org/app', 'https://ghe.example.com/api/v3/repos/org/app/statuses/'],
      ['git@ghe.example.com:org/app.git', 'https://ghe.example.com/api/v3/repos/org/app/statuses/'],
      ['http://ghe.local:8080/org/app', 'http://ghe.local:8080/api/v3/repos/org/app/statuses/'],
      // No /api/v3/ suffix when the host starts with api. or contains .api.
      ['https://api.ghe.example.com/org/app', 'https://api.ghe.example.com/repos/org/app/statuses/'],
      ['https://git.api.example.com/org/app', 'https://git.api.example.com/repos/org/app/statuses/'],
      // Only the exact host github.com is the public API (upstream compares URL.Host, port included).
      ['https://github.com:443/org/app', 'https://github.com:443/api/v3/repos/org/app/statuses/'],
      ['https://www.github.com/org/app', 'https://www.github.com/api/v3/repos/org/app/statuses/'],
    ];
    for (const [url, prefix] of cases) {
      test(url, () => {
        const d = drive(notifier({ url }).post(variantG()), [reply(200, '[]'), reply(201, '{}')]);
        expect(http(d.requests[1]).url).toBe(prefix + SHA);
      });
    }

    test('github: TLS material applies to Enterprise hosts only (providers §4.22)', () => {
      const d = drive(notifier({ url: 'https://ghe.example.com/org/app' }).post(variantG()), [reply(200, '[]'), reply(201, '{}')]);
      expect(http(d.requests[0]).useTLS).toBe(true);
      expect(http(d.requests[0]).useProxy).toBe(false);
    });
  });

  describe('github: every revision form yields the commit (providers §3.5)', () => {
    const forms = [`main@sha1:${SHA}`, `feature/x@sha1:${SHA}`, `sha1:${SHA}`, `main/${SHA}`, `env/dev/${SHA}`, `HEAD/${SHA}`, SHA];
    for (const revision of forms) {
      test(revision, () => {
        const d = drive(notifier().post(variantG({ metadata: { revision } })), [reply(200, '[]'), reply(201, '{}')]);
        expect(http(d.requests[1]).url).toBe(CREATE);
      });
    }

    test('github: commit wins over originRevision over revision (providers §3.5)', () => {
      const other = '0123456789012345678901234567890123456789';
      const third = '9876543210987654321098765432109876543210';
      const both = drive(notifier().post(variantG({ metadata: { revision: `main@sha1:${third}`, originRevision: `main@sha1:${SHA}` } })), [reply(200, '[]')]);
      expect(http(both.requests[0]).url).toBe(LIST);
      const all = drive(notifier().post(variantG({ metadata: { revision: `main@sha1:${third}`, originRevision: `main@sha1:${other}`, commit: SHA } })), [reply(200, '[]')]);
      expect(http(all.requests[0]).url).toBe(LIST);
    });

    test('github: a short SHA fails with the extract error (providers §1.4)', () => {
      const d = drive(notifier().post(sampleEvent()));
      expect(errorText(d)).toBe("failed to extract commit hash from 'main@sha1:abc123' revision");
      expect(d.requests).toHaveLength(0);
    });

    test('github: a SHA-256 revision is refused (providers §3.5)', () => {
      const rev = 'main@sha256:' + 'a'.repeat(64);
      expect(errorText(drive(notifier().post(variantG({ metadata: { revision: rev } }))))).toBe(`failed to extract commit hash from '${rev}' revision`);
    });

    test('github: no revision key gives missing revision metadata (providers §3.5)', () => {
      expect(errorText(drive(notifier().post(variantG({ metadata: { summary: 'x' } }))))).toBe('missing revision metadata');
    });
  });

  describe('github: duplicate rule (providers §4.22)', () => {
    const st = (state: string, context: string, description: string) => ({ state, context, description });
    const run = (list: unknown[]) => drive(notifier().post(variantG()), [reply(200, JSON.stringify(list)), reply(201, '{}')]);

    test('github: an identical newest status is skipped', () => {
      const d = run([st('success', ID, 'reconciliation succeeded')]);
      expect(d.outcome?.sent).toBe(false);
      expect(d.outcome?.note).toBeTruthy();
      expect(d.requests).toHaveLength(1);
    });

    test('github: a different description is posted', () => {
      const d = run([st('success', ID, 'health check failed')]);
      expect(d.outcome).toEqual({ sent: true });
      expect(d.requests).toHaveLength(2);
    });

    test('github: a different state is posted', () => {
      expect(run([st('failure', ID, 'reconciliation succeeded')]).outcome).toEqual({ sent: true });
    });

    test('github: the first entry with our context decides (newest first)', () => {
      expect(run([st('failure', ID, 'x'), st('success', ID, 'reconciliation succeeded')]).outcome).toEqual({ sent: true });
      expect(run([st('success', 'other', 'x'), st('success', ID, 'reconciliation succeeded'), st('failure', ID, 'y')]).outcome?.sent).toBe(false);
    });

    test('github: entries with a null context, state or description are ignored', () => {
      const d = run([{ context: ID, state: null, description: 'x' }, { context: ID, state: 'success', description: null }, st('success', ID, 'reconciliation succeeded')]);
      expect(d.outcome?.sent).toBe(false);
    });

    test('github: no entry with our context is not a duplicate', () => {
      expect(run([st('success', 'other/ctx', 'reconciliation succeeded')]).outcome).toEqual({ sent: true });
    });
  });

  test('github: reason Progressing is skipped without a request (providers §3.8)', () => {
    const d = drive(notifier().post(variantG({ reason: 'Progressing' })));
    expect(d.requests).toHaveLength(0);
    expect(d.outcome?.sent).toBe(false);
  });

  describe('github: state mapping (providers §4.21)', () => {
    test('github: error severity posts failure', () => {
      const d = drive(notifier().post(variantG({ severity: 'error', reason: 'HealthCheckFailed' })), [reply(200, '[]'), reply(201, '{}')]);
      expect(http(d.requests[1]).body).toBe('{"state":"failure","description":"health check failed","context":"kustomization/podinfo/0c9c2e41"}\n');
    });

    test("github: other severities fail with can't convert to github state", () => {
      const d = drive(notifier().post(variantG({ severity: 'trace' })));
      expect(errorText(d)).toBe("can't convert to github state");
      expect(d.requests).toHaveLength(0);
    });
  });

  describe('github: reply handling (providers §4.22)', () => {
    test('github: 202 is an error for go-github', () => {
      const d = drive(notifier().post(variantG()), [reply(200, '[]'), reply(202, '')]);
      expect(errorText(d)).toBe('could not create commit status: job scheduled on GitHub side; try again later');
    });

    test('github: a refused list reports method, URL, status and message', () => {
      const d = drive(notifier().post(variantG()), [reply(404, '{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}')]);
      expect(errorText(d)).toBe(`could not list commit statuses: GET ${LIST}: 404 Not Found []`);
    });

    test('github: validation errors are listed', () => {
      const body = '{"message":"Validation Failed","errors":[{"resource":"Status","code":"custom","field":"state","message":"state is not included in the list"}]}';
      const d = drive(notifier().post(variantG()), [reply(200, '[]'), reply(422, body)]);
      expect(errorText(d)).toBe(
        `could not create commit status: POST ${CREATE}: 422 Validation Failed [{Resource:Status Field:state Code:custom Message:state is not included in the list}]`,
      );
    });

    test('github: a list that is not JSON fails with the decoder error', () => {
      const d = drive(notifier().post(variantG()), [reply(200, '<html>')]);
      expect(errorText(d)).toBe("could not list commit statuses: invalid character '<' looking for beginning of value");
    });

    test('github: a primary rate limit tells when it resets (go-github RateLimitError)', () => {
      const realNow = githubClock.now;
      githubClock.now = () => 1748779200_000;
      try {
        const limited = reply(403, '{"message":"API rate limit exceeded for user ID 1."}', { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1748779290' });
        expect(errorText(drive(notifier().post(variantG()), [limited]))).toBe(
          `could not list commit statuses: GET ${LIST}: 403 API rate limit exceeded for user ID 1. [rate reset in 1m30s]`,
        );
        const past = reply(403, '{"message":"limited"}', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1748779195' });
        expect(errorText(drive(notifier().post(variantG()), [past]))).toBe(`could not list commit statuses: GET ${LIST}: 403 limited [rate limit was reset 5s ago]`);
      } finally {
        githubClock.now = realNow;
      }
    });

    test('github: an empty list body is read as no statuses', () => {
      expect(drive(notifier().post(variantG()), [reply(200, ''), reply(201, '')]).outcome).toEqual({ sent: true });
    });

    test('github: each request judges its own reply with the same text', () => {
      const d = drive(notifier().post(variantG()), [reply(200, '[]'), reply(201, '{}')]);
      const create = http(d.requests[1]);
      expect(create.check?.(reply(500, ''))).toBe(`could not create commit status: POST ${CREATE}: 500  []`);
      expect(create.check?.(reply(201, '{}'))).toBeNull();
    });
  });

  describe('github: factory errors in upstream order (providers §4.22)', () => {
    test('github: commit status cannot be empty (checked first)', () => {
      expect(thrown(() => provider.create(options({ url: 'https://github.com/a/b' })))).toBe('commit status cannot be empty');
    });

    test('github: no token and no githubAppID', () => {
      expect(thrown(() => notifier({ token: '' }))).toBe('github token or github app details must be specified');
    });

    test('github: the repository id must have two segments', () => {
      expect(thrown(() => notifier({ url: 'https://github.com/foo/bar/baz' }))).toBe("invalid repository id: 'foo/bar/baz'");
      expect(thrown(() => notifier({ url: 'https://github.com/foo/bar/' }))).toBe("invalid repository id: 'foo/bar/'");
      expect(thrown(() => notifier({ url: 'https://github.com/foo' }))).toBe("invalid repository id: 'foo'");
    });

    test('github: the token check comes before the address check', () => {
      expect(thrown(() => notifier({ token: '', url: 'https://github.com/foo/bar/baz' }))).toBe('github token or github app details must be specified');
    });
  });
});
