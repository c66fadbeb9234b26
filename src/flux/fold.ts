// Go's strings.EqualFold: equal under Unicode simple case folding (so `ſ` folds to `s` and the
// Kelvin sign to `k`, which JavaScript's toLowerCase does not do).

import { RE2JS } from 're2js';

const ASCII = /^[\x00-\x7f]*$/;
const folders = new Map<string, RE2JS>();

export function equalFold(a: string, b: string): boolean {
  // No simple-folding orbit mixes BMP and astral characters (checked over every cased astral
  // code point with RE2's own tables), so folding keeps the UTF-16 length: most pairs stop here.
  if (a.length !== b.length) return false;
  if (a === b) return true;
  // Between ASCII strings only A–Z and a–z fold, exactly what toLowerCase does there.
  if (ASCII.test(a) && ASCII.test(b)) return a.toLowerCase() === b.toLowerCase();
  // Otherwise RE2's case-insensitive literal, which folds with the same simple-folding orbits.
  let re = folders.get(b);
  if (!re) {
    re = RE2JS.compile(RE2JS.quote(b), RE2JS.CASE_INSENSITIVE);
    if (folders.size > 1000) folders.clear();
    folders.set(b, re);
  }
  return re.matches(a);
}
