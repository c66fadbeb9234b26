// Real delivery for `googlepubsub` messages (providers §4.8): one publish of the event JSON to
// projects/<project>/topics/<topic> with @google-cloud/pubsub, waiting for the server's message
// ID, then the client is closed. The library is imported only here, at the first real send, so
// mock mode and startup never load gRPC.
//
// Auth: the Secret `token` as service-account JSON when present (the library signs its own JWTs
// with the key, like the Go client); otherwise Google application default credentials, the
// nearest local analogue of the controller's workload identity (a serviceAccountName is not
// impersonated here; the reply says so). PUBSUB_EMULATOR_HOST is honoured, as by the Go client.
//
// Reply contract (src/providers/googlepubsub.ts): `{status: 200}` with the server message ID in
// the body; otherwise the error text in `body` and header `stage` = `client` (credentials that
// cannot be used, returned as they are) or `publish` (wrapped by the notifier).

import type { ClientConfig, PubSub } from '@google-cloud/pubsub';
import type { HttpReply, NotifierOptions, PlannedMessage } from '../providers/types.js';
import type { MessageHandler } from './deliver.js';
import { TransportError } from './errors.js';
import { maskSecrets } from './masking.js';
import { CONTEXT_CANCELED, DEADLINE_EXCEEDED } from './retry.js';

export interface PubSubHandlerOptions {
  /**
   * The library's `apiEndpoint` (`host:port`) instead of pubsub.googleapis.com:443. Tests point it
   * at a loopback server; hosts outside googleapis.com are treated as emulators by the library.
   */
  apiEndpoint?: string;
  /** The library's emulator switch (plain-text gRPC, no credentials); unset: its own heuristics. */
  emulatorMode?: boolean;
}

/** grpc-go's names for the status codes, as its errors print them. */
const GO_GRPC_CODES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists',
  'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange',
  'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];

/**
 * A library error in the Go client's words: gRPC statuses print as grpc-go's
 * `rpc error: code = <Name> desc = <details>`; anything else keeps its own message.
 */
export function goPubSubErrorText(e: unknown): string {
  const err = (e ?? {}) as { code?: unknown; details?: unknown; message?: unknown };
  if (typeof err.code === 'number' && Number.isInteger(err.code) && GO_GRPC_CODES[err.code] !== undefined) {
    const desc = typeof err.details === 'string' ? err.details : typeof err.message === 'string' ? err.message : '';
    return `rpc error: code = ${GO_GRPC_CODES[err.code]} desc = ${desc}`;
  }
  return typeof err.message === 'string' ? err.message : String(e);
}

interface PlannedPublish {
  project: string;
  topic: string;
  attributes: Record<string, string> | null;
}

function planned(msg: PlannedMessage, opts: NotifierOptions): PlannedPublish {
  const p = (msg.payload ?? {}) as { project?: unknown; topic?: unknown; attributes?: unknown };
  const attrs = p.attributes && typeof p.attributes === 'object' ? (p.attributes as Record<string, string>) : null;
  return {
    project: typeof p.project === 'string' ? p.project : opts.url,
    topic: typeof p.topic === 'string' ? p.topic : opts.channel,
    attributes: attrs && Object.keys(attrs).length > 0 ? attrs : null,
  };
}

interface Credentials {
  json?: Record<string, unknown>;
  /** Values to mask beyond the token itself (the PEM key with real line breaks). */
  secrets: string[];
  error?: string;
}

function credentialsFrom(token: string): Credentials {
  if (token === '') return { secrets: [] };
  let json: unknown;
  try {
    json = JSON.parse(token);
  } catch {
    // JSON.parse quotes part of its input in its message: never show it, the token is secret.
    return { secrets: [], error: 'credentials: the secret key token is not valid JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { secrets: [], error: 'credentials: the secret key token is not a JSON object' };
  }
  const obj = json as Record<string, unknown>;
  const secrets = ['private_key', 'client_secret', 'refresh_token']
    .map((k) => obj[k])
    .filter((v): v is string => typeof v === 'string' && v !== '');
  return { json: obj, secrets };
}

const fail = (stage: 'client' | 'publish', body: string): HttpReply => ({ status: 500, headers: { stage }, body });

const canceledError = () =>
  new TransportError(CONTEXT_CANCELED, { kind: 'canceled', attempts: 1, libraryMessage: CONTEXT_CANCELED });

const ABORTED: unique symbol = Symbol('aborted');

/** Settles when the delivery's deadline or a cancellation aborts the signal. */
function whenAborted(signal: AbortSignal): { promise: Promise<typeof ABORTED>; dispose(): void } {
  let onAbort = () => {};
  const promise = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

const wasCanceled = (signal: AbortSignal) => {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.message === CONTEXT_CANCELED;
};

/** Publishes a planned `googlepubsub` message like the controller's notifier does. */
export function pubsubMessageHandler(opts: NotifierOptions, tuning: PubSubHandlerOptions = {}): MessageHandler {
  return async (msg, signal) => {
    if (msg.transport !== 'googlepubsub') {
      const text = `${msg.transport} message given to the Pub/Sub transport: nothing was sent to ${msg.target}`;
      throw new TransportError(text, { kind: 'unsupported', attempts: 0, libraryMessage: text });
    }
    const p = planned(msg, opts);
    const creds = credentialsFrom(opts.token);
    const secrets = [opts.token, opts.token.trim(), ...creds.secrets];
    const mask = (s: string) => maskSecrets(s, secrets);
    if (creds.error !== undefined) return fail('client', creds.error);

    const config: ClientConfig = {
      projectId: p.project,
      // Known up front, so the library does not ask the GCE metadata server which universe it is in.
      clientOptions: { universeDomain: 'googleapis.com' },
      ...(creds.json ? { credentials: creds.json as ClientConfig['credentials'] } : {}),
      ...(tuning.apiEndpoint !== undefined ? { apiEndpoint: tuning.apiEndpoint } : {}),
      ...(tuning.emulatorMode !== undefined ? { emulatorMode: tuning.emulatorMode } : {}),
    };
    const { PubSub: PubSubClient } = await import('@google-cloud/pubsub');
    let client: PubSub;
    try {
      client = new PubSubClient(config);
    } catch (e) {
      return fail('client', mask(goPubSubErrorText(e)));
    }
    const aborted = whenAborted(signal);
    try {
      if (creds.json) {
        // The Go client rejects unusable JSON credentials when it is built, before any RPC; the
        // auth client is made from the JSON locally (no token exchange for service accounts).
        try {
          await client.auth.getClient();
        } catch (e) {
          return fail('client', mask(goPubSubErrorText(e)));
        }
      }
      // The full name, as the Go client builds it (a topic ID with `/` is not taken as a path).
      const topic = client.topic(`projects/${p.project}/topics/${p.topic}`);
      const publishing = topic.publishMessage({
        data: Buffer.from(msg.payloadText ?? '', 'utf8'),
        ...(p.attributes ? { attributes: p.attributes } : {}),
      });
      publishing.catch(() => {});
      let id: string | typeof ABORTED;
      try {
        id = await Promise.race([publishing, aborted.promise]);
      } catch (e) {
        return fail('publish', mask(goPubSubErrorText(e)));
      }
      if (id === ABORTED) {
        if (wasCanceled(signal)) throw canceledError();
        return fail('publish', DEADLINE_EXCEEDED);
      }
      const notes = [`server message id ${id}`];
      if (client.isEmulator) {
        notes.push('emulator endpoint: no credentials were sent');
      } else if (!creds.json) {
        notes.push(
          opts.serviceAccountName !== ''
            ? `authenticated with application default credentials: serviceAccountName ${opts.serviceAccountName} is not impersonated by this tool`
            : 'authenticated with application default credentials',
        );
      }
      return { status: 200, headers: {}, body: notes.join('; ') };
    } finally {
      aborted.dispose();
      // Upstream ignores the error of closing the client (its deferred assignment never reaches the
      // caller). After a deadline or a cancel the close may wait on the stuck call: not awaited then.
      const closing = client.close().catch(() => {});
      if (!signal.aborted) await closing;
    }
  };
}

/** Mock mode: the publish counts as delivered to the mock and the library is never loaded. */
export const pubsubMockMessageHandler: MessageHandler = async () => ({ status: 200, headers: {}, body: '' });
