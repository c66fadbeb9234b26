// Two kinds of masking:
// - maskTokenFromString: what notification-controller does to an async send error before it logs
//   it and records the Warning event (fluxcd/pkg masktoken, spec §6.6). Its quirks are reproduced
//   with an RE2 engine because the controller builds a Go regexp from the token.
// - maskSecrets: our own, stricter masking of every secret value before anything is printed.

import { RE2JS } from 're2js';
import type { NotifierOptions } from '../providers/types.js';
import { replaceUrlPassword } from './errors.js';

export const MASK = '*****';

/** Go's regexp.QuoteMeta: a backslash before each of \.+*?()|[]{}^$ . */
export function goQuoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** The controller's masking failed: its message replaces the original error text (spec §6.6). */
export class MaskTokenError extends Error {
  override name = 'MaskTokenError';
}

/** Byte offset of the first byte that Go's utf8.DecodeRune would reject, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) i += 1;
    else if (c >= 0xc2 && c <= 0xdf && cont(1)) i += 2;
    else if (c === 0xe0 && cont(1, 0xa0) && cont(2)) i += 3;
    else if (((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) && cont(1) && cont(2)) i += 3;
    else if (c === 0xed && cont(1, 0x80, 0x9f) && cont(2)) i += 3;
    else if (c === 0xf0 && cont(1, 0x90) && cont(2) && cont(3)) i += 4;
    else if (c >= 0xf1 && c <= 0xf3 && cont(1) && cont(2) && cont(3)) i += 4;
    else if (c === 0xf4 && cont(1, 0x80, 0x8f) && cont(2) && cont(3)) i += 4;
    else return i;
  }
  return -1;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function tokenBytes(token: string | Uint8Array): Uint8Array {
  return typeof token === 'string' ? Buffer.from(token, 'utf8') : token;
}

/**
 * fluxcd/pkg masktoken.MaskTokenFromString: every match of the regexp "<quoted token>*" is replaced
 * by `*****`. The `*` binds to the token's last character, so the token minus its last character
 * is masked too and repeats of that character are swallowed (spec §8 item 42). A one-character
 * token matches the empty string, so `*****` lands between every character, as in Go.
 * A token that is not valid UTF-8 cannot be compiled: MaskTokenError with Go's compile error.
 */
export function maskTokenFromString(log: string, token: string | Uint8Array): string {
  const bytes = tokenBytes(token);
  if (bytes.length === 0) return log;
  const quoted = goQuoteMeta(Buffer.from(bytes).toString('latin1')); // byte-wise, like Go
  const patternBytes = Buffer.from(quoted + '*', 'latin1');
  const bad = firstInvalidUtf8(patternBytes);
  if (bad >= 0 || (typeof token === 'string' && LONE_SURROGATE.test(token))) {
    // Go reports the pattern from the offending byte on; shown here with U+FFFD for the bad bytes.
    const expr = bad >= 0 ? new TextDecoder().decode(patternBytes.subarray(bad)) : goQuoteMeta(token as string) + '*';
    throw new MaskTokenError(`error parsing regexp: invalid UTF-8: \`${expr}\``);
  }
  const pattern = patternBytes.toString('utf8');
  // RE2's replaceAll (not the Java-style Matcher one): an empty match right after a match is skipped, as in Go.
  return RE2JS.compile(pattern).re2().replaceAll(log, MASK);
}

/**
 * The error text the controller records for a failed async send: the token-masked text, or the
 * masking error when the token cannot be compiled. The token is trimmed first, as the controller does.
 */
export function controllerErrorText(errText: string, token: string | Uint8Array | undefined): string {
  if (token === undefined) return errText;
  try {
    return maskTokenFromString(errText, goTrimSpaceToken(token));
  } catch (e) {
    if (e instanceof MaskTokenError) return e.message;
    throw e;
  }
}

const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** Go's strings.TrimSpace (Unicode White_Space; unlike String.prototype.trim it keeps U+FEFF). */
export function goTrimSpace(s: string): string {
  return s.replace(GO_SPACE, '');
}

function goTrimSpaceToken(token: string | Uint8Array): string | Uint8Array {
  if (typeof token === 'string') return goTrimSpace(token);
  if (firstInvalidUtf8(token) < 0) return goTrimSpace(Buffer.from(token).toString('utf8'));
  // Not UTF-8: only ASCII spaces can be recognised at the ends.
  let a = 0;
  let b = token.length;
  const sp = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
  while (a < b && sp(token[a]!)) a++;
  while (b > a && sp(token[b - 1]!)) b--;
  return token.subarray(a, b);
}

const URL_WITH_PASSWORD = /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#]*@/g;
// Markers Go itself writes in place of a URL password: keeping them keeps the controller's text readable.
const GO_REDACTIONS = new Set(['xxxxx', '***', MASK]);

/**
 * Our display masking: every occurrence of each secret value, and any password in URL user-info,
 * becomes `*****`. Longer secrets go first so that a secret containing another is masked whole.
 */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  let out = text.replace(URL_WITH_PASSWORD, (m) => {
    const at = m.lastIndexOf('@');
    const colon = m.indexOf(':', m.indexOf('://') + 3);
    const pw = m.slice(colon + 1, at);
    return pw === '' || GO_REDACTIONS.has(pw) ? m : replaceUrlPassword(m, MASK);
  });
  const list = [...new Set([...secrets].filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  for (const s of list) out = out.split(s).join(MASK);
  return out;
}

const SENSITIVE_HEADER = /auth|token|key|secret|password|signature|cookie|session|credential/i;

function urlPasswords(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    if (u.password === '') return [];
    return [u.password, decodeURIComponent(u.password)];
  } catch {
    return [];
  }
}

/**
 * The secret values of a provider's options that must never be printed: the token (raw and
 * trimmed) and its Basic-auth encodings, the password and its Basic-auth encoding, URL passwords (address and proxy), the
 * TLS private key and the values of secret headers whose names suggest credentials.
 */
export function secretsOf(o: Partial<NotifierOptions>): string[] {
  const out: string[] = [];
  const add = (v: string | undefined) => {
    if (v) out.push(v);
  };
  add(o.token);
  add(o.token === undefined ? undefined : goTrimSpace(o.token));
  add(o.password);
  const basic = (v: string) => Buffer.from(v, 'utf8').toString('base64');
  if (o.password) add(basic(`${o.username ?? ''}:${o.password}`));
  if (o.token) {
    // Providers that send the token as Basic auth: Azure DevOps (":" + PAT), Bitbucket (the
    // token is "user:app-password"), and a username with the token as password.
    add(basic(`:${o.token}`));
    add(basic(o.token));
    if (o.username) add(basic(`${o.username}:${o.token}`));
  }
  for (const p of [...urlPasswords(o.url), ...urlPasswords(o.proxyURL)]) add(p);
  add(o.tls?.key);
  for (const [k, v] of Object.entries(o.headers ?? {})) if (SENSITIVE_HEADER.test(k)) add(v);
  return out;
}
