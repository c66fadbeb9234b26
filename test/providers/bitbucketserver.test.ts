// bitbucketserver build status. Expected values: providers spec §1.3 (status key), §1.4
// (Variant G), §4.21, §4.29, §5; notification-controller bitbucketserver.go and
// bitbucketserver_test.go (API paths, error texts, header values).

import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/bitbucketserver.js';
import type { HttpReply, PlannedHttpRequest, PlannedRequest } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent, thrown } from './drive.js';

const SHA = 'abc123def4567890abc123def4567890abc123de';
const STATUS_ID = 'kustomization/podinfo/0c9c2e41';
const KEY = 'dfbdde19098ffc25b398f33cc01d36690866ac7b';
const ADDRESS = 'https://bitbucket.example.com:7990/scm/PROJ/podinfo.git';
const BUILDS = `https://bitbucket.example.com:7990/rest/api/latest/projects/PROJ/repos/podinfo/commits/${SHA}/builds`;

const variantG = (o: Parameters<typeof sampleEvent>[0] = {}) =>
  sampleEvent({
    metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' },
    ...o,
  });

const opts = (o: Parameters<typeof options>[0] = {}) =>
  options({ url: ADDRESS, token: 'BBDC-token', commitStatus: STATUS_ID, ...o });

const http = (r: PlannedRequest | undefined) => r as PlannedHttpRequest;
const run = (replies: HttpReply[], o: Parameters<typeof options>[0] = {}, e = variantG()) =>
  drive(provider.create(opts(o)).post(e), replies);

describe('bitbucketserver: Variant G sample (providers §4.29)', () => {
  const d = run([reply(404, ''), reply(204, '')]);

  it('bitbucketserver: GET <base>/<sha>/builds?key=<sha1 of the status id>, then POST <base>/<sha>/builds', () => {
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests.map((r) => `${http(r).method} ${http(r).url}`)).toEqual([
      `GET ${BUILDS}?key=${KEY}`,
      `POST ${BUILDS}`,
    ]);
    expect(http(d.requests[0]).preflight).toBe(true);
    expect(http(d.requests[0]).body).toBeUndefined();
  });

  it('bitbucketserver: the POST body is encoder output with key order description, key, name, state, url and a newline', () => {
    expect(http(d.requests[1]).body).toBe(
      `{"description":"reconciliation succeeded","key":"${KEY}","name":"kustomization/podinfo [reconciliation succeeded]","state":"SUCCESSFUL","url":"${ADDRESS}"}\n`,
    );
  });

  it('bitbucketserver: a token is sent as Bearer, with the Atlassian headers; the POST adds Content-Type', () => {
    expect(http(d.requests[0]).headers).toEqual([
      ['Authorization', 'Bearer BBDC-token'],
      ['X-Atlassian-Token', 'no-check'],
      ['X-Requested-With', 'XMLHttpRequest'],
    ]);
    expect(http(d.requests[1]).headers).toEqual([
      ['Authorization', 'Bearer BBDC-token'],
      ['X-Atlassian-Token', 'no-check'],
      ['X-Requested-With', 'XMLHttpRequest'],
      ['Content-Type', 'application/json'],
    ]);
  });

  it('bitbucketserver: requests use go-retryablehttp, TLS material and no provider proxy', () => {
    for (const r of d.requests.map(http)) {
      expect(r.retry).toBe('retryablehttp');
      expect(r.useTLS).toBe(true);
      expect(r.useProxy).toBe(false);
    }
  });
});

describe('bitbucketserver: address and API path (bitbucketserver_test.go)', () => {
  const post = (url: string) => http(run([reply(404), reply(204)], { url }).requests[1]).url;
  const hash = SHA;

  it('bitbucketserver: no context path', () => {
    expect(post('https://example.com:7990/scm/projectfoo/repobar.git')).toBe(
      `https://example.com:7990/rest/api/latest/projects/projectfoo/repos/repobar/commits/${hash}/builds`,
    );
  });

  it('bitbucketserver: a one-word context path is kept before /rest', () => {
    expect(post('https://example.com:7990/context1/scm/projectfoo/repobar.git')).toBe(
      `https://example.com:7990/context1/rest/api/latest/projects/projectfoo/repos/repobar/commits/${hash}/builds`,
    );
  });

  it('bitbucketserver: a multi-word context path is kept', () => {
    expect(post('https://example.com:7990/context1/context2/context3/scm/projectfoo/repobar.git')).toBe(
      `https://example.com:7990/context1/context2/context3/rest/api/latest/projects/projectfoo/repos/repobar/commits/${hash}/builds`,
    );
  });

  it('bitbucketserver: the last /scm/ splits context and repository (scm in the context)', () => {
    expect(post('https://example.com:7990/scm/scm/projectfoo/repobar.git')).toBe(
      `https://example.com:7990/scm/rest/api/latest/projects/projectfoo/repos/repobar/commits/${hash}/builds`,
    );
    expect(post('https://example.com:7990/scm/context2/scm/scm/projectfoo/repobar.git')).toBe(
      `https://example.com:7990/scm/context2/scm/rest/api/latest/projects/projectfoo/repos/repobar/commits/${hash}/builds`,
    );
  });

  it('bitbucketserver: the url of the status is the address exactly as configured', () => {
    const d = run([reply(404), reply(204)], { url: 'http://example.com/scm/projectfoo/repobar' });
    expect(http(d.requests[1]).body).toContain('"url":"http://example.com/scm/projectfoo/repobar"}');
  });
});

describe('bitbucketserver: factory errors, in upstream order (providers §4.29)', () => {
  it('bitbucketserver: an address url.Parse rejects', () => {
    expect(thrown(() => provider.create(opts({ url: 'https://example.com:port/scm/a/b.git' })))).toBe(
      'could not parse git address: parse "https://example.com:port/scm/a/b.git": invalid port ":port" after host',
    );
  });

  it('bitbucketserver: a non-http(s) scheme (TestBitbucketServerSshAddress)', () => {
    expect(thrown(() => provider.create(opts({ url: 'ssh://git@mybitbucket:2222/ap/fluxcd-sandbox.git', token: '' })))).toBe(
      'could not parse git address: unsupported scheme type in address: ssh. Must be http or https',
    );
  });

  it('bitbucketserver: an address without /scm/ (TestBitbucketServerApiPathScmAlreadyRemovedInInput)', () => {
    expect(thrown(() => provider.create(opts({ url: 'https://example.com:7990/context1/context2/context3/projectfoo/repobar.git' })))).toBe(
      'could not parse git address: supplied provider address is not http(s) git clone url',
    );
  });

  it('bitbucketserver: a repository id that is not PROJECT/repo (TestNewBitbucketServerInvalidRepo)', () => {
    expect(thrown(() => provider.create(opts({ url: 'https://example.com:7990/scm/projectfoo/repobar/invalid.git' })))).toBe(
      'could not parse git address: invalid repository id "projectfoo/repobar/invalid"',
    );
  });

  it('bitbucketserver: an empty commit status id comes after the address checks', () => {
    expect(thrown(() => provider.create(opts({ commitStatus: '', token: '' })))).toBe('commit status cannot be empty');
  });

  it('bitbucketserver: neither a token nor username and password (TestNewBitbucketServerInvalidCreds)', () => {
    expect(thrown(() => provider.create(opts({ token: '' })))).toBe(
      'invalid credentials, expected to be one of username/password or API Token',
    );
    expect(thrown(() => provider.create(opts({ token: '', username: 'hello' })))).toBe(
      'invalid credentials, expected to be one of username/password or API Token',
    );
  });

  it('bitbucketserver: username and password give basic auth', () => {
    const d = run([reply(404), reply(204)], { token: '', username: 'hello', password: 'password' });
    expect(http(d.requests[0]).headers[0]).toEqual(['Authorization', 'Basic aGVsbG86cGFzc3dvcmQ=']);
  });

  it('bitbucketserver: a token wins over username and password', () => {
    const d = run([reply(404), reply(204)], { token: 'goodtoken', username: 'hello', password: 'password' });
    expect(http(d.requests[0]).headers[0]).toEqual(['Authorization', 'Bearer goodtoken']);
  });
});

describe('bitbucketserver: event handling (providers §3.8, §4.21, bitbucketserver_test.go)', () => {
  it('bitbucketserver: Progressing events are skipped without a request', () => {
    const d = run([], {}, variantG({ reason: 'Progressing' }));
    expect(d.requests).toHaveLength(0);
    expect(d.outcome?.sent).toBe(false);
  });

  it('bitbucketserver: error severity posts FAILED', () => {
    const d = run([reply(404), reply(204)], {}, variantG({ severity: 'error', reason: 'HealthCheckFailed' }));
    expect(http(d.requests[1]).body).toContain('"name":"kustomization/podinfo [health check failed]","state":"FAILED"');
  });

  it('bitbucketserver: other severities fail with the bitbucket server state error', () => {
    expect(errorText(run([], {}, variantG({ severity: 'badserveritystate' })))).toBe(
      "couldn't convert to bitbucket server state: bitbucket server state generated on info or error events only",
    );
  });

  it('bitbucketserver: missing revision metadata is not wrapped', () => {
    expect(errorText(run([], {}, variantG({ metadata: { dummybadrevision: 'bad' } })))).toBe('missing revision metadata');
  });

  it('bitbucketserver: a bad revision is wrapped as could not parse revision', () => {
    expect(errorText(run([], {}, variantG({ metadata: { revision: 'badhash' } })))).toBe(
      "could not parse revision: failed to extract commit hash from 'badhash' revision",
    );
  });

  it('bitbucketserver: originRevision wins over revision', () => {
    const origin = 'e7c17dd8b8384bbc84b7e7385394cb7f48332b2d';
    const d = run([reply(404), reply(204)], {}, variantG({ metadata: { revision: `main@sha1:${SHA}`, originRevision: `main@sha1:${origin}` } }));
    expect(http(d.requests[1]).url).toContain(`/commits/${origin}/builds`);
  });
});

describe('bitbucketserver: duplicate rule and replies (providers §4.29)', () => {
  const existing = (o: Record<string, string> = {}) =>
    reply(
      200,
      JSON.stringify({
        description: 'reconciliation succeeded',
        key: KEY,
        state: 'SUCCESSFUL',
        name: 'kustomization/podinfo [reconciliation succeeded]',
        url: ADDRESS,
        ...o,
      }),
    );

  it('bitbucketserver: an existing status with the same key, state, description and name skips the POST', () => {
    const d = run([existing(), reply(401)]);
    expect(d.requests).toHaveLength(1);
    expect(d.outcome?.sent).toBe(false);
  });

  for (const field of ['key', 'state', 'description', 'name']) {
    it(`bitbucketserver: a different ${field} is not a duplicate`, () => {
      const d = run([existing({ [field]: 'TEST2' }), reply(204)]);
      expect(d.requests).toHaveLength(2);
      expect(d.outcome).toEqual({ sent: true });
    });
  }

  it('bitbucketserver: the url of the existing status is not compared', () => {
    expect(run([existing({ url: 'https://elsewhere' })]).outcome?.sent).toBe(false);
  });

  it('bitbucketserver: an empty 200 body fails to unmarshal (upstream "badjson" case)', () => {
    expect(errorText(run([reply(200, '')]))).toBe(
      'could not get existing commit status: could not unmarshal json response body for duplicate commit status: unexpected end of JSON input',
    );
  });

  it('bitbucketserver: a GET status of 400 or more other than 404 fails (upstream "badstatuscode" case)', () => {
    expect(errorText(run([reply(400, '')]))).toBe(
      'could not get existing commit status: failed api call to check duplicate commit status: 400 - Bad Request',
    );
  });

  it('bitbucketserver: a GET status below 400 other than 200 means no existing status', () => {
    expect(run([reply(204), reply(204)]).requests).toHaveLength(2);
  });

  it('bitbucketserver: a POST status of 400 or more fails (upstream "badpost" case)', () => {
    expect(errorText(run([reply(404), reply(401, 'nope')]))).toBe(
      'could not post build status: could not post build commit status: 401 - Unauthorized',
    );
  });

  it('bitbucketserver: any POST status below 400 is success', () => {
    expect(run([reply(404), reply(302)]).outcome).toEqual({ sent: true });
  });

  it('bitbucketserver: the check functions judge with the same texts', () => {
    const d = run([reply(404), reply(204)]);
    expect(http(d.requests[0]).check?.(reply(500))).toBe(
      'could not get existing commit status: failed api call to check duplicate commit status: 500 - Internal Server Error',
    );
    expect(http(d.requests[0]).check?.(reply(404))).toBeNull();
    expect(http(d.requests[1]).check?.(reply(403))).toBe(
      'could not post build status: could not post build commit status: 403 - Forbidden',
    );
  });
});
