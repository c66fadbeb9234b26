// sentry (providers §4.10): what sentry-go v0.46.2 sends for an event: one envelope POSTed to
// the DSN's project. An error becomes an error event, info a transaction with one span.
//
// The SDK delivers in the background and the controller never learns the result, so the request
// is fire-and-forget (no retries, every reply accepted). The SDK also adds fields that depend on
// the controller's process and are not part of the spec (§4.10, §6); they are left out rather
// than made up, and the outcome's note lists them:
//   - random IDs: envelope and event `event_id`, the transaction's `trace_id`/`span_id`;
//   - clocks: envelope `sent_at`, and `timestamp` when the event has no time;
//   - the controller build and host: `release`, `modules`, contexts `device`, `os`, `runtime`,
//     and `server_name` (the pod's hostname) for transactions;
//   - the environment when `spec.channel` is empty (the controller's SENTRY_ENVIRONMENT);
//   - for other severities, the stack trace of the SDK's usage error.

import { goJson, goMap } from '../flux/gojson.js';
import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseURL } from './gourl.js';
import type { PlannedHttpRequest, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

const SDK_NAME = 'sentry.go';
const SDK_VERSION = '0.46.2';

/** The SDK info of a default client: its six default integrations, sorted by name. */
const SDK_INFO = {
  name: SDK_NAME,
  version: SDK_VERSION,
  integrations: ['ContextifyFrames', 'Environment', 'GlobalTags', 'IgnoreErrors', 'IgnoreTransactions', 'Modules'],
  packages: [{ name: 'sentry-go', version: SDK_VERSION }],
};

// --- DSN -----------------------------------------------------------------------------------------

export interface SentryDsn {
  scheme: 'http' | 'https';
  publicKey: string;
  secretKey: string;
  host: string;
  port: number;
  path: string;
  projectID: string;
}

function dsnError(message: string): NotifierError {
  return new NotifierError(`[Sentry] DsnParseError: ${message}`);
}

const defaultPort = (scheme: string) => (scheme === 'https' ? 443 : 80);

/** The SDK's DSN parser, with its error texts. */
export function parseDsn(raw: string): SentryDsn {
  let u;
  try {
    u = parseURL(raw);
  } catch (err) {
    if (err instanceof GoURLError) throw dsnError(`invalid url: ${err.message}`);
    throw err;
  }
  if (u.scheme !== 'http' && u.scheme !== 'https') throw dsnError('invalid scheme');
  const publicKey = u.user?.username ?? '';
  if (publicKey === '') throw dsnError('empty username');
  const secretKey = u.user?.passwordSet ? u.user.password : '';
  const host = u.hostname();
  if (host === '') throw dsnError('empty host');
  let port = defaultPort(u.scheme);
  const p = u.port();
  if (p !== '') {
    // strconv.Atoi: only a value beyond int64 fails (the URL parser already checked the digits).
    if (!/^\d+$/.test(p) || BigInt(p) > 9223372036854775807n) throw dsnError('invalid port');
    port = Number(p);
  }
  if (u.path === '' || u.path === '/') throw dsnError('empty project id');
  const segments = u.path.slice(1).split('/');
  const projectID = segments[segments.length - 1]!;
  if (projectID === '') throw dsnError('empty project id');
  const path = segments.length > 1 ? '/' + segments.slice(0, -1).join('/') : '';
  return { scheme: u.scheme, publicKey, secretKey, host, port, path, projectID };
}

function hostPort(d: SentryDsn): string {
  return d.port !== defaultPort(d.scheme) ? `${d.host}:${d.port}` : d.host;
}

/** The DSN as the SDK writes it back (envelope header `dsn`). */
export function dsnString(d: SentryDsn): string {
  const secret = d.secretKey !== '' ? `:${d.secretKey}` : '';
  return `${d.scheme}://${d.publicKey}${secret}@${hostPort(d)}${d.path}/${d.projectID}`;
}

/** The envelope endpoint: `<scheme>://<host>[:port]<path>/api/<project>/envelope/`. */
export function envelopeURL(d: SentryDsn): string {
  const raw = `${d.scheme}://${hostPort(d)}${d.path}/api/${d.projectID}/envelope/`;
  try {
    return parseURL(raw).toString();
  } catch {
    // The SDK ignores this parse error (and would then fail); show the text it tried.
    return raw;
  }
}

export function sentryAuth(d: SentryDsn): string {
  let auth = `Sentry sentry_version=7, sentry_client=${SDK_NAME}/${SDK_VERSION}, sentry_key=${d.publicKey}`;
  if (d.secretKey !== '') auth += `, sentry_secret=${d.secretKey}`;
  return auth;
}

// --- Event payloads --------------------------------------------------------------------------------

/** `Kind: namespace/name`. */
export function eventSummary(e: FluxEvent): string {
  const o = e.involvedObject;
  return `${o.kind ?? ''}: ${o.namespace ?? ''}/${o.name ?? ''}`;
}

// The SDK pre-serialises tags and contexts before sending, which moves them after the other
// event fields (in Event struct order otherwise: environment, level, message, platform, sdk,
// server_name, timestamp, transaction, type, start_timestamp, spans).

/** Error severity: an error event with the metadata as the `metadata` context. */
export function errorEventPayload(e: FluxEvent, environment: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (environment !== '') out.environment = environment;
  out.level = 'error';
  if (e.message !== '') out.message = e.message;
  out.platform = 'go';
  out.sdk = SDK_INFO;
  if (e.reportingController !== '') out.server_name = e.reportingController;
  if (e.timestamp !== null) out.timestamp = e.timestamp;
  out.transaction = eventSummary(e);
  out.contexts = goMap({ metadata: goMap(e.metadata ?? {}) });
  return out;
}

/** The span tags: the fixed flux_* tags, then every metadata entry (which may replace them). */
export function transactionTags(e: FluxEvent): Map<string, string> {
  const o = e.involvedObject;
  const tags = new Map<string, string>([
    ['flux_involved_object_kind', o.kind ?? ''],
    ['flux_involved_object_namespace', o.namespace ?? ''],
    ['flux_involved_object_name', o.name ?? ''],
    ['flux_reporting_controller', e.reportingController],
    ['flux_reporting_instance', e.reportingInstance ?? ''],
    ['flux_reason', e.reason],
  ]);
  for (const [k, v] of Object.entries(e.metadata ?? {})) tags.set(k, v);
  return tags;
}

/** Info severity: a transaction whose single span carries the tags. */
export function transactionPayload(e: FluxEvent, environment: string): Record<string, unknown> {
  const tags = goMap(transactionTags(e));
  const span: Record<string, unknown> = { op: 'event' };
  if (e.timestamp !== null) {
    span.start_timestamp = e.timestamp;
    span.timestamp = e.timestamp;
  }
  span.origin = 'manual';
  span.tags = tags;

  const out: Record<string, unknown> = {};
  if (environment !== '') out.environment = environment;
  out.level = 'info';
  if (e.message !== '') out.message = e.message;
  out.platform = 'go';
  out.sdk = SDK_INFO;
  if (e.timestamp !== null) out.timestamp = e.timestamp;
  out.transaction = eventSummary(e);
  out.type = 'transaction';
  if (e.timestamp !== null) out.start_timestamp = e.timestamp;
  out.spans = [span];
  out.tags = tags;
  out.contexts = goMap({ trace: goMap({ op: 'event' }) });
  return out;
}

/** Any other severity: the notifier hands the SDK no event, and the SDK reports that instead. */
export function usageErrorPayload(environment: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (environment !== '') out.environment = environment;
  out.level = 'error';
  out.platform = 'go';
  out.sdk = SDK_INFO;
  out.exception = [{ type: 'sentry.usageError', value: 'CaptureEvent called with nil event' }];
  return out;
}

/** Envelope: header line, item header line, payload line, each ending in `\n`. */
export function envelope(d: SentryDsn, itemType: 'event' | 'transaction', payload: Record<string, unknown>): string {
  const body = goJson(payload);
  const header = goJson({ dsn: dsnString(d), sdk: SDK_INFO });
  const item = goJson({ type: itemType, length: Buffer.byteLength(body, 'utf8') });
  return `${header}\n${item}\n${body}\n`;
}

/** What the SDK sends for this event, and the SDK-generated fields we leave out. */
export function sentryItem(
  e: FluxEvent,
  environment: string,
): { type: 'event' | 'transaction'; payload: Record<string, unknown>; omitted: string[]; usageError: boolean } {
  const omitted = ['event_id', 'sent_at', 'release', 'modules', 'contexts device/os/runtime'];
  if (environment === '') omitted.push('environment');
  if (e.severity === 'error') {
    if (e.reportingController === '') omitted.push('server_name');
    if (e.timestamp === null) omitted.push('timestamp');
    return { type: 'event', payload: errorEventPayload(e, environment), omitted, usageError: false };
  }
  if (e.severity === 'info') {
    omitted.push('trace_id', 'span_id', 'server_name');
    if (e.timestamp === null) omitted.push('timestamp');
    return { type: 'transaction', payload: transactionPayload(e, environment), omitted, usageError: false };
  }
  omitted.push('server_name', 'timestamp', 'exception stacktrace');
  return { type: 'event', payload: usageErrorPayload(environment), omitted, usageError: true };
}

export const provider: ProviderDefinition = {
  type: 'sentry',
  transport: 'http',
  needs: 'address (Sentry DSN); channel optional (environment)',
  create(opts) {
    if (opts.url === '') throw new NotifierError('DSN cannot be empty');
    const dsn = parseDsn(opts.url);
    return {
      *post(e) {
        const item = sentryItem(e, opts.channel);
        const req: PlannedHttpRequest = {
          kind: 'http',
          method: 'POST',
          url: envelopeURL(dsn),
          headers: [
            ['User-Agent', `${SDK_NAME}/${SDK_VERSION}`],
            ['Content-Type', 'application/x-sentry-envelope'],
            ['X-Sentry-Auth', sentryAuth(dsn)],
          ],
          body: envelope(dsn, item.type, item.payload),
          retry: 'none',
          // The SDK gets a plain transport: no proxy at all (not even the environment's), only TLS.
          useProxy: false,
          useTLS: true,
          // Delivery is asynchronous: whatever Sentry answers, the notifier has already succeeded.
          check: () => null,
        };
        let failure = '';
        try {
          yield req;
        } catch (err) {
          // The SDK only logs delivery failures; Post has already returned success.
          failure = `delivery failed (not reported by the controller): ${err instanceof Error ? err.message : String(err)}; `;
        }
        const usage = item.usageError
          ? `severity ${JSON.stringify(e.severity)} is not sent: the SDK reports its own usage error instead; `
          : '';
        return {
          sent: true,
          note: `${usage}${failure}fire-and-forget (the Sentry SDK never reports delivery errors); SDK-generated fields not reproduced: ${item.omitted.join(', ')}`,
        };
      },
    };
  },
};
