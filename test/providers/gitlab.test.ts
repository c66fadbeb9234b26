// gitlab commit status. Expected values: providers spec §1.4 (Variant G), §3.5, §4.21, §4.25,
// notification-controller gitlab.go / gitlab_test.go, gitlab client-go (NewRequest, CheckResponse,
// ErrorResponse and its TestCheckResponse* cases).

import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/gitlab.js';
import type { PlannedHttpRequest } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent, thrown } from './drive.js';

const SHA = 'abc123def4567890abc123def4567890abc123de';
const STATUS_ID = 'kustomization/podinfo/0c9c2e41';

/** Variant G (providers §1.4). */
const variantG = (o: Parameters<typeof sampleEvent>[0] = {}) =>
  sampleEvent({
    metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' },
    ...o,
  });

const opts = (o: Parameters<typeof options>[0] = {}) =>
  options({ url: 'https://gitlab.com/stefanprodan/podinfo', token: 'glpat-xyz', commitStatus: STATUS_ID, ...o });

const http = (r: unknown) => r as PlannedHttpRequest;

describe('gitlab: Variant G sample (providers §4.25)', () => {
  const d = drive(provider.create(opts()).post(variantG()), [reply(200, '[]'), reply(201, '{"id":1}')]);

  it('gitlab: lists the statuses with our name, then posts one (two requests)', () => {
    expect(d.error).toBeUndefined();
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests).toHaveLength(2);
  });

  it('gitlab: request 1 is GET …/repository/commits/<sha>/statuses?name=<escaped status id>', () => {
    const get = http(d.requests[0]);
    expect(get.method).toBe('GET');
    expect(get.url).toBe(
      `https://gitlab.com/api/v4/projects/stefanprodan%2Fpodinfo/repository/commits/${SHA}/statuses?name=kustomization%2Fpodinfo%2F0c9c2e41`,
    );
    expect(get.body).toBeUndefined();
    expect(get.preflight).toBe(true);
  });

  it('gitlab: request 2 is POST …/statuses/<sha> with state, name, description in that order', () => {
    const post = http(d.requests[1]);
    expect(post.method).toBe('POST');
    expect(post.url).toBe(`https://gitlab.com/api/v4/projects/stefanprodan%2Fpodinfo/statuses/${SHA}`);
    expect(post.body).toBe(
      '{"state":"success","name":"kustomization/podinfo/0c9c2e41","description":"reconciliation succeeded"}',
    );
  });

  it('gitlab: headers are Accept, the library User-Agent, Content-Type on writes, and the token (canonical Private-Token)', () => {
    expect(http(d.requests[0]).headers).toEqual([
      ['Accept', 'application/json'],
      ['User-Agent', 'go-gitlab'],
      ['Private-Token', 'glpat-xyz'],
    ]);
    expect(http(d.requests[1]).headers).toEqual([
      ['Accept', 'application/json'],
      ['User-Agent', 'go-gitlab'],
      ['Content-Type', 'application/json'],
      ['Private-Token', 'glpat-xyz'],
    ]);
  });

  it("gitlab: requests use the library's retry policy, TLS material, and no provider proxy (§7)", () => {
    for (const r of d.requests.map(http)) {
      expect(r.retry).toBe('gitlab');
      expect(r.useTLS).toBe(true);
      expect(r.useProxy).toBe(false);
    }
  });
});

describe('gitlab: address forms (providers §3.5, §4.25)', () => {
  const firstURL = (url: string) => http(drive(provider.create(opts({ url })).post(variantG()), [reply(200, '[]'), reply(201, '{}')]).requests[0]).url;

  it('gitlab: a nested group path is one project id with / escaped as %2F', () => {
    expect(firstURL('https://gitlab.com/my-group/platform/podinfo')).toBe(
      `https://gitlab.com/api/v4/projects/my-group%2Fplatform%2Fpodinfo/repository/commits/${SHA}/statuses?name=kustomization%2Fpodinfo%2F0c9c2e41`,
    );
  });

  it('gitlab: dots in the project path are escaped as %2E', () => {
    expect(firstURL('https://gitlab.com/my.group/pod.info.git')).toMatch(
      /^https:\/\/gitlab\.com\/api\/v4\/projects\/my%2Egroup%2Fpod%2Einfo\/repository\//,
    );
  });

  it('gitlab: a numeric project id is used as is', () => {
    expect(firstURL('https://gitlab.com/1234')).toMatch(/^https:\/\/gitlab\.com\/api\/v4\/projects\/1234\/repository\//);
  });

  it('gitlab: scp-style and ssh:// addresses become https on the same host', () => {
    expect(firstURL('git@gitlab.com:foo/bar.git')).toMatch(/^https:\/\/gitlab\.com\/api\/v4\/projects\/foo%2Fbar\//);
    expect(firstURL('ssh://git@gitlab.example.com/foo/bar')).toMatch(
      /^https:\/\/gitlab\.example\.com\/api\/v4\/projects\/foo%2Fbar\//,
    );
  });

  it('gitlab: a self-hosted instance keeps scheme and port (TestNewGitLabSelfHosted)', () => {
    expect(firstURL('http://gitlab.example.com:8080/foo/bar')).toMatch(
      /^http:\/\/gitlab\.example\.com:8080\/api\/v4\/projects\/foo%2Fbar\//,
    );
  });
});

describe('gitlab: factory (providers §4.25, notification-controller §6.9)', () => {
  it('gitlab: an empty token is refused first (gitlab token cannot be empty)', () => {
    expect(thrown(() => provider.create(opts({ token: '', commitStatus: '' })))).toBe('gitlab token cannot be empty');
  });

  it('gitlab: the password stands in for an empty token', () => {
    const d = drive(provider.create(opts({ token: '', password: 'from-password' })).post(variantG()), [reply(200, '[]'), reply(201, '{}')]);
    expect(http(d.requests[0]).headers).toContainEqual(['Private-Token', 'from-password']);
  });

  it('gitlab: an empty commit status id is refused (commit status cannot be empty)', () => {
    expect(thrown(() => provider.create(opts({ commitStatus: '' })))).toBe('commit status cannot be empty');
  });
});

describe('gitlab: event handling (providers §3.8, §4.21)', () => {
  it('gitlab: Progressing events are skipped without a request', () => {
    const d = drive(provider.create(opts()).post(variantG({ reason: 'Progressing' })));
    expect(d.requests).toHaveLength(0);
    expect(d.outcome?.sent).toBe(false);
  });

  it('gitlab: error severity maps to state failed', () => {
    const d = drive(provider.create(opts()).post(variantG({ severity: 'error', reason: 'HealthCheckFailed' })), [reply(200, '[]'), reply(201, '{}')]);
    expect(http(d.requests[1]).body).toBe(
      '{"state":"failed","name":"kustomization/podinfo/0c9c2e41","description":"health check failed"}',
    );
  });

  it("gitlab: other severities fail with can't convert to gitlab state", () => {
    const d = drive(provider.create(opts()).post(variantG({ severity: 'trace' })));
    expect(errorText(d)).toBe("can't convert to gitlab state");
    expect(d.requests).toHaveLength(0);
  });

  it('gitlab: the main sample (short revision) fails to extract the commit hash', () => {
    expect(errorText(drive(provider.create(opts()).post(sampleEvent())))).toBe(
      "failed to extract commit hash from 'main@sha1:abc123' revision",
    );
  });

  it('gitlab: no revision metadata fails with missing revision metadata', () => {
    expect(errorText(drive(provider.create(opts()).post(sampleEvent({ metadata: { summary: 'x' } }))))).toBe(
      'missing revision metadata',
    );
  });

  it('gitlab: the commit key wins over revision', () => {
    const other = 'f'.repeat(40);
    const d = drive(
      provider.create(opts()).post(variantG({ metadata: { commit: other, revision: `main@sha1:${SHA}` } })),
      [reply(200, '[]'), reply(201, '{}')],
    );
    expect(http(d.requests[1]).url).toBe(`https://gitlab.com/api/v4/projects/stefanprodan%2Fpodinfo/statuses/${other}`);
  });
});

describe('gitlab: duplicate rule (providers §4.25)', () => {
  const existing = (o: Record<string, string>) =>
    JSON.stringify([
      { id: 7, sha: SHA, status: 'success', name: STATUS_ID, description: 'reconciliation succeeded', ...o },
    ]);

  it('gitlab: an entry with the same sha, status, description and name skips the write', () => {
    const d = drive(provider.create(opts()).post(variantG()), [reply(200, existing({}))]);
    expect(d.requests).toHaveLength(1);
    expect(d.outcome?.sent).toBe(false);
    expect(d.outcome?.note).toBeTruthy();
  });

  for (const [field, value] of [
    ['status', 'failed'],
    ['description', 'health check failed'],
    ['name', 'other'],
    ['sha', 'f'.repeat(40)],
  ] as const) {
    it(`gitlab: a different ${field} is not a duplicate`, () => {
      const d = drive(provider.create(opts()).post(variantG()), [reply(200, existing({ [field]: value })), reply(201, '{}')]);
      expect(d.requests).toHaveLength(2);
      expect(d.outcome).toEqual({ sent: true });
    });
  }

  it('gitlab: any matching entry counts, not only the first', () => {
    const list = JSON.stringify([
      { sha: SHA, status: 'failed', name: STATUS_ID, description: 'health check failed' },
      { sha: SHA, status: 'success', name: STATUS_ID, description: 'reconciliation succeeded' },
    ]);
    expect(drive(provider.create(opts()).post(variantG()), [reply(200, list)]).outcome?.sent).toBe(false);
  });
});

describe('gitlab: replies and error texts (client-go CheckResponse)', () => {
  const base = `https://gitlab.com/api/v4/projects/stefanprodan/podinfo`;

  it('gitlab: a refused list is wrapped as unable to list commit status: <METHOD> <url with unescaped path>: <code> <message>', () => {
    const d = drive(provider.create(opts()).post(variantG()), [reply(401, '{"message":"401 Unauthorized"}')]);
    expect(errorText(d)).toBe(
      `unable to list commit status: GET ${base}/repository/commits/${SHA}/statuses: 401 {message: 401 Unauthorized}`,
    );
  });

  it('gitlab: 404 is the library ErrNotFound (404 Not Found)', () => {
    expect(errorText(drive(provider.create(opts()).post(variantG()), [reply(404, '{"message":"404 Project Not Found"}')]))).toBe(
      'unable to list commit status: 404 Not Found',
    );
  });

  it('gitlab: a refused POST is returned unwrapped, nested messages sorted', () => {
    const d = drive(provider.create(opts()).post(variantG()), [
      reply(200, '[]'),
      reply(400, '{"message":{"state":["is invalid"],"name":["is too long"]},"error":"bad"}'),
    ]);
    expect(errorText(d)).toBe(
      `POST ${base}/statuses/${SHA}: 400 {error: bad}, {message: {name: [is too long]}, {state: [is invalid]}}`,
    );
  });

  it('gitlab: a non-JSON error body is reported as an unknown error format', () => {
    const d = drive(provider.create(opts()).post(variantG()), [reply(500, 'some error message but not JSON')]);
    expect(errorText(d)).toBe(
      `unable to list commit status: GET ${base}/repository/commits/${SHA}/statuses: 500 failed to parse unknown error format: some error message but not JSON`,
    );
  });

  it('gitlab: an empty error body gives only method, URL and code', () => {
    expect(errorText(drive(provider.create(opts()).post(variantG()), [reply(403, '')]))).toBe(
      `unable to list commit status: GET ${base}/repository/commits/${SHA}/statuses: 403`,
    );
  });

  it('gitlab: 200, 201, 202, 204 and 304 are accepted; the body is still JSON-decoded (empty → EOF)', () => {
    expect(errorText(drive(provider.create(opts()).post(variantG()), [reply(304, '')]))).toBe('unable to list commit status: EOF');
    expect(errorText(drive(provider.create(opts()).post(variantG()), [reply(200, '[]'), reply(204, '')]))).toBe('EOF');
    expect(drive(provider.create(opts()).post(variantG()), [reply(200, '[]'), reply(202, '{}')]).outcome).toEqual({ sent: true });
  });

  it('gitlab: an HTML list reply fails with the Go decoder error', () => {
    expect(errorText(drive(provider.create(opts()).post(variantG()), [reply(200, '<html></html>')]))).toBe(
      "unable to list commit status: invalid character '<' looking for beginning of value",
    );
  });

  it('gitlab: a list reply of the wrong JSON type fails with the Go type error', () => {
    expect(errorText(drive(provider.create(opts()).post(variantG()), [reply(200, '{"message":"x"}')]))).toBe(
      'unable to list commit status: json: cannot unmarshal object into Go value of type []*gitlab.CommitStatus',
    );
  });

  it('gitlab: the check function judges replies with the same texts', () => {
    const d = drive(provider.create(opts()).post(variantG()), [reply(200, '[]'), reply(201, '{}')]);
    const get = http(d.requests[0]);
    expect(get.check?.(reply(200, '[]'))).toBeNull();
    expect(get.check?.(reply(404, ''))).toBe('unable to list commit status: 404 Not Found');
    expect(http(d.requests[1]).check?.(reply(201, '{}'))).toBeNull();
  });
});
