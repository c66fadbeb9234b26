// The AST validators cel-go runs after a successful check in the Flux environment:
// HomogeneousAggregateLiterals (cel/validator.go), which fluxcd/pkg enables, and the string.format
// validator of ext.Strings (ext/formatting_v2.go), which checks literal format strings against list
// literal arguments. Both reject at compile time what would otherwise only fail (or pass) at runtime.

import type { CelIssue, Expr } from './cel-parse.js';
import { formatType, isEquivalent, T, type Type } from './cel-types.js';

type Report = (id: number, message: string) => void;

/** Literal lists and maps must have one element type; anything under a `format` call is exempt. */
function homogeneous(e: Expr, typeOf: (x: Expr) => Type, report: Report, exempt: boolean): void {
  const inner = (t: Type, optional: boolean) => (optional && 'p' in t && t.p.length > 0 ? t.p[0]! : t);
  const mismatch = (id: number, want: Type, got: Type) => report(id, `expected type '${formatType(want)}' but found '${formatType(got)}'`);
  const walk = (x: Expr, ex: boolean) => homogeneous(x, typeOf, report, ex);
  switch (e.kind) {
    case 'list': {
      if (!exempt) {
        let first: Type | undefined;
        for (const [i, x] of e.elems.entries()) {
          const t = inner(typeOf(x), e.optional.includes(i));
          if (first === undefined) first = t;
          else if (!isEquivalent(first, t)) {
            mismatch(x.id, first, t);
            break;
          }
        }
      }
      return e.elems.forEach((x) => walk(x, exempt));
    }
    case 'map': {
      if (!exempt) {
        let kt: Type | undefined;
        let vt: Type | undefined;
        for (const en of e.entries) {
          const k = typeOf(en.key);
          const v = inner(typeOf(en.value), en.optional);
          if (kt === undefined || vt === undefined) {
            kt = k;
            vt = v;
            continue;
          }
          if (!isEquivalent(kt, k)) mismatch(en.key.id, kt, k);
          if (!isEquivalent(vt, v)) mismatch(en.value.id, vt, v);
        }
      }
      return e.entries.forEach((en) => (walk(en.key, exempt), walk(en.value, exempt)));
    }
    case 'call': {
      const ex = exempt || e.fn === 'format';
      if (e.target) walk(e.target, ex);
      return e.args.forEach((a) => walk(a, ex));
    }
    case 'select':
      return walk(e.operand, exempt);
    case 'struct':
      return e.fields.forEach((f) => walk(f.value, exempt));
    case 'comp':
      return [e.iterRange, e.accuInit, e.cond, e.step, e.result].forEach((x) => walk(x, exempt));
    default:
      return;
  }
}

class FormatError extends Error {
  constructor(
    message: string,
    readonly id?: number,
  ) {
    super(message);
  }
}

/** The runtime type name cel-go shows in format errors (Type.TypeName()). */
function runtimeName(t: Type): string {
  return { null: 'null_type', timestamp: 'google.protobuf.Timestamp', duration: 'google.protobuf.Duration', any: 'google.protobuf.Any' }[t.k as string] ?? (t.k === 'opaque' ? t.name : t.k);
}

/** `'...'.format([...])` with a literal format string and a list literal: clauses against argument types. */
function checkFormat(fmt: string, args: Expr[], typeOf: (x: Expr) => Type): number {
  const oneOf = (x: Expr, kinds: Type['k'][]) => typeOf(x).k === 'dyn' || kinds.includes(typeOf(x).k);
  const verifyString = (x: Expr): Expr | undefined => {
    if (!oneOf(x, ['list', 'map', 'int', 'uint', 'double', 'bool', 'string', 'timestamp', 'bytes', 'duration', 'type', 'null'])) return x;
    if (x.kind === 'list') for (const el of x.elems) if (verifyString(el)) return verifyString(el);
    if (x.kind === 'map') for (const en of x.entries) for (const y of [en.key, en.value]) if (verifyString(y)) return verifyString(y);
    return undefined;
  };
  const clause = (verb: string, arg: Expr): void => {
    const numeric: Type['k'][] = ['int', 'uint', 'double'];
    const bad = (msg: string, at: Expr = arg) => {
      throw new FormatError(`error during formatting: ${msg}, was given ${runtimeName(typeOf(at))}`, at.id);
    };
    switch (verb) {
      case 's': {
        const b = verifyString(arg);
        if (b) bad('string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps', b);
        return;
      }
      case 'd':
        if (!oneOf(arg, numeric)) bad('decimal clause can only be used on ints, uints, and doubles');
        return;
      case 'f':
        if (!oneOf(arg, numeric)) bad('fixed-point clause can only be used on ints, uints, and doubles');
        return;
      case 'e':
        if (!oneOf(arg, numeric)) bad('scientific clause can only be used on ints, uints, and doubles');
        return;
      case 'b':
        if (!oneOf(arg, ['bool', 'int', 'uint'])) bad('only ints, uints, and bools can be formatted as binary');
        return;
      case 'x':
      case 'X':
        if (!oneOf(arg, ['int', 'uint', 'string', 'bytes'])) bad('only ints, uints, bytes, and strings can be formatted as hex');
        return;
      case 'o':
        if (!oneOf(arg, ['int', 'uint'])) bad('octal clause can only be used on ints and uints');
        return;
      default:
        throw new FormatError(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
    }
  };
  // Go indexes the format string by byte
  const bytes = Buffer.from(fmt, 'utf8');
  let argIndex = 0;
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] !== 0x25) {
      i++;
      continue;
    }
    if (bytes[i + 1] === 0x25) {
      i += 2;
      continue;
    }
    if (i + 1 >= bytes.length) throw new FormatError('unexpected end of string');
    if (argIndex >= args.length) throw new FormatError(`index ${argIndex} out of range`);
    let j = i + 1;
    if (bytes[j] === 0x2e) {
      j++;
      const digitsStart = j;
      for (;;) {
        if (j >= bytes.length) throw new FormatError('could not parse formatting clause: error while parsing precision: could not find end of precision specifier');
        if (bytes[j]! < 0x30 || bytes[j]! > 0x39) break;
        j++;
      }
      if (j === digitsStart) {
        throw new FormatError('could not parse formatting clause: error while parsing precision: error while converting precision to integer: strconv.Atoi: parsing "": invalid syntax');
      }
    }
    clause(String.fromCharCode(bytes[j]!), args[argIndex]!);
    i = j + 1;
    argIndex++;
  }
  return argIndex;
}

function formatCalls(e: Expr, typeOf: (x: Expr) => Type, report: Report): void {
  const walk = (x: Expr) => formatCalls(x, typeOf, report);
  switch (e.kind) {
    case 'call': {
      const [list] = e.args;
      if (e.fn === 'format' && e.target?.kind === 'lit' && e.target.lit.t === 'string' && e.args.length === 1 && list?.kind === 'list') {
        try {
          const used = checkFormat(e.target.lit.v, list.elems, typeOf);
          if (list.elems.length > used) report(e.id, `too many arguments supplied to string.format (expected ${used}, got ${list.elems.length})`);
        } catch (err) {
          if (!(err instanceof FormatError)) throw err;
          report(err.id ?? e.id, err.message);
        }
      }
      if (e.target) walk(e.target);
      return e.args.forEach(walk);
    }
    case 'select':
      return walk(e.operand);
    case 'list':
      return e.elems.forEach(walk);
    case 'map':
      return e.entries.forEach((en) => (walk(en.key), walk(en.value)));
    case 'struct':
      return e.fields.forEach((f) => walk(f.value));
    case 'comp':
      return [e.iterRange, e.accuInit, e.cond, e.step, e.result].forEach(walk);
    default:
      return;
  }
}

/** Runs the validators over a checked expression (final node types). */
export function validateCel(expr: Expr, types: Map<number, Type>, positions: Map<number, number>): CelIssue[] {
  const issues: CelIssue[] = [];
  const typeOf = (x: Expr) => types.get(x.id) ?? T.dyn;
  const report: Report = (id, message) => issues.push({ offset: positions.get(id) ?? 0, message });
  homogeneous(expr, typeOf, report, false);
  formatCalls(expr, typeOf, report);
  return issues;
}
