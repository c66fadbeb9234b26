// GitLab REST v4 (gitlab.com and self-managed hosts under /api/v4/): commit statuses stored per
// run (the list returns the latest status per name, as GitLab does without `all=true`, which is
// what the engine's dedupe reads), merge request notes for gitlabmergerequestcomment, and the
// current user. Errors are GitLab's `{"message": "..."}` or, for parameter validation, Grape's
// `{"error": "..."}`.

import type { HttpHandler } from 'msw';
import type { CommitStatusEntry, GenericPreview, GitLabStatusPreview, PreviewError } from '../src/runner/preview-model.js';
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

const STATES = ['pending', 'running', 'success', 'failed', 'canceled', 'skipped'];
const GITLAB_TYPES = new Set(['gitlab', 'gitlabmergerequestcomment']);
const USER = { id: 1, username: 'flux-bot', name: 'Flux Bot', state: 'active' };

function rejected(status: number, error: string, detail: string): PreviewError {
  return { service: 'gitlab', status, error, detail };
}

function glMessage(status: number, message: string, detail?: string): MockReply {
  const r = jsonReply(status, { message });
  return detail === undefined ? r : { ...r, previewError: rejected(status, message, detail) };
}

function glParamError(error: string, detail: string): MockReply {
  return { ...jsonReply(400, { error }), previewError: rejected(400, error, detail) };
}

function tokenOf(req: MockRequest): string | undefined {
  const pt = req.header('private-token');
  if (pt !== undefined) return pt;
  const m = /^Bearer\s+(.*)$/i.exec(req.header('authorization') ?? '');
  return m ? m[1]!.trim() : undefined;
}

function projectKnown(state: MockState, project: string): boolean {
  const known = state.config.gitlab?.projects;
  return known ? known.some((p) => p.toLowerCase() === project.toLowerCase()) : true;
}

function statusKey(url: URL, project: string, sha: string): string {
  return `gitlab|${hostOf(url)}|${project.toLowerCase()}|${sha}`;
}

/** The latest status of each name, in creation order (GitLab's default listing). */
function latestPerName(list: StoredStatus[]): StoredStatus[] {
  const latest = new Map<string, StoredStatus>();
  for (const s of list) latest.set(s.context, s);
  return [...latest.values()].sort((a, b) => a.id - b.id);
}

function entries(list: StoredStatus[]): CommitStatusEntry[] {
  return list
    .slice()
    .reverse()
    .map((s) => compact<CommitStatusEntry>({ id: s.id, state: s.state, context: s.context, description: s.description, targetUrl: s.targetUrl, createdAt: s.createdAt }));
}

function statusJson(s: StoredStatus): Record<string, unknown> {
  const finished = ['success', 'failed', 'canceled', 'skipped'].includes(s.state);
  return {
    id: s.id,
    sha: s.sha,
    ref: 'main',
    status: s.state,
    name: s.context,
    target_url: s.targetUrl ?? null,
    description: s.description ?? null,
    created_at: s.createdAt,
    started_at: s.state === 'pending' ? null : s.createdAt,
    finished_at: finished ? s.createdAt : null,
    allow_failure: false,
    coverage: null,
    author: USER,
  };
}

function genericPreview(req: MockRequest, json: unknown): GenericPreview {
  return compact<GenericPreview>({ kind: 'generic', service: 'gitlab', method: req.method, url: maskUrl(req.url.href), headers: maskHeaders(req.headers), json });
}

/** Body parameters: GitLab takes JSON, a form, or the query string. */
function params(req: MockRequest): Record<string, unknown> | undefined {
  const ct = req.header('content-type') ?? '';
  const fromQuery = Object.fromEntries(req.url.searchParams.entries());
  if (req.bytes.length === 0) return fromQuery;
  if (ct.startsWith('application/x-www-form-urlencoded')) return { ...fromQuery, ...Object.fromEntries(new URLSearchParams(req.text).entries()) };
  const parsed = parseJson(req.text);
  if (!parsed.ok || !isObject(parsed.value)) return undefined;
  return { ...fromQuery, ...parsed.value };
}

function listStatuses(state: MockState, req: MockRequest, project: string, sha: string): MockReply {
  const all = state.statusesFor(statusKey(req.url, project, sha));
  const name = req.url.searchParams.get('name');
  const everything = req.url.searchParams.get('all') === 'true';
  let shown = everything ? all.slice() : latestPerName(all);
  if (name !== null) shown = shown.filter((s) => s.context === name);
  const newest = shown[shown.length - 1];
  const preview = compact<GitLabStatusPreview>({
    kind: 'gitlab-status',
    operation: 'list',
    project,
    sha,
    state: newest?.state ?? '',
    name: newest?.context ?? name ?? '',
    description: newest?.description,
    targetUrl: newest?.targetUrl,
    all: entries(latestPerName(all)),
  });
  return { ...jsonReply(200, shown.map(statusJson)), preview };
}

function createStatus(state: MockState, req: MockRequest, project: string, sha: string): MockReply {
  const p = params(req);
  if (!p) return glParamError('400 Bad request - The request body could not be parsed', 'the body is not a JSON object');
  const st = p.state;
  if (st === undefined) return glParamError('state is missing', 'a commit status needs `state`');
  if (typeof st !== 'string' || !STATES.includes(st)) {
    return glParamError('state does not have a valid value', `state ${JSON.stringify(st)} is not one of ${STATES.join(', ')}`);
  }
  const name = str(p, 'name') || str(p, 'context') || 'default';
  const description = str(p, 'description');
  const targetUrl = str(p, 'target_url');
  const key = statusKey(req.url, project, sha);
  const notes: string[] = [];
  const previous = latestPerName(state.statusesFor(key)).find((s) => s.context === name);
  if (previous && previous.state === st && (previous.description ?? '') === (description ?? '')) {
    notes.push(`identical to the latest status named '${name}' (a dedupe would have skipped it)`);
  }
  const stored = state.addStatus(key, compact({ sha, state: st, context: name, description, targetUrl: targetUrl || undefined }));
  const preview = compact<GitLabStatusPreview>({
    kind: 'gitlab-status',
    operation: 'create',
    project,
    sha,
    state: st,
    name,
    description,
    targetUrl: targetUrl || undefined,
    all: entries(latestPerName(state.statusesFor(key))),
    notes: notes.length > 0 ? notes : undefined,
  });
  return { ...jsonReply(201, statusJson(stored)), preview };
}

function noteJson(c: { id: number; body: string; author: string; createdAt: string; updatedAt: string }) {
  return { id: c.id, type: null, body: c.body, author: { ...USER, username: c.author }, created_at: c.createdAt, updated_at: c.updatedAt, system: false, noteable_type: 'MergeRequest' };
}

export function gitlabRespond(state: MockState, req: MockRequest): MockReply {
  const raw = req.url.pathname.startsWith('/api/v4/') ? req.url.pathname.slice('/api/v4/'.length) : '';
  // Segments are split before decoding: the project path travels as one %2F-escaped segment.
  const parts = raw.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  const m = req.method;
  const token = tokenOf(req);
  const known = state.config.gitlab?.tokens;
  if (token === undefined || token === '' || (known && !known.includes(token))) {
    return glMessage(401, '401 Unauthorized', token ? 'the token is not one the mock knows (gitlab.tokens)' : 'no PRIVATE-TOKEN header');
  }
  if (parts[0] === 'user' && parts.length === 1 && m === 'GET') return jsonReply(200, USER);
  if (parts[0] !== 'projects' || parts.length < 2) return jsonReply(404, { error: '404 Not Found' });
  const project = parts[1]!;
  if (!projectKnown(state, project)) return glMessage(404, '404 Project Not Found', `the mock does not know project ${project} (gitlab.projects)`);
  const tail = parts.slice(2);

  if (m === 'GET' && tail[0] === 'repository' && tail[1] === 'commits' && tail[3] === 'statuses' && tail.length === 4) {
    return listStatuses(state, req, project, tail[2]!);
  }
  if (m === 'POST' && tail[0] === 'statuses' && tail.length === 2) {
    const sha = tail[1]!;
    if (!/^[0-9a-f]{40}$/.test(sha)) return glMessage(404, '404 Commit Not Found', `${sha} is not a commit of the project`);
    return createStatus(state, req, project, sha);
  }
  if (tail[0] === 'merge_requests' && tail[2] === 'notes') {
    const key = `glnotes|${hostOf(req.url)}|${project.toLowerCase()}|${tail[1]}`;
    if (m === 'GET' && tail.length === 3) return jsonReply(200, state.commentsFor(key).map(noteJson));
    const p = params(req);
    const body = p ? str(p, 'body') : undefined;
    if (m === 'POST' && tail.length === 3) {
      if (body === undefined) return glParamError('body is missing', 'a note needs a body');
      return { ...jsonReply(201, noteJson(state.addComment(key, body, USER.username))), preview: genericPreview(req, p) };
    }
    if (m === 'PUT' && tail.length === 4) {
      const c = state.findComment(Number(tail[3]));
      if (!c) return glMessage(404, '404 Note Not Found');
      if (body === undefined) return glParamError('body is missing', 'a note needs a body');
      c.body = body;
      c.updatedAt = state.now().toISOString();
      return { ...jsonReply(200, noteJson(c)), preview: genericPreview(req, p) };
    }
  }
  if (m === 'GET' && tail.length === 0) return jsonReply(200, { id: 1, path_with_namespace: project, default_branch: 'main' });
  return jsonReply(404, { error: '404 Not Found' });
}

export function isGitLabApi(url: URL, state: MockState): boolean {
  if (url.pathname.startsWith('/api/v4/') && (url.hostname === 'gitlab.com' || url.pathname.startsWith('/api/v4/projects/') || url.pathname === '/api/v4/user')) return true;
  const type = state.providerFor(url)?.type;
  return type !== undefined && GITLAB_TYPES.has(type);
}

export function gitlabHandlers(ctx: MockContext): HttpHandler[] {
  const { state } = ctx;
  return [
    endpoint(ctx, {
      service: 'gitlab',
      match: (url) => isGitLabApi(url, state),
      respond: (req) => gitlabRespond(state, req),
    }),
  ];
}
