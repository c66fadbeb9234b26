// The Gitea side shared by gitea and giteapullrequestcomment (notification-controller
// internal/notifier/gitea_helpers.go on code.gitea.io/sdk/gitea). Validation happens in
// `planGitea`; the SDK's version probe and `GET /user`, which upstream runs in the constructor,
// are the start of the conversation (`connectGitea`).

import type { NotifierOptions, HttpReply, PlannedHttpRequest } from './types.js';
import { NotifierError } from './types.js';
import { GoURLError, goStrconvQuote, parseURL, pathEscape } from './gourl.js';
import { parseGitAddress } from './git.js';
import { goFormatAny, goInt64, goString, goUnmarshal, goUnmarshalObject, namedString, ptr, slice, struct, type Shape } from './godecode.js';
import { NotifierInitError, goParseInt64 } from './git-common.js';
import { goStatusLine } from './gohttp.js';

const userShape = struct('gitea.User', 'User', { id: goInt64, login: goString });
const statusFields = { id: goInt64, status: namedString('gitea.StatusState'), description: goString, context: goString };
const commentShape = struct('gitea.Comment', 'Comment', { id: goInt64, user: ptr(userShape), body: goString });

export const giteaShapes = {
  version: struct('struct { Version string "json:\\"version\\"" }', '', { version: goString }),
  user: userShape,
  statuses: slice(ptr(struct('gitea.Status', 'Status', statusFields)), '[]*gitea.Status'),
  status: struct('gitea.Status', 'Status', statusFields),
  comments: slice(ptr(commentShape), '[]*gitea.Comment'),
  comment: commentShape,
} satisfies Record<string, Shape>;

export interface GiteaPlan {
  /** The SDK's base: the address host with one trailing `/` removed. */
  url: string;
  token: string;
  owner: string;
  repo: string;
  fetchUserLogin: boolean;
}

export interface GiteaSession extends GiteaPlan {
  /** The token owner's login (only fetched for the comment notifier). */
  username: string;
}

function errText(e: unknown): string {
  if (e instanceof GoURLError) return e.message;
  throw e;
}

/** NewGiteaClient up to the SDK call, in upstream order; throws NotifierError. */
export function planGitea(opts: NotifierOptions, fetchUserLogin: boolean): GiteaPlan {
  const token = opts.token !== '' ? opts.token : opts.password;
  if (token === '') throw new NotifierError('gitea token cannot be empty');
  const { host, id } = parseGitAddress(opts.url);
  try {
    parseURL(host);
  } catch (e) {
    throw new NotifierError(`failed parsing host: ${errText(e)}`);
  }
  const parts = id.split('/');
  if (parts.length !== 2) throw new NotifierError(`invalid repository id ${goStrconvQuote(id)}`);
  if (opts.proxyURL !== '') {
    try {
      parseURL(opts.proxyURL);
    } catch (e) {
      if (!(e instanceof GoURLError)) throw e;
      throw new NotifierError('invalid proxy URL');
    }
  }
  const url = host.endsWith('/') ? host.slice(0, -1) : host;
  return { url, token, owner: parts[0]!, repo: parts[1]!, fetchUserLogin };
}

/** escapeValidatePathSegments: every segment non-empty, then url.PathEscape'd. */
export function escapeSegments(...segs: string[]): string[] | { error: string } {
  for (let i = 0; i < segs.length; i++) if (segs[i] === '') return { error: `path segment [${i}] is empty` };
  return segs.map(pathEscape);
}

export interface GiteaCall {
  method: string;
  /** Path after `/api/v1`, already escaped as the SDK builds it. */
  path: string;
  /** json.Marshal output (no trailing newline). */
  body?: string;
  /** The SDK's jsonHeader (`content-type`, lower case as the SDK writes it) — also on some GETs. */
  jsonHeader: boolean;
  preflight: boolean;
  shape: Shape;
  wrap: (err: string) => string;
  init?: boolean;
}

/**
 * statusCodeToErr + json.Unmarshal of getParsedResponse: the SDK's error for a reply, or null.
 */
export function giteaReplyError(method: string, url: string, reply: HttpReply, shape: Shape): string | null {
  if (Math.floor(reply.status / 100) === 2) return goUnmarshal(reply.body, shape).error ?? null;
  const obj = goUnmarshalObject(reply.body);
  if (obj.error !== undefined || !obj.entries) {
    let path = '';
    try {
      path = parseURL(url).path;
    } catch {
      path = url;
    }
    return `unknown API error: ${reply.status}\nRequest: '${path}' with '${method}' method and '${reply.body}' body`;
  }
  let message: { v: unknown } | undefined;
  for (const [k, v] of obj.entries) if (k === 'message') message = { v };
  if (message) return goFormatAny(message.v);
  return `${goStatusLine(reply.status)}: ${reply.body}`;
}

/** Runs one SDK call: yields the request, returns the decoded reply or throws the wrapped error. */
export function* giteaCall(plan: GiteaPlan, call: GiteaCall): Generator<PlannedHttpRequest, unknown, HttpReply> {
  const fail = (err: string): never => {
    const text = call.wrap(err);
    throw call.init ? new NotifierInitError(text) : new NotifierError(text);
  };
  let url: string;
  try {
    url = parseURL(plan.url + '/api/v1' + call.path).toString();
  } catch (e) {
    return fail(errText(e));
  }
  const headers: Array<[string, string]> = [['Authorization', `token ${plan.token}`]];
  if (call.jsonHeader) headers.push(['content-type', 'application/json']);
  const req: PlannedHttpRequest = {
    kind: 'http',
    method: call.method,
    url,
    headers,
    retry: 'none',
    // One custom transport carries both the proxy and the TLS material.
    useProxy: true,
    useTLS: true,
  };
  if (call.body !== undefined) req.body = call.body;
  if (call.preflight) req.preflight = true;
  req.check = (reply) => {
    const err = giteaReplyError(req.method, req.url, reply, call.shape);
    return err === null ? null : call.wrap(err);
  };
  const reply = yield req;
  const err = giteaReplyError(req.method, req.url, reply, call.shape);
  if (err !== null) return fail(err);
  return goUnmarshal(reply.body, call.shape).value;
}

// ---------------------------------------------------------------------------------------------
// hashicorp/go-version, as far as the SDK's ">= 1.11.0" check needs it.

const VERSION_RE =
  /^v?([0-9]+(\.[0-9]+)*?)(-([0-9]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)|(-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)))?(\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))??$/;

/** version.NewVersion: segments and pre-release, or the library's error text. */
export function parseGoVersion(v: string): { segments: bigint[]; pre: string } | { error: string } {
  const m = VERSION_RE.exec(v);
  if (!m) return { error: `Malformed version: ${v}` };
  const segments: bigint[] = [];
  for (const part of m[1]!.split('.')) {
    const n = goParseInt64(part);
    if (n.error !== undefined) return { error: `Error parsing version: ${n.error}` };
    segments.push(n.value);
  }
  while (segments.length < 3) segments.push(0n);
  return { segments, pre: m[7] || m[4] || '' };
}

/**
 * v >= 1.11.0 per Version.Compare: a pre-release only loses when the segment lists are
 * identical (same length); otherwise missing segments count as zeros.
 */
function atLeast1110(v: { segments: bigint[]; pre: string }): boolean {
  const want = [1n, 11n, 0n];
  const same = v.segments.length === want.length && v.segments.every((s, i) => s === want[i]);
  if (same) return v.pre === '';
  const n = Math.max(v.segments.length, want.length);
  for (let i = 0; i < n; i++) {
    const a = v.segments[i] ?? 0n;
    const b = want[i] ?? 0n;
    if (a !== b) return a > b;
  }
  return true;
}

/**
 * The network part of the constructor: gitea.NewClient's version probe (`GET /api/v1/version`,
 * which must report ≥ 1.11.0), then `GET /api/v1/user` for the comment notifier.
 */
export function* connectGitea(plan: GiteaPlan): Generator<PlannedHttpRequest, GiteaSession, HttpReply> {
  const created = (e: string) => `failed creating Gitea client: ${e}`;
  const ver = (yield* giteaCall(plan, {
    method: 'GET',
    path: '/version',
    jsonHeader: false,
    preflight: true,
    shape: giteaShapes.version,
    wrap: created,
    init: true,
  })) as { version: string };
  const parsed = parseGoVersion(ver.version);
  if ('error' in parsed) {
    // A version that is there but unreadable is reported as unknown; an empty one as malformed.
    const text = ver.version.trim() !== '' ? `unknown version: ${ver.version}` : parsed.error;
    throw new NotifierInitError(created(text));
  }
  if (!atLeast1110(parsed)) throw new NotifierInitError(created(`gitea server at ${plan.url} is older than 1.11.0`));

  let username = '';
  if (plan.fetchUserLogin) {
    const user = (yield* giteaCall(plan, {
      method: 'GET',
      path: '/user',
      jsonHeader: false,
      preflight: true,
      shape: giteaShapes.user,
      wrap: (e) => `failed to get authenticated user info: ${e}`,
      init: true,
    })) as { login: string };
    username = user.login;
  }
  return { ...plan, username };
}
