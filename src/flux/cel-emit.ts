// Turns a checked expression into the tree @bufbuild/cel's planner evaluates. Standard operations
// are passed through; the rest becomes calls of cel-runtime.ts: field selection, indexing and has()
// (cel-go's attribute semantics, including optional chains `a.?b.c`, `m[?k]`), optional list/map
// entries, the optional library, sets, base64, and the short-circuiting `or`/`orValue`.

import type { plan } from '@bufbuild/cel';
import type { CheckResult } from './cel-check.js';
import type { Expr, Lit } from './cel-parse.js';
import type { Type } from './cel-types.js';

export type PlannerExpr = Parameters<typeof plan>[1];

/* The shape of cel.expr.Expr that the planner reads. */
interface P {
  id: bigint;
  exprKind:
    | { case: 'constExpr'; value: { constantKind: { case: string; value: unknown } } }
    | { case: 'identExpr'; value: { name: string } }
    | { case: 'callExpr'; value: { function: string; target?: P; args: P[] } }
    | { case: 'listExpr'; value: { elements: P[]; optionalIndices: number[] } }
    | { case: 'structExpr'; value: { messageName: string; entries: { id: bigint; keyKind: { case: 'mapKey'; value: P }; value: P; optionalEntry: boolean }[] } }
    | {
        case: 'comprehensionExpr';
        value: { iterVar: string; iterVar2: string; iterRange: P; accuVar: string; accuInit: P; loopCondition: P; loopStep: P; result: P };
      };
}

/** Global functions reached from the optional library's names. */
const RENAMED: Record<string, string> = {
  'optional.of': '@opt.of',
  'optional.none': '@opt.none',
  'optional.ofNonZeroValue': '@opt.ofNonZero',
  'optional.unwrap': '@opt.unwrap',
};
/** Receiver functions of the optional library (all take the receiver as first argument). */
const RECEIVERS: Record<string, string> = {
  value: '@opt.value',
  hasValue: '@opt.hasValue',
  first: '@list.first',
  last: '@list.last',
  unwrapOpt: '@opt.unwrap',
};

/** A static type that cannot hold an optional at run time (so no lazy key evaluation is needed). */
const isConcrete = (t: Type | undefined) => t !== undefined && (t.k === 'list' || t.k === 'map');

class Emitter {
  private binds = 0;
  constructor(
    private readonly check: CheckResult,
    private nextId: number,
  ) {}

  private id(): bigint {
    return BigInt(++this.nextId);
  }

  private typeOf(e: Expr): Type | undefined {
    return this.check.types.get(e.id);
  }

  private constant(lit: Lit, id = this.id()): P {
    const kinds: Record<Lit['t'], string> = { int: 'int64Value', uint: 'uint64Value', double: 'doubleValue', string: 'stringValue', bytes: 'bytesValue', bool: 'boolValue', null: 'nullValue' };
    return { id, exprKind: { case: 'constExpr', value: { constantKind: { case: kinds[lit.t], value: lit.t === 'null' ? 0 : lit.v } } } };
  }

  private call(fn: string, args: P[], target?: P, id = this.id()): P {
    return { id, exprKind: { case: 'callExpr', value: target ? { function: fn, target, args } : { function: fn, args } } };
  }

  private ident(name: string, id = this.id()): P {
    return { id, exprKind: { case: 'identExpr', value: { name } } };
  }

  private list(elements: P[], id = this.id()): P {
    return { id, exprKind: { case: 'listExpr', value: { elements, optionalIndices: [] } } };
  }

  /** Evaluates `value` once and names it for `body` (cel-go's cel.bind shape of comprehension). */
  private bind(value: P, body: (ref: () => P) => P): P {
    const name = `@opt${this.binds++}`;
    return {
      id: this.id(),
      exprKind: {
        case: 'comprehensionExpr',
        value: {
          iterVar: '#unused',
          iterVar2: '',
          iterRange: this.list([]),
          accuVar: name,
          accuInit: value,
          loopCondition: this.constant({ t: 'bool', v: false }),
          loopStep: this.ident(name),
          result: body(() => this.ident(name)),
        },
      },
    };
  }

  /** One qualifier of a chain; in an optional chain a computed key is evaluated only when there is a value. */
  private qualify(operand: P, key: Expr, optional: boolean, id: bigint, optionalOperand = false): P {
    const flag = this.constant({ t: 'bool', v: optional });
    if (key.kind === 'lit' || !(optional || optionalOperand)) return this.call('@q', [operand, this.emit(key), flag], undefined, id);
    return this.bind(operand, (o) => this.call('_?_:_', [this.call('@opt.isNone', [o()]), o(), this.call('@q', [o(), this.emit(key), flag], undefined, id)]));
  }

  emit(e: Expr): P {
    const id = BigInt(e.id);
    switch (e.kind) {
      case 'lit':
        return this.constant(e.lit, id);
      case 'ident':
        // the optional type has no value in @bufbuild/cel; cel-runtime.ts supplies one
        if (e.name.replace(/^\./, '') === 'optional_type' && this.check.globalIdents.has(e.id)) return this.call('@opt.type', [], undefined, id);
        return this.ident(e.name.replace(/^\./, ''), id);
      case 'select': {
        // every selection goes through cel-runtime.ts: cel-go's presence rules and error texts, and
        // optional values (even behind dyn) qualify the way cel-go's attribute chains do
        const field = this.constant({ t: 'string', v: e.field });
        if (e.testOnly) return this.call('@has', [this.emit(e.operand), field], undefined, id);
        return this.call('@q', [this.emit(e.operand), field, this.constant({ t: 'bool', v: false })], undefined, id);
      }
      case 'call':
        return this.emitCall(e, id);
      case 'list': {
        const elems = e.elems.map((x) => this.emit(x));
        if (e.optional.length === 0) return this.list(elems, id);
        const flags = e.elems.map((_, i) => this.constant({ t: 'bool', v: e.optional.includes(i) }));
        return this.call('@opt.list', [this.list(elems), this.list(flags)], undefined, id);
      }
      case 'map': {
        // built by cel-runtime.ts: optional entries, and a repeated key keeps its last value as in
        // cel-go (@bufbuild/cel fails with "map key conflict")
        if (e.entries.length === 0) return { id, exprKind: { case: 'structExpr', value: { messageName: '', entries: [] } } };
        const kv = e.entries.flatMap((en) => [this.emit(en.key), this.emit(en.value)]);
        const flags = e.entries.map((en) => this.constant({ t: 'bool', v: en.optional }));
        return this.call('@map', [this.list(kv), this.list(flags)], undefined, id);
      }
      case 'comp':
        return {
          id,
          exprKind: {
            case: 'comprehensionExpr',
            value: {
              iterVar: e.iterVar,
              iterVar2: '',
              iterRange: this.emit(e.iterRange),
              accuVar: e.accuVar,
              accuInit: this.emit(e.accuInit),
              loopCondition: this.emit(e.cond),
              loopStep: this.emit(e.step),
              result: this.emit(e.result),
            },
          },
        };
      case 'struct':
        throw new Error('message construction is rejected by the checker');
    }
  }

  private emitCall(e: Extract<Expr, { kind: 'call' }>, id: bigint): P {
    const qualified = this.check.qualifiedCalls.get(e.id);
    const args = () => e.args.map((a) => this.emit(a));
    if (qualified !== undefined || !e.target) {
      const name = (qualified ?? e.fn).replace(/^\./, '');
      switch (name) {
        case '_?._':
        case '_[?_]':
          return this.qualify(this.emit(e.args[0]!), e.args[1]!, true, id);
        case '_[_]':
          return this.qualify(this.emit(e.args[0]!), e.args[1]!, false, id, !isConcrete(this.typeOf(e.args[0]!)));
        case 'type':
          // knows the optional type, which @bufbuild/cel's type() cannot
          return this.call('@opt.typeOf', args(), undefined, id);
        case 'matches':
          // @bufbuild/cel only has the receiver form
          if (e.args.length === 2) return this.call('matches', [this.emit(e.args[1]!)], this.emit(e.args[0]!), id);
          break;
        default:
          break;
      }
      return this.call(RENAMED[name] ?? name, args(), undefined, id);
    }
    const target = this.emit(e.target);
    if (e.fn === 'or' || e.fn === 'orValue') {
      // cel-go short-circuits both: the right side is evaluated only when the left has no value
      const rhs = this.emit(e.args[0]!);
      return this.bind(target, (o) =>
        this.call('_?_:_', [this.call('@opt.keep', [o()]), e.fn === 'or' ? o() : this.call('@opt.unwrapOrSelf', [o()]), rhs], undefined, id),
      );
    }
    const internal = RECEIVERS[e.fn];
    if (internal) return this.call(internal, [target, ...args()], undefined, id);
    return this.call(e.fn, args(), target, id);
  }
}

/** The planner tree for a checked expression; `maxId` is the parser's last id. */
export function emitPlannerExpr(expr: Expr, check: CheckResult, maxId: number): PlannerExpr {
  return new Emitter(check, maxId).emit(expr) as unknown as PlannerExpr;
}
