// Go RE2 regular expressions for inclusion/exclusion lists (spec §3.3–3.4), via re2js.
// NC compiles on every evaluation; the result only depends on the pattern, so we cache.

import { RE2JS } from 're2js';

export type CompiledRegex = { ok: true; re: RE2JS } | { ok: false; error: string };

const cache = new Map<string, CompiledRegex>();
const CACHE_LIMIT = 10_000;

export function compileRE2(pattern: string): CompiledRegex {
  let c = cache.get(pattern);
  if (c) return c;
  try {
    c = { ok: true, re: RE2JS.compile(pattern) };
  } catch (e) {
    c = { ok: false, error: (e as Error).message };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, c);
  return c;
}

/** Unanchored search, like Go's (*Regexp).MatchString. */
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
