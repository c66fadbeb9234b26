// The GitHub side shared by github, githubdispatch and githubpullrequestcomment
// (notification-controller internal/notifier/github_helpers.go, go-github v64, and the GitHub App
// token exchange of fluxcd/pkg auth/githubapp v0.54 with go-github v87). Everything upstream does
// in the notifier constructor lives here: validation in `planGitHub` (synchronous), and the
// network part — App token exchange (skipped while NC's token cache holds a live token for the
// same App settings, see caches.ts), `GET /user` — in the `connectGitHub` conversation.

import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { ProviderCaches } from './caches.js';
import type { NotifierOptions, HttpReply, PlannedHttpRequest } from './types.js';
import { NotifierError } from './types.js';
import { GoURL, GoURLError, goStrconvQuote, parseURL, pathEscape, pathUnescape } from './gourl.js';
import { parseGitAddress } from './git.js';
import { goJson } from '../flux/gojson.js';
import { goDecodeFirst, goUnmarshalObject, goInt64, goString, ptr, slice, struct, type Shape } from './godecode.js';
import { NotifierInitError, goParseInt64 } from './git-common.js';
import { replyHeader } from './gohttp.js';
import { equalFold } from '../flux/fold.js';

/**
 * The User-Agent go-github sets: the notifier's client is v64; the App exchange runs in
 * fluxcd/pkg auth v0.54.1 (NC v1.9.3's go.mod), built on go-github v87.
 */
export const GITHUB_USER_AGENT = 'go-github/v64.0.0';
export const GITHUB_APP_USER_AGENT = 'go-github/v87.0.0';
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
  /** go-github v64 says `BaseURL`, v87 `baseURL` in the trailing-slash error. */
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
  /** The token cache key of githubapp (buildCacheKey). */
  cacheKey: string;
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
  /** NC's process-wide caches (the App token cache is read when the conversation runs). */
  caches?: ProviderCaches;
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
  return { appID, installationID, installationOwner, key, apiURL, cacheKey: '' };
}

/**
 * githubapp buildCacheKey: SHA-256 (hex) of the App settings as the client holds them (raw
 * secret bytes, parsed ids) plus whether the slug is reflected. The Provider is not part of it:
 * Providers with the same App settings share one token. Proxy and TLS are not part of it either.
 */
export function gitHubAppCacheKey(opts: NotifierOptions, app: GitHubAppSettings, reflectSlug: boolean): string {
  const raw = (k: string) => {
    const data = opts.secretData ?? {};
    return Object.prototype.hasOwnProperty.call(data, k) ? Buffer.from(data[k]!) : Buffer.alloc(0);
  };
  const text = (t: string) => Buffer.from(t, 'utf8');
  return createHash('sha256')
    .update(Buffer.concat([
      text(`githubAppID=${app.appID},githubAppInstallationOwner=`), raw('githubAppInstallationOwner'),
      text(`,githubAppInstallationID=${app.installationID},githubAppBaseURL=`), raw('githubAppBaseURL'),
      text(',githubAppPrivateKey='), raw('githubAppPrivateKey'),
      text(`,reflectSlug=${reflectSlug}`),
    ]))
    .digest('hex');
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
  app.cacheKey = gitHubAppCacheKey(opts, app, fetchUserLogin);
  const plan: GitHubPlan = { token: '', app, fetchUserLogin, target: planTarget(opts.url) };
  if (opts.caches) plan.caches = opts.caches;
  return plan;
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

// ---------------------------------------------------------------------------------------------
// The installation token reply: its expiry decides how long NC's token cache serves the token.

/** time's quote: `"` and `\` escaped, bytes outside printable ASCII as \xNN (on UTF-8 bytes). */
function goTimeQuote(bin: string): string {
  let out = '"';
  for (let i = 0; i < bin.length; i++) {
    const c = bin.charCodeAt(i);
    if (c >= 0x80 || c < 0x20) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += (c === 0x22 || c === 0x5c ? '\\' : '') + bin[i];
  }
  return out + '"';
}

/** The layout go-github's Timestamp parses a JSON string with: RFC 3339 inside the quotes. */
const TIMESTAMP_LAYOUT = '"2006-01-02T15:04:05Z07:00"';

const isDigitAt = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39;

/**
 * time.Parse(TIMESTAMP_LAYOUT, raw) on the raw bytes (a latin1 string of the UTF-8 bytes): the
 * instant in ns since the epoch, or time.ParseError's text.
 */
function parseGoTimestampText(raw: string): { ns: bigint } | { error: string } {
  let value = raw;
  const cannot = (layoutElem: string, valueElem: string) => ({
    error: `parsing time ${goTimeQuote(raw)} as ${goTimeQuote(TIMESTAMP_LAYOUT)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}`,
  });
  const message = (m: string) => ({ error: `parsing time ${goTimeQuote(raw)}${m}` });
  const literal = (c: string) => {
    if (value.length === 0 || value[0] !== c) return false;
    value = value.slice(1);
    return true;
  };
  // getnum: one or two digits (two when fixed).
  const num = (fixed: boolean): number | undefined => {
    if (!isDigitAt(value, 0)) return undefined;
    if (!isDigitAt(value, 1)) {
      if (fixed) return undefined;
      const n = value.charCodeAt(0) - 0x30;
      value = value.slice(1);
      return n;
    }
    const n = Number(value.slice(0, 2));
    value = value.slice(2);
    return n;
  };
  if (!literal('"')) return cannot('"', value);
  let hold = value;
  // Four bytes starting with a digit, then atoi over all four.
  if (!/^[0-9]{4}/.test(value)) return cannot('2006', hold);
  const year = Number(value.slice(0, 4));
  value = value.slice(4);
  if (!literal('-')) return cannot('-', value);
  hold = value;
  const month = num(true);
  if (month === undefined) return cannot('01', hold);
  if (month <= 0 || month > 12) return message(': month out of range');
  if (!literal('-')) return cannot('-', value);
  hold = value;
  const day = num(true);
  if (day === undefined) return cannot('02', hold);
  if (!literal('T')) return cannot('T', value);
  hold = value;
  const hour = num(false);
  if (hour === undefined) return cannot('15', hold);
  if (hour >= 24) return message(': hour out of range');
  if (!literal(':')) return cannot(':', value);
  hold = value;
  const min = num(true);
  if (min === undefined) return cannot('04', hold);
  if (min >= 60) return message(': minute out of range');
  if (!literal(':')) return cannot(':', value);
  hold = value;
  const sec = num(true);
  if (sec === undefined) return cannot('05', hold);
  if (sec >= 60) return message(': second out of range');
  // A fractional second is accepted although the layout has none (at most 9 digits count).
  let nsec = 0n;
  if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
    let n = 2;
    while (isDigitAt(value, n)) n++;
    const digits = value.slice(1, Math.min(n, 10));
    nsec = BigInt(digits) * 10n ** BigInt(9 - digits.length);
    value = value.slice(n);
  }
  hold = value;
  let offset = 0;
  if (value.length >= 1 && value[0] === 'Z') {
    value = value.slice(1);
  } else {
    if (value.length < 6 || value[3] !== ':') return cannot('Z07:00', hold);
    const sign = value[0];
    const hh = value.slice(1, 3);
    const mm = value.slice(4, 6);
    value = value.slice(6);
    const two = (t: string) => (isDigitAt(t, 0) && isDigitAt(t, 1) ? Number(t) : undefined);
    const hr = two(hh);
    const mn = hr === undefined ? undefined : two(mm);
    let range = '';
    if ((hr ?? 0) > 24) range = 'time zone offset hour';
    if ((mn ?? 0) > 60) range = 'time zone offset minute';
    if (range !== '') return message(`: ${range} out of range`);
    if (hr === undefined || mn === undefined || (sign !== '+' && sign !== '-')) return cannot('Z07:00', hold);
    offset = (sign === '-' ? -1 : 1) * (hr * 60 + mn) * 60;
  }
  if (!literal('"')) return cannot('"', value);
  if (value.length !== 0) return message(`: extra text: ${goTimeQuote(value)}`);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysIn = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (day < 1 || day > daysIn) return message(': day out of range');
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  const secs = BigInt(d.getTime() / 1000) + BigInt(hour * 3600 + min * 60 + sec - offset);
  return { ns: secs * 1_000_000_000n + nsec };
}

/** go-github Timestamp.UnmarshalJSON: an integer is Unix seconds (milliseconds past year 3000), else RFC 3339 in quotes. */
export function goTimestamp(rawJson: string): { ns: bigint } | { error: string } {
  const bin = Buffer.from(rawJson, 'utf8').toString('latin1');
  const i = goParseInt64(bin);
  if (i.error === undefined) {
    // time.Unix(i, 0).Year() > 3000 from 3001-01-01T00:00:00Z on.
    if (i.value >= 32_535_216_000n) return { ns: BigInt.asIntN(64, i.value * 1_000_000n) };
    return { ns: i.value * 1_000_000_000n };
  }
  return parseGoTimestampText(bin);
}

const JSON_SPACE = new Set([' ', '\t', '\n', '\r']);

/** The top-level members of a JSON text already known to be valid: decoded key, raw value. */
function rawMembers(text: string): Array<[string, string]> | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && JSON_SPACE.has(text[i]!)) i++;
  };
  const skipString = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipValue = () => {
    if (text[i] === '"') return skipString();
    if (text[i] === '{' || text[i] === '[') {
      let depth = 0;
      do {
        if (text[i] === '"') {
          skipString();
          continue;
        }
        if (text[i] === '{' || text[i] === '[') depth++;
        else if (text[i] === '}' || text[i] === ']') depth--;
        i++;
      } while (depth > 0 && i < text.length);
      return;
    }
    while (i < text.length && !JSON_SPACE.has(text[i]!) && text[i] !== ',' && text[i] !== '}' && text[i] !== ']') i++;
  };
  ws();
  if (text[i] !== '{') return undefined;
  i++;
  ws();
  const out: Array<[string, string]> = [];
  if (text[i] === '}') return out;
  while (i < text.length) {
    const k0 = i;
    skipString();
    const key = JSON.parse(text.slice(k0, i)) as string;
    ws();
    i++; // ':'
    ws();
    const v0 = i;
    skipValue();
    out.push([key, text.slice(v0, i)]);
    ws();
    if (text[i] !== ',') return out;
    i++;
    ws();
  }
  return out;
}

/**
 * Decodes an installation token reply as go-github does: the token, and expires_at through
 * Timestamp.UnmarshalJSON (null or absent: the zero time). A syntax error comes first, then a
 * Timestamp error (it stops decoding), then a type mismatch.
 */
function decodeInstallationToken(body: string): { token: string; expiresAtNs: bigint | null } | { error: string } {
  const decoded = goDecodeFirst(body, shapes.installationToken);
  if (decoded.error !== undefined && !decoded.error.startsWith('json: cannot unmarshal')) return { error: decoded.error };
  let expiresAtNs: bigint | null = null;
  for (const [key, raw] of rawMembers(body) ?? []) {
    // encoding/json matches field names with EqualFold
    if (!equalFold(key, 'expires_at')) continue;
    if (raw === 'null') {
      expiresAtNs = null;
      continue;
    }
    const t = goTimestamp(raw);
    if ('error' in t) return t;
    expiresAtNs = t.ns;
  }
  if (decoded.error !== undefined) return { error: decoded.error };
  return { token: (decoded.value as { token: string | null } | null)?.token ?? '', expiresAtNs };
}

/** githubapp createInstallationToken: optional app slug, installation lookup, token. */
function* exchangeAppToken(
  app: GitHubAppSettings,
  reflectSlug: boolean,
): Generator<PlannedHttpRequest, { token: string; slug: string; expiresAtNs: bigint | null }, HttpReply> {
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

  // go-github sends a nil options pointer as the JSON body `null`. The reply is judged here
  // rather than by gitHubCall: its expires_at goes through go-github's Timestamp decoder.
  const req = buildGitHubRequest(api, {
    method: 'POST',
    path: `app/installations/${installationID}/access_tokens`,
    body: null,
    preflight: true,
    wrap: (e) => e,
  });
  if ('error' in req) throw new NotifierInitError(req.error);
  const judge = (r: HttpReply) => {
    const err = gitHubReplyError(req.method, req.url, r, undefined);
    if (err !== null) return { error: err };
    return decodeInstallationToken(r.body);
  };
  req.check = (r) => {
    const j = judge(r);
    return 'error' in j ? j.error : null;
  };
  const tok = judge(yield req);
  if ('error' in tok) throw new NotifierInitError(tok.error);
  return { token: tok.token, slug, expiresAtNs: tok.expiresAtNs };
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
    // githubapp GetToken through NC's token cache: a live entry skips the whole exchange (slug
    // included); only a successful exchange is stored.
    const cache = plan.caches?.githubAppTokens;
    const hit = cache?.get(plan.app.cacheKey);
    if (hit) {
      token = hit.token;
      appSlug = hit.slug;
    } else {
      const t = yield* exchangeAppToken(plan.app, plan.fetchUserLogin);
      cache?.set(plan.app.cacheKey, { token: t.token, slug: t.slug }, t.expiresAtNs);
      token = t.token;
      appSlug = t.slug;
    }
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
