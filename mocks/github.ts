// GitHub REST (api.github.com and GitHub Enterprise under /api/v3/): commit statuses, stored per
// run so that the engine's dedupe (list, then post only when the newest status of the context
// differs) sees what an earlier event posted, plus the calls of githubdispatch,
// githubpullrequestcomment and the GitHub App token exchange. Error bodies are GitHub's:
// `{"message","errors"?,"documentation_url","status"}` (go-github prints message and errors).

import type { HttpHandler } from 'msw';
import type { CommitStatusEntry, GenericPreview, GitHubStatusPreview, PreviewError } from '../src/runner/preview-model.js';
import {
  compact,
  endpoint,
  isObject,
  jsonReply,
  maskHeaders,
  maskUrl,
  parseJson,
  str,
  type MockContext,
  type MockReply,
  type MockRequest,
} from './common.js';
import { hostOf, type MockState, type StoredStatus } from './state.js';

const DOCS = 'https://docs.github.com/rest';
const DOCS_CREATE_STATUS = 'https://docs.github.com/rest/commits/statuses#create-a-commit-status';
const DOCS_LIST_STATUSES = 'https://docs.github.com/rest/commits/statuses#list-commit-statuses-for-a-reference';
const STATES = ['error', 'failure', 'pending', 'success'];
/** GitHub keeps at most this many statuses per SHA and context. */
const MAX_STATUSES_PER_CONTEXT = 1000;
const GITHUB_TYPES = new Set(['github', 'githubdispatch', 'githubpullrequestcomment']);
const APP_SLUG = 'flux-mock-app';
const USER_LOGIN = 'flux-bot';

function ghError(status: number, message: string, documentationUrl: string, errors?: unknown[]): MockReply {
  const body: Record<string, unknown> = { message };
  if (errors) body.errors = errors;
  body.documentation_url = documentationUrl;
  body.status = String(status);
  return jsonReply(status, body);
}

function rejected(status: number, error: string, detail: string): PreviewError {
  return { service: 'github', status, error, detail };
}

/** The API root of a request: `/api/v3/` on Enterprise hosts, `/` elsewhere. */
function apiPath(url: URL): { base: string; rest: string } {
  const p = url.pathname;
  if (p.startsWith('/api/v3/')) return { base: '/api/v3/', rest: p.slice('/api/v3/'.length) };
  return { base: '/', rest: p.slice(1) };
}

/** Standard headers of a GitHub API answer (rate limit numbers are nominal). */
function ghHeaders(state: MockState): Record<string, string> {
  const reset = Math.floor(state.now().getTime() / 1000) + 3600;
  return {
    'X-Github-Media-Type': 'github.v3; format=json',
    'X-Ratelimit-Limit': '5000',
    'X-Ratelimit-Remaining': '4999',
    'X-Ratelimit-Reset': String(reset),
  };
}

function withHeaders(state: MockState, r: MockReply): MockReply {
  return { ...r, headers: { ...ghHeaders(state), ...(r.headers ?? {}) } };
}

type Caller = { kind: 'none' } | { kind: 'bad'; detail: string } | { kind: 'user'; login: string } | { kind: 'app-jwt' };

function caller(state: MockState, req: MockRequest): Caller {
  const auth = req.header('authorization');
  if (!auth) return { kind: 'none' };
  const m = /^(?:Bearer|token)\s+(.*)$/i.exec(auth);
  const token = m ? m[1]!.trim() : '';
  if (token === '') return { kind: 'bad', detail: 'the Authorization header carries no token' };
  // A GitHub App authenticates its own endpoints with a JWT (three base64url parts).
  if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return { kind: 'app-jwt' };
  const known = state.config.github?.tokens;
  if (known && !known.includes(token)) return { kind: 'bad', detail: 'the token is not one the mock knows (github.tokens)' };
  return { kind: 'user', login: token.startsWith('ghs_') ? `${APP_SLUG}[bot]` : USER_LOGIN };
}

function repoKnown(state: MockState, owner: string, repo: string): boolean {
  const known = state.config.github?.repos;
  if (!known) return true;
  const want = `${owner}/${repo}`.toLowerCase();
  return known.some((r) => r.toLowerCase() === want);
}

function commitKnown(state: MockState, sha: string): boolean {
  const known = state.config.github?.commits;
  if (known) return known.includes(sha);
  return /^[0-9a-f]{40}$/.test(sha);
}

function statusKey(url: URL, owner: string, repo: string, sha: string): string {
  return `github|${hostOf(url)}|${owner.toLowerCase()}/${repo.toLowerCase()}|${sha}`;
}

/** Newest first, as GitHub lists them. */
function newestFirst(list: StoredStatus[]): StoredStatus[] {
  return list.slice().reverse();
}

/** The newest status of each context, newest first: GitHub's combined view. */
export function newestPerContext(list: StoredStatus[]): CommitStatusEntry[] {
  const seen = new Set<string>();
  const out: CommitStatusEntry[] = [];
  for (const s of newestFirst(list)) {
    if (seen.has(s.context)) continue;
    seen.add(s.context);
    out.push(compact<CommitStatusEntry>({ id: s.id, state: s.state, context: s.context, description: s.description, targetUrl: s.targetUrl, createdAt: s.createdAt }));
  }
  return out;
}

function statusJson(url: URL, base: string, owner: string, repo: string, s: StoredStatus): Record<string, unknown> {
  return {
    url: `${url.origin}${base}repos/${owner}/${repo}/statuses/${s.sha}`,
    avatar_url: 'https://avatars.githubusercontent.com/u/0?v=4',
    id: s.id,
    node_id: `SC_mock${s.id}`,
    state: s.state,
    description: s.description ?? null,
    target_url: s.targetUrl ?? null,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    creator: { login: USER_LOGIN, id: 1, type: 'User', site_admin: false },
  };
}

function genericPreview(req: MockRequest, json: unknown): GenericPreview {
  return compact<GenericPreview>({
    kind: 'generic',
    service: 'github',
    method: req.method,
    url: maskUrl(req.url.href),
    headers: maskHeaders(req.headers),
    json,
  });
}

// ---- commit statuses -------------------------------------------------------------------------------------

function listStatuses(state: MockState, req: MockRequest, base: string, owner: string, repo: string, ref: string): MockReply {
  const all = state.statusesFor(statusKey(req.url, owner, repo, ref));
  const perPage = Math.min(100, Math.max(1, Number(req.url.searchParams.get('per_page') ?? '30') || 30));
  const page = Math.max(1, Number(req.url.searchParams.get('page') ?? '1') || 1);
  const ordered = newestFirst(all);
  const slice = ordered.slice((page - 1) * perPage, page * perPage);
  const newest = ordered[0];
  const preview: GitHubStatusPreview = compact<GitHubStatusPreview>({
    kind: 'github-status',
    operation: 'list',
    owner,
    repo,
    sha: ref,
    state: newest?.state ?? '',
    context: newest?.context ?? '',
    description: newest?.description,
    targetUrl: newest?.targetUrl,
    all: newestPerContext(all),
    postedCount: all.length,
  });
  return { ...jsonReply(200, slice.map((s) => statusJson(req.url, base, owner, repo, s))), preview };
}

function createStatus(state: MockState, req: MockRequest, base: string, owner: string, repo: string, sha: string): MockReply {
  if (!commitKnown(state, sha)) {
    return { ...ghError(422, `No commit found for SHA: ${sha}`, DOCS_CREATE_STATUS), previewError: rejected(422, `No commit found for SHA: ${sha}`, 'the commit does not exist in the repository') };
  }
  const parsed = parseJson(req.text);
  if (!parsed.ok || !isObject(parsed.value)) {
    const why = parsed.ok ? 'the body is not a JSON object' : `the body is not JSON (${parsed.error})`;
    return { ...ghError(400, 'Problems parsing JSON', DOCS_CREATE_STATUS), previewError: rejected(400, 'Problems parsing JSON', why) };
  }
  const body = parsed.value;
  const invalid = (field: string, message: string, detail: string): MockReply => ({
    ...ghError(422, 'Validation Failed', DOCS_CREATE_STATUS, [{ resource: 'Status', code: 'custom', field, message }]),
    previewError: rejected(422, `Validation Failed: ${message}`, detail),
  });
  const stateValue = body.state;
  if (typeof stateValue !== 'string' || !STATES.includes(stateValue)) {
    return invalid('state', 'state is not included in the list', `state ${JSON.stringify(stateValue ?? null)} is not one of ${STATES.join(', ')}`);
  }
  const targetUrl = str(body, 'target_url');
  if (targetUrl !== undefined && targetUrl !== '' && !/^https?:\/\//i.test(targetUrl)) {
    return invalid('target_url', 'target_url must use http(s) scheme', `target_url ${JSON.stringify(targetUrl)} is not an http(s) URL`);
  }
  const context = str(body, 'context') || 'default';
  const key = statusKey(req.url, owner, repo, sha);
  const before = state.statusesFor(key);
  if (before.filter((s) => s.context === context).length >= MAX_STATUSES_PER_CONTEXT) {
    const message = 'Validation failed: This SHA and context has reached the maximum number of statuses.';
    return { ...ghError(422, 'Validation Failed', DOCS_CREATE_STATUS, [message]), previewError: rejected(422, message, `${MAX_STATUSES_PER_CONTEXT} statuses already exist for context '${context}'`) };
  }
  const notes: string[] = [];
  const previous = newestFirst(before).find((s) => s.context === context);
  const description = str(body, 'description');
  if (previous) {
    if (previous.state === stateValue && (previous.description ?? '') === (description ?? '')) {
      notes.push(`identical to the newest status of context '${context}' (a dedupe would have skipped it)`);
    } else {
      notes.push(`replaces ${previous.state} '${previous.description ?? ''}' of context '${context}'`);
    }
  }
  const stored = state.addStatus(key, compact({ sha, state: stateValue, context, description, targetUrl: targetUrl || undefined }));
  const all = state.statusesFor(key);
  const preview = compact<GitHubStatusPreview>({
    kind: 'github-status',
    operation: 'create',
    owner,
    repo,
    sha,
    state: stateValue,
    context,
    description,
    targetUrl: targetUrl || undefined,
    all: newestPerContext(all),
    postedCount: all.length,
    notes: notes.length > 0 ? notes : undefined,
  });
  const json = statusJson(req.url, base, owner, repo, stored);
  return { ...jsonReply(201, json, { Location: String(json.url) }), preview };
}

// ---- other calls -------------------------------------------------------------------------------------------------

function commentJson(req: MockRequest, base: string, owner: string, repo: string, c: { id: number; body: string; author: string; createdAt: string; updatedAt: string }) {
  return {
    id: c.id,
    node_id: `IC_mock${c.id}`,
    url: `${req.url.origin}${base}repos/${owner}/${repo}/issues/comments/${c.id}`,
    body: c.body,
    user: { login: c.author, id: c.author === USER_LOGIN ? 1 : 2, type: c.author.endsWith('[bot]') ? 'Bot' : 'User' },
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

function route(state: MockState, req: MockRequest): MockReply {
  const { base, rest } = apiPath(req.url);
  const parts = rest.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  const who = caller(state, req);
  const m = req.method;

  if (who.kind === 'bad') return { ...ghError(401, 'Bad credentials', DOCS), previewError: rejected(401, 'Bad credentials', who.detail) };
  const needAuth = (): MockReply | undefined =>
    who.kind === 'none' ? { ...ghError(401, 'Requires authentication', DOCS), previewError: rejected(401, 'Requires authentication', 'no Authorization header') } : undefined;

  // GitHub App token exchange (fluxcd/pkg githubapp).
  if (parts[0] === 'app' && parts.length === 1 && m === 'GET') return jsonReply(200, { id: 1, slug: APP_SLUG, name: 'Flux mock app' });
  if (parts[0] === 'app' && parts[1] === 'installations' && parts[3] === 'access_tokens' && m === 'POST') {
    const expires = new Date(state.now().getTime() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return jsonReply(201, { token: `ghs_mock${parts[2]}`, expires_at: expires, permissions: { statuses: 'write' } });
  }
  if ((parts[0] === 'orgs' || parts[0] === 'users') && parts[2] === 'installation' && m === 'GET') {
    return jsonReply(200, { id: 1, account: { login: parts[1] }, app_slug: APP_SLUG });
  }
  if (parts[0] === 'user' && parts.length === 1 && m === 'GET') {
    return needAuth() ?? jsonReply(200, { login: who.kind === 'user' ? who.login : USER_LOGIN, id: 1, type: 'User' });
  }
  if (parts[0] !== 'repos' || parts.length < 3) return ghError(404, 'Not Found', DOCS);

  const [, owner, repo] = parts as [string, string, string];
  const tail = parts.slice(3);
  const writes = m !== 'GET' && m !== 'HEAD';
  if (writes) {
    const denied = needAuth();
    if (denied) return denied;
  }
  if (!repoKnown(state, owner, repo)) {
    return { ...ghError(404, 'Not Found', writes ? DOCS_CREATE_STATUS : DOCS_LIST_STATUSES), previewError: rejected(404, 'Not Found', `the mock does not know repository ${owner}/${repo} (github.repos)`) };
  }

  // GET repos/{o}/{r}/commits/{ref}/statuses — the ref may contain slashes.
  if (m === 'GET' && tail[0] === 'commits' && tail[tail.length - 1] === 'statuses' && tail.length >= 3) {
    return listStatuses(state, req, base, owner, repo, tail.slice(1, -1).join('/'));
  }
  if (m === 'GET' && tail[0] === 'commits' && tail[tail.length - 1] === 'status' && tail.length >= 3) {
    const ref = tail.slice(1, -1).join('/');
    const all = state.statusesFor(statusKey(req.url, owner, repo, ref));
    const latest = newestPerContext(all);
    const combined = latest.some((s) => s.state === 'error' || s.state === 'failure') ? 'failure' : latest.some((s) => s.state === 'pending') || latest.length === 0 ? 'pending' : 'success';
    return jsonReply(200, { state: combined, sha: ref, total_count: latest.length, statuses: latest });
  }
  if (m === 'POST' && tail[0] === 'statuses' && tail.length >= 2) {
    return createStatus(state, req, base, owner, repo, tail.slice(1).join('/'));
  }
  if (m === 'POST' && tail[0] === 'dispatches' && tail.length === 1) {
    const parsed = parseJson(req.text);
    if (!parsed.ok || !isObject(parsed.value) || typeof parsed.value.event_type !== 'string' || parsed.value.event_type === '') {
      return { ...ghError(422, 'Invalid request.\n\n"event_type" wasn\'t supplied.', 'https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event'), previewError: rejected(422, 'Invalid request', 'a repository dispatch needs a non-empty event_type') };
    }
    return { status: 204, headers: {}, preview: genericPreview(req, parsed.value) };
  }
  // Pull request comments.
  if (tail[0] === 'issues' && tail[2] === 'comments' && tail.length === 3) {
    const key = `ghc|${hostOf(req.url)}|${owner.toLowerCase()}/${repo.toLowerCase()}|${tail[1]}`;
    if (m === 'GET') return jsonReply(200, state.commentsFor(key).map((c) => commentJson(req, base, owner, repo, c)));
    if (m === 'POST') {
      const parsed = parseJson(req.text);
      const body = parsed.ok && isObject(parsed.value) ? str(parsed.value, 'body') : undefined;
      if (body === undefined) return { ...ghError(422, 'Invalid request.\n\n"body" wasn\'t supplied.', DOCS), previewError: rejected(422, 'Invalid request', 'a comment needs a body') };
      const c = state.addComment(key, body, who.kind === 'user' ? who.login : USER_LOGIN);
      return { ...jsonReply(201, commentJson(req, base, owner, repo, c)), preview: genericPreview(req, parsed.ok ? parsed.value : undefined) };
    }
  }
  if (tail[0] === 'issues' && tail[1] === 'comments' && tail.length === 3 && m === 'PATCH') {
    const c = state.findComment(Number(tail[2]));
    const parsed = parseJson(req.text);
    const body = parsed.ok && isObject(parsed.value) ? str(parsed.value, 'body') : undefined;
    if (!c) return ghError(404, 'Not Found', DOCS);
    if (body === undefined) return ghError(422, 'Invalid request.\n\n"body" wasn\'t supplied.', DOCS);
    c.body = body;
    c.updatedAt = state.now().toISOString();
    return { ...jsonReply(200, commentJson(req, base, owner, repo, c)), preview: genericPreview(req, parsed.ok ? parsed.value : undefined) };
  }
  if (m === 'GET' && tail.length === 0) {
    return jsonReply(200, { id: 1, name: repo, full_name: `${owner}/${repo}`, private: false });
  }
  return ghError(404, 'Not Found', DOCS);
}

export function githubRespond(state: MockState, req: MockRequest): MockReply {
  return withHeaders(state, route(state, req));
}

export function isGitHubApi(url: URL, state: MockState): boolean {
  if (url.hostname === 'api.github.com') return true;
  if (url.pathname.startsWith('/api/v3/')) return true;
  const type = state.providerFor(url)?.type;
  return type !== undefined && GITHUB_TYPES.has(type);
}

export function githubHandlers(ctx: MockContext): HttpHandler[] {
  const { state } = ctx;
  return [
    endpoint(ctx, {
      service: 'github',
      match: (url) => isGitHubApi(url, state),
      respond: (req) => githubRespond(state, req),
    }),
  ];
}
