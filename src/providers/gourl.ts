// Go's net/url (and path.Join), as the notifiers see it: the controller validates provider
// addresses with url.Parse / url.ParseRequestURI, builds endpoints from the parsed parts, and
// reports errors with *url.Error's text. Behaviour follows Go 1.26 (the toolchain of
// notification-controller v1.9.3): strict colons in http(s) hosts, IPv6 literals checked.
//
// Go strings are byte strings. Internally every Go algorithm here runs on "byte strings" (one
// JS char per byte, i.e. latin1) so that indexes, escapes and error excerpts match Go byte for
// byte; the public fields are ordinary (UTF-8 decoded) strings. A percent-escape that decodes
// to invalid UTF-8 (e.g. `%ff`) becomes U+FFFD in the public field; String() still reproduces
// Go's output because rawPath/rawFragment keep the original escaping in that case.

import { compareUtf8 } from '../flux/gojson.js';

// ---------------------------------------------------------------------------------------------
// Byte-string helpers

/** JS string → byte string (each char is one UTF-8 byte). */
function toBytes(s: string): string {
  // Fast path: pure ASCII is already its own byte string.
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** Byte string → JS string (invalid UTF-8 becomes U+FFFD). */
function fromBytes(b: string): string {
  if (/^[\x00-\x7f]*$/.test(b)) return b;
  return Buffer.from(b, 'latin1').toString('utf8');
}

const LOWER_HEX = '0123456789abcdef';
const UPPER_HEX = '0123456789ABCDEF';

/** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(cp));
}

/** Decodes one UTF-8 rune at `i` of a byte string: [codePoint, width]; invalid → [-1, 1]. */
function decodeRune(b: string, i: number): [number, number] {
  const c0 = b.charCodeAt(i);
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number): number => {
    const c = b.charCodeAt(i + k);
    return c >= 0x80 && c <= 0xbf ? c & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? [-1, 1] : [((c0 & 0x1f) << 6) | c1, 2];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 < 0 || c2 < 0) return [-1, 1];
    const cp = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
    if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return [-1, 1];
    return [cp, 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return [-1, 1];
    const cp = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    if (cp < 0x10000 || cp > 0x10ffff) return [-1, 1];
    return [cp, 4];
  }
  return [-1, 1];
}

/** strconv.Quote of a byte string. */
function quoteBytes(b: string): string {
  let out = '"';
  for (let i = 0; i < b.length; ) {
    const [cp, w] = decodeRune(b, i);
    if (cp < 0) {
      const c = b.charCodeAt(i);
      out += '\\x' + LOWER_HEX[c >> 4]! + LOWER_HEX[c & 15]!;
      i += 1;
      continue;
    }
    i += w;
    if (cp === 0x22 || cp === 0x5c) {
      out += '\\' + String.fromCharCode(cp);
    } else if (isPrint(cp)) {
      out += String.fromCodePoint(cp);
    } else {
      switch (cp) {
        case 0x07: out += '\\a'; break;
        case 0x08: out += '\\b'; break;
        case 0x0c: out += '\\f'; break;
        case 0x0a: out += '\\n'; break;
        case 0x0d: out += '\\r'; break;
        case 0x09: out += '\\t'; break;
        case 0x0b: out += '\\v'; break;
        default:
          if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
          else if (cp < 0x10000) out += '\\u' + hex(cp, 4);
          else out += '\\U' + hex(cp, 8);
      }
    }
  }
  return out + '"';
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Go's strconv.Quote of a (JS) string, as used in Go error texts. */
export function goStrconvQuote(s: string): string {
  return quoteBytes(toBytes(s));
}

// ---------------------------------------------------------------------------------------------
// Errors

/** A failure inside the parser: the text Go's inner error would print. */
class ParseFailure {
  constructor(readonly reason: string) {}
}

/** Go's *url.Error: `<op> "<url>": <reason>` (op is always `parse` here). */
export class GoURLError extends Error {
  override name = 'GoURLError';
  readonly op: string;
  readonly url: string;
  readonly reason: string;
  constructor(op: string, url: string, reason: string) {
    super(`${op} ${goStrconvQuote(url)}: ${reason}`);
    this.op = op;
    this.url = url;
    this.reason = reason;
  }
}

function escapeError(b: string): ParseFailure {
  return new ParseFailure('invalid URL escape ' + quoteBytes(b));
}

// ---------------------------------------------------------------------------------------------
// Escaping (RFC 3986 with Go's choices)

type Mode = 'path' | 'pathSegment' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if (mode === 'host' || mode === 'zone') {
    // Hosts keep sub-delims, ':' and '[]' (port, IPv6) and the few characters Parse rejects anyway.
    if ("!$&'()*+,;=:[]<>\"".includes(ch)) return false;
  }
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case 'path':
        return ch === '?';
      case 'pathSegment':
        return ch === '/' || ch === ';' || ch === ',' || ch === '?';
      case 'userPassword':
        return ch === '@' || ch === '/' || ch === '?' || ch === ':';
      case 'queryComponent':
        return true;
      case 'fragment':
        return false;
      default:
        break;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return 0;
}

/** Go's unescape on a byte string; returns the decoded byte string or a failure. */
function unescapeB(s: string, mode: Mode): string | ParseFailure {
  let n = 0;
  let hasPlus = false;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      n++;
      if (i + 2 >= s.length || !isHexDigit(s.charCodeAt(i + 1)) || !isHexDigit(s.charCodeAt(i + 2))) {
        return escapeError(s.slice(i, i + 3));
      }
      // In a host only non-ASCII bytes may be %-encoded, except %25 (the IPv6 zone marker).
      if (mode === 'host' && unhex(s.charCodeAt(i + 1)) < 8 && s.slice(i, i + 3) !== '%25') {
        return escapeError(s.slice(i, i + 3));
      }
      if (mode === 'zone') {
        const v = (unhex(s.charCodeAt(i + 1)) << 4) | unhex(s.charCodeAt(i + 2));
        if (s.slice(i, i + 3) !== '%25' && v !== 0x20 && shouldEscape(v, 'host')) {
          return escapeError(s.slice(i, i + 3));
        }
      }
      i += 3;
    } else if (c === 0x2b) {
      hasPlus = mode === 'queryComponent';
      i++;
    } else {
      if ((mode === 'host' || mode === 'zone') && c < 0x80 && shouldEscape(c, mode)) {
        return new ParseFailure('invalid character ' + quoteBytes(s[i]!) + ' in host name');
      }
      i++;
    }
  }
  if (n === 0 && !hasPlus) return s;
  let t = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      t += String.fromCharCode((unhex(s.charCodeAt(i + 1)) << 4) | unhex(s.charCodeAt(i + 2)));
      i += 2;
    } else if (c === 0x2b) {
      t += mode === 'queryComponent' ? ' ' : '+';
    } else {
      t += s[i]!;
    }
  }
  return t;
}

/** Go's escape on a byte string (uppercase hex). */
function escapeB(s: string, mode: Mode): string {
  let t = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 && mode === 'queryComponent') t += '+';
    else if (shouldEscape(c, mode)) t += '%' + UPPER_HEX[c >> 4]! + UPPER_HEX[c & 15]!;
    else t += s[i]!;
  }
  return t;
}

/** url.QueryEscape: unreserved kept, space → `+`, everything else `%XX` (uppercase). */
export function queryEscape(s: string): string {
  return escapeB(toBytes(s), 'queryComponent');
}

/** url.PathEscape: escapes for one path segment (so `/` becomes %2F, space %20). */
export function pathEscape(s: string): string {
  return escapeB(toBytes(s), 'pathSegment');
}

/** url.QueryUnescape; throws Error with Go's text (`invalid URL escape "%zz"`) on bad escapes. */
export function queryUnescape(s: string): string {
  const r = unescapeB(toBytes(s), 'queryComponent');
  if (r instanceof ParseFailure) throw new Error(r.reason);
  return fromBytes(r);
}

/** url.PathUnescape (like queryUnescape but `+` stays `+`). */
export function pathUnescape(s: string): string {
  const r = unescapeB(toBytes(s), 'pathSegment');
  if (r instanceof ParseFailure) throw new Error(r.reason);
  return fromBytes(r);
}

/**
 * url.Values.Encode: keys sorted by bytes, each key's values in the given order,
 * `key=value` pairs joined by `&`, both sides query-escaped.
 */
export function encodeValues(entries: Array<[string, string]> | ReadonlyArray<readonly [string, string]>): string {
  const byKey = new Map<string, string[]>();
  for (const [k, v] of entries) {
    const list = byKey.get(k);
    if (list) list.push(v);
    else byKey.set(k, [v]);
  }
  const keys = [...byKey.keys()].sort(compareUtf8);
  const parts: string[] = [];
  for (const k of keys) {
    const ke = queryEscape(k);
    for (const v of byKey.get(k)!) parts.push(ke + '=' + queryEscape(v));
  }
  return parts.join('&');
}

/** Above this many `&`-separated parameters Go's ParseQuery gives up (GODEBUG urlmaxqueryparams). */
const MAX_QUERY_PARAMS = 10000;

/**
 * url.ParseQuery, keeping the pairs in their order of appearance (Go groups them per key in a
 * map; group with encodeValues or a Map if needed). Malformed pairs are skipped as Query() does;
 * `error` is the first problem Go would report.
 */
export function parseQuery(query: string): { values: Array<[string, string]>; error?: string } {
  const values: Array<[string, string]> = [];
  let error: string | undefined;
  const qb = toBytes(query);
  if (qb.split('&').length > MAX_QUERY_PARAMS) {
    return { values, error: 'number of URL query parameters exceeded limit' };
  }
  let rest = qb;
  while (rest !== '') {
    let key: string;
    const amp = rest.indexOf('&');
    if (amp >= 0) {
      key = rest.slice(0, amp);
      rest = rest.slice(amp + 1);
    } else {
      key = rest;
      rest = '';
    }
    if (key.includes(';')) {
      // Go overwrites the error here (the last semicolon wins), unlike escape errors.
      error = 'invalid semicolon separator in query';
      continue;
    }
    if (key === '') continue;
    const eq = key.indexOf('=');
    const rawK = eq >= 0 ? key.slice(0, eq) : key;
    const rawV = eq >= 0 ? key.slice(eq + 1) : '';
    const k = unescapeB(rawK, 'queryComponent');
    if (k instanceof ParseFailure) {
      error ??= k.reason;
      continue;
    }
    const v = unescapeB(rawV, 'queryComponent');
    if (v instanceof ParseFailure) {
      error ??= v.reason;
      continue;
    }
    values.push([fromBytes(k), fromBytes(v)]);
  }
  return error === undefined ? { values } : { values, error };
}

// ---------------------------------------------------------------------------------------------
// IPv6 literal validation (net/netip ParseAddr), used for bracketed hosts

function addrError(input: string, msg: string, at = ''): ParseFailure {
  const base = `ParseAddr(${quoteBytes(input)}): ${msg}`;
  return new ParseFailure(at !== '' ? `${base} (at ${quoteBytes(at)})` : base);
}

/** Returns 4 or 6 for a valid address, or the ParseAddr error. */
function parseAddr(s: string): 4 | 6 | ParseFailure {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '.') return parseIPv4(s) ?? 4;
    if (c === ':') return parseIPv6(s);
    if (c === '%') return addrError(s, 'missing IPv6 address');
  }
  return addrError(s, 'unable to parse IP');
}

/** netip parseIPv4: undefined when valid, else the ParseAddr error. */
function parseIPv4(s: string): ParseFailure | undefined {
  let val = 0;
  let pos = 0;
  let digLen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (digLen === 1 && val === 0) return addrError(s, 'IPv4 field has octet with leading zero');
      val = val * 10 + (c - 0x30);
      digLen++;
      if (val > 255) return addrError(s, 'IPv4 field has value >255');
    } else if (c === 0x2e) {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') {
        return addrError(s, 'IPv4 field must have at least one digit', s.slice(i));
      }
      if (pos === 3) return addrError(s, 'IPv4 address too long');
      pos++;
      val = 0;
      digLen = 0;
    } else {
      return addrError(s, 'unexpected character', s.slice(i));
    }
  }
  if (pos < 3) return addrError(s, 'IPv4 address too short');
  return undefined;
}

function parseIPv6(input: string): 6 | ParseFailure {
  let s = input;
  const pct = s.indexOf('%');
  if (pct !== -1) {
    if (s.slice(pct + 1) === '') return addrError(input, 'zone must be a non-empty string');
    s = s.slice(0, pct);
  }
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return 6;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const c = s.charCodeAt(off);
      if (!isHexDigit(c)) break;
      acc = acc * 16 + unhex(c);
      if (acc > 0xffff) return addrError(input, 'IPv6 field has value >=2^16', s);
    }
    if (off === 0) return addrError(input, 'each colon-separated field must have at least one digit', s);
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) {
        return addrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      }
      if (i + 4 > 16) {
        return addrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      }
      const e4 = parseIPv4(s);
      if (e4) return addrError(input, e4.reason, s);
      s = '';
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':') return addrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) return addrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return addrError(input, 'multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return addrError(input, 'trailing garbage after address', s);
  if (i < 16) {
    if (ellipsis < 0) return addrError(input, 'address string too short');
  } else if (ellipsis >= 0) {
    return addrError(input, 'the :: must expand to at least one field of zeros');
  }
  return 6;
}

// ---------------------------------------------------------------------------------------------
// The URL

export interface GoUserinfo {
  username: string;
  password: string;
  passwordSet: boolean;
}

/** Byte-level result of parsing (all strings are byte strings). */
interface RawURL {
  scheme: string;
  opaque: string;
  user: GoUserinfo | undefined;
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

function emptyRaw(): RawURL {
  return {
    scheme: '',
    opaque: '',
    user: undefined,
    host: '',
    path: '',
    rawPath: '',
    omitHost: false,
    forceQuery: false,
    rawQuery: '',
    fragment: '',
    rawFragment: '',
  };
}

/** validEncoded: s may be used verbatim as the escaped form of a path or fragment. */
function validEncoded(s: string, mode: Mode): boolean {
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if ("!$&'()*+,;=:@[]%".includes(ch)) continue;
    if (shouldEscape(s.charCodeAt(i), mode)) return false;
  }
  return true;
}

function escapedPathB(path: string, rawPath: string): string {
  if (rawPath !== '' && validEncoded(rawPath, 'path')) {
    const p = unescapeB(rawPath, 'path');
    if (!(p instanceof ParseFailure) && p === path) return rawPath;
  }
  if (path === '*') return '*'; // kept verbatim (Go issue 11202)
  return escapeB(path, 'path');
}

function escapedFragmentB(fragment: string, rawFragment: string): string {
  if (rawFragment !== '' && validEncoded(rawFragment, 'fragment')) {
    const f = unescapeB(rawFragment, 'fragment');
    if (!(f instanceof ParseFailure) && f === fragment) return rawFragment;
  }
  return escapeB(fragment, 'fragment');
}

/**
 * Go's exact bytes of fields that decoded to invalid UTF-8 (e.g. a path with `%ff`), per URL, so
 * that an unchanged field serialises as Go would; a field changed by the caller is re-encoded.
 */
const EXACT = new WeakMap<GoURL, Map<string, readonly [decoded: string, bytes: string]>>();

const FIELD_NAMES = [
  'scheme',
  'opaque',
  'user',
  'host',
  'path',
  'rawPath',
  'omitHost',
  'forceQuery',
  'rawQuery',
  'fragment',
  'rawFragment',
] as const;

/** A parsed URL with Go's url.URL fields and methods. Fields may be changed before toString(). */
export class GoURL {
  scheme = '';
  opaque = '';
  user: GoUserinfo | undefined = undefined;
  host = '';
  path = '';
  rawPath = '';
  /** The URL had an empty authority after the scheme, e.g. `file:/x` (Go's OmitHost). */
  omitHost = false;
  forceQuery = false;
  rawQuery = '';
  fragment = '';
  rawFragment = '';

  constructor(init?: Partial<GoURL>) {
    if (init) {
      for (const k of FIELD_NAMES) {
        if (init[k] !== undefined) (this as Record<string, unknown>)[k] = init[k];
      }
    }
  }

  /** Copies every field (the user info too). */
  clone(): GoURL {
    const c = new GoURL(this);
    if (this.user) c.user = { ...this.user };
    const e = EXACT.get(this);
    if (e) EXACT.set(c, new Map(e));
    return c;
  }

  private bytesOf(name: string, value: string): string {
    const e = EXACT.get(this)?.get(name);
    return e && e[0] === value ? e[1] : toBytes(value);
  }

  private toRaw(): RawURL {
    return {
      scheme: toBytes(this.scheme),
      opaque: this.bytesOf('opaque', this.opaque),
      user: this.user
        ? {
            username: this.bytesOf('username', this.user.username),
            password: this.bytesOf('password', this.user.password),
            passwordSet: this.user.passwordSet,
          }
        : undefined,
      host: this.bytesOf('host', this.host),
      path: this.bytesOf('path', this.path),
      rawPath: this.bytesOf('rawPath', this.rawPath),
      omitHost: this.omitHost,
      forceQuery: this.forceQuery,
      rawQuery: this.bytesOf('rawQuery', this.rawQuery),
      fragment: this.bytesOf('fragment', this.fragment),
      rawFragment: this.bytesOf('rawFragment', this.rawFragment),
    };
  }

  /** URL.EscapedPath. */
  escapedPath(): string {
    return fromBytes(escapedPathB(this.bytesOf('path', this.path), this.bytesOf('rawPath', this.rawPath)));
  }

  /** URL.EscapedFragment. */
  escapedFragment(): string {
    return fromBytes(
      escapedFragmentB(this.bytesOf('fragment', this.fragment), this.bytesOf('rawFragment', this.rawFragment)),
    );
  }

  /** URL.String. */
  toString(): string {
    return fromBytes(stringB(this.toRaw()));
  }

  /** URL.Redacted: like toString with a set password replaced by `xxxxx`. */
  redacted(): string {
    const r = this.toRaw();
    if (r.user && r.user.passwordSet) r.user = { username: r.user.username, password: 'xxxxx', passwordSet: true };
    return fromBytes(stringB(r));
  }

  /** URL.Hostname: the host without a valid numeric port and without IPv6 brackets. */
  hostname(): string {
    return splitHostPort(this.host)[0];
  }

  /** URL.Port: the numeric port, or `` when there is none. */
  port(): string {
    return splitHostPort(this.host)[1];
  }

  /** URL.IsAbs. */
  isAbs(): boolean {
    return this.scheme !== '';
  }

  /** URL.RequestURI: path?query (or opaque?query), `/` for an empty path. */
  requestURI(): string {
    let result = this.opaque;
    if (result === '') {
      result = this.escapedPath();
      if (result === '') result = '/';
    } else if (result.startsWith('//')) {
      result = this.scheme + ':' + result;
    }
    if (this.forceQuery || this.rawQuery !== '') result += '?' + this.rawQuery;
    return result;
  }

  /** URL.Query: the decoded query pairs in order of appearance (malformed pairs dropped). */
  query(): Array<[string, string]> {
    return parseQuery(this.rawQuery).values;
  }

  /** URL.JoinPath: appends path elements and cleans `.`/`..`, keeping a trailing slash. */
  joinPath(...elem: string[]): GoURL {
    const r = this.toRaw();
    const all = [escapedPathB(r.path, r.rawPath), ...elem.map(toBytes)];
    let p: string;
    if (!all[0]!.startsWith('/')) {
      // A relative URL stays relative, but no `..` may climb out of it.
      all[0] = '/' + all[0]!;
      p = pathJoinB(all).slice(1);
    } else {
      p = pathJoinB(all);
    }
    if (all[all.length - 1]!.endsWith('/') && !p.endsWith('/')) p += '/';
    const out = this.clone();
    const set = setPathB(p);
    if (set instanceof ParseFailure) throw new Error(set.reason);
    out.path = fromBytes(set.path);
    out.rawPath = fromBytes(set.rawPath);
    const exact = new Map(EXACT.get(this));
    exact.set('path', [out.path, set.path]);
    exact.set('rawPath', [out.rawPath, set.rawPath]);
    EXACT.set(out, exact);
    return out;
  }
}

function stringB(u: RawURL): string {
  let buf = '';
  if (u.scheme !== '') buf += u.scheme + ':';
  if (u.opaque !== '') {
    buf += u.opaque;
  } else {
    const noAuthority = u.omitHost && u.host === '' && u.user === undefined;
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (!noAuthority) {
        if (u.host !== '' || u.path !== '' || u.user !== undefined) buf += '//';
        if (u.user) {
          let ui = escapeB(u.user.username, 'userPassword');
          if (u.user.passwordSet) ui += ':' + escapeB(u.user.password, 'userPassword');
          buf += ui + '@';
        }
        if (u.host !== '') buf += escapeB(u.host, 'host');
      }
    }
    let path = escapedPathB(u.path, u.rawPath);
    if (noAuthority && path.startsWith('//')) {
      // Without an authority a leading `//` would read back as a host: escape the first slash.
      buf += '%2F';
      path = path.slice(1);
    }
    if (path !== '' && path[0] !== '/' && u.host !== '') buf += '/';
    if (buf.length === 0) {
      // A relative path whose first segment has a colon would read back as a scheme.
      const seg = path.split('/')[0]!;
      if (seg.includes(':')) buf += './';
    }
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') buf += '#' + escapedFragmentB(u.fragment, u.rawFragment);
  return buf;
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  for (let i = 1; i < port.length; i++) {
    const c = port.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function splitHostPort(hostPort: string): [string, string] {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return [host, port];
}

function getScheme(raw: string): { scheme: string; rest: string } | ParseFailure {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) return new ParseFailure('missing protocol scheme');
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

function containsCTLByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function validUserinfo(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isAlnum(c)) continue;
    if ("-._:~!$&'()*+,;=%@".includes(s[i]!)) continue;
    return false;
  }
  return true;
}

function setPathB(p: string): { path: string; rawPath: string } | ParseFailure {
  const path = unescapeB(p, 'path');
  if (path instanceof ParseFailure) return path;
  return { path, rawPath: escapeB(path, 'path') === p ? '' : p };
}

function parseHost(scheme: string, host: string): string | ParseFailure {
  const open = host.lastIndexOf('[');
  if (open > 0) return new ParseFailure('invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) return new ParseFailure("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) {
      return new ParseFailure(`invalid port ${quoteBytes(colonPort)} after host`);
    }
    const port = unescapeB(colonPort, 'host');
    if (port instanceof ParseFailure) return port;
    const name = host.slice(1, close);
    let unescaped: string;
    const zone = name.indexOf('%25');
    if (zone >= 0) {
      const a = unescapeB(name.slice(0, zone), 'host');
      if (a instanceof ParseFailure) return a;
      const z = unescapeB(name.slice(zone), 'zone');
      if (z instanceof ParseFailure) return z;
      unescaped = a + z;
    } else {
      const a = unescapeB(name, 'host');
      if (a instanceof ParseFailure) return a;
      unescaped = a;
    }
    // Only an IPv6 address may sit between brackets.
    const kind = parseAddr(unescaped);
    if (kind instanceof ParseFailure) return new ParseFailure('invalid host: ' + kind.reason);
    if (kind === 4) return new ParseFailure('invalid IP-literal');
    return '[' + unescaped + ']' + port;
  }
  let i = host.indexOf(':');
  if (i !== -1) {
    const last = host.lastIndexOf(':');
    // Go 1.26 rejects a second colon in http(s) hosts; other schemes keep the old
    // "last colon starts the port" reading (database URLs list several hosts).
    if (last !== i && scheme !== 'http' && scheme !== 'https') i = last;
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) {
      return new ParseFailure(`invalid port ${quoteBytes(colonPort)} after host`);
    }
  }
  return unescapeB(host, 'host');
}

function parseAuthority(
  scheme: string,
  authority: string,
): { user: GoUserinfo | undefined; host: string } | ParseFailure {
  const at = authority.lastIndexOf('@');
  const host = parseHost(scheme, at < 0 ? authority : authority.slice(at + 1));
  if (host instanceof ParseFailure) return host;
  if (at < 0) return { user: undefined, host };
  const userinfo = authority.slice(0, at);
  if (!validUserinfo(userinfo)) return new ParseFailure('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) {
    const name = unescapeB(userinfo, 'userPassword');
    if (name instanceof ParseFailure) return name;
    return { user: { username: name, password: '', passwordSet: false }, host };
  }
  const name = unescapeB(userinfo.slice(0, colon), 'userPassword');
  if (name instanceof ParseFailure) return name;
  const pass = unescapeB(userinfo.slice(colon + 1), 'userPassword');
  if (pass instanceof ParseFailure) return pass;
  return { user: { username: name, password: pass, passwordSet: true }, host };
}

function parseB(raw: string, viaRequest: boolean): RawURL | ParseFailure {
  if (containsCTLByte(raw)) return new ParseFailure('net/url: invalid control character in URL');
  if (raw === '' && viaRequest) return new ParseFailure('empty url');
  const u = emptyRaw();
  if (raw === '*') {
    u.path = '*';
    return u;
  }
  const sch = getScheme(raw);
  if (sch instanceof ParseFailure) return sch;
  u.scheme = sch.scheme.toLowerCase();
  let rest = sch.rest;
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      // scheme:rootless-path is opaque (RFC 3986).
      u.opaque = rest;
      return u;
    }
    if (viaRequest) return new ParseFailure('invalid URI for request');
    // A colon in the first segment of a relative path would be mistaken for a scheme.
    const seg = rest.split('/')[0]!;
    if (seg.includes(':')) return new ParseFailure('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const a = parseAuthority(u.scheme, authority);
    if (a instanceof ParseFailure) return a;
    u.user = a.user;
    u.host = a.host;
  } else if (u.scheme !== '' && rest.startsWith('/')) {
    u.omitHost = true;
  }
  const p = setPathB(rest);
  if (p instanceof ParseFailure) return p;
  u.path = p.path;
  u.rawPath = p.rawPath;
  return u;
}

/** Builds the public URL; remembers Go's bytes where decoding them to a string was lossy. */
function fromRaw(r: RawURL): GoURL {
  const u = new GoURL();
  const exact = new Map<string, readonly [string, string]>();
  const keep = (name: string, b: string): string => {
    const d = fromBytes(b);
    if (toBytes(d) !== b) exact.set(name, [d, b]);
    return d;
  };
  u.scheme = fromBytes(r.scheme);
  u.opaque = keep('opaque', r.opaque);
  u.user = r.user
    ? {
        username: keep('username', r.user.username),
        password: keep('password', r.user.password),
        passwordSet: r.user.passwordSet,
      }
    : undefined;
  u.host = keep('host', r.host);
  u.path = keep('path', r.path);
  u.rawPath = keep('rawPath', r.rawPath);
  u.omitHost = r.omitHost;
  u.forceQuery = r.forceQuery;
  u.rawQuery = keep('rawQuery', r.rawQuery);
  u.fragment = keep('fragment', r.fragment);
  u.rawFragment = keep('rawFragment', r.rawFragment);
  if (exact.size > 0) EXACT.set(u, exact);
  return u;
}

/** url.Parse: absolute or relative URL, with an optional #fragment. Throws GoURLError. */
export function parseURL(raw: string): GoURL {
  const rb = toBytes(raw);
  const hashAt = rb.indexOf('#');
  const beforeHash = hashAt >= 0 ? rb.slice(0, hashAt) : rb;
  const r = parseB(beforeHash, false);
  if (r instanceof ParseFailure) throw new GoURLError('parse', fromBytes(beforeHash), r.reason);
  if (hashAt >= 0) {
    const f = rb.slice(hashAt + 1);
    if (f !== '') {
      const frag = unescapeB(f, 'fragment');
      if (frag instanceof ParseFailure) throw new GoURLError('parse', raw, frag.reason);
      r.fragment = frag;
      r.rawFragment = escapeB(frag, 'fragment') === f ? '' : f;
    }
  }
  return fromRaw(r);
}

/**
 * url.ParseRequestURI: an absolute URL or an absolute path, no fragment handling (a `#` is
 * part of the path or query). Throws GoURLError.
 */
export function parseRequestURI(raw: string): GoURL {
  const r = parseB(toBytes(raw), true);
  if (r instanceof ParseFailure) throw new GoURLError('parse', raw, r.reason);
  return fromRaw(r);
}

// ---------------------------------------------------------------------------------------------
// path.Join / path.Clean (slash-separated, lexical)

/** Go's path.Clean. */
export function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const n = p.length;
  let out = rooted ? '/' : '';
  let r = rooted ? 1 : 0;
  let dotdot = rooted ? 1 : 0; // where `..` can no longer backtrack
  while (r < n) {
    if (p[r] === '/') {
      r++;
    } else if (p[r] === '.' && (r + 1 === n || p[r + 1] === '/')) {
      r++;
    } else if (p[r] === '.' && p[r + 1] === '.' && (r + 2 === n || p[r + 2] === '/')) {
      r += 2;
      if (out.length > dotdot) {
        let w = out.length - 1;
        while (w > dotdot && out[w] !== '/') w--;
        out = out.slice(0, w);
      } else if (!rooted) {
        if (out.length > 0) out += '/';
        out += '..';
        dotdot = out.length;
      }
    } else {
      if ((rooted && out.length !== 1) || (!rooted && out.length !== 0)) out += '/';
      while (r < n && p[r] !== '/') out += p[r++]!;
    }
  }
  return out === '' ? '.' : out;
}

function pathJoinB(elems: string[]): string {
  const nonEmpty = elems.filter((e) => e !== '');
  if (nonEmpty.length === 0) return '';
  return pathClean(nonEmpty.join('/'));
}

/** Go's path.Join: joins the non-empty elements with `/` and cleans; all empty → ``. */
export function pathJoin(...elems: string[]): string {
  return pathJoinB(elems);
}
