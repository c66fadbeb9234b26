// Go RE2 regular expressions for inclusion/exclusion lists (spec §3.3–3.4), via re2js.
// NC compiles on every evaluation; the result only depends on the pattern, so we cache.

import { RE2JS } from 're2js';

/**
 * A compiled expression and its unanchored search (Go's MatchString). Expressions that are
 * plain literals are searched with string functions, which give the same answer faster:
 * `lit`, `^lit` and `(?i)lit` (the last only for ASCII literals against ASCII text, where
 * RE2's case folding is exactly ASCII case folding).
 */
export class MessageRegex {
  private readonly literal: { text: string; anchored: boolean; fold: boolean } | undefined;
  /** The list result "this expression matched" (shared: it never changes). */
  readonly hit: { hit: string; invalid: string[] };

  constructor(
    readonly pattern: string,
    readonly re: RE2JS,
  ) {
    this.literal = literalOf(pattern);
    this.hit = Object.freeze({ hit: pattern, invalid: Object.freeze([]) as unknown as string[] });
  }

  search(text: string): boolean {
    const lit = this.literal;
    if (!lit) return re2Search(this.re, text);
    if (!lit.fold) return lit.anchored ? text.startsWith(lit.text) : text.includes(lit.text);
    if (!ASCII.test(text)) return re2Search(this.re, text);
    const lower = text.toLowerCase();
    return lit.anchored ? lower.startsWith(lit.text) : lower.includes(lit.text);
  }
}

export type CompiledRegex = { ok: true; re: MessageRegex } | { ok: false; error: string };

const ASCII = /^[\x00-\x7f]*$/;
// RE2 syntax characters; `\` followed by one of them (or by other ASCII punctuation) is that character.
const META = new Set('\\.+*?()|[]{}^$');
const PUNCT = /^[!-/:-@[-`{-~]$/;

/** The literal an expression stands for, when it is one (possibly after `^` or `(?i)`). */
export function literalOf(pattern: string): { text: string; anchored: boolean; fold: boolean } | undefined {
  let p = pattern;
  const fold = p.startsWith('(?i)');
  if (fold) p = p.slice(4);
  const anchored = p.startsWith('^');
  if (anchored) p = p.slice(1);
  let text = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const next = p[i + 1];
      if (next === undefined || !PUNCT.test(next)) return undefined;
      text += next;
      i++;
      continue;
    }
    if (META.has(c)) return undefined;
    text += c;
  }
  if (fold) {
    if (!ASCII.test(text)) return undefined;
    text = text.toLowerCase();
  }
  return { text, anchored, fold };
}

const cache = new Map<string, CompiledRegex>();
const CACHE_LIMIT = 10_000;

export function compileRE2(pattern: string): CompiledRegex {
  let c = cache.get(pattern);
  if (c) return c;
  try {
    c = { ok: true, re: new MessageRegex(pattern, RE2JS.compile(pattern)) };
  } catch (e) {
    c = { ok: false, error: (e as Error).message };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, c);
  return c;
}

/** Unanchored search with re2js itself, like Go's (*Regexp).MatchString. */
export function re2Search(re: RE2JS, text: string): boolean {
  return re.matcher(text).find();
}

/** JavaScript-only syntax that RE2 rejects, named for lint hints. */
export function jsOnlySyntax(pattern: string): string | undefined {
  if (/\(\?<?[=!]/.test(pattern)) return 'lookaround ((?=…), (?!…), (?<=…), (?<!…)) is JavaScript/PCRE syntax; RE2 has none';
  if (/\\[1-9]/.test(pattern)) return 'backreferences (\\1 …) are not supported by RE2';
  if (/\\k</.test(pattern)) return 'named backreferences (\\k<name>) are not supported by RE2';
  return undefined;
}
