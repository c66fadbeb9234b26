// Real delivery for `azureeventhub` messages (providers §4.11) with @azure/event-hubs: a producer
// for the hub, one batch holding one event (the event JSON as body), send, close. The SDK is
// imported only here, at the first real send, so mock mode and startup never load AMQP code.
//
// Auth modes: a SAS connection string (the address) or a JWT (the Secret token, handed to the
// SDK by a credential that always returns it, as upstream's static token provider does). Workload
// identity needs the controller's Kubernetes/Azure token exchange and is refused here, plainly.
// Retries follow upstream's SDK defaults (3 retries, exponential from 4s, at most 120s apart);
// everything is bounded by the provider timeout, like upstream's context.
//
// Reply contract (src/providers/azureeventhub.ts): `{status: 200}` when the batch was sent and the
// producer closed; otherwise the SDK's error text in `body` and header `stage` = `batch`, `add`,
// `send` or `close` (the notifier adds upstream's wrapping).

import type { EventHubClientOptions, EventHubProducerClient, TokenCredential } from '@azure/event-hubs';
import type { HttpReply, NotifierOptions, PlannedMessage } from '../providers/types.js';
import type { MessageHandler } from './deliver.js';
import { TransportError, describeFetchError } from './errors.js';
import { MASK, maskSecrets } from './masking.js';
import { CONTEXT_CANCELED, DEADLINE_EXCEEDED } from './retry.js';

/** The azeventhubs error for an event that does not fit the batch. */
export const ERR_EVENT_DATA_TOO_LARGE = 'the EventData could not be added because it is too large for the batch';

/** azeventhubs' default retry options (MaxRetries 3, RetryDelay 4s, MaxRetryDelay 120s, exponential). */
export const EVENTHUB_RETRY = { maxRetries: 3, retryDelayInMs: 4000, maxRetryDelayInMs: 120_000 } as const;

export interface EventHubHandlerOptions {
  /**
   * The SDK's `customEndpointAddress` (`sb://host:port`): the connection goes there while the AMQP
   * hostname and the token audience keep the namespace. Tests use it to reach a loopback server.
   */
  customEndpointAddress?: string;
  /** Retry pacing; default EVENTHUB_RETRY. */
  retry?: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number };
}

type Stage = 'batch' | 'add' | 'send' | 'close';

interface PlannedSend {
  namespace: string;
  eventHub: string;
  target: string;
}

function planned(msg: PlannedMessage): PlannedSend {
  const p = (msg.payload ?? {}) as { namespace?: unknown; eventHub?: unknown };
  return {
    namespace: typeof p.namespace === 'string' ? p.namespace : '',
    eventHub: typeof p.eventHub === 'string' ? p.eventHub : '',
    target: msg.target,
  };
}

/**
 * Masks credentials a service or the SDK may echo: the connection string's key and signature,
 * SAS tokens the SDK derived from them (`sig=`), and the JWT.
 */
export function eventHubMasker(opts: NotifierOptions): (s: string) => string {
  const secrets = [opts.token, opts.token.trim()];
  for (const m of opts.url.matchAll(/(?:^|;)\s*(SharedAccessKey|SharedAccessSignature)\s*=([^;]*)/gi)) {
    if (m[2]) secrets.push(m[2], m[2].trim());
  }
  return (s) =>
    maskSecrets(s, secrets)
      .replace(/(SharedAccessKey\s*=)[^;\s"']+/gi, `$1${MASK}`)
      .replace(/([?&\s]sig=)[^&\s"']+/g, `$1${MASK}`);
}

const fail = (stage: Stage, body: string): HttpReply => ({ status: 500, headers: { stage }, body });

const unsupported = (text: string) => new TransportError(text, { kind: 'unsupported', attempts: 0, libraryMessage: text });

const canceledError = () =>
  new TransportError(CONTEXT_CANCELED, { kind: 'canceled', attempts: 1, libraryMessage: CONTEXT_CANCELED });

const wasCanceled = (signal: AbortSignal) => {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.message === CONTEXT_CANCELED;
};

/** Upstream's static token provider: the same JWT every time, whatever the scope. */
function staticJwt(token: string): TokenCredential {
  return {
    // The SDK needs an expiry to plan a refresh; the connection lives for one send, so an hour is
    // never reached (upstream sets none).
    getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
}

/** Sends a planned `azureeventhub` message like the controller's notifier does. */
export function eventHubMessageHandler(opts: NotifierOptions, tuning: EventHubHandlerOptions = {}): MessageHandler {
  return async (msg, signal) => {
    if (msg.transport !== 'azureeventhub') {
      throw unsupported(`${msg.transport} message given to the Event Hubs transport: nothing was sent to ${msg.target}`);
    }
    const p = planned(msg);
    const sas = opts.url.includes('SharedAccessKey');
    if (!sas && opts.token === '') {
      throw unsupported(
        `azureeventhub workload identity is not supported by this tool's --send (it needs the controller's ` +
          `Kubernetes service account token exchange): nothing was sent to ${p.target}; ` +
          `use a SAS connection string as the address or a JWT in the secret key token`,
      );
    }
    const mask = eventHubMasker(opts);
    const host = sas ? p.namespace.replace(/:\d+$/, '') : p.namespace;

    const { EventHubProducerClient: Producer, RetryMode } = await import('@azure/event-hubs');
    const options: EventHubClientOptions = {
      retryOptions: { ...(tuning.retry ?? EVENTHUB_RETRY), mode: RetryMode.Exponential },
      ...(tuning.customEndpointAddress !== undefined ? { customEndpointAddress: tuning.customEndpointAddress } : {}),
    };
    let producer: EventHubProducerClient;
    try {
      producer = sas ? new Producer(opts.url, options) : new Producer(p.namespace, p.eventHub, staticJwt(opts.token), options);
    } catch (e) {
      // The factory already accepted the address with the Go SDK's rules; the JS SDK parses it again.
      return fail('batch', mask(describeFetchError(e, { host }).text));
    }

    let closed = false;
    let stage: Stage = 'batch';
    const failed = (e: unknown): HttpReply => {
      if (signal.aborted) {
        if (wasCanceled(signal)) throw canceledError();
        return fail(stage, DEADLINE_EXCEEDED);
      }
      return fail(stage, mask(describeFetchError(e, { host }).text));
    };
    try {
      const batch = await producer.createBatch({ abortSignal: signal });
      stage = 'add';
      if (!batch.tryAdd({ body: Buffer.from(msg.payloadText ?? '', 'utf8') })) return fail('add', ERR_EVENT_DATA_TOO_LARGE);
      stage = 'send';
      await producer.sendBatch(batch, { abortSignal: signal });
      stage = 'close';
      closed = true;
      await producer.close();
      return { status: 200, headers: {}, body: '' };
    } catch (e) {
      return failed(e);
    } finally {
      // Upstream leaves the producer open after a failed step; a CLI should not leak the connection.
      // After a deadline or a cancel the close may wait on the stuck step: not awaited then.
      if (!closed) {
        const closing = producer.close().catch(() => {});
        if (!signal.aborted) await closing;
      }
    }
  };
}

/** Mock mode: the batch counts as delivered to the mock and the SDK is never loaded. */
export const eventHubMockMessageHandler: MessageHandler = async () => ({ status: 200, headers: {}, body: '' });
