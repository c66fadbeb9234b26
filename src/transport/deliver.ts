// Drives a provider conversation over the network: each planned HTTP request is sent with the
// global fetch (looked up at call time, so msw intercepts it in mock mode) and an undici
// dispatcher for the provider's proxy/TLS, under the request's retry policy; the final reply goes
// back into the generator, a transport failure is thrown into it. The whole conversation shares
// one deadline, the provider timeout, like the controller's context.

import type {
  Conversation,
  HttpReply,
  PlannedHttpRequest,
  PlannedMessage,
  PlannedRequest,
  PostOutcome,
  TlsMaterial,
} from '../providers/types.js';
import { canonicalHeaderKey } from '../providers/sender.js';
import type { Dispatcher } from 'undici';
import { GoEnvProxyAgent, parseProxyURL, sharedDispatchers, type DispatcherCache } from './dispatcher.js';
import { TransportError, describeFetchError, precheckRequest, type TransportErrorKind } from './errors.js';
import { controllerErrorText, maskSecrets } from './masking.js';
import type { ProxyEnv } from './proxyenv.js';
import { DEFAULT_PROVIDER_TIMEOUT_MS } from './duration.js';
import {
  createDeadline,
  realClock,
  runWithRetry,
  type AttemptOutcome,
  type AttemptRecord,
  type Deadline,
  type RetryClock,
} from './retry.js';

/** Delivers a non-HTTP message; resolves to the reply handed to the notifier (`{status: 200}` when sent). */
export type MessageHandler = (msg: PlannedMessage, signal: AbortSignal) => Promise<HttpReply>;

export interface DeliverContext {
  /** Provider timeout; default 15s. 0 fails every request at once (an expired Go context). */
  timeoutMs?: number;
  /** The Provider's proxy; used for requests marked useProxy. Absent: environment proxy rules. */
  proxyURL?: string;
  /** TLS material; used for requests marked useTLS. */
  tls?: TlsMaterial;
  /** Environment for HTTP(S)_PROXY/NO_PROXY; default process.env. */
  env?: ProxyEnv;
  /** The Secret `token` (untrimmed string or raw bytes): masked in errors the controller's way. */
  maskToken?: string | Uint8Array;
  /** Further values to mask in every error text (see secretsOf). */
  secrets?: string[];
  /** Cancels the delivery (Go: context canceled). */
  signal?: AbortSignal;
  onMessage?: MessageHandler;
  /** Progress: called after each exchange. */
  onExchange?: (exchange: Exchange) => void;
  /** Add the headers Go's transport adds (User-Agent, Accept-Encoding); default true. */
  goDefaultHeaders?: boolean;
  clock?: Partial<RetryClock>;
  dispatchers?: DispatcherCache;
}

export interface Exchange {
  request: PlannedRequest;
  /** The final reply (the one the notifier saw). */
  reply?: HttpReply;
  attempts: number;
  durationMs: number;
  /** Masked. */
  error?: string;
  /** Every attempt: status or error, and the back-off that followed. */
  log: AttemptRecord[];
}

export interface DeliveryRecord {
  outcome?: PostOutcome;
  /** The error the controller would record, token-masked as it does, then masked for display. */
  error?: string;
  /** Set when the error came from the transport (also when the notifier re-wrapped it). */
  errorKind?: TransportErrorKind;
  exchanges: Exchange[];
  durationMs: number;
}

const GO_USER_AGENT = 'Go-http-client/1.1';

export const defaultMessageHandler: MessageHandler = async (msg) => {
  const text = `${msg.transport} transport is render-only in this tool: nothing was sent to ${msg.target}`;
  throw new TransportError(text, { kind: 'unsupported', attempts: 0, libraryMessage: text });
};

interface PreparedRequest {
  url: string;
  headers: Array<[string, string]>;
  body?: Uint8Array | string;
  /** The target host, for error texts. */
  host: string;
}

function hasHeader(headers: Array<[string, string]>, name: string): boolean {
  const lower = name.toLowerCase();
  for (const [k] of headers) if (k.length === lower.length && (k === name || k.toLowerCase() === lower)) return true;
  return false;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const ASCII = /^[\x00-\x7f]*$/;

/** Turns a planned request into what fetch accepts while keeping Go's wire behaviour. */
function prepare(req: PlannedHttpRequest, u: URL, goDefaults: boolean): PreparedRequest {
  let url = req.url;
  const headers = [...req.headers];
  // fetch refuses credentials in URLs; Go turns them into Basic auth unless Authorization is set.
  if (u.username !== '' || u.password !== '') {
    if (!hasHeader(headers, 'Authorization')) {
      const cred = Buffer.from(`${decode(u.username)}:${decode(u.password)}`, 'utf8').toString('base64');
      headers.push(['Authorization', `Basic ${cred}`]);
    }
    u.username = '';
    u.password = '';
    url = u.href;
  }
  if (goDefaults) {
    if (!headers.some(([k]) => k === 'User-Agent')) headers.push(['User-Agent', GO_USER_AGENT]);
    if (!hasHeader(headers, 'Accept-Encoding') && !hasHeader(headers, 'Range') && req.method !== 'HEAD') {
      headers.push(['Accept-Encoding', 'gzip']);
    }
  }
  // Header values travel as their UTF-8 bytes, as in Go (fetch wants byte strings).
  for (let i = 0; i < headers.length; i++) {
    const [k, v] = headers[i]!;
    if (!ASCII.test(v)) headers[i] = [k, Buffer.from(v, 'utf8').toString('latin1')];
  }
  const prepared: PreparedRequest = { url, headers, host: u.hostname };
  if (req.body !== undefined) {
    // A string is sent as its UTF-8 bytes either way; only without a Content-Type must it be
    // bytes, or fetch would add a text/plain one Go never sends.
    prepared.body = typeof req.body !== 'string' || hasHeader(headers, 'Content-Type') ? req.body : Buffer.from(req.body, 'utf8');
  }
  return prepared;
}

function replyHeaders(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((value, name) => {
    const k = canonicalHeaderKey(name);
    out[k] = out[k] === undefined ? value : `${out[k]}, ${value}`;
  });
  return out;
}

function proxyHostPort(u: URL): { host: string; port: number } {
  const dflt = u.protocol === 'https:' ? 443 : u.protocol.startsWith('socks') ? 1080 : 80;
  return { host: u.hostname, port: u.port === '' ? dflt : Number(u.port) };
}

async function attemptFetch(
  req: PlannedHttpRequest,
  prepared: PreparedRequest,
  dispatcher: Dispatcher,
  proxy: URL | null,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  const host = prepared.host;
  try {
    // Looked up now, not at import: msw replaces globalThis.fetch when mock mode starts.
    const init: Record<string, unknown> = { method: req.method, headers: prepared.headers, redirect: 'follow', signal, dispatcher };
    if (prepared.body !== undefined) init.body = prepared.body;
    const res = await globalThis.fetch(prepared.url, init as RequestInit);
    const body = await res.text();
    return { reply: { status: res.status, headers: replyHeaders(res.headers), body } };
  } catch (e) {
    if (signal.aborted) return { failure: { text: 'context deadline exceeded', retryable: false } };
    return { failure: describeFetchError(e, { host, ...(proxy ? { proxy: proxyHostPort(proxy) } : {}) }) };
  }
}

interface Performed {
  exchange: Exchange;
  reply?: HttpReply;
  error?: TransportError;
}

async function performHttp(
  req: PlannedHttpRequest,
  ctx: DeliverContext,
  deadline: Deadline,
  clock: RetryClock,
): Promise<Performed> {
  const started = clock.now();

  const checked = precheckRequest(req.method, req.url, req.headers, req.body !== undefined && req.body.length > 0);
  const pre = checked instanceof URL ? null : checked;
  let dispatcher: Dispatcher | undefined;
  let proxy: URL | null = null;
  let prepared: PreparedRequest | undefined;
  if (!pre) {
    const proxyURL = req.useProxy && ctx.proxyURL ? ctx.proxyURL : undefined;
    const tls = req.useTLS ? ctx.tls : undefined;
    try {
      dispatcher = (ctx.dispatchers ?? sharedDispatchers).get({ proxyURL, tls, env: ctx.env });
      proxy = proxyURL
        ? parseProxyURL(proxyURL)
        : dispatcher instanceof GoEnvProxyAgent
          ? dispatcher.proxyFor(checked as URL)
          : null;
    } catch (e) {
      // The controller fails while building its client, before any attempt.
      const text = (e as Error).message;
      const err = new TransportError(text, { kind: 'config', method: req.method, url: req.url, attempts: 0, libraryMessage: text });
      return { exchange: { request: req, durationMs: Math.max(0, clock.now() - started), attempts: 0, log: [], error: text }, error: err };
    }
    prepared = prepare(req, checked as URL, ctx.goDefaultHeaders ?? true);
  }

  const attempt = (signal: AbortSignal): Promise<AttemptOutcome> =>
    pre ? Promise.resolve({ failure: pre }) : attemptFetch(req, prepared!, dispatcher!, proxy, signal);
  const result = await runWithRetry(req.retry, { method: req.method, url: req.url }, attempt, deadline, clock);
  const durationMs = Math.max(0, clock.now() - started);
  if (result.error) {
    return { exchange: { request: req, durationMs, attempts: result.log.length, log: result.log, error: result.error.message }, error: result.error };
  }
  return { exchange: { request: req, durationMs, attempts: result.log.length, log: result.log, reply: result.reply! }, reply: result.reply! };
}

async function performMessage(
  msg: PlannedMessage,
  ctx: DeliverContext,
  deadline: Deadline,
  clock: RetryClock,
): Promise<Performed> {
  const started = clock.now();
  const exchange = (p: Omit<Exchange, 'request' | 'durationMs'>): Exchange => ({
    request: msg,
    durationMs: Math.max(0, clock.now() - started),
    ...p,
  });
  if (deadline.expired()) {
    const err = new TransportError(deadline.text(), { kind: deadline.reason(), attempts: 0, libraryMessage: deadline.text() });
    return { exchange: exchange({ attempts: 0, log: [], error: err.message }), error: err };
  }
  try {
    const reply = await (ctx.onMessage ?? defaultMessageHandler)(msg, deadline.signal);
    const log: AttemptRecord[] = [{ status: reply.status, durationMs: Math.max(0, clock.now() - started) }];
    return { exchange: exchange({ attempts: 1, log, reply }), reply };
  } catch (e) {
    const err =
      e instanceof TransportError
        ? e
        : new TransportError((e as Error).message, { kind: 'transport', attempts: 1, libraryMessage: (e as Error).message });
    const attempts = err.info.kind === 'unsupported' ? 0 : 1;
    return { exchange: exchange({ attempts, log: [], error: err.message }), error: err };
  }
}

/** What every error text is masked with: the given secrets and the token, as is and trimmed. */
function displaySecrets(ctx: DeliverContext): string[] {
  const token = ctx.maskToken;
  const tokenText = token === undefined ? [] : [typeof token === 'string' ? token : Buffer.from(token).toString('utf8')];
  return [...(ctx.secrets ?? []), ...tokenText, ...tokenText.map((t) => t.trim())];
}

/**
 * Runs the conversation to its end. Never throws: the outcome, or the error the controller would
 * record (masked), plus every exchange.
 */
export async function deliver(conversation: Conversation, ctx: DeliverContext = {}): Promise<DeliveryRecord> {
  const clock: RetryClock = ctx.clock ? { ...realClock, ...ctx.clock } : realClock;
  const started = clock.now();
  const deadline = createDeadline(ctx.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS, clock, ctx.signal);
  const token = ctx.maskToken;
  const mask = (text: string) => maskSecrets(text, displaySecrets(ctx));
  const exchanges: Exchange[] = [];
  let injected: TransportError | undefined;
  try {
    let step = conversation.next(undefined as unknown as HttpReply);
    while (!step.done) {
      const planned = step.value;
      const performed =
        planned.kind === 'http'
          ? await performHttp(planned, ctx, deadline, clock)
          : await performMessage(planned, ctx, deadline, clock);
      if (performed.exchange.error !== undefined) performed.exchange.error = mask(performed.exchange.error);
      exchanges.push(performed.exchange);
      ctx.onExchange?.(performed.exchange);
      if (performed.error) {
        // If the notifier lets the failure through (usually re-wrapped), the record keeps its kind.
        injected = performed.error;
        step = conversation.throw(performed.error);
        injected = undefined;
      } else {
        step = conversation.next(performed.reply!);
      }
    }
    return { outcome: step.value, exchanges, durationMs: Math.max(0, clock.now() - started) };
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    const record: DeliveryRecord = {
      error: mask(controllerErrorText(text, token)),
      exchanges,
      durationMs: Math.max(0, clock.now() - started),
    };
    const cause = e instanceof TransportError ? e : injected;
    if (cause) record.errorKind = cause.info.kind;
    return record;
  } finally {
    deadline.dispose();
  }
}
