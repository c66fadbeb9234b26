// Decoding a Flux event the way NC's event server does: Go encoding/json into event.Event
// (spec §2.3). Go semantics that JSON.parse + property access would get wrong:
// field names match case-insensitively, the last occurrence (in any casing) wins, objects merge
// into the value already decoded, lone surrogate escapes become U+FFFD, and type mismatches fail.

import { normaliseTimestamp, TimestampError } from './timestamp.js';
import { stringMap, type FluxEvent, type ObjectReference, type StringMap } from './types.js';

export class EventDecodeError extends Error {}

/** JSON value with object members kept in text order (duplicates included). */
type JValue = null | boolean | number | string | JValue[] | { members: Array<[string, JValue]> };

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  fail(msg: string): never {
    throw new EventDecodeError(`${msg} at offset ${this.i}`);
  }
  ws() {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }
  value(depth: number): JValue {
    if (depth > 10000) this.fail('exceeded max depth');
    this.ws();
    const c = this.s[this.i];
    switch (c) {
      case '{': return this.object(depth);
      case '[': return this.array(depth);
      case '"': return this.string();
      case 't': return this.literal('true', true);
      case 'f': return this.literal('false', false);
      case 'n': return this.literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail(c === undefined ? 'unexpected end of JSON input' : `invalid character ${JSON.stringify(c)} looking for beginning of value`);
    }
  }
  literal<T>(word: string, v: T): T {
    if (this.s.startsWith(word, this.i)) {
      this.i += word.length;
      return v;
    }
    return this.fail(`invalid literal`);
  }
  number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail('invalid number');
    this.i += m[0].length;
    return Number(m[0]);
  }
  string(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = '';
    let start = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('unexpected end of JSON input');
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(start, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail('invalid character in string literal');
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += s.slice(start, this.i);
      const e = s[this.i + 1];
      this.i += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const cu = this.hex4();
          if (cu >= 0xd800 && cu <= 0xdbff && s.startsWith('\\u', this.i)) {
            const save = this.i;
            this.i += 2;
            const lo = this.hex4();
            if (lo >= 0xdc00 && lo <= 0xdfff) {
              out += String.fromCharCode(cu, lo);
              break;
            }
            this.i = save;
          }
          out += cu >= 0xd800 && cu <= 0xdfff ? '\ufffd' : String.fromCharCode(cu);
          break;
        }
        default:
          this.fail('invalid escape in string literal');
      }
      start = this.i;
    }
  }
  hex4(): number {
    const h = this.s.slice(this.i, this.i + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('invalid \\u escape');
    this.i += 4;
    return parseInt(h, 16);
  }
  array(depth: number): JValue[] {
    this.i++;
    const out: JValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail("invalid character after array element");
    }
  }
  object(depth: number): { members: Array<[string, JValue]> } {
    this.i++;
    const members: Array<[string, JValue]> = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { members };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('invalid character looking for beginning of object key string');
      const k = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') this.fail('invalid character after object key');
      members.push([k, this.value(depth + 1)]);
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return { members };
      if (c !== ',') this.fail('invalid character after object key:value pair');
    }
  }
}

/** Go's case folding for struct field names (ASCII plus the Kelvin sign and long s). */
function fold(k: string): string {
  return k.replace(/\u212a/g, 'k').replace(/\u017f/g, 's').toLowerCase();
}

function isObject(v: JValue): v is { members: Array<[string, JValue]> } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: JValue): string {
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  return typeof v;
}

function str(v: JValue, field: string, current: string): string {
  if (v === null) return current; // null leaves a Go string untouched
  if (typeof v !== 'string') throw new EventDecodeError(`json: cannot unmarshal ${typeName(v)} into Go struct field Event.${field} of type string`);
  return v;
}

const REF_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;
const EVENT_FIELDS = ['involvedObject', 'severity', 'timestamp', 'message', 'reason', 'metadata', 'reportingController', 'reportingInstance'] as const;

function matchField<T extends string>(fields: readonly T[], key: string): T | undefined {
  const exact = fields.find((f) => f === key);
  if (exact) return exact;
  const f = fold(key);
  return fields.find((x) => fold(x) === f);
}

/** An empty event, as Go's zero value. */
export function emptyEvent(): FluxEvent {
  return { involvedObject: {}, severity: '', timestamp: null, message: '', reason: '', reportingController: '' };
}

/**
 * Decodes a request body into a Flux event as NC would (json.Unmarshal into event.Event).
 * Throws EventDecodeError for what NC answers with 400. `null` gives the empty event.
 */
export function decodeFluxEvent(text: string): FluxEvent {
  const p = new Parser(text);
  const root = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail('invalid character after top-level value');
  const ev = emptyEvent();
  if (root === null) return ev;
  if (!isObject(root)) throw new EventDecodeError(`json: cannot unmarshal ${typeName(root)} into Go value of type v1beta1.Event`);
  let typeErr: EventDecodeError | undefined;
  // Go keeps decoding after a type mismatch and reports the first one; the result is a 400 either way.
  const note = (e: unknown) => {
    if (e instanceof EventDecodeError) typeErr ??= e;
    else throw e;
  };
  for (const [key, v] of root.members) {
    const f = matchField(EVENT_FIELDS, key);
    if (!f) continue;
    try {
      switch (f) {
        case 'involvedObject':
          if (v === null) break;
          if (!isObject(v)) throw new EventDecodeError(`json: cannot unmarshal ${typeName(v)} into Go struct field Event.involvedObject of type v1.ObjectReference`);
          for (const [rk, rv] of v.members) {
            const rf = matchField(REF_FIELDS, rk);
            if (!rf) continue;
            try {
              const next = str(rv, `involvedObject.${rf}`, ev.involvedObject[rf] ?? '');
              (ev.involvedObject as Record<string, string>)[rf] = next;
            } catch (e) {
              note(e);
            }
          }
          break;
        case 'timestamp':
          if (v === null) {
            ev.timestamp = null;
            break;
          }
          if (typeof v !== 'string') throw new EventDecodeError(`json: cannot unmarshal ${typeName(v)} into Go struct field Event.timestamp of type string`);
          try {
            ev.timestamp = normaliseTimestamp(v);
          } catch (e) {
            if (e instanceof TimestampError) throw new EventDecodeError(e.message);
            throw e;
          }
          break;
        case 'metadata': {
          if (v === null) break; // Go leaves the map as it was
          if (!isObject(v)) throw new EventDecodeError(`json: cannot unmarshal ${typeName(v)} into Go struct field Event.metadata of type map[string]string`);
          const m: StringMap = ev.metadata ?? stringMap();
          for (const [mk, mv] of v.members) {
            if (mv === null) {
              m[mk] = m[mk] ?? '';
              continue;
            }
            if (typeof mv !== 'string') {
              note(new EventDecodeError(`json: cannot unmarshal ${typeName(mv)} into Go struct field Event.metadata of type string`));
              continue;
            }
            m[mk] = mv;
          }
          ev.metadata = m;
          break;
        }
        default: {
          const cur = (ev[f] as string | undefined) ?? '';
          (ev as unknown as Record<string, string>)[f] = str(v, f, cur);
        }
      }
    } catch (e) {
      note(e);
    }
  }
  // Clean up empty optional fields so they stay out of the JSON as in Go.
  for (const k of REF_FIELDS) if (ev.involvedObject[k] === '') delete ev.involvedObject[k];
  if (ev.reportingInstance === '') delete ev.reportingInstance;
  if (typeErr) throw typeErr;
  return ev;
}
