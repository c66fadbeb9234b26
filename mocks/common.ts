// What every mock endpoint shares: reading the request bytes, fault injection, recording the
// exchange in the outbox, and small helpers for replies, colours and masking. Each service
// module only decides what its service would answer and what the body means.

import { http, HttpResponse, type HttpHandler } from 'msw';
import { canonicalHeaderKey } from '../src/providers/sender.js';
import type { Preview, PreviewColor, PreviewError } from '../src/runner/preview-model.js';
import type { FaultRule, MockState, OutboxEntry } from './state.js';

/** The request as a mock sees it: bytes read once, headers with Go-canonical names. */
export interface MockRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** Case-insensitive header lookup. */
  header(name: string): string | undefined;
  bytes: Buffer;
  /** The body as UTF-8 (replacement characters where it is not). */
  text: string;
}

export interface MockReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  preview?: Preview;
  previewError?: PreviewError;
}

/** What the handler factories get: the run's state and a way to park a request until it is released. */
export interface MockContext {
  state: MockState;
  /** Resolves when the client gives up on the request (abort) or the server stops. */
  hold(signal: AbortSignal): Promise<void>;
}

export type Responder = (req: MockRequest) => MockReply | Promise<MockReply>;

export interface EndpointSpec {
  /** The service name for the outbox and fault targets; may depend on the request. */
  service: string | ((url: URL) => string);
  /** Whether this endpoint answers the request (false leaves it to the next handler or to msw's unhandled-request error). */
  match: (url: URL, method: string) => boolean;
  respond: Responder;
}

function utf8OrBase64(bytes: Buffer): { body: string; bodyEncoding?: 'base64' } {
  try {
    return { body: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { body: bytes.toString('base64'), bodyEncoding: 'base64' };
  }
}

async function readRequest(request: Request): Promise<MockRequest> {
  const bytes = Buffer.from(await request.arrayBuffer());
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[canonicalHeaderKey(name)] = value;
  });
  const lower = new Map([...request.headers.entries()]);
  return {
    method: request.method,
    url: new URL(request.url),
    headers,
    header: (name) => lower.get(name.toLowerCase()) ?? undefined,
    bytes,
    text: bytes.toString('utf8'),
  };
}

function faultReply(rule: FaultRule): MockReply {
  if (rule.fault === '429') {
    const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
    if (rule.retryAfterSeconds !== undefined) headers['Retry-After'] = String(rule.retryAfterSeconds);
    return { status: 429, headers, body: 'Too Many Requests' };
  }
  return { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Internal Server Error' };
}

function toResponse(reply: MockReply): Response {
  // Null-body statuses must not carry a body, or the Response constructor throws.
  const nullBody = reply.status === 204 || reply.status === 205 || reply.status === 304;
  return new HttpResponse(nullBody ? null : (reply.body ?? ''), { status: reply.status, headers: reply.headers ?? {} });
}

/**
 * One msw handler: matches with a predicate (so a request no endpoint claims stays unhandled and
 * msw fails it), applies faults, asks the responder, records the exchange. The resolver always
 * returns a response: an msw resolver that returns nothing lets the request through to the
 * network, which mock mode must never do.
 */
export function endpoint(ctx: MockContext, spec: EndpointSpec): HttpHandler {
  return http.all(
    ({ request }) => {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return false;
      }
      return spec.match(url, request.method);
    },
    async ({ request }) => {
      const req = await readRequest(request);
      const service = typeof spec.service === 'string' ? spec.service : spec.service(req.url);
      const base = {
        service,
        method: req.method,
        url: req.url.href,
        headers: req.headers,
        ...utf8OrBase64(req.bytes),
      };
      const fault = ctx.state.takeFault(req.url, service);
      if (fault?.fault === 'timeout') {
        const entry: OutboxEntry = ctx.state.record({ ...base, status: 0, responseHeaders: {}, responseBody: '', fault: 'timeout' });
        await ctx.hold(request.signal);
        ctx.state.update(entry, { responseBody: '(no answer: the request was held until the client gave up)' });
        return HttpResponse.error();
      }
      let reply: MockReply;
      if (fault) {
        reply = faultReply(fault);
      } else {
        try {
          reply = await spec.respond(req);
        } catch (err) {
          // A bug in a mock must show as a server error in the outbox, not leak as a network error.
          reply = textReply(500, `mock ${service} failed: ${(err as Error).message}`);
        }
      }
      ctx.state.record({
        ...base,
        status: reply.status,
        responseHeaders: reply.headers ?? {},
        responseBody: reply.body ?? '',
        ...(fault ? { fault: fault.fault } : {}),
        ...(reply.preview ? { preview: reply.preview } : {}),
        ...(reply.previewError ? { previewError: reply.previewError } : {}),
      });
      return toResponse(reply);
    },
  );
}

// ---- replies ------------------------------------------------------------------------------------

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): MockReply {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

export function textReply(status: number, text: string, contentType = 'text/plain; charset=utf-8'): MockReply {
  return { status, headers: { 'Content-Type': contentType }, body: text };
}

// ---- JSON -----------------------------------------------------------------------------------------

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A string field, or undefined when absent or not a string. */
export function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

/** A string field that is present and non-empty. */
export function nonEmpty(o: Record<string, unknown>, key: string): string | undefined {
  const v = str(o, key);
  return v === undefined || v === '' ? undefined : v;
}

/** Drops undefined values so a preview stays plain JSON without empty keys. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

// ---- colours --------------------------------------------------------------------------------------

/** A rough colour name for a hex, so the UI can say "red" next to `#a30200`. */
export function hexName(hex: string): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) return hex;
  const n = parseInt(m[1]!, 16);
  const r = (n >> 16) / 255;
  const g = ((n >> 8) & 0xff) / 255;
  const b = (n & 0xff) / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 0.1) return max > 0.8 ? 'white' : max < 0.2 ? 'black' : 'grey';
  let h: number;
  if (max === r) h = ((g - b) / (max - min) + 6) % 6;
  else if (max === g) h = (b - r) / (max - min) + 2;
  else h = (r - g) / (max - min) + 4;
  const deg = h * 60;
  if (deg < 20 || deg >= 330) return 'red';
  if (deg < 45) return 'orange';
  if (deg < 70) return 'yellow';
  if (deg < 170) return 'green';
  if (deg < 260) return 'blue';
  return 'purple';
}

/** `#rrggbb` from a 6-digit hex written with or without `#`; undefined otherwise. */
export function normHex(raw: string): string | undefined {
  const m = /^#?([0-9a-f]{6})$/i.exec(raw.trim());
  return m ? `#${m[1]!.toLowerCase()}` : undefined;
}

export function hexColor(raw: string): PreviewColor {
  const hex = normHex(raw);
  return hex ? { raw, name: hexName(hex), hex } : { raw, name: raw };
}

// ---- masking ---------------------------------------------------------------------------------------

export const MASKED = '*****';

// X-Signature is a MAC of the body, not a secret: it stays visible so a mismatch can be read.
const SECRET_HEADER = /auth|token|key|secret|password|cookie|session|credential/i;
const SECRET_QUERY = /^(token|key|sig|signature|secret|api[-_]?key|access[-_]?token|password|code)$/i;

/** Header values whose names suggest credentials are masked; an auth scheme word is kept. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!SECRET_HEADER.test(k)) out[k] = v;
    else {
      const scheme = /^(Bearer|Basic|token|Token|GenieKey|Splunk)\s+/.exec(v);
      out[k] = scheme ? `${scheme[1]} ${MASKED}` : MASKED;
    }
  }
  return out;
}

/** Credentials in a URL: user-info password, secret-looking query values, Telegram's `/bot<token>/`. */
export function maskUrl(href: string): string {
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return href;
  }
  if (u.password !== '') u.password = MASKED;
  for (const k of [...u.searchParams.keys()]) if (SECRET_QUERY.test(k)) u.searchParams.set(k, MASKED);
  u.pathname = u.pathname.replace(/^\/bot[^/]+/, `/bot${MASKED}`);
  return u.href.replace(/%2A%2A%2A%2A%2A/g, MASKED);
}
