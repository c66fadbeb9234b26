// The shared HTTP sender of notification-controller (internal/notifier/client.go, providers §3.4),
// as pure request planning. Retrying is the transport's job (retry: 'retryablehttp'); this module
// builds the request and judges the final reply with the controller's texts.

import { goJson } from '../flux/gojson.js';
import { GoURLError, parseURL } from './gourl.js';
import type { HttpReply, PlannedHttpRequest } from './types.js';
import { NotifierError } from './types.js';

export interface SharedPostOptions {
  /** Already-encoded body and its content type (Zulip's form); default: goJson(payload), application/json. */
  raw?: { body: string; contentType: string };
  /** Basic auth credentials passed to the sender (zulip). Sent when either is non-empty. */
  basicAuth?: { username: string; password: string };
  /** Headers added by the provider's request modifier, in order, after Content-Type and auth. */
  extraHeaders?: Array<[string, string]>;
  /** Replaces the default 2xx validator (Slack's API mode). Returns the error text or null. */
  validate?: (reply: HttpReply) => string | null;
  method?: string;
  useProxy?: boolean;
  useTLS?: boolean;
}

/** Default validator: any 2xx; otherwise `request failed with status code <n>: <body>`. */
export function validate2xx(reply: HttpReply): string | null {
  if (reply.status >= 200 && reply.status < 300) return null;
  return `request failed with status code ${reply.status}: ${reply.body}`;
}

export function basicAuthValue(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/** Plans the request the shared sender would make for `payload`. */
export function sharedPost(url: string, payload: unknown, o: SharedPostOptions = {}): PlannedHttpRequest {
  const body = o.raw ? o.raw.body : goJson(payload);
  const headers: Array<[string, string]> = [['Content-Type', o.raw ? o.raw.contentType : 'application/json']];
  if (o.basicAuth && (o.basicAuth.username !== '' || o.basicAuth.password !== '')) {
    headers.push(['Authorization', basicAuthValue(o.basicAuth.username, o.basicAuth.password)]);
  }
  for (const [k, v] of o.extraHeaders ?? []) setHeader(headers, k, v);
  const validate = o.validate ?? validate2xx;
  return {
    kind: 'http',
    method: o.method ?? 'POST',
    url,
    headers,
    body,
    retry: 'retryablehttp',
    useProxy: o.useProxy ?? true,
    useTLS: o.useTLS ?? true,
    check: (reply) => {
      const err = validate(reply);
      return err === null ? null : `request failed: ${err}`;
    },
  };
}

// A provider posts to the same few addresses over and over: url.Parse's verdict is kept.
const parseVerdicts = new Map<string, string | null>();

/** url.Parse's error text for `url`, or null when it parses. */
function urlParseError(url: string): string | null {
  let v = parseVerdicts.get(url);
  if (v === undefined) {
    try {
      parseURL(url);
      v = null;
    } catch (e) {
      if (!(e instanceof GoURLError)) throw e;
      v = e.message;
    }
    if (parseVerdicts.size > 1000) parseVerdicts.clear();
    parseVerdicts.set(url, v);
  }
  return v;
}

/**
 * Sends one planned request and throws the controller's error when the reply is refused:
 * `<wrap>: request failed: …` (most providers wrap with `postMessage failed`).
 */
export function* send(req: PlannedHttpRequest, wrap = 'postMessage failed'): Generator<PlannedHttpRequest, HttpReply, HttpReply> {
  // Go builds the request with url.Parse, so an address that passed the constructor can still fail here.
  const parseError = urlParseError(req.url);
  if (parseError !== null) {
    const msg = `failed to create a new request: ${parseError}`;
    throw new NotifierError(wrap ? `${wrap}: ${msg}` : msg);
  }
  let reply: HttpReply;
  try {
    reply = yield req;
  } catch (e) {
    // The transport throws its failures (retries exhausted, connection errors) into the
    // conversation, so they get the notifier's prefix as upstream's wrapping does.
    if (e instanceof NotifierError) throw new NotifierError(wrap ? `${wrap}: ${e.message}` : e.message);
    throw e;
  }
  const err = req.check ? req.check(reply) : validate2xx(reply);
  if (err !== null) throw new NotifierError(wrap ? `${wrap}: ${err}` : err);
  return reply;
}

/** Go's http.Header.Set: canonical name, replaces any earlier value of the same name. */
export function setHeader(headers: Array<[string, string]>, name: string, value: string): void {
  const canon = canonicalHeaderKey(name);
  const i = headers.findIndex(([k]) => k === canon);
  if (i >= 0) headers.splice(i, 1);
  headers.push([canon, value]);
}

// Header names repeat (every request sets the same few): each is worked out once.
const canonical = new Map<string, string>();

/** Go's textproto.CanonicalMIMEHeaderKey (names with invalid characters are left as they are). */
export function canonicalHeaderKey(name: string): string {
  let k = canonical.get(name);
  if (k === undefined) {
    k = canonicalize(name);
    if (canonical.size > 1000) canonical.clear();
    canonical.set(name, k);
  }
  return k;
}

function canonicalize(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name;
  let upper = true;
  let out = '';
  for (const ch of name) {
    if (upper && ch >= 'a' && ch <= 'z') out += ch.toUpperCase();
    else if (!upper && ch >= 'A' && ch <= 'Z') out += ch.toLowerCase();
    else out += ch;
    upper = ch === '-';
  }
  return out;
}
