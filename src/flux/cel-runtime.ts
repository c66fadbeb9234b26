// Functions the Flux CEL environment has beyond @bufbuild/cel's standard library and strings
// extension, with cel-go v0.27 semantics: ext.Sets, ext.Encoders (base64), string.reverse(), the
// optional library, and internal helpers (names starting with '@', unreachable from expressions)
// that cel-emit.ts calls for selection and indexing, optional list/map entries and `or`/`orValue`.

import {
  celEnv,
  celFunc,
  celList,
  celMap,
  celMethod,
  CelScalar,
  celType,
  isCelList,
  isCelMap,
  isCelUint,
  listType,
  objectType,
  type CelFunc,
  type CelList,
  type CelMap,
  type CelValue,
} from '@bufbuild/cel';

const { DYN, BOOL, BYTES, STRING, TYPE } = CelScalar;

// ---------------------------------------------------------------- optional values

// An optional is a tagged one-entry map: @bufbuild/cel has no opaque values, and a map keeps
// identity through lists and comparisons; equality of two optionals then compares the contents, as
// cel-go's Optional.Equal does. The tag set tells optionals from ordinary maps.
const TAGGED = new WeakSet<object>();
const VALUE_KEY = '\u0000optional.of';
const NONE_KEY = '\u0000optional.none';

function tag(m: CelMap): CelMap {
  TAGGED.add(m);
  return m;
}

const NONE = tag(celMap(new Map([[NONE_KEY, true]])));
const optionalOf = (v: CelValue): CelMap => tag(celMap(new Map([[VALUE_KEY, v]])));
const isOpt = (v: unknown): v is CelMap => typeof v === 'object' && v !== null && TAGGED.has(v);
/** isOpt without narrowing (a map that is not an optional is still a CelMap). */
const isOptional = (v: unknown): boolean => isOpt(v);
/** The value of the `optional_type` identifier and of type(<optional>). */
const OPTIONAL_TYPE = objectType('optional_type');
const hasValue = (o: CelMap) => o.has(VALUE_KEY);
/** The value of an optional that has one (callers check hasValue first). */
const valueOf = (o: CelMap): CelValue => o.get(VALUE_KEY)!;

// ---------------------------------------------------------------- helpers

/** The runtime type name cel-go prints in "no such overload" errors. */
function runtimeTypeName(v: unknown): string {
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    default:
      break;
  }
  if (v === null) return 'null_type';
  if (v instanceof Uint8Array) return 'bytes';
  if (isOpt(v)) return 'optional_type';
  if (isCelList(v)) return 'list';
  if (isCelMap(v)) return 'map';
  if (isCelUint(v)) return 'uint';
  const desc = (v as { desc?: { typeName?: string } }).desc;
  return desc?.typeName ?? 'type';
}

const noSuchOverload = (fn: string, ...args: unknown[]) => new Error(`no such overload: ${fn}(${args.map(runtimeTypeName).join(', ')})`);

const stdEquals = celEnv().funcs.find('_==_')!;
/** CEL equality (heterogeneous numbers compare by value), as the `==` operator. */
const celEquals = (a: CelValue, b: CelValue) => stdEquals.call(0, undefined, [a, b]) === true;
const listContains = (list: CelList, v: CelValue) => {
  for (const x of list) if (celEquals(v, x)) return true;
  return false;
};
const setsContains = (list: CelList, sub: CelList) => {
  for (const x of sub) if (!listContains(list, x)) return false;
  return true;
};

function isZeroValue(v: CelValue): boolean {
  switch (typeof v) {
    case 'bigint':
      return v === 0n;
    case 'number':
      return v === 0;
    case 'boolean':
      return !v;
    case 'string':
      return v === '';
    default:
      break;
  }
  if (v === null) return true;
  if (v instanceof Uint8Array) return v.length === 0;
  if (isOpt(v)) return false;
  if (isCelList(v) || isCelMap(v)) return v.size === 0;
  if (isCelUint(v)) return v.value === 0n;
  const msg = v as { desc?: { typeName?: string }; message?: { seconds?: bigint; nanos?: number } };
  // Go's zero time (year 1), not the Unix epoch, is a zero timestamp in cel-go
  if (msg.desc?.typeName === 'google.protobuf.Timestamp') return msg.message?.seconds === -62135596800n && (msg.message?.nanos ?? 0) === 0;
  if (msg.desc?.typeName === 'google.protobuf.Duration') return (msg.message?.seconds ?? 0n) === 0n && (msg.message?.nanos ?? 0) === 0;
  return false;
}

/** "%v" of a value, as cel-go error texts show it. */
function show(v: CelValue): string {
  if (typeof v === 'string' || typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'NULL_VALUE';
  if (isCelUint(v)) return String(v.value);
  return runtimeTypeName(v);
}

/** Looks `key` up in `obj` for a presence-tested (optional) selection; undefined when absent. */
function lookupIfPresent(obj: CelValue, key: CelValue): CelValue | undefined {
  if (isCelMap(obj) && !isOptional(obj)) {
    if (typeof key !== 'string' && typeof key !== 'bigint' && typeof key !== 'boolean' && typeof key !== 'number' && !isCelUint(key)) return undefined;
    return obj.get(key);
  }
  if (isCelList(obj)) {
    let i: bigint;
    if (typeof key === 'bigint') i = key;
    else if (isCelUint(key)) i = key.value;
    else if (typeof key === 'number') {
      if (!Number.isInteger(key)) throw new Error(`unsupported index value ${key} in list`);
      i = BigInt(key);
    } else throw new Error(`unsupported index type '${runtimeTypeName(key)}' in list`);
    return i >= 0n && i < BigInt(obj.size) ? obj.get(Number(i)) : undefined;
  }
  // presence tests on other values are false (cel-go without EnableErrorOnBadPresenceTest)
  return undefined;
}

// ---------------------------------------------------------------- base64 (Go encoding/base64)

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_MAP = new Map([...B64].map((c, i) => [c.charCodeAt(0), i]));

class CorruptInput extends Error {
  constructor(at: number) {
    super(`illegal base64 data at input byte ${at}`);
  }
}

/** base64.StdEncoding (padded) or RawStdEncoding decoding, with Go's error offsets. */
function goBase64Decode(src: Uint8Array, padded: boolean): Uint8Array {
  const out: number[] = [];
  let si = 0;
  const isNewline = (b: number | undefined) => b === 0x0a || b === 0x0d;
  while (si < src.length) {
    const buf = [0, 0, 0, 0];
    let dlen = 4;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out);
        if (j === 1 || padded) throw new CorruptInput(si - j);
        dlen = j;
        break;
      }
      const b = src[si++]!;
      const v = B64_MAP.get(b);
      if (v !== undefined) {
        buf[j] = v;
        continue;
      }
      if (isNewline(b)) {
        j--;
        continue;
      }
      if (!padded || b !== 0x3d) throw new CorruptInput(si - 1);
      // padding: only after two or three symbols
      if (j < 2) throw new CorruptInput(si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) throw new CorruptInput(src.length);
        if (src[si] !== 0x3d) throw new CorruptInput(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) throw new CorruptInput(si);
      dlen = j;
      break;
    }
    const val = (buf[0]! << 18) | (buf[1]! << 12) | (buf[2]! << 6) | buf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (dlen < 4) break;
  }
  return Uint8Array.from(out);
}

/** cel-go ext/encoders.go: padded standard encoding first, unpadded when the input is corrupt for it. */
export function base64Decode(s: string): Uint8Array {
  const src = Buffer.from(s, 'utf8');
  try {
    return goBase64Decode(src, true);
  } catch {
    return goBase64Decode(src, false);
  }
}

// ---------------------------------------------------------------- function table

type Impl = (...args: CelValue[]) => unknown;
const fn = (name: string, arity: number, impl: Impl): CelFunc =>
  celFunc(name, Array<typeof DYN>(arity).fill(DYN), DYN, impl as never);

const asList = (v: CelValue, f: string): CelList => {
  if (!isCelList(v)) throw noSuchOverload(f, v);
  return v;
};
const asOptional = (v: CelValue, f: string): CelMap => {
  if (!isOpt(v)) throw noSuchOverload(f, v);
  return v;
};

export const RUNTIME_FUNCS: CelFunc[] = [
  celFunc('sets.contains', [listType(DYN), listType(DYN)], BOOL, (a, b) => setsContains(a, b)),
  celFunc('sets.equivalent', [listType(DYN), listType(DYN)], BOOL, (a, b) => setsContains(a, b) && setsContains(b, a)),
  celFunc('sets.intersects', [listType(DYN), listType(DYN)], BOOL, (a, b) => {
    for (const x of a) if (listContains(b, x)) return true;
    return false;
  }),
  celFunc('base64.encode', [BYTES], STRING, (b) => Buffer.from(b).toString('base64')),
  celFunc('base64.decode', [STRING], BYTES, (s) => base64Decode(s)),
  // ext.Strings v3; @bufbuild/cel's strings extension stops before it. Reverses code points.
  celMethod('reverse', STRING, [], STRING, function (this: string) {
    return Array.from(this).reverse().join('');
  }),

  celFunc('@opt.type', [], TYPE, () => OPTIONAL_TYPE),
  celFunc('@opt.typeOf', [DYN], TYPE, (v) => (isOpt(v) ? OPTIONAL_TYPE : celType(v))),
  fn('@opt.of', 1, (v) => optionalOf(v)),
  fn('@opt.none', 0, () => NONE),
  fn('@opt.ofNonZero', 1, (v) => (isZeroValue(v) ? NONE : optionalOf(v))),
  fn('@opt.hasValue', 1, (o) => hasValue(asOptional(o, 'hasValue'))),
  fn('@opt.value', 1, (o) => {
    const opt = asOptional(o, 'value');
    if (!hasValue(opt)) throw new Error('optional.none() dereference');
    return valueOf(opt);
  }),
  // or/orValue keep a non-optional left side as it is, as cel-go's short-circuit evaluators do
  fn('@opt.keep', 1, (o) => !isOpt(o) || hasValue(o)),
  fn('@opt.unwrapOrSelf', 1, (o) => (isOpt(o) ? valueOf(o) : o)),
  fn('@opt.isNone', 1, (o) => isOpt(o) && !hasValue(o)),
  /** One qualifier of an attribute chain; an optional input or flag makes it presence-tested. */
  fn('@q', 3, (x, key, flag) => {
    let obj = x;
    let optional = flag === true;
    if (isOpt(x)) {
      if (!hasValue(x)) return NONE;
      obj = valueOf(x);
      optional = true;
    }
    const found = lookupIfPresent(obj, key);
    if (optional) return found === undefined ? NONE : optionalOf(found);
    if (found === undefined) throw new Error(isCelList(obj) ? `index out of bounds: ${show(key)}` : `no such key: ${show(key)}`);
    return found;
  }),
  /** has(x.f): key presence (a null value is present), false on non-containers; none has nothing. */
  fn('@has', 2, (x, field) => {
    if (!isOpt(x)) return lookupIfPresent(x, field) !== undefined;
    return hasValue(x) && lookupIfPresent(valueOf(x), field) !== undefined;
  }),
  fn('@opt.list', 2, (list, flags) => {
    const out: CelValue[] = [];
    const l = asList(list, '@opt.list');
    const f = asList(flags, '@opt.list');
    for (let i = 0; i < l.size; i++) {
      const v = l.get(i)!;
      if (f.get(i) !== true) out.push(v);
      else if (!isOpt(v)) throw new Error(`cannot initialize optional list element from non-optional value ${show(v)}`);
      else if (hasValue(v)) out.push(valueOf(v));
    }
    return celList(out);
  }),
  /** A map literal: keys and values alternate in `kv`; flagged entries are optional (`?k: v`). */
  fn('@map', 2, (kv, flags) => {
    const entries = new Map<string | bigint | boolean | object, CelValue>();
    const l = asList(kv, '@map');
    const f = asList(flags, '@map');
    for (let i = 0; i < f.size; i++) {
      let k = l.get(2 * i)!;
      const v = l.get(2 * i + 1)!;
      // an integral double key is an int key, as @bufbuild/cel's own map literals have it
      if (typeof k === 'number' && Number.isInteger(k)) k = BigInt(k);
      if (typeof k !== 'string' && typeof k !== 'bigint' && typeof k !== 'boolean' && !isCelUint(k)) throw new Error('unsupported key type');
      if (f.get(i) !== true) entries.set(k, v);
      else if (!isOpt(v)) throw new Error(`cannot initialize optional entry '${show(k)}' from non-optional value ${show(v)}`);
      else if (hasValue(v)) entries.set(k, valueOf(v));
      else entries.delete(k);
    }
    return celMap(entries as never);
  }),
  fn('@opt.unwrap', 1, (list) => {
    const out: CelValue[] = [];
    for (const v of asList(list, 'unwrapOpt')) {
      if (!isOpt(v)) throw new Error(`value ${show(v)} is not optional`);
      if (hasValue(v)) out.push(valueOf(v));
    }
    return celList(out);
  }),
  fn('@list.first', 1, (list) => {
    const l = asList(list, 'first');
    return l.size === 0 ? NONE : optionalOf(l.get(0)!);
  }),
  fn('@list.last', 1, (list) => {
    const l = asList(list, 'last');
    return l.size === 0 ? NONE : optionalOf(l.get(l.size - 1)!);
  }),
];
