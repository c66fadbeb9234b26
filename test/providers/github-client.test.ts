import { generateKeyPairSync, verify } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { provider as github } from '../../src/providers/github.js';
import { provider as dispatch } from '../../src/providers/githubdispatch.js';
import { provider as prComment } from '../../src/providers/githubpullrequestcomment.js';
import { githubClock } from '../../src/providers/github-client.js';
import { NotifierInitError } from '../../src/providers/git-common.js';
import type { PlannedHttpRequest } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent, thrown } from './drive.js';

const SHA = 'abc123def4567890abc123def4567890abc123de';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const RSA_PKCS8_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const EC_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0); // 1748779200 s
const realNow = githubClock.now;
beforeEach(() => {
  githubClock.now = () => NOW + 400; // sub-second part is truncated
});
afterEach(() => {
  githubClock.now = realNow;
});

const secret = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Buffer.from(v)]));
const appSecret = (o: Record<string, string> = {}) =>
  secret({ githubAppID: '123', githubAppInstallationID: '456', githubAppPrivateKey: RSA_PEM, ...o });

const variantG = (o: Parameters<typeof sampleEvent>[0] = {}) =>
  sampleEvent({ metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' }, ...o });

const ghNotifier = (o: Parameters<typeof options>[0] = {}) =>
  github.create(options({ url: 'https://github.com/stefanprodan/podinfo', commitStatus: 'kustomization/podinfo/0c9c2e41', secretData: appSecret(), ...o }));

const http = (r: unknown) => r as PlannedHttpRequest;
const header = (r: PlannedHttpRequest, name: string) => r.headers.find(([k]) => k === name)?.[1];
const TOKEN_REPLY = reply(201, '{"token":"ghs_installation","expires_at":"2025-06-01T13:00:00Z"}');

describe('github app', () => {
  test('github app: the installation token exchange request (providers §4.22)', () => {
    const d = drive(ghNotifier().post(variantG()), [TOKEN_REPLY, reply(200, '[]'), reply(201, '{}')]);
    expect(d.outcome).toEqual({ sent: true });
    const ex = http(d.requests[0]);
    expect(ex.method).toBe('POST');
    expect(ex.url).toBe('https://api.github.com/app/installations/456/access_tokens');
    // go-github encodes the nil options pointer as JSON null.
    expect(ex.body).toBe('null\n');
    expect(ex.preflight).toBe(true);
    expect(ex.retry).toBe('none');
    // The exchange client honours the Provider's proxy and TLS material.
    expect(ex.useProxy).toBe(true);
    expect(ex.useTLS).toBe(true);
    expect(ex.headers.map(([k]) => k)).toEqual(['Content-Type', 'Accept', 'User-Agent', 'X-Github-Api-Version', 'Authorization']);
    // fluxcd/pkg auth v0.54.1 (NC v1.9.3's go.mod) runs the exchange on go-github v87.0.0.
    expect(header(ex, 'User-Agent')).toBe('go-github/v87.0.0');
    expect(header(ex, 'Accept')).toBe('application/vnd.github.v3+json');
  });

  test('github app: the JWT is RS256, issued 30 s back, valid 2 minutes, issuer = app ID (fluxcd/pkg githubapp)', () => {
    const d = drive(ghNotifier().post(variantG()), [TOKEN_REPLY, reply(200, '[]'), reply(201, '{}')]);
    const auth = header(http(d.requests[0]), 'Authorization')!;
    expect(auth.startsWith('Bearer ')).toBe(true);
    const [h, c, s] = auth.slice('Bearer '.length).split('.') as [string, string, string];
    expect(Buffer.from(h, 'base64url').toString()).toBe('{"alg":"RS256","typ":"JWT"}');
    expect(Buffer.from(c, 'base64url').toString()).toBe('{"iss":"123","exp":1748779290,"iat":1748779170}');
    expect(verify('sha256', Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s, 'base64url'))).toBe(true);
  });

  test('github app: the installation token is then used like a PAT (providers §4.22)', () => {
    const d = drive(ghNotifier().post(variantG()), [TOKEN_REPLY, reply(200, '[]'), reply(201, '{}')]);
    expect(http(d.requests[1]).url).toBe(`https://api.github.com/repos/stefanprodan/podinfo/commits/${SHA}/statuses?per_page=50`);
    expect(header(http(d.requests[1]), 'Authorization')).toBe('Bearer ghs_installation');
    expect(header(http(d.requests[1]), 'User-Agent')).toBe('go-github/v64.0.0');
  });

  test('github app: a PKCS#8 RSA key works too', () => {
    const d = drive(ghNotifier({ secretData: appSecret({ githubAppPrivateKey: RSA_PKCS8_PEM }) }).post(variantG()), [TOKEN_REPLY, reply(200, '[]'), reply(201, '{}')]);
    expect(d.outcome).toEqual({ sent: true });
  });

  test('github app: githubAppBaseURL is the exchange base (trailing slash added)', () => {
    const n = ghNotifier({ secretData: appSecret({ githubAppBaseURL: 'https://ghe.example.com/api/v3' }) });
    const d = drive(n.post(variantG()), [TOKEN_REPLY, reply(200, '[]'), reply(201, '{}')]);
    expect(http(d.requests[0]).url).toBe('https://ghe.example.com/api/v3/app/installations/456/access_tokens');
  });

  test('github app: an installation owner is looked up as organization, then as user', () => {
    const sd = appSecret({ githubAppInstallationOwner: 'stefanprodan' });
    delete sd['githubAppInstallationID'];
    const d = drive(ghNotifier({ secretData: sd }).post(variantG()), [reply(404, '{"message":"Not Found"}'), reply(200, '{"id":789}'), TOKEN_REPLY, reply(200, '[]'), reply(201, '{}')]);
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests.slice(0, 3).map((r) => `${http(r).method} ${http(r).url}`)).toEqual([
      'GET https://api.github.com/orgs/stefanprodan/installation',
      'GET https://api.github.com/users/stefanprodan/installation',
      'POST https://api.github.com/app/installations/789/access_tokens',
    ]);
    expect(http(d.requests[0]).body).toBeUndefined();
  });

  test('github app: both installation lookups failing joins both errors (an init error)', () => {
    const sd = appSecret({ githubAppInstallationOwner: 'nobody' });
    delete sd['githubAppInstallationID'];
    const d = drive(ghNotifier({ secretData: sd }).post(variantG()), [reply(404, '{"message":"Not Found"}')]);
    expect(errorText(d)).toBe(
      'failed to find organization installation: GET https://api.github.com/orgs/nobody/installation: 404 Not Found []\n' +
        'failed to find user installation: GET https://api.github.com/users/nobody/installation: 404 Not Found []',
    );
    expect(d.error).toBeInstanceOf(NotifierInitError);
  });

  test('github app: a refused token exchange is returned as it is', () => {
    const d = drive(ghNotifier().post(variantG()), [reply(401, '{"message":"A JSON web token could not be decoded"}')]);
    expect(errorText(d)).toBe('POST https://api.github.com/app/installations/456/access_tokens: 401 A JSON web token could not be decoded []');
  });

  test('github app: the exchange happens before the Progressing skip (it is constructor work)', () => {
    const d = drive(ghNotifier().post(variantG({ reason: 'Progressing' })), [TOKEN_REPLY]);
    expect(d.requests).toHaveLength(1);
    expect(d.outcome?.sent).toBe(false);
  });

  test('github app: an invalid repository id is reported after the exchange, as upstream', () => {
    const n = ghNotifier({ url: 'https://github.com/foo/bar/baz' });
    const d = drive(n.post(variantG()), [TOKEN_REPLY]);
    expect(d.requests).toHaveLength(1);
    expect(errorText(d)).toBe("invalid repository id: 'foo/bar/baz'");
    expect(d.error).toBeInstanceOf(NotifierInitError);
  });

  test('github app: the PR comment notifier reads the app slug and comments as <slug>[bot] (providers §4.24)', () => {
    const marker = '<!-- flux-pr-comment-key:0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a/Kustomization/flux-system/podinfo -->';
    const n = prComment.create(options({ url: 'https://github.com/stefanprodan/podinfo', providerUID: '0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a', secretData: appSecret() }));
    const e = sampleEvent({ metadata: { change_request: '42', revision: 'main@sha1:abc123', summary: 'Cluster: production' } });
    const comments = JSON.stringify([{ id: 5, user: { login: 'someone' }, body: marker }, { id: 9, user: { login: 'flux-app[bot]' }, body: marker }]);
    const d = drive(n.post(e), [reply(200, '{"slug":"flux-app"}'), TOKEN_REPLY, reply(200, comments), reply(200, '{}')]);
    expect(d.requests.map((r) => `${http(r).method} ${http(r).url}`)).toEqual([
      'GET https://api.github.com/app',
      'POST https://api.github.com/app/installations/456/access_tokens',
      'GET https://api.github.com/repos/stefanprodan/podinfo/issues/42/comments?direction=asc&per_page=100&sort=created',
      'PATCH https://api.github.com/repos/stefanprodan/podinfo/issues/comments/9',
    ]);
  });

  test('github app: app information failures are wrapped', () => {
    const n = prComment.create(options({ url: 'https://github.com/a/b', providerUID: 'uid', secretData: appSecret() }));
    const d = drive(n.post(sampleEvent({ metadata: { change_request: '1' } })), [reply(401, '{"message":"Bad credentials"}')]);
    expect(errorText(d)).toBe('failed to get app information: GET https://api.github.com/app: 401 Bad credentials []');
  });

  test('github app: githubdispatch authenticates the same way (providers §4.23)', () => {
    const n = dispatch.create(options({ url: 'https://github.com/stefanprodan/podinfo', secretData: appSecret() }));
    const d = drive(n.post(sampleEvent()), [TOKEN_REPLY, reply(204, '')]);
    expect(d.outcome).toEqual({ sent: true });
    expect(header(http(d.requests[1]), 'Authorization')).toBe('Bearer ghs_installation');
  });

  describe('github app: Secret validation errors (fluxcd/pkg githubapp.New, providers §4.22)', () => {
    const create = (o: Record<string, string>, drop: string[] = []) => () => {
      const sd = appSecret(o);
      for (const k of drop) delete sd[k];
      return ghNotifier({ secretData: sd });
    };
    test('github app: githubAppID is what selects App auth', () => {
      expect(thrown(create({}, ['githubAppID']))).toBe('github token or github app details must be specified');
    });
    test('github app: an unreadable app ID counts as missing', () => {
      expect(thrown(create({ githubAppID: 'abc' }))).toBe('app ID must be provided to use github app authentication');
    });
    test('github app: installation owner or ID must be provided', () => {
      expect(thrown(create({}, ['githubAppInstallationID']))).toBe('app installation owner or ID must be provided to use github app authentication');
    });
    test('github app: only one of owner and ID', () => {
      expect(thrown(create({ githubAppInstallationOwner: 'me' }))).toBe('only one of app installation owner or ID must be provided to use github app authentication');
    });
    test('github app: private key must be provided', () => {
      expect(thrown(create({}, ['githubAppPrivateKey']))).toBe('private key must be provided to use github app authentication');
    });
    test('github app: a key that is not PEM', () => {
      expect(thrown(create({ githubAppPrivateKey: 'not a key' }))).toBe('could not parse private key: invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key');
    });
    test('github app: a key that is not RSA', () => {
      expect(thrown(create({ githubAppPrivateKey: EC_PEM }))).toBe('could not parse private key: key is not a valid RSA private key');
    });
    test('github app: a bad proxy URL is reported before the App checks', () => {
      expect(thrown(() => ghNotifier({ proxyURL: 'http://bad host', secretData: appSecret({ githubAppPrivateKey: '' }) }))).toBe(
        `error parsing proxy URL 'http://bad host': parse "http://bad host": invalid character " " in host name`,
      );
    });
    test('github app: the commit status check still comes first', () => {
      expect(thrown(() => github.create(options({ url: 'https://github.com/a/b', secretData: appSecret({ githubAppPrivateKey: '' }) })))).toBe('commit status cannot be empty');
    });
  });
});
