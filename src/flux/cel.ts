// Commit status CEL expressions (spec §6.8) on @bufbuild/cel. Flux compiles with cel-go's type
// checker and requires a static `string` output type; @bufbuild/cel's checker does not cover
// selections and calls yet, so `staticType` infers the output type with cel-go's rules for the
// expressions that matter here (Struct variables are maps of dyn, so a bare field is `dyn`).

import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

const VARIABLES = new Set(['event', 'alert', 'provider']);
const env = celEnv({ funcs: strings });

/* The parsed AST (cel.expr.Expr) — only the parts we read. */
interface Expr {
  id: bigint;
  exprKind:
    | { case: 'constExpr'; value: { constantKind: { case: string | undefined } } }
    | { case: 'identExpr'; value: { name: string } }
    | { case: 'selectExpr'; value: { operand?: Expr; field: string; testOnly: boolean } }
    | { case: 'callExpr'; value: { target?: Expr; function: string; args: Expr[] } }
    | { case: 'listExpr'; value: { elements: Expr[] } }
    | { case: 'structExpr'; value: { messageName: string; entries: unknown[] } }
    | { case: 'comprehensionExpr'; value: { iterVar: string; accuVar: string; loopStep?: Expr; result?: Expr; accuInit?: Expr } }
    | { case: undefined; value?: undefined };
}

export class CelCompileError extends Error {}

const CONST_TYPES: Record<string, string> = {
  stringValue: 'string', int64Value: 'int', uint64Value: 'uint', doubleValue: 'double', boolValue: 'bool', bytesValue: 'bytes', nullValue: 'null_type',
};

const BOOL_FUNCS = new Set([
  '_==_', '_!=_', '_<_', '_<=_', '_>_', '_>=_', '_&&_', '_||_', '!_', '@in', 'matches', 'startsWith', 'endsWith', 'contains', '@not_strictly_false',
]);
const STRING_FUNCS = new Set(['string', 'lowerAscii', 'upperAscii', 'replace', 'trim', 'substring', 'charAt', 'format', 'join', 'reverse', 'strings.quote', 'base64.encode']);
const INT_FUNCS = new Set(['int', 'size', 'indexOf', 'lastIndexOf']);

interface Scope {
  undeclared?: { name: string; id: bigint };
  locals: Set<string>;
}

function typeOf(e: Expr | undefined, scope: Scope): string {
  if (!e) return 'dyn';
  const k = e.exprKind;
  switch (k.case) {
    case 'constExpr':
      return CONST_TYPES[k.value.constantKind.case ?? ''] ?? 'dyn';
    case 'identExpr':
      if (scope.locals.has(k.value.name)) return 'dyn';
      if (VARIABLES.has(k.value.name)) return 'map(string, dyn)';
      scope.undeclared ??= { name: k.value.name, id: e.id };
      return 'error';
    case 'selectExpr':
      typeOf(k.value.operand, scope);
      return k.value.testOnly ? 'bool' : 'dyn';
    case 'listExpr': {
      const ts = new Set(k.value.elements.map((x) => typeOf(x, scope)));
      return ts.size === 1 ? `list(${[...ts][0]})` : 'list(dyn)';
    }
    case 'comprehensionExpr': {
      const locals = new Set([...scope.locals, k.value.iterVar, k.value.accuVar]);
      const inner: Scope = { ...scope, locals };
      typeOf(k.value.accuInit, inner);
      typeOf(k.value.loopStep, inner);
      const t = typeOf(k.value.result, inner);
      scope.undeclared ??= inner.undeclared;
      return t;
    }
    case 'callExpr': {
      const f = k.value.function;
      const target = k.value.target ? typeOf(k.value.target, scope) : undefined;
      const args = k.value.args.map((a) => typeOf(a, scope));
      if (BOOL_FUNCS.has(f)) return 'bool';
      if (STRING_FUNCS.has(f)) return 'string';
      if (INT_FUNCS.has(f)) return 'int';
      if (f === 'split') return 'list(string)';
      if (f === 'bytes' || f === 'base64.decode') return 'bytes';
      if (f === 'double') return 'double';
      if (f === 'uint') return 'uint';
      if (f === 'bool') return 'bool';
      if (f === 'dyn') return 'dyn';
      if (f === '_+_') {
        const [a, b] = args as [string, string];
        if (a === b) return a;
        if ((a === 'string' && b === 'dyn') || (a === 'dyn' && b === 'string')) return 'string';
        return 'dyn';
      }
      if (f === '_?_:_') return args[1] === args[2] ? args[1]! : 'dyn';
      if (f === '_[_]') {
        const m = /^list\((.*)\)$/.exec(args[0] ?? '');
        return m ? m[1]! : 'dyn';
      }
      void target;
      return 'dyn';
    }
    default:
      return 'dyn';
  }
}

function caret(expr: string, offset: number): string {
  // cel-go prints the line and a caret under the column
  const lines = expr.split('\n');
  let line = 0;
  let col = offset;
  while (line < lines.length - 1 && col > lines[line]!.length) {
    col -= lines[line]!.length + 1;
    line++;
  }
  return `${line + 1}:${col + 1}: ` + '\u0000' + `\n | ${lines[line]}\n | ${'.'.repeat(col)}^`;
}

export interface CompiledCel {
  evaluate(vars: Record<string, unknown>): { ok: true; value: unknown } | { ok: false; error: string };
}

/** Compiles as fluxcd/pkg runtime/cel with WithOutputType(string); throws CelCompileError with its text. */
export function compileStringExpression(expr: string): CompiledCel {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(expr);
  } catch (e) {
    throw new CelCompileError(`failed to parse the CEL expression '${expr}': ERROR: ${(e as Error).message}`);
  }
  const scope: Scope = { locals: new Set() };
  const out = typeOf(parsed.expr as unknown as Expr, scope);
  if (scope.undeclared) {
    const pos = Number((parsed.sourceInfo?.positions as Record<string, number> | undefined)?.[String(scope.undeclared.id)] ?? 0);
    const where = caret(expr, pos).replace('\u0000', `undeclared reference to '${scope.undeclared.name}' (in container '')`);
    throw new CelCompileError(`failed to parse the CEL expression '${expr}': ERROR: <input>:${where}`);
  }
  if (out !== 'string') throw new CelCompileError(`CEL expression output type mismatch: expected string, got ${out}`);
  const run = plan(env, parsed);
  return {
    evaluate(vars) {
      let r: unknown;
      try {
        r = run(vars as never);
      } catch (e) {
        return { ok: false, error: `failed to evaluate the CEL expression '${expr}': ${(e as Error).message}` };
      }
      if (isCelError(r)) {
        // cel-go words a missing map key as "no such key: <k>"
        const msg = r.message.replace(/^field not found: /, 'no such key: ').replace(/^unresolved attribute$/, 'no such attribute');
        return { ok: false, error: `failed to evaluate the CEL expression '${expr}': ${msg}` };
      }
      if (typeof r !== 'string') return { ok: false, error: `failed to evaluate CEL expression as string: '${expr}'` };
      return { ok: true, value: r };
    },
  };
}
