// A type checker with cel-go's rules (checker/checker.go) for the Flux CEL environment, followed by
// the environment's validators (cel-validate.ts). It yields the output type that fluxcd/pkg compares
// with `string`, cel-go's error texts, and what the evaluator needs: each node's type and how each
// call resolved (qualified global vs receiver).

import { FUNCTIONS, IDENTS, type Overload } from './cel-decls.js';
import type { CelIssue, Expr } from './cel-parse.js';
import { validateCel } from './cel-validate.js';
import {
  assignable,
  assignableTypes,
  formatType,
  isDyn,
  isDynOrError,
  isExact,
  Mapping,
  mostGeneral,
  renameParams,
  substitute,
  T,
  typeParams,
  unwrapOptional,
  type Type,
} from './cel-types.js';

export interface CheckResult {
  /** Final node types (type parameters replaced by dyn). */
  types: Map<number, Type>;
  /** Calls written `a.b.f(x)` that resolved to the global function `a.b.f`. */
  qualifiedCalls: Map<number, string>;
  /** Identifiers that resolved to a global declaration (not a comprehension variable). */
  globalIdents: Set<number>;
  output: Type;
}

class Checker {
  private mapping = new Mapping();
  private vars = 0;
  readonly types = new Map<number, Type>();
  readonly qualifiedCalls = new Map<number, string>();
  readonly globalIdents = new Set<number>();
  readonly issues: CelIssue[] = [];
  private scopes: Map<string, Type>[] = [];

  constructor(private readonly positions: Map<number, number>) {}

  private error(id: number, message: string): void {
    this.issues.push({ offset: this.positions.get(id) ?? 0, message });
  }

  private set(e: Expr | { id: number }, t: Type): void {
    this.types.set(e.id, t);
  }

  private get(e: Expr): Type {
    return this.types.get(e.id) ?? T.error;
  }

  private freshVar(): Type {
    return T.param(`_var${this.vars++}`);
  }

  private tryAssign(t1: Type, t2: Type): boolean {
    const next = assignable(this.mapping, t1, t2);
    if (!next) return false;
    this.mapping = next;
    return true;
  }

  private lookupIdent(name: string, localsToo: boolean, id?: number): Type | undefined {
    if (localsToo) {
      for (let i = this.scopes.length - 1; i >= 0; i--) {
        const t = this.scopes[i]!.get(name);
        if (t) return t;
      }
    }
    const t = IDENTS.get(name);
    if (t && id !== undefined) this.globalIdents.add(id);
    return t;
  }

  check(e: Expr): void {
    switch (e.kind) {
      case 'lit':
        this.set(e, { int: T.int, uint: T.uint, double: T.double, string: T.string, bytes: T.bytes, bool: T.bool, null: T.null }[e.lit.t]);
        return;
      case 'ident': {
        const rooted = e.name.startsWith('.');
        const t = this.lookupIdent(rooted ? e.name.slice(1) : e.name, !rooted, e.id);
        if (t) return this.set(e, t);
        this.set(e, T.error);
        return this.error(e.id, `undeclared reference to '${e.name}' (in container '')`);
      }
      case 'select':
        return this.checkSelect(e);
      case 'call':
        return this.checkCall(e);
      case 'list':
        return this.checkList(e);
      case 'map':
        return this.checkMap(e);
      case 'struct': {
        for (const f of e.fields) this.check(f.value);
        this.set(e, T.error);
        // cel-go would build the well-known protobuf messages; nothing else is declared
        const wkt = e.typeName.replace(/^\./, '').startsWith('google.protobuf.');
        return this.error(e.id, wkt ? `message construction ('${e.typeName}{...}') is not supported by this simulator` : `undeclared reference to '${e.typeName}' (in container '')`);
      }
      case 'comp':
        return this.checkComprehension(e);
    }
  }

  /** `a.b.c` as one dotted name, when the chain is made of plain selections on an identifier. */
  private qualifiedName(e: Expr): string | undefined {
    if (e.kind === 'ident') return e.name;
    if (e.kind === 'select' && !e.testOnly) {
      const base = this.qualifiedName(e.operand);
      return base === undefined ? undefined : `${base}.${e.field}`;
    }
    return undefined;
  }

  private checkSelect(e: Extract<Expr, { kind: 'select' }>): void {
    if (!e.testOnly) {
      const name = this.qualifiedName(e);
      const t = name !== undefined && name.includes('.') ? this.lookupIdent(name.replace(/^\./, ''), !name.startsWith('.'), e.id) : undefined;
      if (t) {
        // a dotted identifier such as google.protobuf.Timestamp: rewritten to an identifier
        (e as unknown as { kind: string }).kind = 'ident';
        (e as unknown as { name: string }).name = name!;
        return this.set(e, t);
      }
    }
    let t = this.selectField(e, e.operand, false);
    if (e.testOnly) t = T.bool;
    this.set(e, substitute(this.mapping, t, false));
  }

  /** The type of a field of `operand` (maps give their value type; no message types are declared). */
  private selectField(e: Expr, operand: Expr, optional: boolean): Type {
    this.check(operand);
    const [target, isOpt] = unwrapOptional(substitute(this.mapping, this.get(operand), false));
    let result: Type;
    if (target.k === 'map') result = target.p[1];
    else if (target.k === 'param') {
      this.tryAssign(T.dyn, target);
      result = T.dyn;
    } else {
      if (!isDynOrError(target)) this.error(e.id, `type '${formatType(target)}' does not support field selection`);
      result = T.dyn;
    }
    return isOpt || optional ? T.opt(result) : result;
  }

  private checkCall(e: Extract<Expr, { kind: 'call' }>): void {
    if (e.fn === '_?._') {
      const [operand, field] = e.args as [Expr, Expr];
      if (field.kind !== 'lit' || field.lit.t !== 'string') {
        this.error(field.id, 'unsupported optional field selection');
        return this.set(e, T.error);
      }
      return this.set(e, substitute(this.mapping, this.selectField(e, operand, true), false));
    }
    for (const a of e.args) this.check(a);
    if (!e.target) {
      const decl = FUNCTIONS.get(e.fn.replace(/^\./, ''));
      if (!decl) {
        this.set(e, T.error);
        return this.error(e.id, `undeclared reference to '${e.fn}' (in container '')`);
      }
      return this.resolve(e, e.fn, decl, undefined);
    }
    const qualified = this.qualifiedName(e.target);
    if (qualified !== undefined) {
      const name = `${qualified}.${e.fn}`.replace(/^\./, '');
      const decl = FUNCTIONS.get(name);
      if (decl) {
        this.qualifiedCalls.set(e.id, name);
        return this.resolve(e, name, decl, undefined);
      }
    }
    this.check(e.target);
    const decl = FUNCTIONS.get(e.fn);
    if (!decl) {
      this.set(e, T.error);
      return this.error(e.id, `undeclared reference to '${e.fn}' (in container '')`);
    }
    this.resolve(e, e.fn, decl, e.target);
  }

  private resolve(e: Extract<Expr, { kind: 'call' }>, name: string, overloads: readonly Overload[], target: Expr | undefined): void {
    const args = e.args;
    const argTypes = [...(target ? [this.get(target)] : []), ...args.map((a) => this.get(a))];
    let result: Type | undefined;
    for (const o of overloads) {
      if (o.member !== (target !== undefined)) continue;
      if (name === '_&&_' || name === '_||_') {
        let bad = false;
        argTypes.forEach((t, i) => {
          if (!this.tryAssign(t, T.bool)) {
            this.error(args[i]!.id, `expected type '${formatType(T.bool)}' but found '${formatType(t)}'`);
            bad = true;
          }
        });
        return this.set(e, bad ? T.error : T.bool);
      }
      let sig = [o.result, ...o.args];
      const ps = typeParams(sig);
      if (ps.size > 0) {
        const fresh = new Map([...ps].map((p) => [p, this.freshVar()] as const));
        sig = sig.map((t) => renameParams(t, fresh));
      }
      const next = assignableTypes(this.mapping, argTypes, sig.slice(1));
      if (!next) continue;
      this.mapping = next;
      const r = substitute(this.mapping, sig[0]!, false);
      if (result === undefined) result = r;
      else if (!isDyn(result) && !isExact(r, result)) result = T.dyn;
    }
    if (result === undefined) {
      const shown = argTypes.map((t) => formatType(substitute(this.mapping, t, true)));
      const sig = target ? `${shown[0]}.(${shown.slice(1).join(', ')})` : `(${shown.join(', ')})`;
      this.set(e, T.error);
      return this.error(e.id, `found no matching overload for '${name}' applied to '${sig}'`);
    }
    this.set(e, result);
  }

  private join(e: Expr, prev: Type | undefined, cur: Type): Type {
    if (prev === undefined) return cur;
    // the checker joins with dyn; HomogeneousAggregateLiterals is a separate validator in cel-go
    return this.tryAssign(prev, cur) ? mostGeneral(prev, cur) : T.dyn;
  }

  private checkList(e: Extract<Expr, { kind: 'list' }>): void {
    let elem: Type | undefined;
    e.elems.forEach((x, i) => {
      this.check(x);
      let t = this.get(x);
      if (e.optional.includes(i)) {
        const [inner, isOpt] = unwrapOptional(t);
        t = inner;
        if (!isOpt && !isDyn(t)) this.error(x.id, `expected type '${formatType(T.opt(t))}' but found '${formatType(t)}'`);
      }
      elem = this.join(x, elem, t);
    });
    this.set(e, T.list(elem ?? this.freshVar()));
  }

  private checkMap(e: Extract<Expr, { kind: 'map' }>): void {
    let key: Type | undefined;
    let val: Type | undefined;
    for (const en of e.entries) {
      this.check(en.key);
      key = this.join(en.key, key, this.get(en.key));
      this.check(en.value);
      let t = this.get(en.value);
      if (en.optional) {
        const [inner, isOpt] = unwrapOptional(t);
        t = inner;
        if (!isOpt && !isDyn(t)) this.error(en.value.id, `expected type '${formatType(T.opt(t))}' but found '${formatType(t)}'`);
      }
      val = this.join(en.value, val, t);
    }
    this.set(e, key === undefined ? T.map(this.freshVar(), this.freshVar()) : T.map(key, val!));
  }

  private checkComprehension(e: Extract<Expr, { kind: 'comp' }>): void {
    this.check(e.iterRange);
    this.check(e.accuInit);
    const range = substitute(this.mapping, this.get(e.iterRange), false);
    const accuType = this.get(e.accuInit);
    this.scopes.push(new Map([[e.accuVar, accuType]]));
    let varType: Type;
    if (range.k === 'list' || range.k === 'map') varType = range.p[0];
    else if (range.k === 'dyn' || range.k === 'error' || range.k === 'param') {
      this.tryAssign(T.dyn, range);
      varType = T.dyn;
    } else {
      this.error(e.iterRange.id, `expression of type '${formatType(range)}' cannot be range of a comprehension (must be list, map, or dynamic)`);
      varType = T.error;
    }
    this.scopes.push(new Map([[e.iterVar, varType]]));
    this.check(e.cond);
    this.assertType(e.cond, T.bool);
    this.check(e.step);
    this.assertType(e.step, accuType);
    this.scopes.pop();
    this.check(e.result);
    this.scopes.pop();
    this.set(e, substitute(this.mapping, this.get(e.result), false));
  }

  private assertType(e: Expr, t: Type): void {
    if (!this.tryAssign(t, this.get(e))) this.error(e.id, `expected type '${formatType(t)}' but found '${formatType(this.get(e))}'`);
  }

  finalTypes(): Map<number, Type> {
    const out = new Map<number, Type>();
    for (const [id, t] of this.types) out.set(id, substitute(this.mapping, t, true));
    return out;
  }
}

/** Checks a parsed expression; returns the issues (empty when it compiles). */
export function checkCel(expr: Expr, positions: Map<number, number>): { ok: true; result: CheckResult } | { ok: false; issues: CelIssue[] } {
  const c = new Checker(positions);
  c.check(expr);
  if (c.issues.length > 0) return { ok: false, issues: c.issues };
  const types = c.finalTypes();
  const issues = validateCel(expr, types, positions);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, result: { types, qualifiedCalls: c.qualifiedCalls, globalIdents: c.globalIdents, output: types.get(expr.id) ?? T.dyn } };
}
