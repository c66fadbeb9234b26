import { describe, expect, test } from 'vitest';
import { provider } from '../../src/providers/giteapullrequestcomment.js';
import type { PlannedHttpRequest } from '../../src/providers/types.js';
import { NotifierInitError } from '../../src/providers/git-common.js';
import { drive, errorText, options, reply, sampleEvent, thrown } from './drive.js';

const UID = '0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a';
const MARKER = '<!-- flux-pr-comment-key:0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a/Kustomization/flux-system/podinfo -->';
/** The Variant C comment (providers §4.24/§4.28) as json.Marshal writes it: `<`/`>` escaped, no newline. */
const WIRE =
  '{"body":"\\u003c!-- flux-pr-comment-key:0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a/Kustomization/flux-system/podinfo --\\u003e\\n\\n## Flux Status\\n\\n\u2139\ufe0f Kustomization/flux-system/podinfo\\n\\nApplied revision: main@sha1:abc123\\n\\nMetadata:\\n* `revision`: main@sha1:abc123\\n* `summary`: Cluster: production\\n"}';
const BASE = 'https://gitea.example.com/api/v1';
const LIST = `${BASE}/repos/stefanprodan/podinfo/issues/42/comments?limit=100&page=1`;

const variantC = (o: Parameters<typeof sampleEvent>[0] = {}) =>
  sampleEvent({ metadata: { change_request: '42', revision: 'main@sha1:abc123', summary: 'Cluster: production' }, ...o });
const notifier = (o: Parameters<typeof options>[0] = {}) =>
  provider.create(options({ url: 'https://gitea.example.com/stefanprodan/podinfo', token: 'gtoken', providerUID: UID, ...o }));
const http = (r: unknown) => r as PlannedHttpRequest;
const VERSION = reply(200, '{"version":"1.22.0"}');
const USER = reply(200, '{"id":3,"login":"flux"}');

describe('giteapullrequestcomment', () => {
  test('giteapullrequestcomment: Variant C: version, user, list, create (providers §4.28)', () => {
    const d = drive(notifier().post(variantC()), [VERSION, USER, reply(200, '[]'), reply(201, '{"id":9}')]);
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests.map((r) => `${http(r).method} ${http(r).url}`)).toEqual([
      `GET ${BASE}/version`,
      `GET ${BASE}/user`,
      `GET ${LIST}`,
      `POST ${BASE}/repos/stefanprodan/podinfo/issues/42/comments`,
    ]);
    expect(d.requests.slice(0, 3).every((r) => http(r).preflight === true)).toBe(true);
    const create = http(d.requests[3]);
    expect(create.body).toBe(WIRE);
    expect(create.headers).toEqual([['Authorization', 'token gtoken'], ['content-type', 'application/json']]);
    // The user and comment lists go without a content type.
    expect(http(d.requests[1]).headers).toEqual([['Authorization', 'token gtoken']]);
    expect(http(d.requests[2]).headers).toEqual([['Authorization', 'token gtoken']]);
  });

  test('giteapullrequestcomment: our comment is updated (providers §4.28)', () => {
    const comments = [
      { id: 1, user: { login: 'alice' }, body: MARKER },
      null,
      { id: 2, user: null, body: MARKER },
      { id: 3, user: { login: 'flux' }, body: `text ${MARKER}` },
    ];
    const d = drive(notifier().post(variantC()), [VERSION, USER, reply(200, JSON.stringify(comments)), reply(200, '{}')]);
    const patch = http(d.requests[3]);
    expect(`${patch.method} ${patch.url}`).toBe(`PATCH ${BASE}/repos/stefanprodan/podinfo/issues/comments/3`);
    expect(patch.body).toBe(WIRE);
  });

  test('giteapullrequestcomment: a comment by another login is not ours (providers §4.28)', () => {
    const d = drive(notifier().post(variantC()), [VERSION, USER, reply(200, JSON.stringify([{ id: 1, user: { login: 'alice' }, body: MARKER }])), reply(201, '{}')]);
    expect(http(d.requests[3]).method).toBe('POST');
  });

  describe('giteapullrequestcomment: change_request (providers §4.24)', () => {
    test('giteapullrequestcomment: missing key (after the constructor calls)', () => {
      const d = drive(notifier().post(sampleEvent()), [VERSION, USER]);
      expect(errorText(d)).toBe('missing "change_request" metadata key');
      expect(d.requests).toHaveLength(2);
    });
    test('giteapullrequestcomment: not a number', () => {
      expect(errorText(drive(notifier().post(variantC({ metadata: { change_request: '4 2' } })), [VERSION, USER]))).toBe(
        'invalid "change_request" metadata value "4 2": strconv.Atoi: parsing "4 2": invalid syntax',
      );
    });
    test('giteapullrequestcomment: empty value', () => {
      expect(errorText(drive(notifier().post(variantC({ metadata: { change_request: '' } })), [VERSION, USER]))).toBe(
        'invalid "change_request" metadata value "": strconv.Atoi: parsing "": invalid syntax',
      );
    });
  });

  describe('giteapullrequestcomment: errors (providers §4.28)', () => {
    test('giteapullrequestcomment: GET /user failure is a constructor error', () => {
      const d = drive(notifier().post(variantC()), [VERSION, reply(401, '{"message":"user does not exist"}')]);
      expect(errorText(d)).toBe('failed to get authenticated user info: user does not exist');
      expect(d.error).toBeInstanceOf(NotifierInitError);
    });
    test('giteapullrequestcomment: version failure comes first', () => {
      expect(errorText(drive(notifier().post(variantC()), [reply(200, '{"version":"1.9.0"}')]))).toBe(
        'failed creating Gitea client: gitea server at https://gitea.example.com is older than 1.11.0',
      );
    });
    test('giteapullrequestcomment: list failure', () => {
      expect(errorText(drive(notifier().post(variantC()), [VERSION, USER, reply(404, '{"message":"not found"}')]))).toBe(
        'failed to list pull request comments: not found',
      );
    });
    test('giteapullrequestcomment: update failure', () => {
      const list = reply(200, JSON.stringify([{ id: 3, user: { login: 'flux' }, body: MARKER }]));
      expect(errorText(drive(notifier().post(variantC()), [VERSION, USER, list, reply(403, '{"message":"forbidden"}')]))).toBe(
        'failed to update pull request comment: forbidden',
      );
    });
    test('giteapullrequestcomment: create failure', () => {
      expect(errorText(drive(notifier().post(variantC()), [VERSION, USER, reply(200, '[]'), reply(500, '')]))).toBe(
        "failed to create pull request comment: unknown API error: 500\nRequest: '/api/v1/repos/stefanprodan/podinfo/issues/42/comments' with 'POST' method and '' body",
      );
    });
    test('giteapullrequestcomment: a list that is not an array', () => {
      expect(errorText(drive(notifier().post(variantC()), [VERSION, USER, reply(200, '{"id":1}')]))).toBe(
        'failed to list pull request comments: json: cannot unmarshal object into Go value of type []*gitea.Comment',
      );
    });
  });

  describe('giteapullrequestcomment: factory errors in upstream order (providers §4.28)', () => {
    test('giteapullrequestcomment: provider UID cannot be empty', () => {
      expect(thrown(() => provider.create(options({ url: 'https://gitea.example.com/a/b' })))).toBe('provider UID cannot be empty');
    });
    test('giteapullrequestcomment: gitea token cannot be empty', () => {
      expect(thrown(() => notifier({ token: '' }))).toBe('gitea token cannot be empty');
    });
    test('giteapullrequestcomment: invalid repository id', () => {
      expect(thrown(() => notifier({ url: 'https://gitea.example.com/foo/bar/baz' }))).toBe('invalid repository id "foo/bar/baz"');
    });
    test('giteapullrequestcomment: no commit status is needed', () => {
      expect(() => notifier({ commitStatus: '' })).not.toThrow();
    });
  });
});
