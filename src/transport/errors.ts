// Error values and texts of the transport. Node's fetch reports failures very differently from
// Go's net/http, so a failure is translated into the text a Go client would print (best effort)
// and classified the way go-retryablehttp classifies it (retry or not).

import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import { NotifierError } from '../providers/types.js';

export type TransportErrorKind =
  /** The provider timeout ran out (Go: context deadline exceeded). */
  | 'deadline'
  /** Cancelled from outside (the user quit; Go: context canceled). */
  | 'canceled'
  /** The request could not be completed (connection, TLS, proxy...). */
  | 'transport'
  /** Retries ran out on retryable statuses. */
  | 'exhausted'
  /** The transport could not be set up (bad proxy URL...). */
  | 'config'
  /** The planned request is not of a kind this tool can deliver (non-HTTP transports). */
  | 'unsupported';

export interface TransportErrorInfo {
  kind: TransportErrorKind;
  method?: string;
  url?: string;
  attempts: number;
  /** The HTTP library's own error text, before the caller's wrapping (e.g. without `failed to execute request: `). */
  libraryMessage: string;
  /** The last transport-level cause, Go-style (e.g. `dial tcp 127.0.0.1:9: connect: connection refused`). */
  cause?: string;
}

/**
 * Thrown into the conversation when a request fails at transport level or runs out of retries.
 * Its message is what the controller's code would report for the request's retry policy, so a
 * notifier that does not catch it fails with the controller's text; a notifier that wraps errors
 * differently can catch it and use `info`.
 */
export class TransportError extends NotifierError {
  override name = 'TransportError';
  constructor(
    message: string,
    readonly info: TransportErrorInfo,
  ) {
    super(message);
  }
}

/** Go's strconv.Quote, enough for URLs and error fragments (ASCII control characters escaped). */
export function goStrconvQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** Splits `scheme://userinfo@rest` at the userinfo (Go takes the last `@` of the authority). */
function splitUserinfo(url: string): { prefix: string; user: string; password?: string; rest: string } | null {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s.exec(url);
  if (!m) return null;
  const prefix = m[1]!;
  const authority = m[2]!;
  const tail = m[3]!;
  const at = authority.lastIndexOf('@');
  if (at < 0) return null;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  return {
    prefix,
    user: colon < 0 ? userinfo : userinfo.slice(0, colon),
    ...(colon < 0 ? {} : { password: userinfo.slice(colon + 1) }),
    rest: authority.slice(at + 1) + tail,
  };
}

/** Replaces the URL password (when there is one) with `replacement`, leaving the rest as written. */
export function replaceUrlPassword(url: string, replacement: string): string {
  const p = splitUserinfo(url);
  if (!p || p.password === undefined) return url;
  return `${p.prefix}${p.user}:${replacement}@${p.rest}`;
}

/** go-retryablehttp's redactURL: the password becomes `xxxxx`. */
export function retryableRedactURL(url: string): string {
  return replaceUrlPassword(url, 'xxxxx');
}

/** net/http's url.Error text: `Post "<url, password as ***>": <cause>`. */
export function goUrlErrorText(method: string, url: string, cause: string): string {
  const op = method === '' ? 'Get' : method[0] + method.slice(1).toLowerCase();
  return `${op} ${goStrconvQuote(replaceUrlPassword(url, '***'))}: ${cause}`;
}

/** A failed attempt, described like Go would, with go-retryablehttp's retry verdict. */
export interface TransportFailure {
  text: string;
  retryable: boolean;
}

interface ErrLike {
  name?: string;
  code?: string | number;
  message?: string;
  cause?: unknown;
  errors?: unknown[];
  address?: string;
  port?: number;
  hostname?: string;
  host?: string;
}

/** The chain err → err.cause → … (AggregateError: its first member), outermost first. */
function causeChain(err: unknown): ErrLike[] {
  const out: ErrLike[] = [];
  let cur: unknown = err;
  for (let i = 0; i < 10 && cur && typeof cur === 'object'; i++) {
    const e = cur as ErrLike;
    out.push(e);
    if (e.cause !== undefined) cur = e.cause;
    else if (Array.isArray(e.errors) && e.errors.length > 0) cur = e.errors[0];
    else break;
  }
  return out;
}

const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
]);
const OTHER_CERT = new Set([
  'CERT_REVOKED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'CERT_REJECTED',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
]);

export interface FailureContext {
  /** Target URL host name (for lookup and TLS messages). */
  host: string;
  /** The proxy in use, to tell proxy connection failures apart (Go prefixes `proxyconnect tcp: `). */
  proxy?: { host: string; port: number };
}

/**
 * Translates a fetch failure into Go-like text and go-retryablehttp's verdict: TLS verification,
 * redirect-loop, scheme and header errors are final; everything else is retried.
 */
export function describeFetchError(err: unknown, ctx: FailureContext): TransportFailure {
  const chain = causeChain(err);
  const coded = [...chain].reverse().find((e) => typeof e.code === 'string' && e.code !== '');
  const inner = chain[chain.length - 1] ?? {};
  const code = typeof coded?.code === 'string' ? coded.code : '';
  const addr = coded?.address !== undefined ? `${coded.address}:${coded.port ?? ''}` : ctx.host;
  const p = ctx.proxy;
  const atProxy =
    p !== undefined && coded?.port === p.port && (coded.address === p.host || isIP(p.host.replace(/^\[|\]$/g, '')) === 0);
  const viaProxy = (t: string) => (atProxy ? `proxyconnect tcp: ${t}` : t);

  const tunnel = chain.find((e) => /^Proxy response \((\d+)\) !== 200/.test(e.message ?? ''));
  if (tunnel) {
    const status = Number(/\((\d+)\)/.exec(tunnel.message!)![1]);
    return { text: STATUS_CODES[status] ?? 'unknown status code', retryable: true };
  }
  if (UNKNOWN_AUTHORITY.has(code)) {
    return { text: 'tls: failed to verify certificate: x509: certificate signed by unknown authority', retryable: false };
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return { text: 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid', retryable: false };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return { text: `tls: failed to verify certificate: x509: certificate is not valid for ${ctx.host}`, retryable: false };
  }
  if (OTHER_CERT.has(code)) {
    return { text: `tls: failed to verify certificate: x509: ${coded?.message ?? code}`, retryable: false };
  }
  switch (code) {
    case 'ECONNREFUSED':
      return { text: viaProxy(`dial tcp ${addr}: connect: connection refused`), retryable: true };
    case 'EHOSTUNREACH':
      return { text: viaProxy(`dial tcp ${addr}: connect: no route to host`), retryable: true };
    case 'ENETUNREACH':
      return { text: viaProxy(`dial tcp ${addr}: connect: network is unreachable`), retryable: true };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { text: viaProxy(`dial tcp ${addr}: i/o timeout`), retryable: true };
    case 'ENOTFOUND':
      return { text: `dial tcp: lookup ${coded?.hostname ?? ctx.host}: no such host`, retryable: true };
    case 'EAI_AGAIN':
      return { text: `dial tcp: lookup ${coded?.hostname ?? ctx.host}: server misbehaving`, retryable: true };
    case 'ECONNRESET':
      return { text: 'read: connection reset by peer', retryable: true };
    case 'EPIPE':
      return { text: 'write: broken pipe', retryable: true };
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { text: 'EOF', retryable: true };
  }
  const msg = inner.message ?? String(err);
  if (chain.some((e) => e.message === 'redirect count exceeded')) {
    // Go stops after 10 redirects, fetch after 20: the verdict (no retry) is the same.
    return { text: 'stopped after 10 redirects', retryable: false };
  }
  if (chain.some((e) => e.message === 'bad port')) {
    return { text: 'fetch refuses to connect to this port ("bad port" in the Fetch standard)', retryable: false };
  }
  return { text: msg, retryable: true };
}

/** Why the planned request cannot be sent as is (Go's client fails before any connection), or its parsed URL. */
export function precheckRequest(
  method: string,
  url: string,
  headers: Array<[string, string]>,
  hasBody: boolean,
): TransportFailure | URL {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase() ?? '';
  if (scheme !== 'http' && scheme !== 'https') {
    return { text: `unsupported protocol scheme ${goStrconvQuote(scheme)}`, retryable: false };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { text: 'http: no Host in request URL', retryable: true };
  }
  if (parsed.host === '') return { text: 'http: no Host in request URL', retryable: true };
  if (hasBody && (method === 'GET' || method === 'HEAD')) {
    // Go would send it; fetch cannot, so say so instead of retrying a request that cannot go out.
    return { text: `this tool cannot send a ${method} request with a body (fetch refuses it)`, retryable: false };
  }
  for (const [name, value] of headers) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      return { text: `net/http: invalid header field name ${goStrconvQuote(name)}`, retryable: false };
    }
    // Go refuses control characters other than tab in values.
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
      return { text: `net/http: invalid header field value for ${goStrconvQuote(name)}`, retryable: false };
    }
  }
  return parsed;
}
