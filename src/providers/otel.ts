// `otel` (providers §4.33): one OpenTelemetry span per event, exported by the Go OTLP/HTTP
// exporter as a protobuf ExportTraceServiceRequest. We build the exact request bytes here.
//
// Deliberate differences from upstream, because upstream uses randomness or the clock:
// - span ID: upstream draws 8 random bytes; we use the first 8 bytes of
//   SHA-256(trace ID bytes ‖ event JSON bytes), so a preview is stable and still differs per event;
// - end time: upstream takes the time of sending; we use `now()` when a clock is passed in the
//   options and otherwise the start time (a zero-length span);
// - start time of an event without timestamp: upstream uses the time of sending; we use `now()`
//   when given, else the Unix epoch (0);
// - process-level inputs are not modelled: OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME (extra
//   resource attributes), OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout), span limit variables;
// - secret headers are applied in their insertion order with the added Authorization last (Go
//   iterates a map: with a differently-cased `authorization` key the winner is random upstream).
// Upstream needs the Alert's identity (name, namespace, UID), which the controller passes in the
// context of Post; NotifierOptions has no such field, so it travels in `OtelOptions.alert`.

import { createHash } from 'node:crypto';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { FluxEvent } from '../flux/types.js';
import { encodeEvent } from '../flux/gojson.js';
import { GoURL, parseURL } from './gourl.js';
import { basicAuthValue, setHeader } from './sender.js';
import { sortedMetadata } from './text.js';
import type { Conversation, Notifier, NotifierOptions, PlannedHttpRequest, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** The Alert whose dispatch this is (upstream: metav1.ObjectMeta in the Post context). */
export interface AlertIdentity {
  name: string;
  namespace: string;
  uid: string;
}

export interface OtelOptions extends NotifierOptions {
  alert?: AlertIdentity;
  /** The clock, for the span end time (and the start time of events without timestamp). */
  now?: () => Date;
}

export const OTEL_EXPORTER_VERSION = '1.44.0';
export const OTEL_SCHEMA_URL = 'https://opentelemetry.io/schemas/1.34.0';
export const OTEL_SCOPE_NAME = 'flux:notification-controller';
const DEFAULT_TRACES_PATH = '/v1/traces';
/** Span attribute count limit of the Go SDK (OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT default). */
const ATTRIBUTE_COUNT_LIMIT = 128;
/** Kinds whose spans upstream roots in a fresh context; the exported span looks the same. */
const SOURCE_KINDS = ['GitRepository', 'HelmChart', 'OCIRepository', 'Bucket', 'ExternalArtifact'];

// ---------------------------------------------------------------------------------------------
// Identifiers

/** The revision the trace is keyed on: `<app-version>@<oci-digest>`, else `revision`, else `unknown`. */
export function traceRevision(metadata: Record<string, string> | undefined): string {
  const m = metadata ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(m, k);
  if (has('oci-digest') && has('app-version')) return `${m['app-version']}@${m['oci-digest']}`;
  if (has('revision')) return m.revision!;
  return 'unknown';
}

/** First 16 bytes of SHA-256(`<alertUID>:<revision>`): every event of one alert and revision shares a trace. */
export function traceId(alertUID: string, revision: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`${alertUID}:${revision}`, 'utf8').digest().subarray(0, 16));
}

/** Deterministic stand-in for upstream's random span ID (see the header comment). */
export function spanId(trace: Uint8Array, eventJson: string): Uint8Array {
  const id = new Uint8Array(createHash('sha256').update(trace).update(eventJson, 'utf8').digest().subarray(0, 8));
  // An all-zero span ID is invalid in OpenTelemetry; the odds are nil, but stay valid anyway.
  if (id.every((b) => b === 0)) id[7] = 1;
  return id;
}

export function isSourceKind(kind: string): boolean {
  return SOURCE_KINDS.includes(kind);
}

// ---------------------------------------------------------------------------------------------
// Exporter configuration (otlptracehttp.WithEndpointURL and friends)

/** Where the exporter posts: scheme from `https` or not, host, and the path (empty → /v1/traces). */
export function exportURL(address: string): string {
  let scheme = 'https';
  let host = 'localhost:4318';
  let path = DEFAULT_TRACES_PATH;
  try {
    const u = parseURL(address);
    scheme = u.scheme === 'https' ? 'https' : 'http';
    host = u.host;
    path = u.path;
  } catch {
    // The Go option only logs an unparsable URL and keeps its defaults (https://localhost:4318).
  }
  path = path.trim();
  if (path === '' || path === '.') path = DEFAULT_TRACES_PATH;
  else if (!path.startsWith('/')) path = '/' + path;
  return new GoURL({ scheme, host, path }).toString();
}

/**
 * The proxy the export goes through: upstream writes username and token/password into the proxy
 * URL's user info when both are set (the transport cannot see this from the request alone).
 */
export function otelProxyURL(opts: NotifierOptions): string {
  if (opts.proxyURL === '') return '';
  const token = opts.token === '' ? opts.password : opts.token;
  const u = parseURL(opts.proxyURL);
  if (opts.username !== '' && token !== '') u.user = { username: opts.username, password: token, passwordSet: true };
  return u.toString();
}

/** The secret headers plus the Authorization upstream derives from them (only when headers exist). */
export function exportHeaders(opts: NotifierOptions): Array<[string, string]> {
  const secretHeaders = Object.entries(opts.headers);
  if (secretHeaders.length === 0) return [];
  const token = opts.token === '' ? opts.password : opts.token;
  const out: Array<[string, string]> = [...secretHeaders];
  // Only the exact key `Authorization` counts as "already set" (a Go map lookup).
  if ((opts.headers.Authorization ?? '') === '') {
    const without = out.filter(([k]) => k !== 'Authorization');
    if (opts.username === '') return [...without, ['Authorization', 'Bearer ' + token]];
    if (token !== '') return [...without, ['Authorization', basicAuthValue(opts.username, token)]];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Protobuf (opentelemetry-proto ExportTraceServiceRequest), fields in number order like Go

export interface SpanModel {
  resource: Array<[string, string]>;
  traceId: Uint8Array;
  spanId: Uint8Array;
  name: string;
  startUnixNano: bigint;
  endUnixNano: bigint;
  attributes: Array<[string, string]>;
  droppedAttributes: number;
  status: { code: 1 | 2; message: string };
  flags: number;
}

/** SPAN_KIND_INTERNAL: the tracer's default. */
const SPAN_KIND_INTERNAL = 1;
/** W3C sampled | SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE | SPAN_FLAGS_CONTEXT_IS_REMOTE (the synthetic parent is remote). */
export const SPAN_FLAGS = 0x01 | 0x100 | 0x200;

function writeKeyValue(w: BinaryWriter, field: number, key: string, value: string): void {
  w.tag(field, WireType.LengthDelimited).fork();
  if (key !== '') w.tag(1, WireType.LengthDelimited).string(key);
  // AnyValue.string_value is a oneof member: written even when empty.
  w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(value).join();
  w.join();
}

export function encodeTraceRequest(s: SpanModel): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, WireType.LengthDelimited).fork(); // ResourceSpans
  w.tag(1, WireType.LengthDelimited).fork(); // Resource
  for (const [k, v] of s.resource) writeKeyValue(w, 1, k, v);
  w.join();
  w.tag(2, WireType.LengthDelimited).fork(); // ScopeSpans
  w.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(OTEL_SCOPE_NAME).join();
  w.tag(2, WireType.LengthDelimited).fork(); // Span
  w.tag(1, WireType.LengthDelimited).bytes(s.traceId);
  w.tag(2, WireType.LengthDelimited).bytes(s.spanId);
  w.tag(5, WireType.LengthDelimited).string(s.name);
  w.tag(6, WireType.Varint).int32(SPAN_KIND_INTERNAL);
  if (s.startUnixNano !== 0n) w.tag(7, WireType.Bit64).fixed64(s.startUnixNano);
  if (s.endUnixNano !== 0n) w.tag(8, WireType.Bit64).fixed64(s.endUnixNano);
  for (const [k, v] of s.attributes) writeKeyValue(w, 9, k, v);
  if (s.droppedAttributes !== 0) w.tag(10, WireType.Varint).uint32(s.droppedAttributes);
  w.tag(15, WireType.LengthDelimited).fork(); // Status (always present, possibly empty)
  if (s.status.message !== '') w.tag(2, WireType.LengthDelimited).string(s.status.message);
  w.tag(3, WireType.Varint).int32(s.status.code);
  w.join();
  w.tag(16, WireType.Bit32).fixed32(s.flags);
  w.join(); // Span
  w.join(); // ScopeSpans
  w.tag(3, WireType.LengthDelimited).string(OTEL_SCHEMA_URL);
  w.join(); // ResourceSpans
  return w.finish();
}

/**
 * The SDK's attribute bookkeeping: empty keys are dropped (and counted), a repeated key keeps
 * its first position with the last value, and at most 128 distinct keys are kept.
 */
function spanAttributes(list: Array<[string, string]>): { attributes: Array<[string, string]>; dropped: number } {
  const out: Array<[string, string]> = [];
  const index = new Map<string, number>();
  let dropped = 0;
  for (const [k, v] of list) {
    if (k === '') {
      dropped++;
      continue;
    }
    const at = index.get(k);
    if (at !== undefined) out[at] = [k, v];
    else if (out.length >= ATTRIBUTE_COUNT_LIMIT) dropped++;
    else {
      index.set(k, out.length);
      out.push([k, v]);
    }
  }
  return { attributes: out, dropped };
}

function unixNano(ms: number): bigint {
  return ms <= 0 ? 0n : BigInt(ms) * 1_000_000n;
}

/** The span upstream would export for `e` (with our deterministic span ID and times). */
export function spanModel(e: FluxEvent, alert: AlertIdentity, now?: () => Date): SpanModel {
  const obj = e.involvedObject;
  const trace = traceId(alert.uid, traceRevision(e.metadata));
  const start = e.timestamp !== null ? Date.parse(e.timestamp) : now ? now().getTime() : 0;
  const end = now ? now().getTime() : start;
  // Metadata order is random upstream (§3.6): sorted here.
  const { attributes, dropped } = spanAttributes([
    ['object.uid', obj.uid ?? ''],
    ['object.kind', obj.kind ?? ''],
    ['object.name', obj.name ?? ''],
    ['object.namespace', obj.namespace ?? ''],
    ...sortedMetadata(e),
  ]);
  return {
    // attribute.Set order: sorted by key.
    resource: [
      ['service.instance.id', alert.uid],
      ['service.name', `${alert.namespace}/${alert.name}`],
      ['service.namespace', alert.namespace],
    ],
    traceId: trace,
    spanId: spanId(trace, encodeEvent(e)),
    name: `${obj.kind ?? ''}: ${obj.namespace ?? ''}/${obj.name ?? ''}`,
    startUnixNano: unixNano(start),
    endUnixNano: unixNano(end),
    attributes,
    droppedAttributes: dropped,
    // The SDK keeps a description only for ERROR.
    status: e.severity === 'error' ? { code: 2, message: e.message } : { code: 1, message: '' },
    flags: SPAN_FLAGS,
  };
}

// ---------------------------------------------------------------------------------------------
// The notifier

function create(opts: OtelOptions): Notifier {
  const url = exportURL(opts.url);
  const headers = exportHeaders(opts);
  if (opts.proxyURL !== '') {
    try {
      parseURL(opts.proxyURL);
    } catch (err) {
      throw new NotifierError(`failed to proxy URL - ${opts.proxyURL}: ${(err as Error).message}`);
    }
  }
  // Raised by the exporter's Start: a CA / client certificate with a plaintext endpoint.
  if (opts.tls !== undefined && url.startsWith('http:')) {
    throw new NotifierError('insecure HTTP endpoint cannot use TLS client configuration');
  }
  const alert = opts.alert;
  const now = opts.now;

  return {
    *post(e: FluxEvent): Conversation {
      if (!alert) throw new NotifierError('alert metadata not found in context');
      if (e.involvedObject.kind === 'HelmRepository') {
        return { sent: false, note: 'OTEL notification skipped: HelmRepository events are not traced' };
      }
      const requestHeaders: Array<[string, string]> = [['User-Agent', `OTel OTLP Exporter Go/${OTEL_EXPORTER_VERSION}`]];
      for (const [k, v] of headers) setHeader(requestHeaders, k, v);
      setHeader(requestHeaders, 'Content-Type', 'application/x-protobuf');
      const request: PlannedHttpRequest = {
        kind: 'http',
        method: 'POST',
        url,
        headers: requestHeaders,
        body: encodeTraceRequest(spanModel(e, alert, now)),
        // The exporter has its own policy (429/502/503/504, 5 s..30 s, 1 min); none of ours fits.
        retry: 'none',
        useProxy: true,
        useTLS: true,
        // Export failures never reach Post: the span processor only logs them.
        check: () => null,
      };
      const reply = yield request;
      if (reply.status >= 200 && reply.status < 300) return { sent: true };
      return {
        sent: true,
        note:
          `the collector answered ${reply.status}; the OTLP exporter only logs export failures ` +
          '(after its own retries for 429/502/503/504), so notification-controller reports success',
      };
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'otel',
  transport: 'http', // OTLP over HTTP (protobuf): delivered by the same transport as the others
  create,
  needs:
    'address = OTLP/HTTP traces endpoint (e.g. http://collector:4318/v1/traces); optional secret headers ' +
    '(token/password or username+token become Authorization only when headers are set), proxy, certSecretRef',
};
