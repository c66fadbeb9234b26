// The GitLab REST client as the gitlab and gitlabmergerequestcomment notifiers drive it
// (gitlab client-go: base URL handling, headers, status check and error texts), plus the Go
// runtime behaviour the git-host notifiers share when they read replies: encoding/json decoding
// errors, net/http status texts and strconv integer parsing. Those Go helpers live here because
// this is the one shared module of the git-host notifiers (gitlab*, bitbucket*, azuredevops).

import { goJson } from '../flux/gojson.js';
import { encodeValues, goStrconvQuote, GoURL, GoURLError, parseURL, pathEscape, pathUnescape, queryUnescape } from './gourl.js';
import type { HttpReply, PlannedHttpRequest } from './types.js';
import { NotifierError } from './types.js';
import { goStatusLine, goStatusText } from './gohttp.js';

// ---------------------------------------------------------------------------------------------
// net/http






// ---------------------------------------------------------------------------------------------
// strconv


// ---------------------------------------------------------------------------------------------
// encoding/json: syntax errors

/** Go's quoteChar of the scanner: the offending byte as a quoted rune. */
function quoteByte(b: number): string {
  if (b === 0x27) return `'\\''`;
  if (b === 0x22) return `'"'`;
  const q = goStrconvQuote(String.fromCharCode(b));
  return `'${q.slice(1, -1)}'`;
}

/** First UTF-8 byte of the code point at i (Go's scanner reads bytes). */
function byteAt(s: string, i: number): number {
  const cp = s.codePointAt(i)!;
  if (cp < 0x80) return cp;
  if (cp < 0x800) return 0xc0 | (cp >> 6);
  if (cp < 0x10000) return 0xe0 | (cp >> 12);
  return 0xf0 | (cp >> 18);
}

class JsonSyntax {
  constructor(readonly message: string | null) {} // null: input ended inside the value
}

const isWs = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** Scans one JSON value from i the way Go's scanner does; returns the index after it. */
function scanValue(s: string, i: number): number {
  const err = (at: number, ctx: string) => new JsonSyntax(`invalid character ${quoteByte(byteAt(s, at))} ${ctx}`);
  const eof = new JsonSyntax(null);
  const ws = (k: number) => {
    while (isWs(s[k])) k++;
    return k;
  };
  const value = (k: number): number => {
    if (k >= s.length) throw eof;
    const c = s[k]!;
    if (c === '{') {
      k = ws(k + 1);
      if (k >= s.length) throw eof;
      if (s[k] === '}') return k + 1;
      for (;;) {
        if (k >= s.length) throw eof;
        if (s[k] !== '"') throw err(k, 'looking for beginning of object key string');
        k = ws(scanString(k));
        if (k >= s.length) throw eof;
        if (s[k] !== ':') throw err(k, 'after object key');
        k = ws(value(ws(k + 1)));
        if (k >= s.length) throw eof;
        if (s[k] === '}') return k + 1;
        if (s[k] !== ',') throw err(k, 'after object key:value pair');
        k = ws(k + 1);
      }
    }
    if (c === '[') {
      k = ws(k + 1);
      if (k >= s.length) throw eof;
      if (s[k] === ']') return k + 1;
      for (;;) {
        k = ws(value(k));
        if (k >= s.length) throw eof;
        if (s[k] === ']') return k + 1;
        if (s[k] !== ',') throw err(k, 'after array element');
        k = ws(k + 1);
      }
    }
    if (c === '"') return scanString(k);
    if (c === '-' || isDigit(c)) return scanNumber(k);
    for (const lit of ['true', 'false', 'null']) {
      if (c !== lit[0]) continue;
      for (let j = 1; j < lit.length; j++) {
        if (k + j >= s.length) throw eof;
        if (s[k + j] !== lit[j]) throw err(k + j, `in literal ${lit} (expecting '${lit[j]}')`);
      }
      return k + lit.length;
    }
    throw err(k, 'looking for beginning of value');
  };
  const scanString = (k: number): number => {
    k++;
    for (;;) {
      if (k >= s.length) throw eof;
      const c = s[k]!;
      if (c === '"') return k + 1;
      if (c === '\\') {
        k++;
        if (k >= s.length) throw eof;
        if (s[k] === 'u') {
          for (let j = 1; j <= 4; j++) {
            if (k + j >= s.length) throw eof;
            if (!isHex(s[k + j])) throw err(k + j, 'in \\u hexadecimal character escape');
          }
          k += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(s[k]!)) throw err(k, 'in string escape code');
        k++;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw err(k, 'in string literal');
      k++;
    }
  };
  // A number may end at the end of input (the scanner is then fed a space).
  const scanNumber = (k: number): number => {
    if (s[k] === '-') {
      k++;
      if (k >= s.length) throw eof;
      if (!isDigit(s[k])) throw err(k, 'in numeric literal');
    }
    if (s[k] === '0') k++;
    else while (isDigit(s[k])) k++;
    if (s[k] === '.') {
      k++;
      if (k >= s.length) throw eof;
      if (!isDigit(s[k])) throw err(k, 'after decimal point in numeric literal');
      while (isDigit(s[k])) k++;
    }
    if (s[k] === 'e' || s[k] === 'E') {
      k++;
      if (s[k] === '+' || s[k] === '-') k++;
      if (k >= s.length) throw eof;
      if (!isDigit(s[k])) throw err(k, 'in exponent of numeric literal');
      while (isDigit(s[k])) k++;
    }
    return k;
  };
  return value(ws(i));
}

// ---------------------------------------------------------------------------------------------
// encoding/json: decoding into Go types

/** The Go type a reply is decoded into; `go` is the type's text in Go error messages. */
export type GoType =
  | { kind: 'string'; go?: string }
  | { kind: 'int'; go?: string }
  | { kind: 'uuid' }
  | { kind: 'any' }
  /** `pointers`: every field is a Go pointer (absent or null stays nil) instead of a value. */
  | { kind: 'struct'; go: string; fields: Record<string, GoType>; pointers?: boolean; name?: string }
  /** `ptrElem`: a slice of pointers, where a JSON null element stays nil. */
  | { kind: 'slice'; go: string; elem: GoType; ptrElem?: boolean };

export const goString: GoType = { kind: 'string' };
export const goInt: GoType = { kind: 'int' };
export const goAny: GoType = { kind: 'any' };

function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** google/uuid's Parse: canonical, urn:uuid:, braced or 32 hex digits; lower-cased canonical text. */
function parseUuid(s: string): { value: string } | { error: string } {
  let t = s;
  if (t.length === 45 && t.toLowerCase().startsWith('urn:uuid:')) t = t.slice(9);
  else if (t.length === 38 && t.startsWith('{') && t.endsWith('}')) t = t.slice(1, -1);
  else if (t.length === 32) {
    if (!/^[0-9a-fA-F]{32}$/.test(t)) return { error: 'invalid UUID format' };
    t = `${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`;
  } else if (t.length !== 36) {
    return { error: `invalid UUID length: ${Buffer.byteLength(s, 'utf8')}` };
  }
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(t)) {
    return { error: 'invalid UUID format' };
  }
  return { value: t.toLowerCase() };
}

/** The zero value of a Go value type (nil for pointers, slices, interfaces, uuid arrays stand-in). */
function zero(t: GoType): unknown {
  switch (t.kind) {
    case 'string':
      return '';
    case 'int':
      return 0;
    case 'struct': {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [k, ft] of Object.entries(t.fields)) out[k] = t.pointers ? null : zero(ft);
      return out;
    }
    default:
      return null;
  }
}

/** A JSON value turned into its Go value; JSON null leaves the target untouched (null here). */
function convert(v: unknown, t: GoType, path: string[], structName: string, errs: string[]): unknown {
  const typeError = (what: string, goType: string) => {
    errs.push(
      structName !== '' || path.length > 0
        ? `json: cannot unmarshal ${what} into Go struct field ${structName}.${path.join('.')} of type ${goType}`
        : `json: cannot unmarshal ${what} into Go value of type ${goType}`,
    );
    return null;
  };
  if (v === null) return null;
  switch (t.kind) {
    case 'any':
      return v;
    case 'string':
      return typeof v === 'string' ? v : typeError(jsonKind(v), t.go ?? 'string');
    case 'int':
      if (typeof v !== 'number') return typeError(jsonKind(v), t.go ?? 'int');
      if (!Number.isInteger(v)) return typeError(`number ${v}`, t.go ?? 'int');
      return v;
    case 'uuid': {
      if (typeof v !== 'string') return typeError(jsonKind(v), 'uuid.UUID');
      const u = parseUuid(v);
      if ('error' in u) {
        errs.push(u.error);
        return null;
      }
      return u.value;
    }
    case 'slice': {
      if (!Array.isArray(v)) return typeError(jsonKind(v), t.go);
      return v.map((x) => {
        const el = convert(x, t.elem, path, structName, errs);
        return el === null && !t.ptrElem ? zero(t.elem) : el;
      });
    }
    case 'struct': {
      if (typeof v !== 'object' || Array.isArray(v)) return typeError(jsonKind(v), t.go);
      const out = zero(t) as Record<string, unknown>;
      const name = t.name ?? t.go.slice(t.go.lastIndexOf('.') + 1);
      const obj = v as Record<string, unknown>;
      const names = Object.keys(t.fields);
      for (const key of Object.keys(obj)) {
        // Go matches a key to a field exactly first, then case-insensitively; unknown keys are ignored.
        const field = names.includes(key) ? key : names.find((n) => n.toLowerCase() === key.toLowerCase());
        if (field === undefined) continue;
        const fv = convert(obj[key], t.fields[field]!, [...path, field], name, errs);
        // JSON null leaves a value field at its zero value and a pointer field nil.
        if (fv !== null) out[field] = fv;
      }
      return out;
    }
  }
}

export type GoDecoded = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Decodes a reply body into a Go type: mode `unmarshal` is json.Unmarshal (the whole body must be
 * one value), mode `decoder` is json.NewDecoder(body).Decode (first value only; `EOF` when empty).
 * The error is Go's text: a syntax error, `unexpected end of JSON input` / `unexpected EOF`, or
 * the first type mismatch. Unknown keys are ignored; only the fields listed in `t` are typed.
 */
export function goDecode(body: string, t: GoType, mode: 'unmarshal' | 'decoder'): GoDecoded {
  let start = 0;
  while (isWs(body[start])) start++;
  if (mode === 'decoder' && start >= body.length) return { ok: false, error: 'EOF' };
  let end: number;
  try {
    end = scanValue(body, start);
    if (mode === 'unmarshal') {
      let k = end;
      while (isWs(body[k])) k++;
      if (k < body.length) {
        return { ok: false, error: `invalid character ${quoteByte(byteAt(body, k))} after top-level value` };
      }
    }
  } catch (e) {
    if (!(e instanceof JsonSyntax)) throw e;
    if (e.message !== null) return { ok: false, error: e.message };
    return { ok: false, error: mode === 'unmarshal' ? 'unexpected end of JSON input' : 'unexpected EOF' };
  }
  const raw: unknown = JSON.parse(body.slice(start, end));
  const errs: string[] = [];
  const value = convert(raw, t, [], '', errs);
  if (errs.length > 0) return { ok: false, error: errs[0]! };
  return { ok: true, value };
}

/** Go's nil-pointer panic text, for replies that make upstream dereference a JSON null. */
export const NIL_POINTER_PANIC = 'panic: runtime error: invalid memory address or nil pointer dereference';

// ---------------------------------------------------------------------------------------------
// GitLab client

/** client-go's User-Agent (set by the library, so it is part of the planned request). */
export const GITLAB_USER_AGENT = 'go-gitlab';

/** Status codes client-go accepts (CheckResponse). */
const GITLAB_OK = new Set([200, 201, 202, 204, 304]);

export interface GitLabClient {
  /** The API base, e.g. `https://gitlab.com/api/v4/`. */
  base: GoURL;
  token: string;
}

/**
 * gitlab.NewClient(token, WithBaseURL(host)): a trailing `/` is added, the URL parsed and
 * `api/v4/` appended to its path. Throws NotifierError with url.Parse's text.
 */
export function newGitLabClient(host: string, token: string): GitLabClient {
  const urlStr = host.endsWith('/') ? host : host + '/';
  let base: GoURL;
  try {
    base = parseURL(urlStr);
  } catch (e) {
    if (e instanceof GoURLError) throw new NotifierError(e.message);
    throw e;
  }
  if (!base.path.endsWith('api/v4/')) base.path += 'api/v4/';
  return { base, token };
}

/** client-go's PathEscape of a project id: url.PathEscape with `.` also escaped. */
export function gitlabPathEscape(s: string): string {
  return pathEscape(s).replaceAll('.', '%2E');
}

/** client-go's ErrorResponse text: `<METHOD> <scheme>://<host><unescaped path>: <code>[ <message>]`. */
function gitlabErrorResponse(method: string, u: GoURL, reply: HttpReply): string {
  let path = '';
  try {
    path = queryUnescape(u.path);
  } catch {
    path = ''; // upstream ignores the unescape error and prints an empty path
  }
  const where = `${method} ${u.scheme}://${u.host}${path}: ${reply.status}`;
  const body = reply.body ?? '';
  if (body.trim() === '') return where;
  let raw: unknown;
  try {
    if (!goDecode(body, goAny, 'unmarshal').ok) throw new Error('not JSON');
    raw = JSON.parse(body);
  } catch {
    return `${where} failed to parse unknown error format: ${body}`;
  }
  return `${where} ${gitlabParseError(raw)}`;
}

/** client-go's parseError: strings as is, arrays `[a, b]`, objects `{k: v}` sorted. */
function gitlabParseError(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw)) return `[${raw.map(gitlabParseError).join(', ')}]`;
  if (raw !== null && typeof raw === 'object') {
    const parts = Object.entries(raw as Record<string, unknown>).map(([k, v]) => `{${k}: ${gitlabParseError(v)}}`);
    parts.sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
    return parts.join(', ');
  }
  const goType = raw === null ? '<nil>' : typeof raw === 'number' ? 'float64' : 'bool';
  return `failed to parse unexpected error type: ${goType}`;
}

export interface GitLabCall {
  method: 'GET' | 'POST' | 'PUT';
  /** Path below the API base, already escaped (e.g. `projects/foo%2Fbar/statuses/<sha>`). */
  path: string;
  /** Query options (go-querystring), encoded sorted like url.Values. */
  query?: Array<[string, string]>;
  /** Options struct sent as JSON on POST/PUT (plain object = Go struct, in field order). */
  body?: Record<string, unknown>;
  /** The Go type the reply is decoded into. */
  reply: GoType;
  /** Prefix the notifier puts before the library error (`unable to list commit status: `). */
  wrap?: string;
  preflight?: boolean;
}

/** Judges a reply like client.Do: status check, then decoding; the library's error text or null. */
export function gitlabReplyError(method: string, u: GoURL, reply: HttpReply, t: GoType): string | null {
  if (reply.status === 404) return '404 Not Found';
  if (!GITLAB_OK.has(reply.status)) return gitlabErrorResponse(method, u, reply);
  const d = goDecode(reply.body ?? '', t, 'decoder');
  return d.ok ? null : d.error;
}

/** Plans one client-go call (NewRequest + Do): URL, headers in the order they are set, body. */
export function gitlabRequest(c: GitLabClient, call: GitLabCall): { request: PlannedHttpRequest; url: GoURL } {
  const u = c.base.clone();
  u.rawPath = c.base.path + call.path;
  u.path = c.base.path + pathUnescape(call.path);
  const writes = call.method === 'POST' || call.method === 'PUT';
  if (!writes && call.query && call.query.length > 0) u.rawQuery = encodeValues(call.query);
  const headers: Array<[string, string]> = [
    ['Accept', 'application/json'],
    ['User-Agent', GITLAB_USER_AGENT],
  ];
  if (writes) headers.push(['Content-Type', 'application/json']);
  // Do() adds the token last; Header.Set canonicalises PRIVATE-TOKEN to Private-Token.
  headers.push(['Private-Token', c.token]);
  const wrap = call.wrap ?? '';
  const request: PlannedHttpRequest = {
    kind: 'http',
    method: call.method,
    url: u.toString(),
    headers,
    retry: 'gitlab',
    useProxy: false,
    useTLS: true,
    check: (reply) => {
      const err = gitlabReplyError(call.method, u, reply, call.reply);
      return err === null ? null : wrap + err;
    },
  };
  if (writes && call.body) request.body = goJson(call.body);
  if (call.preflight) request.preflight = true;
  return { request, url: u };
}

/**
 * Yields one call and returns the decoded reply; throws NotifierError with the notifier's text
 * (the wrap prefix and the library error) when the call fails.
 */
export function* gitlabCall(c: GitLabClient, call: GitLabCall): Generator<PlannedHttpRequest, unknown, HttpReply> {
  const { request, url } = gitlabRequest(c, call);
  const reply = yield request;
  const err = gitlabReplyError(call.method, url, reply, call.reply);
  if (err !== null) throw new NotifierError((call.wrap ?? '') + err);
  const d = goDecode(reply.body ?? '', call.reply, 'decoder');
  return d.ok ? d.value : null;
}
