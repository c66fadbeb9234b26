// Go encoding/json, byte for byte (spec §1.1, providers §3.1). Plain objects are Go structs:
// keys are written in insertion order, and the caller leaves out omitempty fields. Maps must be
// wrapped with `goMap` so that their keys are sorted by UTF-8 bytes as Go does.

import type { FluxEvent, ObjectReference } from './types.js';

const GO_MAP = Symbol('goMap');

export interface GoMap {
  readonly [GO_MAP]: true;
  readonly entries: ReadonlyArray<readonly [string, unknown]>;
}

/** Marks a record (or Map) as a Go map: its keys are sorted on output. */
export function goMap(m: Record<string, unknown> | Map<string, unknown>): GoMap {
  const entries = m instanceof Map ? [...m.entries()] : Object.keys(m).map((k) => [k, m[k]] as const);
  return { [GO_MAP]: true, entries };
}

function isGoMap(v: unknown): v is GoMap {
  return typeof v === 'object' && v !== null && GO_MAP in v;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Byte-wise UTF-8 comparison (JS `<` compares UTF-16 code units, which differs above U+FFFF). */
export function compareUtf8(a: string, b: string): number {
  // Without surrogates, UTF-16 code unit order is code point order, which is UTF-8 byte order.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const HEX = '0123456789abcdef';

export interface GoJsonOptions {
  /** Go's default escapes <, >, & as \u003c \u003e \u0026; go-github turns it off. */
  escapeHTML?: boolean;
}

/** Characters Go escapes or replaces in a string (the HTML ones only with escapeHTML). */
const NEEDS_WORK = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;
const NEEDS_WORK_NO_HTML = /[\u0000-\u001f"\\\u2028\u2029\ud800-\udfff]/;

export function goQuote(s: string, opts: GoJsonOptions = {}): string {
  const escapeHTML = opts.escapeHTML ?? true;
  // Most strings need nothing: skip the per-character walk.
  if (!(escapeHTML ? NEEDS_WORK : NEEDS_WORK_NO_HTML).test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else {
        out += '\\ufffd'; // a lone surrogate is invalid UTF-8 on the Go side
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\\ufffd';
      continue;
    }
    switch (c) {
      case 0x22: out += '\\"'; continue;
      case 0x5c: out += '\\\\'; continue;
      case 0x0a: out += '\\n'; continue;
      case 0x0d: out += '\\r'; continue;
      case 0x09: out += '\\t'; continue;
      case 0x08: out += '\\b'; continue;
      case 0x0c: out += '\\f'; continue;
    }
    if (c < 0x20 || (escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))) {
      out += '\\u00' + HEX[c >> 4]! + HEX[c & 0xf]!;
      continue;
    }
    if (c === 0x2028 || c === 0x2029) {
      out += c === 0x2028 ? '\\u2028' : '\\u2029';
      continue;
    }
    if (c === 0xfffd) {
      out += '\ufffd';
      continue;
    }
    out += s[i]!;
  }
  return out + '"';
}

/** Go's float64 formatting ('f' between 1e-6 and 1e21, else 'e' with a 2-digit exponent). */
function goNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n}`);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    const [mant, exp] = n.toExponential().split('e') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '');
    return `${mant}e${sign}${digits.length < 2 ? '0' + digits : digits}`;
  }
  return String(n);
}

export function goJson(value: unknown, opts: GoJsonOptions = {}): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string': return goQuote(value, opts);
    case 'number': return goNumber(value);
    case 'bigint': return value.toString();
    case 'boolean': return value ? 'true' : 'false';
  }
  if (Array.isArray(value)) return '[' + value.map((v) => goJson(v, opts)).join(',') + ']';
  if (isGoMap(value)) {
    const entries = [...value.entries].sort((a, b) => compareUtf8(a[0], b[0]));
    return '{' + entries.map(([k, v]) => goQuote(k, opts) + ':' + goJson(v, opts)).join(',') + '}';
  }
  if (value instanceof Map) return goJson(goMap(value), opts);
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(obj)) {
    if (obj[k] === undefined) continue;
    parts.push(goQuote(k, opts) + ':' + goJson(obj[k], opts));
  }
  return '{' + parts.join(',') + '}';
}

const REF_FIELDS: Array<keyof ObjectReference> = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

/** The event as a Go struct value (field order, omitempty) ready for `goJson`. */
export function eventStruct(e: FluxEvent): Record<string, unknown> {
  const ref: Record<string, unknown> = {};
  for (const f of REF_FIELDS) {
    const v = e.involvedObject[f];
    if (v) ref[f] = v;
  }
  const out: Record<string, unknown> = {
    involvedObject: ref,
    severity: e.severity,
    timestamp: e.timestamp,
    message: e.message,
    reason: e.reason,
  };
  if (e.metadata && Object.keys(e.metadata).length > 0) out.metadata = goMap(e.metadata);
  out.reportingController = e.reportingController;
  if (e.reportingInstance) out.reportingInstance = e.reportingInstance;
  return out;
}

/**
 * The exact wire bytes of an event as NC serialises it (no trailing newline): what
 * `goJson(eventStruct(e), opts)` gives, written directly because every notification needs it.
 */
export function encodeEvent(e: FluxEvent, opts: GoJsonOptions = {}): string {
  const ref = e.involvedObject;
  let inv = '';
  for (const f of REF_FIELDS) {
    const v = ref[f];
    if (v) inv += (inv === '' ? '"' : ',"') + f + '":' + goQuote(v, opts);
  }
  let out = '{"involvedObject":{' + inv + '},"severity":' + goQuote(e.severity, opts);
  out += ',"timestamp":' + (e.timestamp === null ? 'null' : goQuote(e.timestamp, opts));
  out += ',"message":' + goQuote(e.message, opts) + ',"reason":' + goQuote(e.reason, opts);
  const md = e.metadata;
  if (md) {
    const keys = Object.keys(md);
    if (keys.length > 0) {
      keys.sort(compareUtf8);
      out += ',"metadata":{';
      for (let i = 0; i < keys.length; i++) out += (i ? ',' : '') + goQuote(keys[i]!, opts) + ':' + goQuote(md[keys[i]!]!, opts);
      out += '}';
    }
  }
  out += ',"reportingController":' + goQuote(e.reportingController, opts);
  if (e.reportingInstance) out += ',"reportingInstance":' + goQuote(e.reportingInstance, opts);
  return out + '}';
}
