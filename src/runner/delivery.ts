// Delivering a dispatch: the notifier's conversation driven by the transport — to the services
// (`--send`) or to the msw mocks (mock mode, see delivery-lane.ts) — or by simulated healthy
// replies (render, no network at all), with records that never show a secret.

import type { Dispatch } from '../flux/dispatch.js';
import { NotifierInitError } from '../providers/git-common.js';
import type { Conversation, HttpReply, Notifier, PlannedRequest } from '../providers/types.js';
import { NotifierError } from '../providers/types.js';
import { deliver, type DeliveryRecord, type Exchange } from '../transport/deliver.js';
import { providerTimeoutMs } from '../transport/duration.js';
import { controllerErrorText, MASK, maskSecrets, secretsOf } from '../transport/masking.js';
import { messageHandlerFor } from '../transport/messages.js';
import { healthyReply } from './healthy-replies.js';
import type { Preview, PreviewError } from './preview-model.js';

export type DeliveryMode = 'render' | 'mock' | 'real';

/** A request as shown to people and in JSON (design.md render contract), masked unless asked. */
export type ShownRequest =
  | { method: string; url: string; headers: Record<string, string>; body?: unknown; bodyText?: string; bodyBase64?: string; preflight?: boolean }
  | { transport: string; target: string; payload: unknown; payloadText?: string };

export interface DeliveryResult {
  alert: string;
  provider: string;
  type: string;
  mode: DeliveryMode;
  /** delivered: sent and accepted; skipped: the notifier chose to send nothing; failed: error. */
  outcome: 'delivered' | 'skipped' | 'failed';
  /** HTTP status of the last reply (null when nothing was answered). */
  status: number | null;
  ok: boolean;
  note?: string;
  /** The error as NC records it on the Alert (masked). */
  error?: string;
  controllerEvent?: { reason: string; message: string };
  requests: ShownRequest[];
  replies: Array<{ status: number; body: string } | { error: string }>;
  durationMs: number;
  /** Attempts per request (retries show here: 2 means one retry). */
  attempts: number[];
  /** Mock mode: what the service would show, parsed by the mock from the bytes it received. */
  preview?: Preview | PreviewError;
}

export interface DeliveryOptions {
  mode: DeliveryMode;
  showSecrets?: boolean;
  /** Replies used in render mode; default: what a healthy service answers. */
  replyFor?: (req: PlannedRequest) => HttpReply;
  signal?: AbortSignal;
}

/** Drives a conversation with simulated replies, synchronously (render and mock mode). */
export function driveSimulated(conv: Conversation, replyFor: (req: PlannedRequest) => HttpReply): DeliveryRecord {
  const exchanges: Exchange[] = [];
  const started = Date.now();
  try {
    let step = conv.next(undefined as unknown as HttpReply);
    while (!step.done) {
      const reply = replyFor(step.value);
      exchanges.push({ request: step.value, reply, attempts: 1, durationMs: 0, log: [] });
      step = conv.next(reply);
    }
    return { outcome: step.value, exchanges, durationMs: Date.now() - started };
  } catch (e) {
    if (!(e instanceof NotifierError)) throw e;
    return { error: e.message, exchanges, durationMs: Date.now() - started };
  }
}

// Credentials the conversation makes itself (a GitHub App JWT, an exchanged token) are not among
// the Secret's values: an Authorization header shows its scheme only.
const CREDENTIAL_HEADER = /^(proxy-)?authorization$/i;

function maskCredential(value: string): string {
  const sp = value.indexOf(' ');
  return sp > 0 ? `${value.slice(0, sp)} ${MASK}` : MASK;
}

function shownRequest(req: PlannedRequest, mask: (s: string) => string, hideCredentials: boolean): ShownRequest {
  if (req.kind === 'message') {
    const out: ShownRequest = { transport: req.transport, target: mask(req.target), payload: JSON.parse(mask(JSON.stringify(req.payload ?? null))) };
    if (req.payloadText !== undefined) out.payloadText = mask(req.payloadText);
    return out;
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of req.headers) headers[k] = hideCredentials && CREDENTIAL_HEADER.test(k) ? maskCredential(v) : mask(v);
  let shown: ShownRequest;
  if (typeof req.body === 'string') {
    const text = mask(req.body);
    // Parsed on read: a long history keeps only the text (JSON output still shows `body`).
    shown = {
      method: req.method,
      url: mask(req.url),
      headers,
      get body(): unknown {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      },
      bodyText: text,
    };
  } else if (req.body instanceof Uint8Array) {
    shown = { method: req.method, url: mask(req.url), headers, bodyBase64: Buffer.from(req.body).toString('base64') };
  } else {
    shown = { method: req.method, url: mask(req.url), headers };
  }
  if (req.preflight) shown.preflight = true;
  return shown;
}

/**
 * Masks every secret value; a webhook URL that came from a Secret keeps its scheme and host
 * (`https://hooks.slack.com/*****`) so people can still see where it goes.
 */
function secretMasker(d: Dispatch, secrets: string[]): (s: string) => string {
  const fromSecret = d.assembled.origins.address?.startsWith('secret') ? d.assembled.options.url : '';
  let shown = '';
  if (fromSecret) {
    try {
      shown = `${new URL(fromSecret).origin}/*****`;
    } catch {
      shown = '*****';
    }
  }
  return (s: string) => maskSecrets(fromSecret ? s.split(fromSecret).join(shown) : s, secrets);
}

const involved = (d: Dispatch) => {
  const r = d.notification.involvedObject;
  return `${r.kind ?? ''}/${r.namespace ?? ''}/${r.name ?? ''}`;
};

/** Every value to mask for a dispatch: its Secret's, its options', and the cached tokens. */
export function dispatchSecrets(d: Dispatch): string[] {
  const opts = d.assembled.options;
  return [...d.assembled.secretValues, ...secretsOf(opts), ...(opts.caches?.secretValues() ?? [])];
}

/** Sends (or simulates) one dispatch and describes what happened, NC's texts included. */
export async function deliverDispatch(d: Dispatch, o: DeliveryOptions): Promise<DeliveryResult> {
  const opts = d.assembled.options;
  // Each mode keeps its own caches (a mock token must never reach GitHub); the tokens they hold
  // are secrets like the Secret's own, before and after this conversation adds one.
  const caches = opts.caches;
  caches?.select(o.mode);
  const secrets = dispatchSecrets(d);
  const mask = o.showSecrets ? (s: string) => s : secretMasker(d, secrets);
  const seen = { init: false };
  const conv = watched((d.notifier as Notifier).post(d.notification), seen);
  let record: DeliveryRecord;
  if (o.mode === 'real' || o.mode === 'mock') {
    // One transport for both: in mock mode msw (mocks/) answers instead of the services, the
    // environment's proxy is not consulted, and a non-HTTP publish (NATS, Pub/Sub, Event Hubs)
    // counts as delivered to the mock without a socket.
    const mock = o.mode === 'mock';
    record = await deliver(conv, {
      timeoutMs: providerTimeoutMs(d.provider.spec.timeout),
      proxyURL: opts.proxyURL || undefined,
      tls: opts.tls,
      maskToken: d.assembled.maskToken || undefined,
      secrets,
      signal: o.signal,
      ...(mock ? { env: {} } : {}),
      onMessage: messageHandlerFor(d.assembled.options, mock ? 'mock' : 'real'),
    });
    if (caches) secrets.push(...caches.secretValues());
  } else {
    record = driveSimulated(conv, o.replyFor ?? healthyReply);
    if (caches) secrets.push(...caches.secretValues());
    // NC masks the token in send errors; we mask every secret for display as well.
    if (record.error !== undefined) record.error = maskSecrets(controllerErrorText(record.error, d.assembled.maskToken || undefined), o.showSecrets ? [] : secrets);
  }
  const result: DeliveryResult = {
    alert: `${d.alert.metadata.namespace}/${d.alert.metadata.name}`,
    provider: `${d.provider.metadata.namespace}/${d.provider.metadata.name}`,
    type: d.provider.spec.type,
    mode: o.mode,
    outcome: record.error !== undefined ? 'failed' : record.outcome?.sent === false ? 'skipped' : 'delivered',
    status: record.exchanges.at(-1)?.reply?.status ?? null,
    ok: record.error === undefined,
    requests: record.exchanges.map((x) => shownRequest(x.request, mask, !o.showSecrets)),
    replies: record.exchanges.map((x) => (x.reply ? { status: x.reply.status, body: mask(x.reply.body) } : { error: mask(x.error ?? 'no reply') })),
    durationMs: record.durationMs,
    attempts: record.exchanges.map((x) => x.attempts),
  };
  if (record.outcome?.note) result.note = record.outcome.note;
  if (record.error !== undefined) {
    const init = seen.init;
    result.error = record.error;
    result.controllerEvent = init
      ? { reason: 'NotificationDispatchFailed', message: `failed to dispatch notification for ${involved(d)}: failed to initialize notifier for provider '${d.provider.metadata.name}': failed to initialize notifier: ${record.error}` }
      : { reason: 'NotificationDispatchFailed', message: `failed to send notification for ${involved(d)}: ${record.error}` };
  }
  return result;
}

/** Passes the conversation through, noting whether it failed with a constructor-time error. */
function* watched(conv: Conversation, seen: { init: boolean }): Conversation {
  try {
    return yield* conv;
  } catch (e) {
    if (e instanceof NotifierInitError) seen.init = true;
    throw e;
  }
}
