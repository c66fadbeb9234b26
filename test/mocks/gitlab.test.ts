// The GitLab mock fed with what the gitlab provider sends for Variant G (providers §4.21, §4.25):
// the named list then the POST, the dedupe skip, and GitLab's errors as the client library
// reports them.

import { describe, expect, it } from 'vitest';
import { mockSuite, only, SHA, STATUS_ID, variantG } from './helpers.js';

const ADDRESS = 'https://gitlab.com/my-group/platform/podinfo';
const PROJECT = 'my-group%2Fplatform%2Fpodinfo';
const opts = (o: Record<string, string> = {}) => ({ url: ADDRESS, token: 'glpat-good', commitStatus: STATUS_ID, ...o });

describe('gitlab mock', () => {
  const s = mockSuite(() => ({ gitlab: { projects: ['my-group/platform/podinfo'], tokens: ['glpat-good'] } }));

  it('gitlab: Variant G lists the statuses by name then posts; the mock answers 201 and previews the status (providers §4.25)', async () => {
    const r = await s.post('gitlab', opts(), variantG());
    expect(r.error).toBeUndefined();
    expect(r.outcome).toEqual({ sent: true });
    const [list, post] = s.last();
    expect(list).toMatchObject({
      method: 'GET',
      url: `https://gitlab.com/api/v4/projects/${PROJECT}/repository/commits/${SHA}/statuses?name=kustomization%2Fpodinfo%2F0c9c2e41`,
      status: 200,
      responseBody: '[]',
    });
    expect(post).toMatchObject({ method: 'POST', url: `https://gitlab.com/api/v4/projects/${PROJECT}/statuses/${SHA}`, status: 201 });
    expect(JSON.parse(post!.body)).toEqual({ state: 'success', name: STATUS_ID, description: 'reconciliation succeeded' });
    const created = JSON.parse(post!.responseBody);
    expect(created).toMatchObject({ sha: SHA, status: 'success', name: STATUS_ID, description: 'reconciliation succeeded' });
    expect(post!.preview).toEqual({
      kind: 'gitlab-status',
      operation: 'create',
      project: 'my-group/platform/podinfo',
      sha: SHA,
      state: 'success',
      name: STATUS_ID,
      description: 'reconciliation succeeded',
      all: [{ id: created.id, state: 'success', context: STATUS_ID, description: 'reconciliation succeeded', createdAt: created.created_at }],
    });
  });

  it('gitlab: the same status again is skipped because the mock lists the latest one by name (providers §4.25 duplicate rule)', async () => {
    await s.post('gitlab', opts(), variantG());
    const r = await s.post('gitlab', opts(), variantG());
    expect(r.outcome?.sent).toBe(false);
    const list = only(s.last());
    expect(list.preview).toMatchObject({ kind: 'gitlab-status', operation: 'list', state: 'success', name: STATUS_ID });
  });

  it('gitlab: an error event posts the state "failed" (providers §4.21 state table)', async () => {
    await s.post('gitlab', opts(), variantG({ severity: 'error', reason: 'HealthCheckFailed' }));
    expect(s.last()[1]!.preview).toMatchObject({ state: 'failed', description: 'health check failed' });
  });

  it('gitlab: a token the mock does not know is 401 {"message":"401 Unauthorized"}', async () => {
    const r = await s.post('gitlab', opts({ token: 'glpat-bad' }), variantG());
    // client-go prints the decoded path and the body's message.
    expect(r.error).toBe(
      `unable to list commit status: GET https://gitlab.com/api/v4/projects/my-group/platform/podinfo/repository/commits/${SHA}/statuses: 401 {message: 401 Unauthorized}`,
    );
    const e = only(s.last());
    expect(e.responseBody).toBe('{"message":"401 Unauthorized"}');
    expect(e.previewError).toMatchObject({ service: 'gitlab', status: 401 });
  });

  it('gitlab: a project the mock does not know is 404 Project Not Found', async () => {
    const r = await s.post('gitlab', opts({ url: 'https://gitlab.com/my-group/other' }), variantG());
    // client-go turns any 404 into its "not found" error (providers §4.25 response).
    expect(r.error).toBe('unable to list commit status: 404 Not Found');
    expect(only(s.last()).responseBody).toBe('{"message":"404 Project Not Found"}');
  });

  it('gitlab: a status with a state GitLab does not know is 400 {"error":"state does not have a valid value"}', async () => {
    const r = await s.postRaw(`https://gitlab.com/api/v4/projects/${PROJECT}/statuses/${SHA}`, '{"state":"succeeded","name":"x"}', {
      headers: [['Private-Token', 'glpat-good']],
      retry: 'none',
    });
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 400: {"error":"state does not have a valid value"}');
    expect(only(s.last()).previewError).toMatchObject({ status: 400, error: 'state does not have a valid value' });
  });

  it('gitlab: fault injection 500 then 200 shows the library retry (providers §4.25: retries on >= 500)', async () => {
    s.state.injectFault({ target: 'gitlab', fault: '500', count: 1 });
    const r = await s.post('gitlab', opts(), variantG());
    expect(r.error).toBeUndefined();
    expect(r.exchanges[0]!.log.map((a) => a.status)).toEqual([500, 200]);
    expect(s.last().map((e) => e.status)).toEqual([500, 200, 201]);
  });
});
