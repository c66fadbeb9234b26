// The provider engine's contract. A notifier is built from NotifierOptions (what the
// controller's notifier factory receives, spec §6.1) and turns an event into a *conversation*:
// a generator that yields the requests it would make, receives each reply, and returns the
// outcome. It is pure: the transport (real or mock) or `render` drives it.

import type { FluxEvent } from '../flux/types.js';
import type { ProviderCaches } from './caches.js';

/** TLS material after certSecretRef / secretRef resolution (PEM text). */
export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
}

/** Mirrors notification-controller's notifierOptions (internal/notifier/factory.go). */
export interface NotifierOptions {
  /** Webhook URL: the secret `address` if present (trimmed), else spec.address. */
  url: string;
  proxyURL: string;
  username: string;
  channel: string;
  /** Untrimmed secret `token` (the trimmed copy is only used for masking). */
  token: string;
  password: string;
  /** Secret `headers`; insertion order = the order we apply them (Go's is random). */
  headers: Record<string, string>;
  tls?: TlsMaterial;
  commitStatus: string;
  providerUID: string;
  providerName: string;
  providerNamespace: string;
  /** Raw secret data (for keys only some notifiers read: NATS creds, GitHub App…). */
  secretData: Record<string, Buffer>;
  serviceAccountName: string;
  /** The Alert being dispatched: upstream passes it in the request context (otel reads it). */
  alert?: { name: string; namespace: string; uid: string };
  /** The clock for send-time values (otel span end). Absent: derived from the event. */
  now?: () => Date;
  /**
   * Cross-event state NC keeps per process (GitHub App tokens, Azure DevOps routes), owned by
   * whoever runs the deliveries. Absent: every conversation starts from nothing.
   */
  caches?: ProviderCaches;
}

/** How the transport retries a request (providers §3.4 and the per-provider notes). */
export type RetryPolicy =
  | 'retryablehttp' // go-retryablehttp: 4 retries, 2s·2^n ≤ 30s, 429/5xx≠501/transport errors
  | 'gitlab' // gitlab client-go: 5 retries on 429 and ≥500
  | 'none';

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface PlannedHttpRequest {
  kind: 'http';
  method: string;
  url: string;
  /** Headers in the order the notifier sets them, names in Go canonical form. */
  headers: Array<[string, string]>;
  /** Exact body: text (sent as UTF-8) or binary (protobuf), or undefined for no body. */
  body?: string | Uint8Array;
  /** A request made before the real one (e.g. listing existing commit statuses). */
  preflight?: boolean;
  retry: RetryPolicy;
  /** Whether the provider's proxy setting applies to this request. */
  useProxy: boolean;
  /** Whether the provider's TLS material (CA / client cert) applies to this request. */
  useTLS: boolean;
  /**
   * Judges the reply; returns null on success or the error text the notifier would produce.
   * Absent: any 2xx is success and anything else is
   * `request failed with status code <n>: <body>` wrapped by the caller.
   */
  check?: (reply: HttpReply) => string | null;
}

/** A message that does not travel over HTTP (nats, googlepubsub, azureeventhub). */
export interface PlannedMessage {
  kind: 'message';
  transport: 'nats' | 'googlepubsub' | 'azureeventhub' | 'otel';
  target: string;
  payload: unknown;
  /** Exact payload bytes where they are known (e.g. the NATS message body). */
  payloadText?: string;
}

export type PlannedRequest = PlannedHttpRequest | PlannedMessage;

/** What a conversation ends with. Errors are thrown as NotifierError. */
export interface PostOutcome {
  /** false when the notifier deliberately sent nothing (e.g. a `Progressing` skip, a dedupe). */
  sent: boolean;
  /** Why nothing (more) was sent, in words. */
  note?: string;
}

/**
 * The conversation: yields each request, receives its reply (a message's reply is
 * `{status: 200}` when delivered), returns the outcome or throws NotifierError.
 */
export type Conversation = Generator<PlannedRequest, PostOutcome, HttpReply>;

export interface Notifier {
  post(event: FluxEvent): Conversation;
}

/** An error with the exact text notification-controller would produce. */
export class NotifierError extends Error {
  override name = 'NotifierError';
}

export type TransportKind = 'http' | 'nats' | 'googlepubsub' | 'azureeventhub' | 'otel';

export interface ProviderDefinition {
  type: string;
  transport: TransportKind;
  /** Constructor: validates like the Go constructor and throws NotifierError with its message. */
  create(opts: NotifierOptions): Notifier;
  /** One line for the README/UI: what this type needs. */
  needs: string;
}
