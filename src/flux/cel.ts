// Commit status CEL expressions (spec §6.8). fluxcd/pkg runtime/cel compiles with cel-go (strings,
// sets, encoders, optional types, cross-type numeric comparisons, homogeneous aggregate literals) and
// requires the static output type `string`. Here: cel-parse.ts parses (with the optional syntax),
// cel-check.ts type-checks with cel-go's rules, cel-emit.ts hands the checked tree to @bufbuild/cel,
// whose evaluator runs it with cel-runtime.ts supplying what it lacks.

import { celEnv, isCelError, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { checkCel } from './cel-check.js';
import { emitPlannerExpr } from './cel-emit.js';
import { CelIssues, parseCel, type CelIssue } from './cel-parse.js';
import { RUNTIME_FUNCS } from './cel-runtime.js';
import { typeString } from './cel-types.js';

const env = celEnv({ funcs: [...strings, ...RUNTIME_FUNCS] });

export class CelCompileError extends Error {}

export interface CompiledCel {
  evaluate(vars: Record<string, unknown>): { ok: true; value: unknown } | { ok: false; error: string };
}

/** cel-go's Errors.ToDisplayString: issues sorted by position, each with the source line and a caret. */
export function formatIssues(source: string, issues: CelIssue[]): string {
  const cs = Array.from(source);
  const lines = source.split('\n');
  const located = issues.map((issue) => {
    if (issue.offset < 0) return { line: -1, col: -1, issue };
    let line = 1;
    let start = 0;
    for (let i = 0; i < issue.offset && i < cs.length; i++) {
      if (cs[i] === '\n') {
        line++;
        start = i + 1;
      }
    }
    return { line, col: issue.offset - start, issue };
  });
  located.sort((a, b) => a.line - b.line || a.col - b.col);
  return located
    .map(({ line, col, issue }) => {
      let out = `ERROR: <input>:${line}:${col + 1}: ${issue.message}`;
      const snippet = line >= 1 && source.length > 0 ? lines[line - 1] : undefined;
      if (snippet !== undefined && Buffer.byteLength(snippet) <= 16384) {
        const chars = Array.from(snippet.replace(/\t/g, ' '));
        const wide = (c: string | undefined) => c !== undefined && c.codePointAt(0)! > 0x7f;
        let ind = '';
        for (let i = 0; i < col && i < chars.length; i++) ind += wide(chars[i]) ? '\uff0e' : '.';
        ind += wide(chars[col]) ? '\uff3e' : '^';
        out += `\n | ${chars.join('')}\n | ${ind}`;
      }
      return out;
    })
    .join('\n');
}

/** cel-go's wording for the evaluation errors @bufbuild/cel words differently. */
function celGoMessage(msg: string): string {
  return msg
    .replace(/^field not found: /, 'no such key: ')
    .replace(/^index (-?\d+) out of bounds \[0, \d+\)$/, 'index out of bounds: $1')
    .replace(/^(int|uint|double) divide by zero$/, 'division by zero')
    .replace(/^(int|uint) modulus by zero$/, 'modulus by zero')
    .replace(/^int overflow during .*$/, 'integer overflow')
    .replace(/^uint overflow during .*$/, 'unsigned integer overflow')
    .replace(/^unresolved attribute$/, 'no such attribute');
}

/**
 * Variables as cel-go sees Kubernetes' unstructured maps: integers are int64 (a JS number would be a
 * CEL double), absent fields are left out.
 */
function toCelInput(v: unknown): unknown {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(toCelInput);
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toCelInput(x);
  return out;
}

function compile(expr: string): CompiledCel {
  let parsed;
  let checked;
  try {
    parsed = parseCel(expr);
    const c = checkCel(parsed.expr, parsed.positions);
    if (!c.ok) throw new CelIssues(c.issues);
    checked = c.result;
  } catch (e) {
    if (e instanceof CelIssues) throw new CelCompileError(`failed to parse the CEL expression '${expr}': ${formatIssues(expr, e.issues)}`);
    throw e;
  }
  const out = typeString(checked.output);
  if (out !== 'string') throw new CelCompileError(`CEL expression output type mismatch: expected string, got ${out}`);
  const run = plan(env, emitPlannerExpr(parsed.expr, checked, parsed.maxId));
  return {
    evaluate(vars) {
      let r: unknown;
      try {
        r = run(toCelInput(vars) as never);
      } catch (e) {
        return { ok: false, error: `failed to evaluate the CEL expression '${expr}': ${celGoMessage((e as Error).message)}` };
      }
      if (isCelError(r)) return { ok: false, error: `failed to evaluate the CEL expression '${expr}': ${celGoMessage(r.message)}` };
      if (typeof r !== 'string') return { ok: false, error: `failed to evaluate CEL expression as string: '${expr}'` };
      return { ok: true, value: r };
    },
  };
}

// NC compiles the expression for every event; the outcome only depends on the text, so keep it.
const CACHE_LIMIT = 256;
const cache = new Map<string, CompiledCel | CelCompileError>();

/** Compiles as fluxcd/pkg runtime/cel with WithOutputType(string); throws CelCompileError with its text. */
export function compileStringExpression(expr: string): CompiledCel {
  let hit = cache.get(expr);
  if (hit === undefined) {
    try {
      hit = compile(expr);
    } catch (e) {
      if (!(e instanceof CelCompileError)) throw e;
      hit = e;
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(expr, hit);
  }
  if (hit instanceof CelCompileError) throw hit;
  return hit;
}
