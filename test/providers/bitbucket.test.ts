// bitbucket (Cloud) build status. Expected values: providers spec §1.3 (status key), §1.4
// (Variant G), §4.21, §4.30, §5; notification-controller bitbucket.go / bitbucket_test.go;
// ktrysmt/go-bitbucket client.go (accepted codes, UnexpectedResponseStatusError, basic auth).

import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/bitbucket.js';
import type { HttpReply, PlannedHttpRequest, PlannedRequest } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent, thrown } from './drive.js';

const SHA = 'abc123def4567890abc123def4567890abc123de';
const STATUS_ID = 'kustomization/podinfo/0c9c2e41';
const KEY = 'dfbdde19098ffc25b398f33cc01d36690866ac7b';
const API = `https://api.bitbucket.org/2.0/repositories/stefanprodan/podinfo/commit/${SHA}/statuses/build`;

const variantG = (o: Parameters<typeof sampleEvent>[0] = {}) =>
  sampleEvent({
    metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' },
    ...o,
  });

const opts = (o: Parameters<typeof options>[0] = {}) =>
  options({ url: 'https://bitbucket.org/stefanprodan/podinfo', token: 'user:app-password', commitStatus: STATUS_ID, ...o });

const http = (r: PlannedRequest | undefined) => r as PlannedHttpRequest;
const run = (replies: HttpReply[], o: Parameters<typeof options>[0] = {}, e = variantG()) =>
  drive(provider.create(opts(o)).post(e), replies);

describe('bitbucket: Variant G sample (providers §4.30)', () => {
  const d = run([reply(404, '{"type":"error"}'), reply(201, '{"key":"x"}')]);

  it('bitbucket: GET the status under key sha1(status id), then POST the status, on api.bitbucket.org', () => {
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests.map((r) => `${http(r).method} ${http(r).url}`)).toEqual([`GET ${API}/${KEY}`, `POST ${API}`]);
    expect(http(d.requests[0]).preflight).toBe(true);
  });

  it('bitbucket: the body is json.Marshal of key, url (fixed), state, name, description — no newline', () => {
    expect(http(d.requests[1]).body).toBe(
      `{"key":"${KEY}","url":"https://bitbucket.org","state":"SUCCESSFUL","name":"kustomization/podinfo","description":"reconciliation succeeded"}`,
    );
  });

  it('bitbucket: basic auth from <user>:<app-password>; Content-Type only on the POST, set before auth', () => {
    expect(http(d.requests[0]).headers).toEqual([['Authorization', 'Basic dXNlcjphcHAtcGFzc3dvcmQ=']]);
    expect(http(d.requests[1]).headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Basic dXNlcjphcHAtcGFzc3dvcmQ='],
    ]);
  });

  it('bitbucket: no retries, TLS material applies, no provider proxy', () => {
    for (const r of d.requests.map(http)) {
      expect(r.retry).toBe('none');
      expect(r.useTLS).toBe(true);
      expect(r.useProxy).toBe(false);
    }
  });
});

describe('bitbucket: address and token (providers §4.30, bitbucket_test.go)', () => {
  it('bitbucket: the address host is ignored; only workspace/repo are used', () => {
    const d = run([reply(404), reply(201, '{}')], { url: 'https://bitbucket.example.com/foo/bar.git' });
    expect(http(d.requests[1]).url).toBe(`https://api.bitbucket.org/2.0/repositories/foo/bar/commit/${SHA}/statuses/build`);
  });

  it('bitbucket: scp-style addresses work', () => {
    const d = run([reply(404), reply(201, '{}')], { url: 'git@bitbucket.org:foo/bar.git' });
    expect(http(d.requests[1]).url).toContain('/repositories/foo/bar/commit/');
  });

  it('bitbucket: an empty user name in the token sends no Authorization header', () => {
    const d = run([reply(404), reply(201, '{}')], { token: ':app-password' });
    expect(http(d.requests[0]).headers).toEqual([]);
  });
});

describe('bitbucket: factory errors, in upstream order (providers §4.30)', () => {
  it('bitbucket: an empty token is refused first', () => {
    expect(thrown(() => provider.create(opts({ token: '', commitStatus: '' })))).toBe('bitbucket token cannot be empty');
  });

  it('bitbucket: an empty commit status id is refused next', () => {
    expect(thrown(() => provider.create(opts({ commitStatus: '', token: 'bar' })))).toBe('commit status cannot be empty');
  });

  it('bitbucket: a token without exactly one colon (TestNewBitbucketInvalidToken)', () => {
    expect(thrown(() => provider.create(opts({ token: 'bar', url: 'https://bitbucket.org/foo/bar/baz' })))).toBe(
      'invalid token format, expected to be <user>:<password>',
    );
    expect(thrown(() => provider.create(opts({ token: 'user:pass:word' })))).toBe(
      'invalid token format, expected to be <user>:<password>',
    );
  });

  it('bitbucket: a repository id other than workspace/repo (TestNewBitbucketInvalidUrl)', () => {
    expect(thrown(() => provider.create(opts({ url: 'https://bitbucket.org/foo/bar/baz' })))).toBe(
      'invalid repository id "foo/bar/baz"',
    );
  });
});

describe('bitbucket: event handling (providers §3.8, §4.21)', () => {
  it('bitbucket: Progressing events are skipped without a request', () => {
    const d = run([], {}, variantG({ reason: 'Progressing' }));
    expect(d.requests).toHaveLength(0);
    expect(d.outcome?.sent).toBe(false);
  });

  it('bitbucket: error severity posts FAILED', () => {
    const d = run([reply(404), reply(201, '{}')], {}, variantG({ severity: 'error' }));
    expect(http(d.requests[1]).body).toContain('"state":"FAILED"');
  });

  it("bitbucket: other severities fail with can't convert to bitbucket state", () => {
    expect(errorText(run([], {}, variantG({ severity: 'trace' })))).toBe("can't convert to bitbucket state");
  });

  it('bitbucket: a short revision fails to extract the commit hash', () => {
    expect(errorText(run([], {}, sampleEvent()))).toBe("failed to extract commit hash from 'main@sha1:abc123' revision");
  });
});

describe('bitbucket: duplicate rule and replies (providers §4.30)', () => {
  const existing = (o: Record<string, unknown> = {}) =>
    reply(
      200,
      JSON.stringify({
        key: KEY,
        state: 'SUCCESSFUL',
        name: 'kustomization/podinfo',
        description: 'reconciliation succeeded',
        url: 'https://bitbucket.org',
        ...o,
      }),
    );

  it('bitbucket: same state and description skip the POST', () => {
    const d = run([existing()]);
    expect(d.requests).toHaveLength(1);
    expect(d.outcome?.sent).toBe(false);
  });

  it('bitbucket: name and url are not compared', () => {
    expect(run([existing({ name: 'other', url: 'https://x' })]).outcome?.sent).toBe(false);
  });

  it('bitbucket: a different state or description is not a duplicate', () => {
    expect(run([existing({ state: 'FAILED' }), reply(201, '{}')]).requests).toHaveLength(2);
    expect(run([existing({ description: 'health check failed' }), reply(201, '{}')]).requests).toHaveLength(2);
  });

  it('bitbucket: 404 on the GET means no status yet', () => {
    expect(run([reply(404, 'Not here'), reply(200, '{}')]).outcome).toEqual({ sent: true });
  });

  it('bitbucket: another refused GET is could not get commit status: <status line>', () => {
    expect(errorText(run([reply(500, 'oops')]))).toBe('could not get commit status: 500 Internal Server Error');
  });

  it('bitbucket: a GET body that is not JSON is could not get commit status: <json error>', () => {
    expect(errorText(run([reply(200, '<html>')]))).toBe(
      "could not get commit status: invalid character '<' looking for beginning of value",
    );
  });

  it('bitbucket: an existing status with a non-string state fails with the Go type error', () => {
    expect(errorText(run([existing({ state: 1 })]))).toBe(
      'json: cannot unmarshal number into Go struct field CommitStatusOptions.state of type string',
    );
  });

  it('bitbucket: a refused POST is the status line only', () => {
    expect(errorText(run([reply(404), reply(400, '{"error":{"message":"bad"}}')]))).toBe('400 Bad Request');
  });

  it('bitbucket: 200, 201, 202 and 204 are the accepted POST codes (203 is not)', () => {
    for (const code of [200, 201, 202]) expect(run([reply(404), reply(code, '{}')]).outcome).toEqual({ sent: true });
    expect(run([reply(404), reply(204, '')]).outcome).toEqual({ sent: true });
    expect(errorText(run([reply(404), reply(203, '{}')]))).toBe('203 Non-Authoritative Information');
  });

  it('bitbucket: an accepted POST reply with an empty body fails to decode', () => {
    expect(errorText(run([reply(404), reply(201, '')]))).toBe('unexpected end of JSON input');
  });
});
