// A CEL parser with cel-go's grammar (CEL.g4), optional syntax (`a.?b`, `a[?k]`, `[?x]`, `{?k: v}`)
// and cel-go's macros. @bufbuild/cel's parser rejects the optional syntax and differs from cel-go on
// literals, macros and node positions, so the simulator parses itself and hands @bufbuild/cel only the
// checked, rewritten tree to evaluate (see cel-emit.ts). Offsets are code-point indices, as cel-go's.

import { LexError, lex, unescape, type Tok } from './cel-lex.js';

export type Lit =
  | { t: 'int'; v: bigint }
  | { t: 'uint'; v: bigint }
  | { t: 'double'; v: number }
  | { t: 'string'; v: string }
  | { t: 'bytes'; v: Uint8Array }
  | { t: 'bool'; v: boolean }
  | { t: 'null' };

export interface MapEntry { id: number; key: Expr; value: Expr; optional: boolean }
export interface StructField { id: number; name: string; value: Expr; optional: boolean }

export type Expr =
  | { kind: 'lit'; id: number; lit: Lit }
  | { kind: 'ident'; id: number; name: string }
  | { kind: 'select'; id: number; operand: Expr; field: string; testOnly: boolean }
  | { kind: 'call'; id: number; fn: string; target?: Expr; args: Expr[] }
  | { kind: 'list'; id: number; elems: Expr[]; optional: number[] }
  | { kind: 'map'; id: number; entries: MapEntry[] }
  | { kind: 'struct'; id: number; typeName: string; fields: StructField[] }
  | {
      kind: 'comp';
      id: number;
      iterVar: string;
      iterRange: Expr;
      accuVar: string;
      accuInit: Expr;
      cond: Expr;
      step: Expr;
      result: Expr;
    };

export interface CelIssue { offset: number; message: string }

/** Parse or check failure with cel-go's issue list (formatted by cel.ts). */
export class CelIssues extends Error {
  constructor(readonly issues: CelIssue[]) {
    super(issues.map((i) => i.message).join('\n'));
  }
}

export interface ParsedCel {
  expr: Expr;
  /** expression id -> code-point offset of the node, as cel-go's source info */
  positions: Map<number, number>;
  maxId: number;
}

export const ACCU = '@result';
const RESERVED = new Set([
  'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);
const SIZE_LIMIT = 100_000;
const DEPTH_LIMIT = 250;

// ---------------------------------------------------------------- parser

class SyntaxFail extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

const EXPR_START = "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";

class Parser {
  private i = 0;
  private id = 0;
  readonly positions = new Map<number, number>();
  readonly errors: CelIssue[] = [];
  private depth: Record<string, number> = {};

  constructor(private readonly toks: Tok[]) {}

  get maxId(): number {
    return this.id;
  }

  private peek(k = 0): Tok {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }

  private is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === text;
  }

  private take(): Tok {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private expect(text: string): Tok {
    if (!this.is(text)) this.fail(this.peek(), `mismatched input '${this.peek().text}' expecting '${text}'`);
    return this.take();
  }

  private fail(t: Tok, message: string): never {
    throw new SyntaxFail(t.start, `Syntax error: ${message}`);
  }

  /** cel-go limits the nesting of each grammar rule (recursionListener); left-recursive rules nest per operator. */
  private enter(rule: string, by = 1): void {
    const d = (this.depth[rule] ?? 0) + by;
    this.depth[rule] = d;
    if (d > DEPTH_LIMIT) throw new SyntaxFail(-1, `expression recursion limit exceeded: ${DEPTH_LIMIT}`);
  }

  private exit(rule: string, by = 1): void {
    this.depth[rule] = (this.depth[rule] ?? 0) - by;
  }

  newId(offset: number): number {
    this.id++;
    this.positions.set(this.id, offset);
    return this.id;
  }

  private report(offset: number, message: string): Expr {
    this.errors.push({ offset, message });
    return { kind: 'lit', id: this.newId(offset), lit: { t: 'string', v: '<<error>>' } };
  }

  private call(offset: number, fn: string, args: Expr[], target?: Expr): Expr {
    return target ? { kind: 'call', id: this.newId(offset), fn, target, args } : { kind: 'call', id: this.newId(offset), fn, args };
  }

  parseStart(): Expr {
    const e = this.parseExpr();
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(t, `mismatched input '${t.text}' expecting <EOF>`);
    return e;
  }

  private parseExpr(): Expr {
    this.enter('expr');
    const cond = this.parseOr();
    let e = cond;
    if (this.is('?')) {
      const q = this.take();
      const a = this.parseOr();
      this.expect(':');
      const b = this.parseExpr();
      e = this.call(q.start, '_?_:_', [cond, a, b]);
    }
    this.exit('expr');
    return e;
  }

  private parseOr(): Expr {
    let e = this.parseAnd();
    while (this.is('||')) {
      const op = this.take();
      e = this.call(op.start, '_||_', [e, this.parseAnd()]);
    }
    return e;
  }

  private parseAnd(): Expr {
    let e = this.parseRelation();
    while (this.is('&&')) {
      const op = this.take();
      e = this.call(op.start, '_&&_', [e, this.parseRelation()]);
    }
    return e;
  }

  private static REL: Record<string, string> = { '<': '_<_', '<=': '_<=_', '>=': '_>=_', '>': '_>_', '==': '_==_', '!=': '_!=_', in: '@in' };
  private static MUL: Record<string, string> = { '*': '_*_', '/': '_/_', '%': '_%_' };
  private static ADD: Record<string, string> = { '+': '_+_', '-': '_-_' };

  private parseRelation(): Expr {
    this.enter('relation');
    let e = this.parseCalc();
    let nested = 1;
    while (this.peek().kind === 'op' && Parser.REL[this.peek().text]) {
      const op = this.take();
      this.enter('relation');
      nested++;
      e = this.call(op.start, Parser.REL[op.text]!, [e, this.parseCalc()]);
    }
    this.exit('relation', nested);
    return e;
  }

  private parseCalc(): Expr {
    this.enter('calc');
    let nested = 1;
    const mul = (): Expr => {
      let e = this.parseUnary();
      while (this.peek().kind === 'op' && Parser.MUL[this.peek().text]) {
        const op = this.take();
        this.enter('calc');
        nested++;
        e = this.call(op.start, Parser.MUL[op.text]!, [e, this.parseUnary()]);
      }
      return e;
    };
    let e = mul();
    while (this.peek().kind === 'op' && Parser.ADD[this.peek().text]) {
      const op = this.take();
      this.enter('calc');
      nested++;
      e = this.call(op.start, Parser.ADD[op.text]!, [e, mul()]);
    }
    this.exit('calc', nested);
    return e;
  }

  private parseUnary(): Expr {
    const first = this.peek();
    if (this.is('!') || (this.is('-') && !(this.peek(1).kind === 'int' || this.peek(1).kind === 'float'))) {
      const op = first.text;
      let count = 0;
      while (this.is(op)) {
        this.take();
        count++;
      }
      const m = this.parseMember();
      return count % 2 === 0 ? m : this.call(first.start, op === '!' ? '!_' : '-_', [m]);
    }
    return this.parseMember();
  }

  private parseMember(): Expr {
    this.enter('member');
    let e = this.parsePrimary();
    let nested = 1;
    for (;;) {
      if (this.is('.')) {
        const dot = this.take();
        this.enter('member');
        nested++;
        const opt = this.is('?') ? this.take() : undefined;
        const idTok = this.peek();
        if (idTok.kind === 'escid') {
          this.take();
          e = this.report(idTok.start, "unsupported syntax: '`'");
          continue;
        }
        if (idTok.kind !== 'id') this.fail(idTok, `no viable alternative at input '.${opt ? '?' : ''}${idTok.kind === 'eof' ? '' : idTok.text}'`);
        this.take();
        if (!opt && this.is('(')) {
          const open = this.take();
          const args = this.parseArgs();
          e = this.receiverCallOrMacro(open.start, idTok.text, e, args);
          continue;
        }
        if (opt) {
          const field: Expr = { kind: 'lit', id: this.newId(idTok.start), lit: { t: 'string', v: idTok.text } };
          e = this.call(dot.start, '_?._', [e, field]);
        } else {
          e = { kind: 'select', id: this.newId(dot.start), operand: e, field: idTok.text, testOnly: false };
        }
        continue;
      }
      if (this.is('[')) {
        const open = this.take();
        this.enter('member');
        nested++;
        const opt = this.is('?') ? this.take() : undefined;
        const index = this.parseExpr();
        this.expect(']');
        e = this.call(open.start, opt ? '_[?_]' : '_[_]', [e, index]);
        continue;
      }
      break;
    }
    this.exit('member', nested);
    return e;
  }

  private parseArgs(): Expr[] {
    const args: Expr[] = [];
    if (this.is(')')) {
      this.take();
      return args;
    }
    for (;;) {
      args.push(this.parseExpr());
      if (this.is(',')) {
        this.take();
        continue;
      }
      this.expect(')');
      return args;
    }
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    if (t.kind === 'id' || (this.is('.') && this.peek(1).kind === 'id')) {
      const leadingDot = this.is('.') ? this.take() : undefined;
      const idTok = this.take();
      // message construction: a.b.C{...}
      let k = 0;
      while (this.is('.', k) && this.peek(k + 1).kind === 'id') k += 2;
      if (this.is('{', k)) {
        const names = [idTok.text];
        for (let m = 0; m < k; m += 2) {
          this.take();
          names.push(this.take().text);
        }
        return this.parseMessage((leadingDot ? '.' : '') + names.join('.'));
      }
      const name = (leadingDot ? '.' : '') + idTok.text;
      if (RESERVED.has(idTok.text)) {
        if (this.is('(')) {
          this.take();
          this.parseArgs();
        }
        return this.report((leadingDot ?? idTok).start, `reserved identifier: ${idTok.text}`);
      }
      if (this.is('(')) {
        const open = this.take();
        const args = this.parseArgs();
        return this.globalCallOrMacro(open.start, name, args);
      }
      return { kind: 'ident', id: this.newId(idTok.start), name };
    }
    if (this.is('(')) {
      this.take();
      const e = this.parseExpr();
      this.expect(')');
      return e;
    }
    if (this.is('[')) {
      const open = this.take();
      const elems: Expr[] = [];
      const optional: number[] = [];
      if (this.is(',')) this.take();
      else {
        while (!this.is(']')) {
          if (this.is('?')) {
            this.take();
            optional.push(elems.length);
          }
          elems.push(this.parseExpr());
          if (!this.is(',')) break;
          this.take();
        }
      }
      this.expect(']');
      return { kind: 'list', id: this.newId(open.start), elems, optional };
    }
    if (this.is('{')) {
      const open = this.take();
      const id = this.newId(open.start);
      const entries: MapEntry[] = [];
      if (this.is(',')) this.take();
      else {
        while (!this.is('}')) {
          const optional = this.is('?') ? (this.take(), true) : false;
          const key = this.parseExpr();
          const colon = this.expect(':');
          const value = this.parseExpr();
          entries.push({ id: this.newId(colon.start), key, value, optional });
          if (!this.is(',')) break;
          this.take();
        }
      }
      this.expect('}');
      return { kind: 'map', id, entries };
    }
    return this.parseLiteral();
  }

  private parseMessage(typeName: string): Expr {
    const open = this.expect('{');
    const id = this.newId(open.start);
    const fields: StructField[] = [];
    if (this.is(',')) this.take();
    else {
      while (!this.is('}')) {
        const optional = this.is('?') ? (this.take(), true) : false;
        const f = this.peek();
        if (f.kind !== 'id' && f.kind !== 'escid') this.fail(f, `mismatched input '${f.text}' expecting IDENTIFIER`);
        this.take();
        if (f.kind === 'escid') this.report(f.start, "unsupported syntax: '`'");
        const colon = this.expect(':');
        const value = this.parseExpr();
        fields.push({ id: this.newId(colon.start), name: f.text, value, optional });
        if (!this.is(',')) break;
        this.take();
      }
    }
    this.expect('}');
    return { kind: 'struct', id, typeName, fields };
  }

  private parseLiteral(): Expr {
    const t = this.peek();
    const lit = (l: Lit, at = t.start): Expr => ({ kind: 'lit', id: this.newId(at), lit: l });
    if (this.is('-') && (this.peek(1).kind === 'int' || this.peek(1).kind === 'float')) {
      this.take();
      const num = this.take();
      return this.numberLiteral(num, true, t.start);
    }
    switch (t.kind) {
      case 'int':
      case 'uint':
      case 'float':
        this.take();
        return this.numberLiteral(t, false, t.start);
      case 'string':
      case 'bytes': {
        this.take();
        const u = unescape(t.text, t.kind === 'bytes');
        if (!u.ok) return this.report(t.start, u.error);
        return lit(t.kind === 'bytes' ? { t: 'bytes', v: Uint8Array.from(u.bytes) } : { t: 'string', v: u.str });
      }
      case 'op':
        if (t.text === 'true' || t.text === 'false') {
          this.take();
          return lit({ t: 'bool', v: t.text === 'true' });
        }
        if (t.text === 'null') {
          this.take();
          return lit({ t: 'null' });
        }
        break;
      default:
        break;
    }
    if (this.is('.') || t.kind === 'eof' || t.kind === 'op') this.fail(t, `mismatched input '${t.text}' expecting ${EXPR_START}`);
    this.fail(t, `extraneous input '${t.text}' expecting ${EXPR_START}`);
  }

  private numberLiteral(t: Tok, negative: boolean, at: number): Expr {
    const mk = (l: Lit): Expr => ({ kind: 'lit', id: this.newId(at), lit: l });
    if (t.kind === 'float') {
      const v = Number((negative ? '-' : '') + t.text);
      if (!Number.isFinite(v)) return this.report(at, 'invalid double literal');
      return mk({ t: 'double', v });
    }
    if (t.kind === 'uint') {
      const v = BigInt(t.text.slice(0, -1));
      if (v > 0xffffffffffffffffn) return this.report(at, 'invalid uint literal');
      return mk({ t: 'uint', v });
    }
    const v = negative ? -BigInt(t.text) : BigInt(t.text);
    if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) return this.report(at, 'invalid int literal');
    return mk({ t: 'int', v });
  }

  // ------------------------------------------------------------ macros (cel-go parser/macro.go)

  private globalCallOrMacro(at: number, fn: string, args: Expr[]): Expr {
    if (fn === 'has' && args.length === 1) {
      const a = args[0]!;
      if (a.kind !== 'select') return this.report(this.positions.get(a.id)!, 'invalid argument to has() macro');
      return { kind: 'select', id: this.newId(at), operand: a.operand, field: a.field, testOnly: true };
    }
    return this.call(at, fn, args);
  }

  private receiverCallOrMacro(at: number, fn: string, target: Expr, args: Expr[]): Expr {
    const quant = { all: 'all', exists: 'exists', exists_one: 'one', existsOne: 'one' }[fn];
    if (quant && args.length === 2) return this.quantifier(at, quant, target, args);
    if ((fn === 'map' && (args.length === 2 || args.length === 3)) || (fn === 'filter' && args.length === 2)) return this.mapOrFilter(at, fn, target, args);
    if ((fn === 'optMap' || fn === 'optFlatMap') && args.length === 2) return this.optMap(at, fn, target, args);
    return this.call(at, fn, args, target);
  }

  private iterVar(arg: Expr, notIdent: string): string | Expr {
    if (arg.kind !== 'ident') return this.report(this.positions.get(arg.id)!, notIdent);
    if (arg.name === ACCU || arg.name === '__result__') return this.report(this.positions.get(arg.id)!, 'iteration variable overwrites accumulator variable');
    return arg.name;
  }

  private quantifier(at: number, kind: string, target: Expr, args: Expr[]): Expr {
    const v = this.iterVar(args[0]!, 'argument must be a simple name');
    if (typeof v !== 'string') return v;
    const accu = (): Expr => ({ kind: 'ident', id: this.newId(at), name: ACCU });
    const lit = (l: Lit): Expr => ({ kind: 'lit', id: this.newId(at), lit: l });
    let init: Expr;
    let cond: Expr;
    let step: Expr;
    let result: Expr;
    if (kind === 'all') {
      init = lit({ t: 'bool', v: true });
      cond = this.call(at, '@not_strictly_false', [accu()]);
      step = this.call(at, '_&&_', [accu(), args[1]!]);
      result = accu();
    } else if (kind === 'exists') {
      init = lit({ t: 'bool', v: false });
      cond = this.call(at, '@not_strictly_false', [this.call(at, '!_', [accu()])]);
      step = this.call(at, '_||_', [accu(), args[1]!]);
      result = accu();
    } else {
      init = lit({ t: 'int', v: 0n });
      cond = lit({ t: 'bool', v: true });
      step = this.call(at, '_?_:_', [args[1]!, this.call(at, '_+_', [accu(), lit({ t: 'int', v: 1n })]), accu()]);
      result = this.call(at, '_==_', [accu(), lit({ t: 'int', v: 1n })]);
    }
    return { kind: 'comp', id: this.newId(at), iterVar: v, iterRange: target, accuVar: ACCU, accuInit: init, cond, step, result };
  }

  private mapOrFilter(at: number, fn: string, target: Expr, args: Expr[]): Expr {
    const v = this.iterVar(args[0]!, 'argument is not an identifier');
    if (typeof v !== 'string') return v;
    const accu = (): Expr => ({ kind: 'ident', id: this.newId(at), name: ACCU });
    const list = (e: Expr): Expr => ({ kind: 'list', id: this.newId(at), elems: [e], optional: [] });
    let step: Expr;
    if (fn === 'filter') {
      step = this.call(at, '_?_:_', [args[1]!, this.call(at, '_+_', [accu(), list(args[0]!)]), accu()]);
    } else {
      const fnExpr = args.length === 3 ? args[2]! : args[1]!;
      step = this.call(at, '_+_', [accu(), list(fnExpr)]);
      if (args.length === 3) step = this.call(at, '_?_:_', [args[1]!, step, accu()]);
    }
    return {
      kind: 'comp',
      id: this.newId(at),
      iterVar: v,
      iterRange: target,
      accuVar: ACCU,
      accuInit: { kind: 'list', id: this.newId(at), elems: [], optional: [] },
      cond: { kind: 'lit', id: this.newId(at), lit: { t: 'bool', v: true } },
      step,
      result: accu(),
    };
  }

  /** optMap/optFlatMap (cel-go cel/library.go): hasValue() ? [optional.of](bind(v, value(), e)) : none */
  private optMap(at: number, fn: string, target: Expr, args: Expr[]): Expr {
    const a0 = args[0]!;
    if (a0.kind !== 'ident') return this.report(this.positions.get(a0.id)!, `${fn}() variable name must be a simple identifier`);
    const bind: Expr = {
      kind: 'comp',
      id: this.newId(at),
      iterVar: '#unused',
      iterRange: { kind: 'list', id: this.newId(at), elems: [], optional: [] },
      accuVar: a0.name,
      accuInit: this.call(at, 'value', [], copyExpr(target, (off) => this.newId(off), this.positions)),
      cond: { kind: 'lit', id: this.newId(at), lit: { t: 'bool', v: false } },
      step: { kind: 'ident', id: this.newId(at), name: a0.name },
      result: args[1]!,
    };
    return this.call(at, '_?_:_', [
      this.call(at, 'hasValue', [], target),
      fn === 'optMap' ? this.call(at, 'optional.of', [bind]) : bind,
      this.call(at, 'optional.none', []),
    ]);
  }
}

/** A copy with fresh ids (same positions), as cel-go's ExprHelper.Copy. */
export function copyExpr(e: Expr, newId: (offset: number) => number, positions: Map<number, number>): Expr {
  const c = (x: Expr) => copyExpr(x, newId, positions);
  const id = newId(positions.get(e.id) ?? 0);
  switch (e.kind) {
    case 'lit':
    case 'ident':
      return { ...e, id };
    case 'select':
      return { ...e, id, operand: c(e.operand) };
    case 'call':
      return e.target ? { ...e, id, target: c(e.target), args: e.args.map(c) } : { ...e, id, args: e.args.map(c) };
    case 'list':
      return { ...e, id, elems: e.elems.map(c) };
    case 'map':
      return { ...e, id, entries: e.entries.map((en) => ({ ...en, id: newId(positions.get(en.id) ?? 0), key: c(en.key), value: c(en.value) })) };
    case 'struct':
      return { ...e, id, fields: e.fields.map((f) => ({ ...f, id: newId(positions.get(f.id) ?? 0), value: c(f.value) })) };
    case 'comp':
      return { ...e, id, iterRange: c(e.iterRange), accuInit: c(e.accuInit), cond: c(e.cond), step: c(e.step), result: c(e.result) };
  }
}

/** Parses like cel-go's parser with optional syntax enabled; throws CelIssues. */
export function parseCel(source: string): ParsedCel {
  const cs = Array.from(source);
  if (cs.length > SIZE_LIMIT) throw new CelIssues([{ offset: -1, message: `expression code point size exceeds limit: size: ${cs.length}, limit ${SIZE_LIMIT}` }]);
  let toks: Tok[];
  try {
    toks = lex(cs);
  } catch (e) {
    if (e instanceof LexError) throw new CelIssues([{ offset: e.offset, message: `Syntax error: ${e.message}` }]);
    throw e;
  }
  const p = new Parser(toks);
  let expr: Expr;
  try {
    expr = p.parseStart();
  } catch (e) {
    if (e instanceof SyntaxFail) throw new CelIssues([...p.errors, { offset: e.offset, message: e.message }]);
    throw e;
  }
  if (p.errors.length > 0) throw new CelIssues(p.errors);
  return { expr, positions: p.positions, maxId: p.maxId };
}
