// gitlabmergerequestcomment. Expected values: providers spec §1.4 (Variant C), §3.5 (markdown
// post), §4.24, §4.26; notification-controller gitlab_merge_request_comment.go (+ _test.go),
// git_change_request_comment.go; gitlab client-go NewRequest / ListMergeRequestNotesOptions.

import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/gitlabmergerequestcomment.js';
import type { HttpReply, PlannedHttpRequest, PlannedRequest } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent, thrown } from './drive.js';

const UID = '0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a';
const MARKER = `<!-- flux-mr-comment-key:${UID}/Kustomization/flux-system/podinfo -->`;

/** Variant C (providers §1.4). */
const variantC = (o: Parameters<typeof sampleEvent>[0] = {}) =>
  sampleEvent({ metadata: { change_request: '42', revision: 'main@sha1:abc123', summary: 'Cluster: production' }, ...o });

const opts = (o: Parameters<typeof options>[0] = {}) =>
  options({ url: 'https://gitlab.com/foo/bar', token: 'glpat-xyz', providerUID: UID, ...o });

const http = (r: PlannedRequest | undefined) => r as PlannedHttpRequest;
const USER = reply(200, '{"id":1,"username":"flux-bot"}');

/** The note body of the Variant C sample, JSON-encoded with Go's default (HTML-escaping) rules. */
const BODY_JSON =
  '{"body":"\\u003c!-- flux-mr-comment-key:0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a/Kustomization/flux-system/podinfo --\\u003e\\n\\n' +
  '## Flux Status\\n\\n\u2139\ufe0f Kustomization/flux-system/podinfo\\n\\nApplied revision: main@sha1:abc123\\n\\n' +
  'Metadata:\\n* `revision`: main@sha1:abc123\\n* `summary`: Cluster: production\\n"}';

describe('gitlabmergerequestcomment: Variant C, no existing note (providers §4.26)', () => {
  const d = drive(provider.create(opts()).post(variantC()), [USER, reply(200, '[]'), reply(201, '{"id":9}')]);

  it('gitlabmergerequestcomment: asks for the token user, lists the notes, creates a note', () => {
    expect(d.error).toBeUndefined();
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests.map((r) => `${http(r).method} ${http(r).url}`)).toEqual([
      'GET https://gitlab.com/api/v4/user',
      'GET https://gitlab.com/api/v4/projects/foo%2Fbar/merge_requests/42/notes?order_by=created_at&per_page=100&sort=asc',
      'POST https://gitlab.com/api/v4/projects/foo%2Fbar/merge_requests/42/notes',
    ]);
  });

  it('gitlabmergerequestcomment: the user and notes lookups are preflight requests', () => {
    expect(http(d.requests[0]).preflight).toBe(true);
    expect(http(d.requests[1]).preflight).toBe(true);
    expect(http(d.requests[2]).preflight).toBeUndefined();
  });

  it('gitlabmergerequestcomment: the body is marker + blank line + markdown post, with < and > escaped by Go', () => {
    expect(http(d.requests[2]).body).toBe(BODY_JSON);
  });

  it('gitlabmergerequestcomment: headers as gitlab (Private-Token, go-gitlab User-Agent)', () => {
    expect(http(d.requests[2]).headers).toEqual([
      ['Accept', 'application/json'],
      ['User-Agent', 'go-gitlab'],
      ['Content-Type', 'application/json'],
      ['Private-Token', 'glpat-xyz'],
    ]);
    for (const r of d.requests) expect(http(r).retry).toBe('gitlab');
  });
});

describe('gitlabmergerequestcomment: which note is updated (providers §4.26)', () => {
  const notes = (list: unknown[]) => reply(200, JSON.stringify(list));
  const run = (list: unknown[]) => drive(provider.create(opts()).post(variantC()), [USER, notes(list), reply(200, '{}')]);

  it("gitlabmergerequestcomment: the first note of the token's user that contains the marker is PUT", () => {
    const d = run([
      { id: 3, body: 'hello', author: { username: 'flux-bot' } },
      { id: 5, body: `${MARKER}\n\nold`, author: { username: 'flux-bot' } },
      { id: 8, body: `${MARKER}\n\nolder`, author: { username: 'flux-bot' } },
    ]);
    const put = http(d.requests[2]);
    expect(put.method).toBe('PUT');
    expect(put.url).toBe('https://gitlab.com/api/v4/projects/foo%2Fbar/merge_requests/42/notes/5');
    expect(put.body).toBe(BODY_JSON);
    expect(d.outcome).toEqual({ sent: true });
  });

  it("gitlabmergerequestcomment: another user's note with the marker is not updated (a new note is created)", () => {
    expect(http(run([{ id: 5, body: MARKER, author: { username: 'someone' } }]).requests[2]).method).toBe('POST');
  });

  it("gitlabmergerequestcomment: the user's note without the marker is not updated", () => {
    expect(http(run([{ id: 5, body: 'no marker', author: { username: 'flux-bot' } }]).requests[2]).method).toBe('POST');
  });

  it('gitlabmergerequestcomment: another provider UID or object has another marker', () => {
    const other = `<!-- flux-mr-comment-key:${UID}/Kustomization/flux-system/other -->`;
    expect(http(run([{ id: 5, body: other, author: { username: 'flux-bot' } }]).requests[2]).method).toBe('POST');
  });
});

describe('gitlabmergerequestcomment: factory (providers §4.26)', () => {
  it('gitlabmergerequestcomment: an empty provider UID is refused first', () => {
    expect(thrown(() => provider.create(opts({ providerUID: '', token: '' })))).toBe('provider UID cannot be empty');
  });

  it('gitlabmergerequestcomment: an empty token is refused (gitlab token cannot be empty)', () => {
    expect(thrown(() => provider.create(opts({ token: '' })))).toBe('gitlab token cannot be empty');
  });

  it('gitlabmergerequestcomment: the password stands in for an empty token', () => {
    const d = drive(provider.create(opts({ token: '', password: 'pw' })).post(variantC()), [USER, reply(200, '[]'), reply(201, '{}')]);
    expect(http(d.requests[0]).headers).toContainEqual(['Private-Token', 'pw']);
  });

  it('gitlabmergerequestcomment: nested groups stay one project id (TestNewGitLabMergeRequestCommentSubgroups)', () => {
    const d = drive(provider.create(opts({ url: 'https://gitlab.com/foo/bar/baz' })).post(variantC()), [USER, reply(200, '[]'), reply(201, '{}')]);
    expect(http(d.requests[2]).url).toBe('https://gitlab.com/api/v4/projects/foo%2Fbar%2Fbaz/merge_requests/42/notes');
  });

  it('gitlabmergerequestcomment: a failed user lookup is failed to get authenticated user info: <err>', () => {
    const d = drive(provider.create(opts()).post(variantC()), [reply(401, '{"message":"401 Unauthorized"}')]);
    expect(errorText(d)).toBe(
      'failed to get authenticated user info: GET https://gitlab.com/api/v4/user: 401 {message: 401 Unauthorized}',
    );
  });
});

describe('gitlabmergerequestcomment: change_request metadata (providers §4.24, §4.26)', () => {
  const run = (metadata: Record<string, string>) =>
    drive(provider.create(opts()).post(variantC({ metadata })), [USER, reply(200, '[]'), reply(201, '{}')]);

  it('gitlabmergerequestcomment: a missing key fails with missing "change_request" metadata key', () => {
    expect(errorText(run({ revision: 'x' }))).toBe('missing "change_request" metadata key');
  });

  it('gitlabmergerequestcomment: a non-number fails with the strconv.ParseInt error', () => {
    expect(errorText(run({ change_request: 'abc' }))).toBe(
      'invalid "change_request" metadata value "abc": strconv.ParseInt: parsing "abc": invalid syntax',
    );
  });

  it('gitlabmergerequestcomment: a value beyond int64 is out of range', () => {
    expect(errorText(run({ change_request: '9223372036854775808' }))).toBe(
      'invalid "change_request" metadata value "9223372036854775808": strconv.ParseInt: parsing "9223372036854775808": value out of range',
    );
  });

  it('gitlabmergerequestcomment: a signed or zero-padded IID is printed as a number', () => {
    expect(http(run({ change_request: '+007' }).requests[1]).url).toMatch(/\/merge_requests\/7\/notes\?/);
  });

  it('gitlabmergerequestcomment: Progressing events are posted like any other', () => {
    const d = drive(provider.create(opts()).post(variantC({ reason: 'Progressing' })), [USER, reply(200, '[]'), reply(201, '{}')]);
    expect(d.requests).toHaveLength(3);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('gitlabmergerequestcomment: error severity uses the warning emoji', () => {
    const d = drive(provider.create(opts()).post(variantC({ severity: 'error' })), [USER, reply(200, '[]'), reply(201, '{}')]);
    expect(http(d.requests[2]).body).toContain('## Flux Status\\n\\n\u26a0\ufe0f Kustomization/flux-system/podinfo');
  });
});

describe('gitlabmergerequestcomment: error texts (providers §4.26)', () => {
  const run = (replies: HttpReply[]) => errorText(drive(provider.create(opts()).post(variantC()), replies));

  it('gitlabmergerequestcomment: a failed list is failed to list merge request notes: <err>', () => {
    expect(run([USER, reply(404, '')])).toBe('failed to list merge request notes: 404 Not Found');
  });

  it('gitlabmergerequestcomment: a failed create is failed to create merge request note: <err>', () => {
    expect(run([USER, reply(200, '[]'), reply(403, '{"message":"403 Forbidden"}')])).toBe(
      'failed to create merge request note: POST https://gitlab.com/api/v4/projects/foo/bar/merge_requests/42/notes: 403 {message: 403 Forbidden}',
    );
  });

  it('gitlabmergerequestcomment: a failed update is failed to update merge request note: <err>', () => {
    const list = reply(200, JSON.stringify([{ id: 5, body: MARKER, author: { username: 'flux-bot' } }]));
    expect(run([USER, list, reply(500, '{"message":"boom"}')])).toBe(
      'failed to update merge request note: PUT https://gitlab.com/api/v4/projects/foo/bar/merge_requests/42/notes/5: 500 {message: boom}',
    );
  });
});
