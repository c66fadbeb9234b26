// Go's strings.EqualFold: equal under Unicode simple case folding (so `ſ` folds to `s` and the
// Kelvin sign to `k`, which JavaScript's toLowerCase does not do).

import { RE2JS } from 're2js';

const ASCII = /^[\x00-\x7f]*$/;
const folders = new Map<string, RE2JS>();

export function equalFold(a: string, b: string): boolean {
  if (a === b) return true;
  // Between ASCII strings only A–Z and a–z fold, exactly what toLowerCase does there.
  if (ASCII.test(a) && ASCII.test(b)) return a.length === b.length && a.toLowerCase() === b.toLowerCase();
  return foldsTo(a, b);
}

/**
 * equalFold for many `a` against one `b` whose ASCII-ness is known: an ASCII `a` of another
 * length can then be rejected without looking further.
 */
export function equalFoldTo(a: string, b: string, bIsAscii: boolean): boolean {
  if (a === b) return true;
  if (bIsAscii && ASCII.test(a)) return a.length === b.length && a.toLowerCase() === b.toLowerCase();
  return foldsTo(a, b);
}

export const isAscii = (s: string) => ASCII.test(s);

function foldsTo(a: string, b: string): boolean {
  // Otherwise RE2's case-insensitive literal, which folds with the same simple-folding orbits.
  let re = folders.get(b);
  if (!re) {
    re = RE2JS.compile(RE2JS.quote(b), RE2JS.CASE_INSENSITIVE);
    if (folders.size > 1000) folders.clear();
    folders.set(b, re);
  }
  return re.matches(a);
}
