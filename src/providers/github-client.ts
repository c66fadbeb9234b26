// The GitHub side shared by github, githubdispatch and githubpullrequestcomment
// (notification-controller internal/notifier/github_helpers.go, go-github v64, and the GitHub App
// token exchange of fluxcd/pkg auth/githubapp with go-github v82). Everything upstream does in
// the notifier constructor lives here: validation in `planGitHub` (synchronous), and the network
// part — App token exchange, `GET /user` — in the `connectGitHub` conversation.

import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { NotifierOptions, HttpReply, PlannedHttpRequest } from './types.js';
import { NotifierError } from './types.js';
import { GoURL, GoURLError, goStrconvQuote, parseURL, pathEscape, pathUnescape } from './gourl.js';
import { parseGitAddress } from './git.js';
import { goJson } from '../flux/gojson.js';
import { goDecodeFirst, goUnmarshalObject, goInt64, goString, ptr, slice, struct, type Shape } from './godecode.js';
import { NotifierInitError, goParseInt64 } from './git-common.js';
import { replyHeader } from './gohttp.js';

/** The User-Agent go-github sets (the notifier's client is v64, the App exchange runs on v82). */
export const GITHUB_USER_AGENT = 'go-github/v64.0.0';
export const GITHUB_APP_USER_AGENT = 'go-github/v82.0.0';
export const GITHUB_MEDIA_V3 = 'application/vnd.github.v3+json';
export const GITHUB_MEDIA_REACTIONS = 'application/vnd.github.squirrel-girl-preview';
const DEFAULT_BASE = 'https://api.github.com/';

/**
 * Wall clock for the App JWT (iat/exp) and rate-limit messages. The only impure input of the
 * GitHub family; tests replace `now`.
 */
export const githubClock = { now: (): number => Date.now() };

// ---------------------------------------------------------------------------------------------
// Reply shapes (the fields the notifiers read, plus the ids Go would also type-check).

const userShape = struct('github.User', 'User', { login: ptr(goString), id: ptr(goInt64) });
export const shapes = {
  repoStatuses: slice(
    ptr(struct('github.RepoStatus', 'RepoStatus', {
      id: ptr(goInt64), state: ptr(goString), description: ptr(goString), context: ptr(goString),
    })),
    '[]*github.RepoStatus',
  ),
  repoStatus: struct('github.RepoStatus', 'RepoStatus', { id: ptr(goInt64), state: ptr(goString) }),
  repository: struct('github.Repository', 'Repository', { id: ptr(goInt64), name: ptr(goString) }),
  user: userShape,
  issueComments: slice(
    ptr(struct('github.IssueComment', 'IssueComment', { id: ptr(goInt64), body: ptr(goString), user: ptr(userShape) })),
    '[]*github.IssueComment',
  ),
  issueComment: struct('github.IssueComment', 'IssueComment', { id: ptr(goInt64), body: ptr(goString) }),
  app: struct('github.App', 'App', { id: ptr(goInt64), slug: ptr(goString) }),
  installation: struct('github.Installation', 'Installation', { id: ptr(goInt64) }),
  installationToken: struct('github.InstallationToken', 'InstallationToken', { token: ptr(goString) }),
} satisfies Record<string, Shape>;

// ---------------------------------------------------------------------------------------------
// Requests: go-github's NewRequest + Do.

/** A go-github client: base URL (with trailing slash), User-Agent and bearer token. */
export interface GitHubApi {
  base: GoURL;
  userAgent: string;
  token: string;
  /** Whether the Provider's TLS material / proxy applies to this client's requests. */
  useTLS: boolean;
  useProxy: boolean;
  /** go-github v64 says `BaseURL`, v82 `baseURL` in the trailing-slash error. */
  baseURLWord: 'BaseURL' | 'baseURL';
}

export interface GitHubCall {
  method: string;
  /** Path relative to the base, as go-github formats it (owner/repo unescaped). */
  path: string;
  /** Query pairs added by addOptions (already in url.Values.Encode order). */
  query?: string;
  body?: unknown;
  /** Pre-encoded body bytes (already with the encoder's trailing newline); wins over `body`. */
  rawBody?: string;
  accept?: string;
  preflight: boolean;
  shape?: Shape;
  /** Wraps a library error into the notifier's text (`could not …: <err>`). null: never fails here. */
  wrap: ((err: string) => string) | null;
  /** Errors raised in the constructor upstream are NotifierInitError. */
  init?: boolean;
}

/** go-github refURLEscape: each `/`-separated part path-escaped. */
export function refURLEscape(ref: string): string {
  return ref.split('/').map(pathEscape).join('/');
}

/** Go's resolvePath (url.ResolveReference): merges and removes dot segments. */
function resolvePath(base: string, ref: string): string {
  let full: string;
  if (ref === '') full = base;
  else if (ref[0] !== '/') full = base.slice(0, base.lastIndexOf('/') + 1) + ref;
  else full = ref;
  if (full === '') return '';
  let dst = '/';
  let first = true;
  let elem = '';
  let remaining = full;
  let found = true;
  while (found) {
    const cut = remaining.indexOf('/');
    found = cut !== -1;
    elem = found ? remaining.slice(0, cut) : remaining;
    remaining = found ? remaining.slice(cut + 1) : '';
    if (elem === '.') {
      first = false;
      continue;
    }
    if (elem === '..') {
      const str = dst.slice(1);
      const index = str.lastIndexOf('/');
      dst = '/';
      if (index === -1) first = true;
      else dst += str.slice(0, index);
    } else {
      if (!first) dst += '/';
      dst += elem;
      first = false;
    }
  }
  if (elem === '.' || elem === '..') dst += '/';
  return dst.length > 1 && dst[1] === '/' ? dst.slice(1) : dst;
}

/** base.Parse(ref).String() for a relative reference (what NewRequest does). */
function resolveURL(base: GoURL, ref: GoURL): string {
  if (ref.scheme !== '' || ref.host !== '' || ref.user !== undefined) return ref.toString();
  const p = resolvePath(base.escapedPath(), ref.escapedPath());
  const out = new GoURL({
    scheme: base.scheme,
    user: base.user,
    host: base.host,
    path: pathUnescape(p),
    rawPath: p,
    rawQuery: ref.rawQuery,
    forceQuery: ref.forceQuery,
    fragment: ref.fragment,
    rawFragment: ref.rawFragment,
  });
  if (ref.path === '' && !ref.forceQuery && ref.rawQuery === '') {
    out.rawQuery = base.rawQuery;
    if (ref.fragment === '') {
      out.fragment = base.fragment;
      out.rawFragment = base.rawFragment;
    }
  }
  return out.toString();
}

function errText(e: unknown): string {
  if (e instanceof GoURLError) return e.message;
  throw e;
}

/** Builds the request of a call, or returns the error NewRequest/addOptions would give. */
export function buildGitHubRequest(api: GitHubApi, call: GitHubCall): PlannedHttpRequest | { error: string } {
  if (!api.base.path.endsWith('/')) {
    return { error: `${api.baseURLWord} must have a trailing slash, but ${goStrconvQuote(api.base.toString())} does not` };
  }
  let urlStr = call.path;
  if (call.query !== undefined) {
    // addOptions: parse, replace the query, print again.
    try {
      const u = parseURL(urlStr);
      u.rawQuery = call.query;
      urlStr = u.toString();
    } catch (e) {
      return { error: errText(e) };
    }
  }
  let url: string;
  try {
    url = resolveURL(api.base, parseURL(urlStr));
  } catch (e) {
    return { error: errText(e) };
  }
  const hasBody = call.body !== undefined || call.rawBody !== undefined;
  const headers: Array<[string, string]> = [];
  if (hasBody) headers.push(['Content-Type', 'application/json']);
  headers.push(['Accept', call.accept ?? GITHUB_MEDIA_V3]);
  headers.push(['User-Agent', api.userAgent]);
  headers.push(['X-Github-Api-Version', '2022-11-28']);
  // The token is added by the client's transport, after go-github set its headers.
  headers.push(['Authorization', `Bearer ${api.token}`]);
  const req: PlannedHttpRequest = {
    kind: 'http',
    method: call.method,
    url,
    headers,
    retry: 'none',
    useProxy: api.useProxy,
    useTLS: api.useTLS,
  };
  // go-github encodes with a json.Encoder: trailing newline, no HTML escaping.
  if (call.rawBody !== undefined) req.body = call.rawBody;
  else if (hasBody) req.body = goJson(call.body, { escapeHTML: false }) + '\n';
  if (call.preflight) req.preflight = true;
  req.check = (reply) => {
    const err = gitHubReplyError(req.method, req.url, reply, call.shape);
    if (err === null || call.wrap === null) return null;
    return call.wrap(err);
  };
  return req;
}

/**
 * Runs one go-github call: yields the request and returns the decoded reply, or throws the
 * notifier's error text. With `wrap: null` a failure is returned instead of thrown.
 */
export function* gitHubCall(api: GitHubApi, call: GitHubCall): Generator<PlannedHttpRequest, { value: unknown; error?: string }, HttpReply> {
  const fail = (err: string): never => {
    const text = call.wrap ? call.wrap(err) : err;
    throw call.init ? new NotifierInitError(text) : new NotifierError(text);
  };
  const req = buildGitHubRequest(api, call);
  if ('error' in req) {
    if (call.wrap === null) return { value: undefined, error: req.error };
    return fail(req.error);
  }
  const reply = yield req;
  const err = gitHubReplyError(req.method, req.url, reply, undefined);
  if (err !== null) {
    if (call.wrap === null) return { value: undefined, error: err };
    return fail(err);
  }
  if (!call.shape) return { value: undefined };
  const decoded = goDecodeFirst(reply.body, call.shape);
  if (decoded.error !== undefined) {
    if (call.wrap === null) return { value: undefined, error: decoded.error };
    return fail(decoded.error);
  }
  return { value: decoded.value };
}

// ---------------------------------------------------------------------------------------------
// Reply judgement: go-github CheckResponse and its error texts.

interface GhErrorItem {
  resource: string;
  field: string;
  code: string;
  message: string;
}

/** ErrorResponse decoding; any decode failure leaves it empty, as go-github resets it. */
function parseErrorResponse(body: string): { message: string; errors: GhErrorItem[]; documentationURL: string } {
  const empty = { message: '', errors: [] as GhErrorItem[], documentationURL: '' };
  const obj = goUnmarshalObject(body);
  if (obj.error !== undefined || !obj.entries) return empty;
  const out = { ...empty, errors: [] as GhErrorItem[] };
  const isStr = (v: unknown) => v === null || typeof v === 'string';
  for (const [key, v] of obj.entries) {
    const k = key.toLowerCase();
    if (k === 'message') {
      if (!isStr(v)) return empty;
      if (v !== null) out.message = v as string;
    } else if (k === 'documentation_url') {
      if (!isStr(v)) return empty;
      if (v !== null) out.documentationURL = v as string;
    } else if (k === 'block') {
      if (v !== null && (typeof v !== 'object' || Array.isArray(v))) return empty;
    } else if (k === 'errors') {
      if (v === null) {
        out.errors = [];
        continue;
      }
      if (!Array.isArray(v)) return empty;
      const items: GhErrorItem[] = [];
      for (const item of v) {
        const e: GhErrorItem = { resource: '', field: '', code: '', message: '' };
        if (typeof item === 'string') e.message = item;
        else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          for (const [ik, iv] of Object.entries(item as Record<string, unknown>)) {
            const f = ik.toLowerCase();
            if (f !== 'resource' && f !== 'field' && f !== 'code' && f !== 'message') continue;
            if (!isStr(iv)) return empty; // neither the struct nor a string: the whole decode fails
            if (iv !== null) e[f] = iv as string;
          }
        } else if (item !== null) return empty;
        items.push(e);
      }
      out.errors = items;
    }
  }
  return out;
}

/** formatRateReset of go-github. */
function formatRateReset(ms: number): string {
  const negative = ms < 0;
  const d = Math.abs(ms) / 1000;
  const total = Math.floor(0.5 + d);
  const minutes = Math.floor(total / 60);
  const seconds = total - minutes * 60;
  const t = minutes > 0 ? `${minutes}m${String(seconds).padStart(2, '0')}s` : `${seconds}s`;
  return negative ? `[rate limit was reset ${t} ago]` : `[rate reset in ${t}]`;
}

/**
 * The error go-github returns for a reply, or null when the call succeeded (2xx except 202
 * and, when a shape is given, a body that decodes).
 */
export function gitHubReplyError(method: string, url: string, reply: HttpReply, shape: Shape | undefined): string | null {
  const status = reply.status;
  if (status === 202) return 'job scheduled on GitHub side; try again later';
  if (status >= 200 && status <= 299) {
    if (!shape) return null;
    return goDecodeFirst(reply.body, shape).error ?? null;
  }
  const er = parseErrorResponse(reply.body);
  const errs = '[' + er.errors.map((e) => `{Resource:${e.resource} Field:${e.field} Code:${e.code} Message:${e.message}}`).join(' ') + ']';
  if (status === 403 && replyHeader(reply, 'X-RateLimit-Remaining') === '0') {
    const reset = goParseInt64(replyHeader(reply, 'X-RateLimit-Reset')).value;
    return `${method} ${url}: ${status} ${er.message} ${formatRateReset(Number(reset) * 1000 - githubClock.now())}`;
  }
  if (status === 403 && (er.documentationURL.endsWith('#abuse-rate-limits') || er.documentationURL.endsWith('secondary-rate-limits'))) {
    return `${method} ${url}: ${status} ${er.message}`;
  }
  return `${method} ${url}: ${status} ${er.message} ${errs}`;
}

// ---------------------------------------------------------------------------------------------
// Constructor: NewGitHubClient.

interface GitHubAppSettings {
  appID: bigint;
  installationID: bigint;
  installationOwner: string;
  key: KeyObject;
  /** githubAppBaseURL as written ('' = api.github.com). */
  apiURL: string;
}

interface GitHubTarget {
  owner: string;
  repo: string;
  /** The notifier's API client, minus the token (known only after an App exchange). */
  base: GoURL;
  useTLS: boolean;
}

export interface GitHubPlan {
  /** Personal access token (token, else password); '' when a GitHub App is used. */
  token: string;
  app?: GitHubAppSettings;
  fetchUserLogin: boolean;
  /** Address and client, or the constructor error upstream raises after the App exchange. */
  target: GitHubTarget | { error: string };
}

/** What the conversation knows once the constructor's work is done. */
export interface GitHubSession {
  owner: string;
  repo: string;
  api: GitHubApi;
  userLogin: string;
  appSlug: string;
}

const secretText = (opts: NotifierOptions, key: string): string | undefined => {
  const data = opts.secretData ?? {};
  if (!Object.prototype.hasOwnProperty.call(data, key)) return undefined;
  return Buffer.from(data[key]!).toString('utf8');
};

/** pem.Decode: the first well-formed PEM block anywhere in the text. */
function pemDecode(text: string): Buffer | undefined {
  const re = /-----BEGIN ([^\r\n]*?)-----\r?\n([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // Headers ("Key: value" lines before a blank line) are not part of the body.
    let body = m[2]!;
    if (/^[^\r\n]*:/.test(body)) {
      const blank = body.search(/\r?\n\r?\n/);
      if (blank === -1) continue;
      body = body.slice(blank).trim();
    }
    const clean = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) continue;
    return Buffer.from(clean, 'base64');
  }
  return undefined;
}

/** jwt.ParseRSAPrivateKeyFromPEM: PKCS#1, else PKCS#8, and it must be RSA. */
function parseRSAPrivateKey(pemText: string): KeyObject | string {
  const der = pemDecode(pemText);
  if (!der) return 'invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key';
  for (const type of ['pkcs1', 'pkcs8'] as const) {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type });
      return key.asymmetricKeyType === 'rsa' ? key : 'key is not a valid RSA private key';
    } catch {
      // try the next encoding
    }
  }
  try {
    createPrivateKey({ key: der, format: 'der', type: 'sec1' });
    return 'x509: failed to parse private key (use ParseECPrivateKey instead for this key format)';
  } catch {
    // Go prints the ASN.1 decoder's complaint here; its exact wording is not reproduced.
    return 'asn1: structure error: invalid PKCS#8 private key';
  }
}

/** githubapp.New: the App settings from the Secret, validated in upstream order. */
function planApp(opts: NotifierOptions): GitHubAppSettings {
  const appIDText = secretText(opts, 'githubAppID');
  const ownerText = secretText(opts, 'githubAppInstallationOwner');
  const idText = secretText(opts, 'githubAppInstallationID');
  const keyText = secretText(opts, 'githubAppPrivateKey');
  const apiURL = secretText(opts, 'githubAppBaseURL') ?? '';
  // Parse errors are ignored upstream (a bad number reads as 0, an overflow as the clamp).
  const appID = appIDText === undefined ? 0n : goParseInt64(appIDText).value;
  const installationID = idText === undefined ? 0n : goParseInt64(idText).value;
  const installationOwner = ownerText ?? '';
  if (appID === 0n) throw new NotifierError('app ID must be provided to use github app authentication');
  if (installationOwner === '' && installationID === 0n) {
    throw new NotifierError('app installation owner or ID must be provided to use github app authentication');
  }
  if (installationOwner !== '' && installationID !== 0n) {
    throw new NotifierError('only one of app installation owner or ID must be provided to use github app authentication');
  }
  if (keyText === undefined || keyText === '') {
    throw new NotifierError('private key must be provided to use github app authentication');
  }
  const key = parseRSAPrivateKey(keyText);
  if (typeof key === 'string') throw new NotifierError(`could not parse private key: ${key}`);
  return { appID, installationID, installationOwner, key, apiURL };
}

/** createGitHubClient: github.com gets api.github.com, anything else GitHub Enterprise. */
function planTarget(address: string): GitHubTarget | { error: string } {
  const { host, id } = parseGitAddress(address);
  const parts = id.split('/');
  if (parts.length !== 2) return { error: `invalid repository id: '${id}'` };
  let hostURL: GoURL;
  try {
    hostURL = parseURL(host);
  } catch (e) {
    return { error: errText(e) };
  }
  if (hostURL.host === 'github.com') {
    // The default client: the Provider's TLS material is not used.
    return { owner: parts[0]!, repo: parts[1]!, base: parseURL(DEFAULT_BASE), useTLS: false };
  }
  // WithEnterpriseURLs(host, host).
  let base: GoURL;
  try {
    base = parseURL(host);
  } catch (e) {
    return { error: `failed to create enterprise GitHub client: ${errText(e)}` };
  }
  if (!base.path.endsWith('/')) base.path += '/';
  if (!base.path.endsWith('/api/v3/') && !base.host.startsWith('api.') && !base.host.includes('.api.')) {
    base.path += 'api/v3/';
  }
  base.rawPath = '';
  // Enterprise hosts get the Provider's TLS material (a custom transport when there is some).
  return { owner: parts[0]!, repo: parts[1]!, base, useTLS: true };
}

/**
 * The synchronous part of NewGitHubClient, in upstream order. Throws NotifierError for what
 * fails before any network call; errors upstream meets after the App exchange are kept in
 * `target` and thrown by `connectGitHub` after the exchange.
 */
export function planGitHub(opts: NotifierOptions, fetchUserLogin: boolean): GitHubPlan {
  const token = opts.token !== '' ? opts.token : opts.password;
  if (token !== '') {
    const target = planTarget(opts.url);
    if ('error' in target) throw new NotifierError(target.error);
    return { token, fetchUserLogin, target };
  }
  if (secretText(opts, 'githubAppID') === undefined) {
    throw new NotifierError('github token or github app details must be specified');
  }
  if (opts.proxyURL !== '') {
    try {
      parseURL(opts.proxyURL);
    } catch (e) {
      throw new NotifierError(`error parsing proxy URL '${opts.proxyURL}': ${errText(e)}`);
    }
  }
  const app = planApp(opts);
  return { token: '', app, fetchUserLogin, target: planTarget(opts.url) };
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** The App JWT: RS256, iat 30 s in the past, valid 2 minutes, issuer = app ID. */
export function gitHubAppJWT(appID: bigint, key: KeyObject, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  const iat = now - 30;
  const exp = iat + 120;
  const header = b64url('{"alg":"RS256","typ":"JWT"}');
  const claims = b64url(goJson({ iss: appID.toString(), exp, iat }));
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), key);
  return `${header}.${claims}.${b64url(signature)}`;
}

/** githubapp createInstallationToken: optional app slug, installation lookup, token. */
function* exchangeAppToken(app: GitHubAppSettings, reflectSlug: boolean): Generator<PlannedHttpRequest, { token: string; slug: string }, HttpReply> {
  const jwt = gitHubAppJWT(app.appID, app.key, githubClock.now());
  let base: GoURL;
  if (app.apiURL !== '') {
    const raw = app.apiURL.endsWith('/') ? app.apiURL : app.apiURL + '/';
    try {
      base = parseURL(raw);
    } catch (e) {
      throw new NotifierInitError(`invalid API URL: ${errText(e)}`);
    }
  } else {
    base = parseURL(DEFAULT_BASE);
  }
  // The exchange client clones the default transport: the Provider's proxy and TLS apply.
  const api: GitHubApi = { base, userAgent: GITHUB_APP_USER_AGENT, token: jwt, useTLS: true, useProxy: true, baseURLWord: 'baseURL' };
  const call = (c: Omit<GitHubCall, 'preflight' | 'init'>) => gitHubCall(api, { ...c, preflight: true, init: true });

  let slug = '';
  if (reflectSlug) {
    const r = yield* call({ method: 'GET', path: 'app', shape: shapes.app, wrap: (e) => `failed to get app information: ${e}` });
    slug = ((r.value as { slug: string | null }).slug) ?? '';
  }

  let installationID = app.installationID;
  if (installationID === 0n) {
    const owner = app.installationOwner;
    const org = yield* call({ method: 'GET', path: `orgs/${owner}/installation`, shape: shapes.installation, wrap: null });
    if (org.error === undefined) {
      installationID = ((org.value as { id: bigint | null }).id) ?? 0n;
    } else {
      const orgErr = `failed to find organization installation: ${org.error}`;
      const user = yield* call({
        method: 'GET',
        path: `users/${owner}/installation`,
        shape: shapes.installation,
        wrap: (e) => `${orgErr}\nfailed to find user installation: ${e}`,
      });
      installationID = ((user.value as { id: bigint | null }).id) ?? 0n;
    }
  }

  // go-github sends a nil options pointer as the JSON body `null`.
  const tok = yield* call({
    method: 'POST',
    path: `app/installations/${installationID}/access_tokens`,
    body: null,
    shape: shapes.installationToken,
    wrap: (e) => e,
  });
  return { token: ((tok.value as { token: string | null }).token) ?? '', slug };
}

/**
 * The network part of the constructor: the App token exchange (when no token is set), the
 * deferred constructor errors, and `GET /user` for the comment notifier (unless the App slug
 * identifies the author).
 */
export function* connectGitHub(plan: GitHubPlan): Generator<PlannedHttpRequest, GitHubSession, HttpReply> {
  let token = plan.token;
  let appSlug = '';
  if (plan.app) {
    const t = yield* exchangeAppToken(plan.app, plan.fetchUserLogin);
    token = t.token;
    appSlug = t.slug;
  }
  if ('error' in plan.target) throw new NotifierInitError(plan.target.error);
  const { owner, repo, base, useTLS } = plan.target;
  // API calls use the default transport: the Provider's proxy is not used.
  const api: GitHubApi = { base, userAgent: GITHUB_USER_AGENT, token, useTLS, useProxy: false, baseURLWord: 'BaseURL' };
  let userLogin = '';
  if (plan.fetchUserLogin && appSlug === '') {
    const r = yield* gitHubCall(api, {
      method: 'GET',
      path: 'user',
      shape: shapes.user,
      preflight: true,
      init: true,
      wrap: (e) => `failed to get authenticated user info: ${e}`,
    });
    userLogin = ((r.value as { login: string | null }).login) ?? '';
  }
  return { owner, repo, api, userLogin, appSlug };
}
