// CEL checker types with cel-go's unification rules (checker/types.go, common/types/types.go):
// assignability with type parameters, substitution, "most general" joins, and the two spellings
// cel-go prints (Type.String() in the output-type error, FormatCELType in checker errors).

export type Prim = 'bool' | 'int' | 'uint' | 'double' | 'string' | 'bytes' | 'timestamp' | 'duration';
export type Type =
  | { k: 'dyn' }
  | { k: 'error' }
  | { k: 'any' }
  | { k: 'null' }
  | { k: Prim }
  | { k: 'list'; p: [Type] }
  | { k: 'map'; p: [Type, Type] }
  | { k: 'opaque'; name: string; p: Type[] }
  | { k: 'type'; p: Type[] }
  | { k: 'param'; name: string };

export const T = {
  dyn: { k: 'dyn' } as Type,
  error: { k: 'error' } as Type,
  any: { k: 'any' } as Type,
  null: { k: 'null' } as Type,
  bool: { k: 'bool' } as Type,
  int: { k: 'int' } as Type,
  uint: { k: 'uint' } as Type,
  double: { k: 'double' } as Type,
  string: { k: 'string' } as Type,
  bytes: { k: 'bytes' } as Type,
  timestamp: { k: 'timestamp' } as Type,
  duration: { k: 'duration' } as Type,
  list: (e: Type): Type => ({ k: 'list', p: [e] }),
  map: (k: Type, v: Type): Type => ({ k: 'map', p: [k, v] }),
  opt: (e: Type): Type => ({ k: 'opaque', name: 'optional_type', p: [e] }),
  type: (e?: Type): Type => ({ k: 'type', p: e ? [e] : [] }),
  param: (name: string): Type => ({ k: 'param', name }),
};

const params = (t: Type): Type[] => ('p' in t ? t.p : []);

/** The runtime type name (cel-go TypeName). */
function typeName(t: Type): string {
  switch (t.k) {
    case 'any':
      return 'google.protobuf.Any';
    case 'null':
      return 'null_type';
    case 'timestamp':
      return 'google.protobuf.Timestamp';
    case 'duration':
      return 'google.protobuf.Duration';
    case 'opaque':
    case 'param':
      return t.name;
    default:
      return t.k;
  }
}

/** cel-go Type.String(): the spelling of the output type mismatch error. */
export function typeString(t: Type): string {
  if (t.k === 'param') return `<${t.name}>`;
  const ps = params(t);
  if (ps.length === 0) return typeName(t);
  return `${typeName(t)}(${ps.map(typeString).join(', ')})`;
}

/** cel-go checker.FormatCELType: the spelling inside checker error messages. */
export function formatType(t: Type): string {
  switch (t.k) {
    case 'any':
      return 'any';
    case 'duration':
      return 'duration';
    case 'error':
      return '!error!';
    case 'null':
      return 'null';
    case 'timestamp':
      return 'timestamp';
    case 'param':
      return t.name;
    default:
      break;
  }
  const ps = params(t);
  if (ps.length === 0) return typeName(t);
  return `${typeName(t)}(${ps.map(formatType).join(', ')})`;
}

export const isDyn = (t: Type) => t.k === 'dyn' || t.k === 'any';
export const isDynOrError = (t: Type) => isDyn(t) || t.k === 'error';
export const isOptional = (t: Type) => t.k === 'opaque' && t.name === 'optional_type';

export function unwrapOptional(t: Type): [Type, boolean] {
  return isOptional(t) ? [params(t)[0] ?? T.dyn, true] : [t, false];
}

function sameShape(a: Type, b: Type, checkParamNames: boolean): boolean {
  if (a === b) return true;
  if (a.k !== b.k || params(a).length !== params(b).length) return false;
  if ((checkParamNames || a.k !== 'param') && typeName(a) !== typeName(b)) return false;
  return params(a).every((p, i) => sameShape(p, params(b)[i]!, checkParamNames));
}

export const isExact = (a: Type, b: Type) => sameShape(a, b, true);
export const isEquivalent = (a: Type, b: Type) => sameShape(a, b, false);

/** cel-go Type.IsAssignableType (target `to`, source `from`), without the type-parameter mapping. */
function plainAssignable(to: Type, from: Type): boolean {
  if (to === from || isDyn(to) || to.k === 'param') return true;
  if (to.k !== from.k || typeName(to) !== typeName(from) || params(to).length !== params(from).length) return false;
  return params(to).every((p, i) => plainAssignable(p, params(from)[i]!));
}

/** Type substitutions keyed by the parameter's name (cel-go checker/mapping.go). */
export class Mapping {
  constructor(private readonly m = new Map<string, Type>()) {}
  find(t: Type): Type | undefined {
    return t.k === 'param' ? this.m.get(t.name) : undefined;
  }
  add(from: Type, to: Type): void {
    this.m.set(formatType(from), to);
  }
  copy(): Mapping {
    return new Mapping(new Map(this.m));
  }
}

function isEqualOrLessSpecific(a: Type, b: Type): boolean {
  if (isDyn(a) || a.k === 'param') return true;
  if (isDyn(b) || b.k === 'param') return false;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'opaque':
      return typeName(a) === typeName(b) && params(a).length === params(b).length && params(a).every((p, i) => isEqualOrLessSpecific(p, params(b)[i]!));
    case 'list':
    case 'map':
      return params(a).every((p, i) => isEqualOrLessSpecific(p, params(b)[i]!));
    case 'type':
      return true;
    default:
      return isExact(a, b);
  }
}

export const mostGeneral = (a: Type, b: Type): Type => (isEqualOrLessSpecific(a, b) ? a : b);

function notReferencedIn(m: Mapping, t: Type, within: Type): boolean {
  if (isExact(t, within)) return false;
  if (within.k === 'param') {
    const sub = m.find(within);
    return sub === undefined ? true : notReferencedIn(m, t, sub);
  }
  return params(within).every((p) => notReferencedIn(m, t, p));
}

function validSubstitution(m: Mapping, t1: Type, t2: Type): [boolean, boolean] {
  if (t1.k === t2.k && isExact(t1, t2)) return [true, true];
  const sub = m.find(t2);
  if (sub !== undefined) {
    if (t1.k === sub.k && isExact(t1, sub)) return [true, true];
    if (internalAssignable(m, t1, sub)) {
      const next = mostGeneral(t1, sub);
      if (notReferencedIn(m, t2, next)) m.add(t2, next);
      return [true, true];
    }
    return [false, true];
  }
  if (notReferencedIn(m, t2, t1)) {
    m.add(t2, t1);
    return [true, false];
  }
  return [false, false];
}

const isLegacyNullable = (t: Type) => t.k === 'opaque' || t.k === 'any' || t.k === 'duration' || t.k === 'timestamp';

function internalAssignable(m: Mapping, t1: Type, t2: Type): boolean {
  if (t2.k === 'param') {
    const [valid, hasSub] = validSubstitution(m, t1, t2);
    if (valid) return true;
    if (hasSub) return false;
  }
  if (t1.k === 'param') return validSubstitution(m, t2, t1)[0];
  if (isDynOrError(t1) || isDynOrError(t2)) return true;
  if (t1.k === 'null') return isLegacyNullable(t2) || plainAssignable(t2, T.null);
  if (t2.k === 'null') return isLegacyNullable(t1) || plainAssignable(t1, T.null);
  switch (t1.k) {
    case 'type':
      return t2.k === 'type';
    case 'opaque':
    case 'list':
    case 'map':
      return t1.k === t2.k && typeName(t1) === typeName(t2) && assignableList(m, params(t1), params(t2));
    default:
      return plainAssignable(t2, t1);
  }
}

function assignableList(m: Mapping, l1: Type[], l2: Type[]): boolean {
  return l1.length === l2.length && l1.every((t, i) => internalAssignable(m, t, l2[i]!));
}

/** The updated mapping when t1 is assignable to t2, else undefined. */
export function assignable(m: Mapping, t1: Type, t2: Type): Mapping | undefined {
  const c = m.copy();
  return internalAssignable(c, t1, t2) ? c : undefined;
}

export function assignableTypes(m: Mapping, l1: Type[], l2: Type[]): Mapping | undefined {
  const c = m.copy();
  return assignableList(c, l1, l2) ? c : undefined;
}

export function substitute(m: Mapping, t: Type, paramToDyn: boolean): Type {
  const sub = m.find(t);
  if (sub !== undefined) return substitute(m, sub, paramToDyn);
  if (paramToDyn && t.k === 'param') return T.dyn;
  switch (t.k) {
    case 'opaque':
      return { k: 'opaque', name: t.name, p: t.p.map((p) => substitute(m, p, paramToDyn)) };
    case 'list':
      return T.list(substitute(m, t.p[0], paramToDyn));
    case 'map':
      return T.map(substitute(m, t.p[0], paramToDyn), substitute(m, t.p[1], paramToDyn));
    case 'type':
      return t.p.length > 0 ? T.type(substitute(m, t.p[0]!, paramToDyn)) : t;
    default:
      return t;
  }
}

/** Type parameter names used in a signature, in order of appearance. */
export function typeParams(ts: Type[], out = new Set<string>()): Set<string> {
  for (const t of ts) {
    if (t.k === 'param') out.add(t.name);
    else typeParams(params(t), out);
  }
  return out;
}

/** Renames the given parameters (fresh type variables for one overload resolution). */
export function renameParams(t: Type, names: Map<string, Type>): Type {
  if (t.k === 'param') return names.get(t.name) ?? t;
  switch (t.k) {
    case 'opaque':
      return { k: 'opaque', name: t.name, p: t.p.map((p) => renameParams(p, names)) };
    case 'list':
      return T.list(renameParams(t.p[0], names));
    case 'map':
      return T.map(renameParams(t.p[0], names), renameParams(t.p[1], names));
    case 'type':
      return t.p.length > 0 ? T.type(renameParams(t.p[0]!, names)) : t;
    default:
      return t;
  }
}
