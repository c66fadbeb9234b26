// GitHub App installation tokens across events. Expected values: NC v1.9.3 github_helpers.go
// (getGitHubAppToken passes githubapp.WithCache with the process-wide token cache; the Provider
// only labels the cache metrics), fluxcd/pkg auth v0.54.1 githubapp/client.go (GetToken goes
// through TokenCache.GetOrSet; buildCacheKey = SHA-256 hex of
// "githubAppID=%d,githubAppInstallationOwner=%s,githubAppInstallationID=%d,githubAppBaseURL=%s,
// githubAppPrivateKey=%s,reflectSlug=%v"; the AppToken keeps the slug and expires_at), fluxcd/pkg
// cache v0.14.0 (80% of the lifetime, only successful fetches stored, LRU), go-github v87
// Timestamp.UnmarshalJSON (Unix seconds, or time.Parse of `"`+RFC3339+`"`, whose errors are Go's
// time.ParseError texts).

import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { ProviderCaches } from '../../src/providers/caches.js';
import { provider as github } from '../../src/providers/github.js';
import { provider as dispatch } from '../../src/providers/githubdispatch.js';
import { provider as prComment } from '../../src/providers/githubpullrequestcomment.js';
import { goTimestamp } from '../../src/providers/github-client.js';
import { NotifierInitError } from '../../src/providers/git-common.js';
import type { HttpReply, NotifierOptions, PlannedHttpRequest, PlannedRequest } from '../../src/providers/types.js';
import { drive, options, reply, sampleEvent, type Driven, useGitHubClock } from './drive.js';

const SHA = 'abc123def4567890abc123def4567890abc123de';
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const MIN = 60_000;
const RSA_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const OTHER_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

const clock = useGitHubClock(NOW);

const newCaches = (o: ConstructorParameters<typeof ProviderCaches>[0] = {}) => new ProviderCaches({ now: () => clock.now, ...o });

const secret = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Buffer.from(v)]));
const appSecret = (o: Record<string, string> = {}) =>
  secret({ githubAppID: '123', githubAppInstallationID: '456', githubAppPrivateKey: RSA_PEM, ...o });

const statusEvent = (message = 'Applied revision') =>
  sampleEvent({ message, metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' } });
const commentEvent = () => sampleEvent({ metadata: { change_request: '42', revision: 'main@sha1:abc123', summary: 'Cluster: production' } });

type Opts = Partial<NotifierOptions>;
const ghOpts = (caches: ProviderCaches, o: Opts = {}) =>
  options({ url: 'https://github.com/stefanprodan/podinfo', commitStatus: 'kustomization/podinfo/0c9c2e41', providerUID: 'uid-1', providerName: 'gh', providerNamespace: 'flux-system', secretData: appSecret(), caches, ...o });

let issued = 0;
/** A healthy GitHub: each exchange issues a new token, valid `lifetimeMs` (or the given expires_at JSON). */
function gitHub(o: { lifetimeMs?: number; expiresAt?: string; exchange?: HttpReply } = {}) {
  return (req: PlannedRequest): HttpReply => {
    const r = req as PlannedHttpRequest;
    if (r.url.endsWith('/access_tokens')) {
      if (o.exchange) return o.exchange;
      const exp = o.expiresAt ?? JSON.stringify(new Date(clock.now + (o.lifetimeMs ?? 60 * MIN)).toISOString().replace('.000Z', 'Z'));
      return reply(201, `{"token":"ghs_token${++issued}","expires_at":${exp}}`);
    }
    if (r.url.endsWith('/app')) return reply(200, '{"id":123,"slug":"flux-bot"}');
    if (r.url.endsWith('/installation')) return reply(200, '{"id":789}');
    if (r.method === 'GET') return reply(200, '[]');
    return reply(201, '{"id":1}');
  };
}

const http = (r: PlannedRequest | undefined) => r as PlannedHttpRequest;
const lines = (d: Driven) => d.requests.map((r) => `${http(r).method} ${http(r).url.replace('https://api.github.com/', '')}`);
const exchanges = (d: Driven) => d.requests.filter((r) => http(r).url.endsWith('/access_tokens')).length;
const bearer = (d: Driven) => http(d.requests.at(-1)).headers.find(([k]) => k === 'Authorization')?.[1];

const postStatus = (caches: ProviderCaches, o: Opts = {}, replies = gitHub()) => drive(github.create(ghOpts(caches, o)).post(statusEvent()), replies);

describe('github app token cache: across events', () => {
  test('github app token cache: the second event within the token\'s life sends no exchange and reuses the token', () => {
    const caches = newCaches();
    const notifier = github.create(ghOpts(caches));
    const first = drive(notifier.post(statusEvent('one')), gitHub());
    expect(lines(first)).toEqual([
      'POST app/installations/456/access_tokens',
      `GET repos/stefanprodan/podinfo/commits/${SHA}/statuses?per_page=50`,
      `POST repos/stefanprodan/podinfo/statuses/${SHA}`,
    ]);
    const token = bearer(first);
    clock.now = NOW + 47 * MIN;
    const second = drive(notifier.post(statusEvent('two')), gitHub());
    expect(second.error).toBeUndefined();
    expect(lines(second)).toEqual([
      `GET repos/stefanprodan/podinfo/commits/${SHA}/statuses?per_page=50`,
      `POST repos/stefanprodan/podinfo/statuses/${SHA}`,
    ]);
    expect(bearer(second)).toBe(token);
  });

  test('github app token cache: once 80% of the token\'s life has passed the exchange runs again, with the new token used', () => {
    const caches = newCaches();
    const first = postStatus(caches);
    clock.now = NOW + 48 * MIN;
    const second = postStatus(caches);
    expect(exchanges(second)).toBe(1);
    expect(bearer(second)).not.toBe(bearer(first));
    clock.now = NOW + 49 * MIN;
    expect(exchanges(postStatus(caches))).toBe(0);
  });

  test('github app token cache: a failed exchange is not cached', () => {
    const caches = newCaches();
    const failed = postStatus(caches, {}, gitHub({ exchange: reply(401, '{"message":"A JSON web token could not be decoded"}') }));
    expect(failed.error).toBeInstanceOf(NotifierInitError);
    expect(caches.githubAppTokens.size).toBe(0);
    expect(exchanges(postStatus(caches))).toBe(1);
  });

  test('github app token cache: a token obtained before a later constructor error is still cached (GetToken ran)', () => {
    const caches = newCaches();
    const bad = postStatus(caches, { url: 'https://github.com/stefanprodan' });
    expect((bad.error as Error).message).toBe("invalid repository id: 'stefanprodan'");
    expect(exchanges(bad)).toBe(1);
    expect(exchanges(postStatus(caches))).toBe(0);
  });

  test('github app token cache: without caches every event exchanges (NC with --token-cache-max-size 0)', () => {
    const notifier = github.create(options({ ...ghOpts(newCaches()), caches: undefined }));
    expect(exchanges(drive(notifier.post(statusEvent()), gitHub()))).toBe(1);
    expect(exchanges(drive(notifier.post(statusEvent()), gitHub()))).toBe(1);
    const off = newCaches({ tokenCacheMaxSize: 0 });
    expect(exchanges(postStatus(off))).toBe(1);
    expect(exchanges(postStatus(off))).toBe(1);
  });
});

describe('github app token cache: the key', () => {
  test('github app token cache: the key is SHA-256 of the App settings and the slug reflection (githubapp buildCacheKey)', () => {
    const caches = newCaches();
    postStatus(caches);
    const raw = `githubAppID=123,githubAppInstallationOwner=,githubAppInstallationID=456,githubAppBaseURL=,githubAppPrivateKey=${RSA_PEM},reflectSlug=false`;
    expect(caches.githubAppTokens.keys()).toEqual([createHash('sha256').update(raw).digest('hex')]);
  });

  test('github app token cache: Providers with the same App settings share one token (no Provider name, namespace, type, proxy or TLS in the key)', () => {
    const caches = newCaches();
    expect(exchanges(postStatus(caches))).toBe(1);
    expect(exchanges(postStatus(caches, { providerName: 'other', providerNamespace: 'apps', providerUID: 'uid-2' }))).toBe(0);
    expect(exchanges(postStatus(caches, { proxyURL: 'http://proxy.internal:3128', tls: { ca: 'PEM' } }))).toBe(0);
    const d = drive(dispatch.create(ghOpts(caches, { providerName: 'dispatch' })).post(statusEvent()), gitHub());
    expect(exchanges(d)).toBe(0);
    expect(caches.githubAppTokens.size).toBe(1);
  });

  test('github app token cache: another App ID, installation, owner, base URL or private key is another entry', () => {
    const caches = newCaches();
    postStatus(caches);
    const variants: Array<Record<string, string>> = [
      { githubAppID: '124' },
      { githubAppInstallationID: '457' },
      { githubAppBaseURL: 'https://ghe.example.com/api/v3' },
      { githubAppPrivateKey: OTHER_PEM },
    ];
    for (const v of variants) expect(exchanges(postStatus(caches, { secretData: appSecret(v) }))).toBe(1);
    const owner = secret({ githubAppID: '123', githubAppInstallationOwner: 'stefanprodan', githubAppPrivateKey: RSA_PEM });
    expect(exchanges(postStatus(caches, { secretData: owner }))).toBe(1);
    expect(caches.githubAppTokens.size).toBe(6);
    // The same settings again: all hits.
    for (const v of variants) expect(exchanges(postStatus(caches, { secretData: appSecret(v) }))).toBe(0);
  });

  test('github app token cache: githubpullrequestcomment reflects the App slug, so it has its own entry, and a hit skips GET /app as well', () => {
    const caches = newCaches();
    postStatus(caches);
    const notifier = prComment.create(ghOpts(caches));
    const first = drive(notifier.post(commentEvent()), gitHub());
    expect(lines(first).slice(0, 2)).toEqual(['GET app', 'POST app/installations/456/access_tokens']);
    const second = drive(notifier.post(commentEvent()), gitHub());
    expect(second.error).toBeUndefined();
    expect(lines(second)).toEqual([
      'GET repos/stefanprodan/podinfo/issues/42/comments?direction=asc&per_page=100&sort=created',
      'POST repos/stefanprodan/podinfo/issues/42/comments',
    ]);
    expect(caches.githubAppTokens.size).toBe(2);
  });

  test('github app token cache: at the max size the least recently used App token goes first', () => {
    const caches = newCaches({ tokenCacheMaxSize: 2 });
    const inst = (id: string) => ({ secretData: appSecret({ githubAppInstallationID: id }) });
    expect(exchanges(postStatus(caches, inst('1')))).toBe(1);
    expect(exchanges(postStatus(caches, inst('2')))).toBe(1);
    expect(exchanges(postStatus(caches, inst('1')))).toBe(0);
    expect(exchanges(postStatus(caches, inst('3')))).toBe(1); // evicts 2
    expect(exchanges(postStatus(caches, inst('1')))).toBe(0);
    expect(exchanges(postStatus(caches, inst('2')))).toBe(1);
  });
});

describe('github app token cache: the token expiry (go-github Timestamp)', () => {
  test('github app token cache: expires_at as Unix seconds', () => {
    const caches = newCaches();
    postStatus(caches, {}, gitHub({ expiresAt: String((NOW + 60 * MIN) / 1000) }));
    expect(caches.githubAppTokens.expiresAt(caches.githubAppTokens.keys()[0]!)).toBe(NOW + 48 * MIN);
  });

  test('github app token cache: expires_at with a zone offset and fractional seconds', () => {
    expect(goTimestamp('"2025-06-01T15:00:00.5+02:00"')).toEqual({ ns: BigInt(NOW + 60 * MIN + 500) * 1_000_000n });
    expect(goTimestamp('"2025-06-01T13:00:00Z"')).toEqual({ ns: BigInt(NOW + 60 * MIN) * 1_000_000n });
  });

  test('github app token cache: a reply without expires_at (or null) gives a token that is never reused', () => {
    for (const body of ['{"token":"ghs_x"}', '{"token":"ghs_x","expires_at":null}']) {
      const caches = newCaches();
      postStatus(caches, {}, gitHub({ exchange: reply(201, body) }));
      expect(exchanges(postStatus(caches, {}, gitHub({ exchange: reply(201, body) })))).toBe(1);
    }
  });

  test('github app token cache: a malformed expires_at fails the exchange with Go\'s time.ParseError text and nothing is cached', () => {
    const cases: Array<[string, string]> = [
      ['"soon"', 'parsing time "\\"soon\\"" as "\\"2006-01-02T15:04:05Z07:00\\"": cannot parse "soon\\"" as "2006"'],
      ['"2025-06-01 13:00:00Z"', 'parsing time "\\"2025-06-01 13:00:00Z\\"" as "\\"2006-01-02T15:04:05Z07:00\\"": cannot parse " 13:00:00Z\\"" as "T"'],
      ['"2025-13-01T13:00:00Z"', 'parsing time "\\"2025-13-01T13:00:00Z\\"": month out of range'],
      ['"2025-02-30T13:00:00Z"', 'parsing time "\\"2025-02-30T13:00:00Z\\"": day out of range'],
      ['"2025-06-01T13:00:00"', 'parsing time "\\"2025-06-01T13:00:00\\"" as "\\"2006-01-02T15:04:05Z07:00\\"": cannot parse "\\"" as "Z07:00"'],
      ['"2025-06-01T13:00:00Z "', 'parsing time "\\"2025-06-01T13:00:00Z \\"" as "\\"2006-01-02T15:04:05Z07:00\\"": cannot parse " \\"" as "\\""'],
      ['1.5e9', 'parsing time "1.5e9" as "\\"2006-01-02T15:04:05Z07:00\\"": cannot parse "1.5e9" as "\\""'],
    ];
    for (const [raw, text] of cases) {
      const caches = newCaches();
      const d = postStatus(caches, {}, gitHub({ exchange: reply(201, `{"token":"ghs_x","expires_at":${raw}}`) }));
      expect((d.error as Error).message).toBe(text);
      expect(caches.githubAppTokens.size).toBe(0);
    }
  });

  test('github app token cache: a JSON syntax error comes before the expires_at error, which comes before a type mismatch', () => {
    const caches = newCaches();
    const syntax = postStatus(caches, {}, gitHub({ exchange: reply(201, '{"token":1,"expires_at":"x",}') }));
    expect((syntax.error as Error).message).toBe("invalid character '}' looking for beginning of object key string");
    const timeFirst = postStatus(caches, {}, gitHub({ exchange: reply(201, '{"token":1,"expires_at":"x"}') }));
    expect((timeFirst.error as Error).message).toBe('parsing time "\\"x\\"" as "\\"2006-01-02T15:04:05Z07:00\\"": cannot parse "x\\"" as "2006"');
    const typeErr = postStatus(caches, {}, gitHub({ exchange: reply(201, '{"token":1,"expires_at":"2025-06-01T13:00:00Z"}') }));
    expect((typeErr.error as Error).message).toBe('json: cannot unmarshal number into Go struct field InstallationToken.token of type string');
  });

  test('github app token cache: the field name matches case-insensitively, the last one wins', () => {
    const caches = newCaches();
    postStatus(caches, {}, gitHub({ exchange: reply(201, '{"token":"ghs_x","expires_at":"2025-06-01T12:10:00Z","EXPIRES_AT":"2025-06-01T13:00:00Z"}') }));
    expect(caches.githubAppTokens.expiresAt(caches.githubAppTokens.keys()[0]!)).toBe(NOW + 48 * MIN);
  });
});
