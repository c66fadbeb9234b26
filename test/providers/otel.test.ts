// otel notifier. Expected values: providers spec §1.3, §4.33, §5 (trace ID vector, Basic auth
// vector); notification-controller internal/notifier/otel.go and otel_test.go; OpenTelemetry Go
// v1.44.0 (sdk/trace tracer.go + span.go, otlptrace tracetransform/span.go, otlptracehttp
// client.go + otlpconfig/options.go) and opentelemetry-proto field numbers.

import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import {
  exportURL,
  otelProxyURL,
  provider,
  traceId,
  traceRevision,
  type AlertIdentity,
  type OtelOptions,
} from '../../src/providers/otel.js';
import type { PlannedHttpRequest } from '../../src/providers/types.js';
import { NotifierError } from '../../src/providers/types.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const ALERT: AlertIdentity = { name: 'podinfo-alerts', namespace: 'flux-system', uid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' };
/** Unix seconds of E's timestamp (providers §1.3), in nanoseconds. */
const E_START_NANOS = 1748779200n * 1_000_000_000n;

function opts(o: Partial<OtelOptions> = {}): OtelOptions {
  return { ...options({ url: 'http://collector:4318/v1/traces' }), alert: ALERT, ...o };
}

const factoryError = (o: OtelOptions): string => thrown(() => provider.create(o));

function request(o: OtelOptions = opts(), event = sampleEvent()): PlannedHttpRequest {
  return onlyHttp(drive(provider.create(o).post(event)));
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// ---------------------------------------------------------------------------------------------
// A schema-less protobuf reader: every field as (number, wire type, value), in wire order.

interface Field {
  no: number;
  wt: WireType;
  bytes?: Uint8Array;
  varint?: bigint;
  fixed?: bigint;
}

function fields(buf: Uint8Array): Field[] {
  const r = new BinaryReader(buf);
  const out: Field[] = [];
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (wt === WireType.LengthDelimited) out.push({ no, wt, bytes: r.bytes() });
    else if (wt === WireType.Varint) out.push({ no, wt, varint: BigInt(r.uint64()) });
    else if (wt === WireType.Bit64) out.push({ no, wt, fixed: BigInt(r.fixed64()) });
    else if (wt === WireType.Bit32) out.push({ no, wt, fixed: BigInt(r.fixed32()) });
    else throw new Error(`unexpected wire type ${wt}`);
  }
  return out;
}

const all = (b: Uint8Array, no: number) => fields(b).filter((f) => f.no === no);
function one(b: Uint8Array, no: number): Field {
  const f = all(b, no);
  if (f.length !== 1) throw new Error(`field ${no}: ${f.length} occurrences`);
  return f[0]!;
}
const sub = (b: Uint8Array, no: number) => one(b, no).bytes!;
const str = (b: Uint8Array) => new TextDecoder().decode(b);

/** KeyValue{1: key, 2: AnyValue{1: string_value}} → [key, value]. */
function keyValues(b: Uint8Array, no: number): Array<[string, string]> {
  return all(b, no).map((f) => {
    const kv = f.bytes!;
    const key = all(kv, 1).map((k) => str(k.bytes!))[0] ?? '';
    return [key, str(sub(sub(kv, 2), 1))];
  });
}

/** ExportTraceServiceRequest → { resourceSpans, resource, scopeSpans, span } byte views. */
function decode(body: Uint8Array) {
  const resourceSpans = sub(body, 1);
  const scopeSpans = sub(resourceSpans, 2);
  const span = sub(scopeSpans, 2);
  return { body, resourceSpans, resource: sub(resourceSpans, 1), scopeSpans, span };
}

function body(req: PlannedHttpRequest): Uint8Array {
  expect(req.body).toBeInstanceOf(Uint8Array);
  return req.body as Uint8Array;
}

// ---------------------------------------------------------------------------------------------

describe('otel: trace identity (providers §4.33, §5)', () => {
  it('otel: trace ID = first 16 bytes of SHA-256("<alertUID>:<revision>") — §5 vector 5e010d100d5c4efb39951afbb50ddd9d', () => {
    expect(hex(traceId('1b4e28ba-2fa1-11d2-883f-0016d3cca427', 'main@sha1:abc123'))).toBe('5e010d100d5c4efb39951afbb50ddd9d');
  });

  it('otel: the revision is <app-version>@<oci-digest> when both exist, else revision, else "unknown"', () => {
    expect(traceRevision({ 'app-version': '6.0.0', 'oci-digest': 'sha256:abc', revision: 'r' })).toBe('6.0.0@sha256:abc');
    expect(traceRevision({ 'oci-digest': 'sha256:abc', revision: 'r' })).toBe('r');
    expect(traceRevision({ summary: 's' })).toBe('unknown');
    expect(traceRevision(undefined)).toBe('unknown');
  });

  it('otel: the exported span carries the §5 trace ID for sample E', () => {
    const { span } = decode(body(request()));
    expect(hex(sub(span, 1))).toBe('5e010d100d5c4efb39951afbb50ddd9d');
  });
});

describe('otel: the OTLP/HTTP request (otlptracehttp client.go)', () => {
  it('otel: POST to the address with User-Agent, then Content-Type application/x-protobuf', () => {
    const req = request();
    expect(req.method).toBe('POST');
    expect(req.url).toBe('http://collector:4318/v1/traces');
    expect(req.headers).toEqual([
      ['User-Agent', 'OTel OTLP Exporter Go/1.44.0'],
      ['Content-Type', 'application/x-protobuf'],
    ]);
    expect(req.useProxy).toBe(true);
    expect(req.useTLS).toBe(true);
  });

  it('otel: an address without path posts to /v1/traces; any other path is kept; the query is dropped', () => {
    expect(exportURL('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(exportURL('https://otel.example.com/custom/path?x=1')).toBe('https://otel.example.com/custom/path');
  });

  it('otel: https → TLS; any other scheme → plaintext http', () => {
    expect(exportURL('https://collector:4318/v1/traces')).toBe('https://collector:4318/v1/traces');
    expect(exportURL('grpc://collector:4317')).toBe('http://collector:4317/v1/traces');
  });

  it('otel: an unparsable address leaves the exporter defaults (https://localhost:4318/v1/traces)', () => {
    expect(exportURL('http://[::1')).toBe('https://localhost:4318/v1/traces');
  });

  it('otel: a collector error is not reported: Post still succeeds (the span processor only logs)', () => {
    const d = drive(provider.create(opts()).post(sampleEvent()), [reply(500, 'boom')]);
    expect(d.error).toBeUndefined();
    expect(d.outcome?.sent).toBe(true);
    expect(d.outcome?.note).toContain('500');
    expect(onlyHttp(d).check?.({ status: 500, headers: {}, body: 'boom' })).toBeNull();
  });

  it('otel: a 2xx answer ends the conversation as sent', () => {
    expect(drive(provider.create(opts()).post(sampleEvent()), [reply(200)]).outcome).toEqual({ sent: true });
  });
});

describe('otel: authentication only with Secret headers (providers §4.33 auth quirk)', () => {
  const auth = (o: Partial<OtelOptions>) => request(opts(o)).headers.filter(([k]) => k === 'Authorization');

  it('otel: without headers no Authorization is sent, even with a token', () => {
    expect(auth({ token: 'tkn', username: 'user' })).toEqual([]);
  });

  it('otel: with headers and no username → Bearer <token>, secret headers in between', () => {
    expect(request(opts({ headers: { 'x-scope-orgid': 'tenant1' }, token: 'tkn' })).headers).toEqual([
      ['User-Agent', 'OTel OTLP Exporter Go/1.44.0'],
      ['X-Scope-Orgid', 'tenant1'],
      ['Authorization', 'Bearer tkn'],
      ['Content-Type', 'application/x-protobuf'],
    ]);
  });

  it('otel: with headers, no username and no token → "Bearer " (empty token)', () => {
    expect(auth({ headers: { a: 'b' } })).toEqual([['Authorization', 'Bearer ']]);
  });

  it('otel: with headers, username and token → Basic base64(user:token) (§5 vector user/password)', () => {
    expect(auth({ headers: { a: 'b' }, username: 'user', token: 'password' })).toEqual([['Authorization', 'Basic dXNlcjpwYXNzd29yZA==']]);
  });

  it('otel: the factory uses password when the token is empty', () => {
    expect(auth({ headers: { a: 'b' }, username: 'user', password: 'password' })).toEqual([['Authorization', 'Basic dXNlcjpwYXNzd29yZA==']]);
  });

  it('otel: with headers and a username but no token/password → no Authorization', () => {
    expect(auth({ headers: { a: 'b' }, username: 'user' })).toEqual([]);
  });

  it('otel: an Authorization among the headers is kept', () => {
    expect(auth({ headers: { Authorization: 'ApiKey k' }, token: 'tkn' })).toEqual([['Authorization', 'ApiKey k']]);
  });

  it('otel: username and token/password are also written into the proxy URL', () => {
    expect(otelProxyURL(opts({ proxyURL: 'http://proxy:3128', username: 'user', token: 'pw' }))).toBe('http://user:pw@proxy:3128');
    expect(otelProxyURL(opts({ proxyURL: 'http://proxy:3128', username: 'user' }))).toBe('http://proxy:3128');
  });
});

describe('otel: factory and post errors', () => {
  it('otel: an unparsable proxy → "failed to proxy URL - <proxy>: <url.Parse error>"', () => {
    expect(factoryError(opts({ proxyURL: 'http://[::1' }))).toBe(`failed to proxy URL - http://[::1: parse "http://[::1": missing ']' in host`);
  });

  it('otel: TLS material with a plaintext endpoint → "insecure HTTP endpoint cannot use TLS client configuration"', () => {
    expect(factoryError(opts({ tls: { ca: 'PEM' } }))).toBe('insecure HTTP endpoint cannot use TLS client configuration');
    expect(() => provider.create(opts({ url: 'https://collector:4318', tls: { ca: 'PEM' } }))).not.toThrow();
  });

  it('otel: without the alert → "alert metadata not found in context"', () => {
    const o = opts();
    delete o.alert;
    const d = drive(provider.create(o).post(sampleEvent()));
    expect(errorText(d)).toBe('alert metadata not found in context');
    expect(d.requests).toHaveLength(0);
  });

  it('otel: HelmRepository events are skipped without a request', () => {
    const event = sampleEvent({ involvedObject: { kind: 'HelmRepository', namespace: 'flux-system', name: 'podinfo' } });
    const d = drive(provider.create(opts()).post(event));
    expect(d.requests).toHaveLength(0);
    expect(d.outcome?.sent).toBe(false);
  });

  it('otel: type string and transport', () => {
    expect(provider.type).toBe('otel');
  });
});

describe('otel: protobuf ExportTraceServiceRequest for sample E (decoded)', () => {
  const req = request();
  const d = decode(body(req));

  it('otel: resource attributes sorted by key: service.instance.id, service.name, service.namespace', () => {
    expect(keyValues(d.resource, 1)).toEqual([
      ['service.instance.id', '1b4e28ba-2fa1-11d2-883f-0016d3cca427'],
      ['service.name', 'flux-system/podinfo-alerts'],
      ['service.namespace', 'flux-system'],
    ]);
  });

  it('otel: resource schema URL https://opentelemetry.io/schemas/1.34.0', () => {
    expect(str(sub(d.resourceSpans, 3))).toBe('https://opentelemetry.io/schemas/1.34.0');
  });

  it('otel: instrumentation scope name flux:notification-controller (no version)', () => {
    const scope = sub(d.scopeSpans, 1);
    expect(str(sub(scope, 1))).toBe('flux:notification-controller');
    expect(all(scope, 2)).toEqual([]);
  });

  it('otel: span name "Kind: namespace/name", kind INTERNAL (1), no parent span ID, no trace state', () => {
    expect(str(sub(d.span, 5))).toBe('Kustomization: flux-system/podinfo');
    expect(one(d.span, 6).varint).toBe(1n);
    expect(all(d.span, 4)).toEqual([]);
    expect(all(d.span, 3)).toEqual([]);
  });

  it('otel: span ID has 8 bytes, not all zero', () => {
    const id = sub(d.span, 2);
    expect(id).toHaveLength(8);
    expect(id.some((b) => b !== 0)).toBe(true);
  });

  it('otel: start time = event timestamp (1748779200 s) in Unix nanoseconds', () => {
    expect(one(d.span, 7).wt).toBe(WireType.Bit64);
    expect(one(d.span, 7).fixed).toBe(E_START_NANOS);
  });

  it('otel: attributes object.uid, object.kind, object.name, object.namespace, then metadata', () => {
    expect(keyValues(d.span, 9)).toEqual([
      ['object.uid', '7d0cdc51-ddcf-4743-b223-83ca5c699632'],
      ['object.kind', 'Kustomization'],
      ['object.name', 'podinfo'],
      ['object.namespace', 'flux-system'],
      ['revision', 'main@sha1:abc123'],
      ['summary', 'Cluster: production'],
    ]);
  });

  it('otel: status OK (code 1) without description for info', () => {
    const status = sub(d.span, 15);
    expect(one(status, 3).varint).toBe(1n);
    expect(all(status, 2)).toEqual([]);
  });

  it('otel: span flags = sampled | has-is-remote | parent-is-remote (0x301)', () => {
    expect(one(d.span, 16).wt).toBe(WireType.Bit32);
    expect(one(d.span, 16).fixed).toBe(0x301n);
  });

  it('otel: fields are written in field-number order, as Go protobuf does', () => {
    for (const b of [d.body, d.resourceSpans, d.scopeSpans, d.span]) {
      const nos = fields(b).map((f) => f.no);
      expect([...nos].sort((a, z) => a - z)).toEqual(nos);
    }
  });

  it('otel: one resource span, one scope span, one span', () => {
    expect(all(d.body, 1)).toHaveLength(1);
    expect(all(d.resourceSpans, 2)).toHaveLength(1);
    expect(all(d.scopeSpans, 2)).toHaveLength(1);
  });
});

describe('otel: span rules', () => {
  it('otel: severity error → status ERROR (code 2) with the message as description', () => {
    const status = sub(decode(body(request(opts(), sampleEvent({ severity: 'error', message: 'health check failed' })))).span, 15);
    expect(one(status, 3).varint).toBe(2n);
    expect(str(sub(status, 2))).toBe('health check failed');
  });

  it('otel: severity trace behaves like info (status OK)', () => {
    const status = sub(decode(body(request(opts(), sampleEvent({ severity: 'trace' })))).span, 15);
    expect(one(status, 3).varint).toBe(1n);
  });

  it('otel: end time is the clock when one is given (upstream: time of sending)', () => {
    const now = () => new Date('2025-06-01T12:00:05Z');
    const span = decode(body(request(opts({ now })))).span;
    expect(one(span, 8).fixed).toBe(E_START_NANOS + 5_000_000_000n);
  });

  it('otel: a metadata key equal to an object attribute replaces its value in place (SDK dedupe)', () => {
    const span = decode(body(request(opts(), sampleEvent({ metadata: { 'object.kind': 'X', revision: 'r' } })))).span;
    expect(keyValues(span, 9)).toEqual([
      ['object.uid', '7d0cdc51-ddcf-4743-b223-83ca5c699632'],
      ['object.kind', 'X'],
      ['object.name', 'podinfo'],
      ['object.namespace', 'flux-system'],
      ['revision', 'r'],
    ]);
  });

  it('otel: an empty metadata key is dropped and counted (dropped_attributes_count)', () => {
    const span = decode(body(request(opts(), sampleEvent({ metadata: { '': 'v', revision: 'r' } })))).span;
    expect(keyValues(span, 9).map(([k]) => k)).not.toContain('');
    expect(one(span, 10).varint).toBe(1n);
  });

  it('otel: source kinds export the same span shape (no parent span ID either way)', () => {
    const event = sampleEvent({ involvedObject: { kind: 'GitRepository', namespace: 'flux-system', name: 'podinfo' } });
    const span = decode(body(request(opts(), event))).span;
    expect(str(sub(span, 5))).toBe('GitRepository: flux-system/podinfo');
    expect(all(span, 4)).toEqual([]);
  });

  it('otel: the test event of otel_test.go carries its metadata values in the body', () => {
    const event = sampleEvent({ metadata: { revision: 'main@sha1:abc123', cluster: 'my-cluster', region: 'us-east-2', env: 'prod' } });
    const text = Buffer.from(body(request(opts({ alert: { name: 'test-alert', namespace: 'test-namespace', uid: 'test-alert-uid' } }), event))).toString('latin1');
    for (const s of ['podinfo', 'Kustomization', 'flux-system', 'my-cluster', 'us-east-2', 'prod', 'test-namespace/test-alert']) {
      expect(text).toContain(s);
    }
  });
});
