// The GitHub mock fed with what the github provider sends for Variant G (providers §1.4, §4.21,
// §4.22): list then create, the dedupe skip on a repeat, a context overwritten by a later status,
// and GitHub's errors (401 Bad credentials, 404 Not Found, 422 Validation Failed) as go-github
// prints them (`<METHOD> <url>: <code> <message> <errors>`).

import { describe, expect, it } from 'vitest';
import { buildGitHubRequest, GITHUB_USER_AGENT, type GitHubApi } from '../../src/providers/github-client.js';
import { parseURL } from '../../src/providers/gourl.js';
import { send } from '../../src/providers/sender.js';
import { mockSuite, only, PROVIDER_UID, SHA, STATUS_ID, variantG } from './helpers.js';

const ADDRESS = 'https://github.com/stefanprodan/podinfo';
const LIST_URL = `https://api.github.com/repos/stefanprodan/podinfo/commits/${SHA}/statuses?per_page=50`;
const POST_URL = `https://api.github.com/repos/stefanprodan/podinfo/statuses/${SHA}`;
const opts = (o: Record<string, string> = {}) => ({ url: ADDRESS, token: 'ghp_good', commitStatus: STATUS_ID, providerUID: PROVIDER_UID, ...o });

describe('github mock', () => {
  const s = mockSuite(() => ({ github: { repos: ['stefanprodan/podinfo'], tokens: ['ghp_good', 'ghp_other'] } }));

  it('github: Variant G lists the statuses then posts one; the mock answers 201 and previews the commit status (providers §4.22)', async () => {
    const r = await s.post('github', opts(), variantG());
    expect(r.error).toBeUndefined();
    expect(r.outcome).toEqual({ sent: true });
    const [list, post] = s.last();
    expect(list).toMatchObject({ method: 'GET', url: LIST_URL, status: 200, responseBody: '[]' });
    expect(post).toMatchObject({ method: 'POST', url: POST_URL, status: 201 });
    expect(post!.body).toBe(`{"state":"success","description":"reconciliation succeeded","context":"${STATUS_ID}"}\n`);
    const created = JSON.parse(post!.responseBody);
    expect(created).toMatchObject({ state: 'success', description: 'reconciliation succeeded', context: STATUS_ID, target_url: null });
    expect(post!.responseHeaders.Location).toBe(created.url);
    expect(post!.preview).toEqual({
      kind: 'github-status',
      operation: 'create',
      owner: 'stefanprodan',
      repo: 'podinfo',
      sha: SHA,
      state: 'success',
      context: STATUS_ID,
      description: 'reconciliation succeeded',
      all: [{ id: created.id, state: 'success', context: STATUS_ID, description: 'reconciliation succeeded', createdAt: created.created_at }],
      postedCount: 1,
    });
  });

  it('github: the same status again is skipped by the engine because the mock lists the first one (providers §4.22 duplicate rule)', async () => {
    await s.post('github', opts(), variantG());
    const r = await s.post('github', opts(), variantG());
    expect(r.error).toBeUndefined();
    expect(r.outcome?.sent).toBe(false);
    const list = only(s.last());
    expect(list.method).toBe('GET');
    expect(JSON.parse(list.responseBody)).toHaveLength(1);
    expect(list.preview).toMatchObject({ kind: 'github-status', operation: 'list', state: 'success', context: STATUS_ID, postedCount: 1 });
  });

  it('github: an error event after a success posts failure; the commit shows only the newest status of the context', async () => {
    await s.post('github', opts(), variantG());
    const r = await s.post('github', opts(), variantG({ severity: 'error', reason: 'HealthCheckFailed' }));
    expect(r.outcome).toEqual({ sent: true });
    const post = s.last()[1]!;
    expect(post.preview).toMatchObject({
      kind: 'github-status',
      operation: 'create',
      state: 'failure',
      description: 'health check failed',
      postedCount: 2,
      notes: [`replaces success 'reconciliation succeeded' of context '${STATUS_ID}'`],
    });
    if (post.preview?.kind !== 'github-status') return;
    expect(post.preview.all.map((x) => [x.context, x.state])).toEqual([[STATUS_ID, 'failure']]);
  });

  it('github: two providers with the same commit status ID collide: the second overwrites the first on the commit', async () => {
    await s.post('github', opts({ providerUID: 'aaaa' }), variantG());
    await s.post('github', opts({ providerUID: 'bbbb', token: 'ghp_other' }), variantG({ severity: 'error', reason: 'HealthCheckFailed' }));
    const post = s.last()[1]!;
    if (post.preview?.kind !== 'github-status') throw new Error('no status preview');
    expect(post.preview.all).toHaveLength(1);
    expect(post.preview.all[0]).toMatchObject({ context: STATUS_ID, state: 'failure' });
  });

  it('github: distinct contexts appear side by side in `all`, newest first', async () => {
    await s.post('github', opts(), variantG());
    await s.post('github', opts({ commitStatus: 'other/context' }), variantG());
    const post = s.last()[1]!;
    if (post.preview?.kind !== 'github-status') throw new Error('no status preview');
    expect(post.preview.all.map((x) => x.context)).toEqual(['other/context', STATUS_ID]);
  });

  it('github: a token the mock does not know is 401 Bad credentials on the first call', async () => {
    const r = await s.post('github', opts({ token: 'ghp_bad' }), variantG());
    expect(r.error).toBe(`could not list commit statuses: GET ${LIST_URL}: 401 Bad credentials []`);
    const e = only(s.last());
    expect(JSON.parse(e.responseBody)).toEqual({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    expect(e.previewError).toMatchObject({ service: 'github', status: 401, error: 'Bad credentials' });
  });

  it('github: a repository the mock does not know is 404 Not Found', async () => {
    const r = await s.post('github', opts({ url: 'https://github.com/stefanprodan/missing' }), variantG());
    expect(r.error).toBe(
      `could not list commit statuses: GET https://api.github.com/repos/stefanprodan/missing/commits/${SHA}/statuses?per_page=50: 404 Not Found []`,
    );
    expect(only(s.last()).previewError).toMatchObject({ status: 404, error: 'Not Found' });
  });

  it('github: a status with a state GitHub does not know is 422 Validation Failed, field state (GitHub create-a-commit-status)', async () => {
    const api: GitHubApi = { base: parseURL('https://api.github.com/'), userAgent: GITHUB_USER_AGENT, token: 'ghp_good', useTLS: false, useProxy: false, baseURLWord: 'BaseURL' };
    const req = buildGitHubRequest(api, {
      method: 'POST',
      path: `repos/stefanprodan/podinfo/statuses/${SHA}`,
      body: { state: 'succeeded', description: 'reconciliation succeeded', context: STATUS_ID },
      preflight: false,
      wrap: (e) => `could not create commit status: ${e}`,
    });
    if ('error' in req) throw new Error(req.error);
    const r = await s.drive(
      (function* () {
        yield* send(req, '');
        return { sent: true };
      })(),
    );
    expect(r.error).toBe(
      `could not create commit status: POST ${POST_URL}: 422 Validation Failed [{Resource:Status Field:state Code:custom Message:state is not included in the list}]`,
    );
    const e = only(s.last());
    expect(JSON.parse(e.responseBody)).toEqual({
      message: 'Validation Failed',
      errors: [{ resource: 'Status', code: 'custom', field: 'state', message: 'state is not included in the list' }],
      documentation_url: 'https://docs.github.com/rest/commits/statuses#create-a-commit-status',
      status: '422',
    });
    expect(e.previewError).toMatchObject({ status: 422, error: 'Validation Failed: state is not included in the list' });
    expect(e.preview).toBeUndefined();
  });

  it('github: a POST without credentials is 401 Requires authentication', async () => {
    const r = await s.postRaw(POST_URL, '{"state":"success"}');
    expect(r.error).toMatch(/^postMessage failed: request failed: request failed with status code 401: \{"message":"Requires authentication"/);
  });
});

describe('github mock: GitHub Enterprise', () => {
  const s = mockSuite();

  it('github: a GitHub Enterprise address is served under /api/v3/ and previewed alike (providers §4.22 base URL)', async () => {
    const r = await s.post('github', opts({ url: 'https://ghe.acme.example/platform/podinfo' }), variantG());
    expect(r.error).toBeUndefined();
    const [list, post] = s.last();
    expect(list!.url).toBe(`https://ghe.acme.example/api/v3/repos/platform/podinfo/commits/${SHA}/statuses?per_page=50`);
    expect(post!.preview).toMatchObject({ kind: 'github-status', owner: 'platform', repo: 'podinfo', state: 'success' });
    expect(JSON.parse(post!.responseBody).url).toBe(`https://ghe.acme.example/api/v3/repos/platform/podinfo/statuses/${SHA}`);
  });

  it('github: statuses of one host are not visible on another host', async () => {
    await s.post('github', opts({ url: 'https://ghe.acme.example/stefanprodan/podinfo' }), variantG());
    const r = await s.post('github', opts(), variantG());
    expect(r.outcome).toEqual({ sent: true });
  });
});
