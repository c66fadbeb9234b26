// Go encoding/json *decoding* of the replies the Git notifiers read (go-github, the Gitea SDK).
// A failed decode is an error of the notifier with Go's exact text, so syntax errors follow
// Go's scanner and type mismatches Go's UnmarshalTypeError. Only the fields a notifier reads
// are described by a Shape; every other field is skipped, as Go skips unknown keys.

import { goStrconvQuote } from './gourl.js';

/** The Go type a reply is decoded into (only what the notifiers look at). */
export type Shape =
  | { k: 'string'; goType?: string }
  | { k: 'int64' }
  | { k: 'bool' }
  | { k: 'ptr'; elem: Shape }
  | { k: 'slice'; elem: Shape; goType: string }
  | { k: 'struct'; goType: string; name: string; fields: Record<string, Shape> };

export const goString: Shape = { k: 'string' };
/** A named string type such as gitea.StatusState (only the error text differs). */
export const namedString = (goType: string): Shape => ({ k: 'string', goType });
export const goInt64: Shape = { k: 'int64' };
export const ptr = (elem: Shape): Shape => ({ k: 'ptr', elem });
export const slice = (elem: Shape, goType: string): Shape => ({ k: 'slice', elem, goType });
/** goType is Type.String() (`github.RepoStatus`), name is Type.Name() (`RepoStatus`, `` if anonymous). */
export const struct = (goType: string, name: string, fields: Record<string, Shape>): Shape => ({ k: 'struct', goType, name, fields });

/** A parsed JSON value that keeps number literals as written. */
type JValue =
  | { t: 'obj'; entries: Array<[string, JValue]> }
  | { t: 'arr'; items: JValue[] }
  | { t: 'str'; v: string }
  | { t: 'num'; raw: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' };

export interface DecodeResult {
  value: unknown;
  /** Go's error text, when decoding failed. */
  error?: string;
}

/** json.Unmarshal: the whole body must be one value (surrounding whitespace allowed). */
export function goUnmarshal(body: string, shape: Shape): DecodeResult {
  const p = new Parser(Buffer.from(body, 'utf8'), 'unmarshal');
  const res = p.top();
  if (!('value' in res)) return { value: zero(shape), error: 'error' in res ? res.error : 'unexpected end of JSON input' };
  return assign(res.value, shape);
}

/**
 * json.NewDecoder(body).Decode: reads the first value only (trailing bytes are ignored). An
 * empty or all-space body gives io.EOF, which go-github ignores: the result is the zero value.
 */
export function goDecodeFirst(body: string, shape: Shape): DecodeResult {
  const p = new Parser(Buffer.from(body, 'utf8'), 'decoder');
  const res = p.top();
  if ('eof' in res) return { value: zero(shape) };
  if ('error' in res) return { value: zero(shape), error: res.error };
  return assign(res.value, shape);
}

/** Is the body a JSON object per json.Unmarshal into map[string]interface{}? Returns its entries. */
export function goUnmarshalObject(body: string): { entries?: Array<[string, unknown]>; isNull?: boolean; error?: string } {
  const p = new Parser(Buffer.from(body, 'utf8'), 'unmarshal');
  const res = p.top();
  if (!('value' in res)) return { error: 'error' in res ? res.error : 'unexpected end of JSON input' };
  const v = res.value;
  if (v.t === 'null') return { isNull: true, entries: [] };
  if (v.t !== 'obj') return { error: `json: cannot unmarshal ${kindWord(v)} into Go value of type map[string]interface {}` };
  return { entries: v.entries.map(([k, x]) => [k, plain(x)] as [string, unknown]) };
}

/** fmt's %v of a value decoded into interface{} (string, float64, bool, nil, map, slice). */
export function goFormatAny(v: unknown): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goFormatFloat(v);
  if (Array.isArray(v)) return '[' + v.map(goFormatAny).join(' ') + ']';
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return 'map[' + entries.map(([k, x]) => `${k}:${goFormatAny(x)}`).join(' ') + ']';
}

/** %v of a float64: strconv 'g', shortest digits; exponent form when the exponent is < -4 or ≥ 6. */
function goFormatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  // The exponent of the shortest decimal form (toExponential picks the same digits as Go).
  const [m, e] = n.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) {
    const sign = e.startsWith('-') ? '-' : '+';
    const d = e.replace(/^[+-]/, '');
    return `${m}e${sign}${d.length < 2 ? '0' + d : d}`;
  }
  return String(n);
}

function plain(v: JValue): unknown {
  switch (v.t) {
    case 'obj': {
      const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [k, x] of v.entries) o[k] = plain(x);
      return o;
    }
    case 'arr': return v.items.map(plain);
    case 'str': return v.v;
    case 'num': return Number(v.raw);
    case 'bool': return v.v;
    case 'null': return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax: a recursive reading of Go's scanner, with its error texts.

class SyntaxFailure {
  constructor(readonly message: string) {}
}

/** Go's quoteChar: the offending byte, read as a rune, in strconv.Quote form between '…'. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  return `'${goStrconvQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

type TopResult = { value: JValue } | { error: string } | { eof: true };

class Parser {
  private i = 0;
  constructor(private readonly b: Buffer, private readonly mode: 'unmarshal' | 'decoder') {}

  top(): TopResult {
    this.skipSpace();
    if (this.i >= this.b.length) {
      if (this.mode === 'decoder') return { eof: true };
      return { error: 'unexpected end of JSON input' };
    }
    try {
      const value = this.value();
      if (this.mode === 'unmarshal') {
        this.skipSpace();
        if (this.i < this.b.length) return { error: `invalid character ${quoteChar(this.b[this.i]!)} after top-level value` };
      }
      return { value };
    } catch (e) {
      if (e instanceof SyntaxFailure) return { error: e.message };
      throw e;
    }
  }

  private skipSpace(): void {
    while (this.i < this.b.length && isSpace(this.b[this.i]!)) this.i++;
  }

  /** End of input where the scanner still needed a byte: "unexpected end". */
  private eof(): never {
    throw new SyntaxFailure(this.mode === 'decoder' ? 'unexpected EOF' : 'unexpected end of JSON input');
  }

  /**
   * A byte that does not fit `context`. At the end of input, json.Unmarshal feeds the scanner a
   * space, so states where a space is invalid report "invalid character ' '"; the decoder says
   * "unexpected EOF".
   */
  private bad(context: string, spaceAtEnd: boolean): never {
    if (this.i >= this.b.length) {
      if (this.mode === 'unmarshal' && spaceAtEnd) throw new SyntaxFailure(`invalid character ' ' ${context}`);
      this.eof();
    }
    throw new SyntaxFailure(`invalid character ${quoteChar(this.b[this.i]!)} ${context}`);
  }

  private peek(): number | undefined {
    return this.b[this.i];
  }

  private value(): JValue {
    this.skipSpace();
    const c = this.peek();
    if (c === undefined) this.eof();
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return { t: 'str', v: this.string() };
    if (c === 0x2d || isDigit(c)) return this.number();
    if (c === 0x74) { this.literal('true'); return { t: 'bool', v: true }; }
    if (c === 0x66) { this.literal('false'); return { t: 'bool', v: false }; }
    if (c === 0x6e) { this.literal('null'); return { t: 'null' }; }
    return this.bad('looking for beginning of value', false);
  }

  private object(): JValue {
    this.i++; // {
    const entries: Array<[string, JValue]> = [];
    this.skipSpace();
    if (this.peek() === 0x7d) { this.i++; return { t: 'obj', entries }; }
    for (;;) {
      this.skipSpace();
      if (this.peek() !== 0x22) this.bad('looking for beginning of object key string', false);
      const key = this.string();
      this.skipSpace();
      if (this.peek() !== 0x3a) this.bad('after object key', false);
      this.i++;
      entries.push([key, this.value()]);
      this.skipSpace();
      const c = this.peek();
      if (c === 0x2c) { this.i++; continue; }
      if (c === 0x7d) { this.i++; return { t: 'obj', entries }; }
      this.bad('after object key:value pair', false);
    }
  }

  private array(): JValue {
    this.i++; // [
    const items: JValue[] = [];
    this.skipSpace();
    if (this.peek() === 0x5d) { this.i++; return { t: 'arr', items }; }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const c = this.peek();
      if (c === 0x2c) { this.i++; continue; }
      if (c === 0x5d) { this.i++; return { t: 'arr', items }; }
      this.bad('after array element', false);
    }
  }

  private string(): string {
    this.i++; // opening quote
    const units: number[] = [];
    let raw: number[] = [];
    const flushRaw = () => {
      if (raw.length === 0) return;
      const s = Buffer.from(raw).toString('utf8'); // invalid UTF-8 becomes U+FFFD, as in Go
      for (let k = 0; k < s.length; k++) units.push(s.charCodeAt(k));
      raw = [];
    };
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.eof();
      if (c === 0x22) { this.i++; break; }
      if (c < 0x20) this.bad('in string literal', false);
      if (c !== 0x5c) { raw.push(c); this.i++; continue; }
      flushRaw();
      this.i++;
      const e = this.peek();
      if (e === undefined) this.bad('in string escape code', true);
      const simple: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9 };
      if (simple[e] !== undefined) { units.push(simple[e]!); this.i++; continue; }
      if (e !== 0x75) this.bad('in string escape code', true);
      this.i++;
      let cp = 0;
      for (let k = 0; k < 4; k++) {
        const h = this.peek();
        if (h === undefined || !isHex(h)) this.bad('in \\u hexadecimal character escape', true);
        cp = cp * 16 + parseInt(String.fromCharCode(h), 16);
        this.i++;
      }
      units.push(cp);
    }
    flushRaw();
    // Go replaces unpaired surrogates from \u escapes with U+FFFD.
    let out = '';
    for (let k = 0; k < units.length; k++) {
      const u = units[k]!;
      if (u >= 0xd800 && u <= 0xdbff && units[k + 1] !== undefined && units[k + 1]! >= 0xdc00 && units[k + 1]! <= 0xdfff) {
        out += String.fromCharCode(u, units[k + 1]!);
        k++;
      } else if (u >= 0xd800 && u <= 0xdfff) {
        out += '\ufffd';
      } else {
        out += String.fromCharCode(u);
      }
    }
    return out;
  }

  private number(): JValue {
    const start = this.i;
    if (this.peek() === 0x2d) {
      this.i++;
      const c = this.peek();
      if (c === undefined || !isDigit(c)) this.bad('in numeric literal', true);
    }
    if (this.peek() === 0x30) this.i++;
    else while (this.peek() !== undefined && isDigit(this.peek()!)) this.i++;
    if (this.peek() === 0x2e) {
      this.i++;
      const c = this.peek();
      if (c === undefined || !isDigit(c)) this.bad('after decimal point in numeric literal', true);
      while (this.peek() !== undefined && isDigit(this.peek()!)) this.i++;
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      this.i++;
      if (this.peek() === 0x2b || this.peek() === 0x2d) this.i++;
      const c = this.peek();
      if (c === undefined || !isDigit(c)) this.bad('in exponent of numeric literal', true);
      while (this.peek() !== undefined && isDigit(this.peek()!)) this.i++;
    }
    return { t: 'num', raw: this.b.toString('latin1', start, this.i) };
  }

  private literal(word: string): void {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      if (this.peek() !== word.charCodeAt(k)) this.bad(`in literal ${word} (expecting '${word[k]}')`, true);
      this.i++;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Types: storing a parsed value into a Shape, with Go's UnmarshalTypeError texts.

function kindWord(v: JValue): string {
  switch (v.t) {
    case 'obj': return 'object';
    case 'arr': return 'array';
    case 'str': return 'string';
    case 'num': return 'number';
    case 'bool': return 'bool';
    case 'null': return 'null';
  }
}

function zero(shape: Shape): unknown {
  switch (shape.k) {
    case 'string': return '';
    case 'int64': return 0n;
    case 'bool': return false;
    case 'ptr': return null;
    case 'slice': return null;
    case 'struct': {
      const o: Record<string, unknown> = {};
      for (const [name, f] of Object.entries(shape.fields)) o[name] = zero(f);
      return o;
    }
  }
}

/** Go's Type.String() of the type a value is stored into (pointers are followed first). */
function typeString(shape: Shape): string {
  switch (shape.k) {
    case 'string': return shape.goType ?? 'string';
    case 'int64': return 'int64';
    case 'bool': return 'bool';
    case 'ptr': return typeString(shape.elem);
    case 'slice': return shape.goType;
    case 'struct': return shape.goType;
  }
}

interface Ctx {
  structName?: string;
  fieldStack: string[];
  error?: string;
}

function typeError(ctx: Ctx, value: string, shape: Shape): void {
  if (ctx.error !== undefined) return; // Go keeps the first one and decodes on
  const t = typeString(shape);
  if (ctx.structName !== undefined || ctx.fieldStack.length > 0) {
    ctx.error = `json: cannot unmarshal ${value} into Go struct field ${ctx.structName ?? ''}.${ctx.fieldStack.join('.')} of type ${t}`;
  } else {
    ctx.error = `json: cannot unmarshal ${value} into Go value of type ${t}`;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function store(v: JValue, shape: Shape, ctx: Ctx, current: unknown): unknown {
  if (v.t === 'null') {
    // null leaves scalars and structs unchanged and sets pointers and slices to nil.
    return shape.k === 'ptr' || shape.k === 'slice' ? null : current;
  }
  switch (shape.k) {
    case 'ptr': {
      const inner = current === null || current === undefined ? zero(shape.elem) : current;
      return store(v, shape.elem, ctx, inner);
    }
    case 'string':
      if (v.t === 'str') return v.v;
      typeError(ctx, kindWord(v), shape);
      return current;
    case 'bool':
      if (v.t === 'bool') return v.v;
      typeError(ctx, kindWord(v), shape);
      return current;
    case 'int64':
      if (v.t === 'num') {
        if (/^-?\d+$/.test(v.raw)) {
          const n = BigInt(v.raw);
          if (n >= INT64_MIN && n <= INT64_MAX) return n;
        }
        typeError(ctx, `number ${v.raw}`, shape);
        return current;
      }
      typeError(ctx, kindWord(v), shape);
      return current;
    case 'slice': {
      if (v.t !== 'arr') {
        typeError(ctx, kindWord(v), shape);
        return current;
      }
      return v.items.map((item) => store(item, shape.elem, ctx, zero(shape.elem)));
    }
    case 'struct': {
      if (v.t !== 'obj') {
        typeError(ctx, kindWord(v), shape);
        return current;
      }
      const out = { ...(current as Record<string, unknown>) };
      for (const [key, item] of v.entries) {
        const field = findField(shape.fields, key);
        if (field === undefined) continue;
        const saved = { structName: ctx.structName, depth: ctx.fieldStack.length };
        ctx.structName = shape.name;
        ctx.fieldStack.push(field);
        out[field] = store(item, shape.fields[field]!, ctx, out[field]);
        ctx.fieldStack.length = saved.depth;
        ctx.structName = saved.structName;
      }
      return out;
    }
  }
}

/** Go matches a key to a field exactly, else case-insensitively. */
function findField(fields: Record<string, Shape>, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(fields, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(fields).find((f) => f.toLowerCase() === lower);
}

function assign(v: JValue, shape: Shape): DecodeResult {
  const ctx: Ctx = { fieldStack: [] };
  const value = store(v, shape, ctx, zero(shape));
  return ctx.error === undefined ? { value } : { value, error: ctx.error };
}
