import { describe, expect, test } from 'vitest';
import { provider } from '../../src/providers/githubpullrequestcomment.js';
import type { PlannedHttpRequest } from '../../src/providers/types.js';
import { NotifierInitError } from '../../src/providers/git-common.js';
import { drive, errorText, options, reply, sampleEvent, thrown } from './drive.js';

const UID = '0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a';
const MARKER = '<!-- flux-pr-comment-key:0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a/Kustomization/flux-system/podinfo -->';
/** The Variant C comment of providers §4.24. */
const COMMENT =
  MARKER +
  '\n\n## Flux Status\n\n\u2139\ufe0f Kustomization/flux-system/podinfo\n\nApplied revision: main@sha1:abc123\n\nMetadata:\n* `revision`: main@sha1:abc123\n* `summary`: Cluster: production\n';
/** go-github body: encoder output, no HTML escaping, trailing newline. */
const WIRE =
  '{"body":"<!-- flux-pr-comment-key:0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a/Kustomization/flux-system/podinfo -->\\n\\n## Flux Status\\n\\n\u2139\ufe0f Kustomization/flux-system/podinfo\\n\\nApplied revision: main@sha1:abc123\\n\\nMetadata:\\n* `revision`: main@sha1:abc123\\n* `summary`: Cluster: production\\n"}\n';

const variantC = (o: Parameters<typeof sampleEvent>[0] = {}) =>
  sampleEvent({ metadata: { change_request: '42', revision: 'main@sha1:abc123', summary: 'Cluster: production' }, ...o });
const notifier = (o: Parameters<typeof options>[0] = {}) =>
  provider.create(options({ url: 'https://github.com/stefanprodan/podinfo', token: 'ghp_token', providerUID: UID, ...o }));
const http = (r: unknown) => r as PlannedHttpRequest;
const LIST = 'https://api.github.com/repos/stefanprodan/podinfo/issues/42/comments?direction=asc&per_page=100&sort=created';
const USER = reply(200, '{"login":"flux-bot","id":1}');

describe('githubpullrequestcomment', () => {
  test('githubpullrequestcomment: Variant C creates the comment (providers §4.24 sample)', () => {
    const d = drive(notifier().post(variantC()), [USER, reply(200, '[]'), reply(201, '{"id":1}')]);
    expect(d.outcome).toEqual({ sent: true });
    const [user, list, create] = d.requests.map(http);
    expect(`${user!.method} ${user!.url}`).toBe('GET https://api.github.com/user');
    expect(user!.preflight).toBe(true);
    expect(`${list!.method} ${list!.url}`).toBe(`GET ${LIST}`);
    expect(list!.preflight).toBe(true);
    expect(list!.headers).toContainEqual(['Accept', 'application/vnd.github.squirrel-girl-preview']);
    expect(list!.headers.filter(([k]) => k === 'Accept')).toHaveLength(1);
    expect(`${create!.method} ${create!.url}`).toBe('POST https://api.github.com/repos/stefanprodan/podinfo/issues/42/comments');
    expect(create!.body).toBe(WIRE);
    expect(JSON.parse(create!.body as string)).toEqual({ body: COMMENT });
    expect(create!.headers[0]).toEqual(['Content-Type', 'application/json']);
  });

  test('githubpullrequestcomment: our earlier comment is updated (providers §4.24)', () => {
    const comments = [
      { id: 11, user: { login: 'someone-else' }, body: MARKER },
      { id: 12, user: { login: 'flux-bot' }, body: 'no marker here' },
      { id: 13, user: { login: 'flux-bot' }, body: `old text\n${MARKER}\n` },
      { id: 14, user: { login: 'flux-bot' }, body: MARKER },
    ];
    const d = drive(notifier().post(variantC()), [USER, reply(200, JSON.stringify(comments)), reply(200, '{}')]);
    const patch = http(d.requests[2]);
    expect(`${patch.method} ${patch.url}`).toBe('PATCH https://api.github.com/repos/stefanprodan/podinfo/issues/comments/13');
    expect(patch.body).toBe(WIRE);
    expect(d.outcome).toEqual({ sent: true });
  });

  test('githubpullrequestcomment: a marker comment by another user is not ours (providers §4.24)', () => {
    const d = drive(notifier().post(variantC()), [USER, reply(200, JSON.stringify([{ id: 11, user: { login: 'x' }, body: MARKER }])), reply(201, '{}')]);
    expect(http(d.requests[2]).method).toBe('POST');
  });

  test('githubpullrequestcomment: the marker is per provider and object (providers §4.24)', () => {
    const other = MARKER.replace('podinfo -->', 'other -->');
    const d = drive(notifier().post(variantC()), [USER, reply(200, JSON.stringify([{ id: 3, user: { login: 'flux-bot' }, body: other }])), reply(201, '{}')]);
    expect(http(d.requests[2]).method).toBe('POST');
  });

  test('githubpullrequestcomment: error severity uses the warning emoji (providers §3.5)', () => {
    const d = drive(notifier().post(variantC({ severity: 'error' })), [USER, reply(200, '[]'), reply(201, '{}')]);
    expect(JSON.parse(http(d.requests[2]).body as string).body).toContain('\n\n\u26a0\ufe0f Kustomization/flux-system/podinfo\n\n');
  });

  describe('githubpullrequestcomment: change_request (providers §4.24)', () => {
    test('githubpullrequestcomment: missing key', () => {
      const d = drive(notifier().post(sampleEvent()), [USER]);
      expect(errorText(d)).toBe('missing "change_request" metadata key');
      expect(d.requests).toHaveLength(1);
    });
    test('githubpullrequestcomment: not a number', () => {
      expect(errorText(drive(notifier().post(variantC({ metadata: { change_request: 'abc' } })), [USER]))).toBe(
        'invalid "change_request" metadata value "abc": strconv.Atoi: parsing "abc": invalid syntax',
      );
    });
    test('githubpullrequestcomment: out of range', () => {
      expect(errorText(drive(notifier().post(variantC({ metadata: { change_request: '99999999999999999999' } })), [USER]))).toBe(
        'invalid "change_request" metadata value "99999999999999999999": strconv.Atoi: parsing "99999999999999999999": value out of range',
      );
    });
    test('githubpullrequestcomment: number 0 lists the repository-wide comments (go-github ListComments)', () => {
      const d = drive(notifier().post(variantC({ metadata: { change_request: '0' } })), [USER, reply(200, '[]'), reply(201, '{}')]);
      expect(http(d.requests[1]).url).toBe('https://api.github.com/repos/stefanprodan/podinfo/issues/comments?direction=asc&per_page=100&sort=created');
      expect(http(d.requests[2]).url).toBe('https://api.github.com/repos/stefanprodan/podinfo/issues/0/comments');
    });
    test('githubpullrequestcomment: a sign is accepted by Atoi', () => {
      const d = drive(notifier().post(variantC({ metadata: { change_request: '+7' } })), [USER, reply(200, '[]'), reply(201, '{}')]);
      expect(http(d.requests[2]).url).toBe('https://api.github.com/repos/stefanprodan/podinfo/issues/7/comments');
    });
  });

  describe('githubpullrequestcomment: errors (providers §4.24)', () => {
    test('githubpullrequestcomment: GET /user failure is a constructor error', () => {
      const d = drive(notifier().post(variantC()), [reply(401, '{"message":"Bad credentials"}')]);
      expect(errorText(d)).toBe('failed to get authenticated user info: GET https://api.github.com/user: 401 Bad credentials []');
      expect(d.error).toBeInstanceOf(NotifierInitError);
    });
    test('githubpullrequestcomment: list failure', () => {
      expect(errorText(drive(notifier().post(variantC()), [USER, reply(404, '{"message":"Not Found"}')]))).toBe(
        `failed to list pull request comments: GET ${LIST}: 404 Not Found []`,
      );
    });
    test('githubpullrequestcomment: update failure', () => {
      const list = reply(200, JSON.stringify([{ id: 13, user: { login: 'flux-bot' }, body: MARKER }]));
      expect(errorText(drive(notifier().post(variantC()), [USER, list, reply(403, '{"message":"Forbidden"}')]))).toBe(
        'failed to update pull request comment: PATCH https://api.github.com/repos/stefanprodan/podinfo/issues/comments/13: 403 Forbidden []',
      );
    });
    test('githubpullrequestcomment: create failure, 202 included', () => {
      expect(errorText(drive(notifier().post(variantC()), [USER, reply(200, '[]'), reply(202, '')]))).toBe(
        'failed to create pull request comment: job scheduled on GitHub side; try again later',
      );
    });
    test('githubpullrequestcomment: provider UID cannot be empty (checked first)', () => {
      expect(thrown(() => provider.create(options({ url: 'https://github.com/a/b' })))).toBe('provider UID cannot be empty');
    });
    test('githubpullrequestcomment: token or app required', () => {
      expect(thrown(() => notifier({ token: '' }))).toBe('github token or github app details must be specified');
    });
    test('githubpullrequestcomment: invalid repository id', () => {
      expect(thrown(() => notifier({ url: 'https://github.com/foo/bar/baz' }))).toBe("invalid repository id: 'foo/bar/baz'");
    });
    test('githubpullrequestcomment: Enterprise hosts ask /api/v3/user', () => {
      const d = drive(notifier({ url: 'https://ghe.example.com/foo/bar' }).post(variantC()), [USER, reply(200, '[]'), reply(201, '{}')]);
      expect(http(d.requests[0]).url).toBe('https://ghe.example.com/api/v3/user');
    });
  });
});
