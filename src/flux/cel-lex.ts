// The CEL lexer (cel-go parser/gen/CEL.g4 lexer rules) and literal decoding (parser/unescape.go).
// Escape sequences are validated here as the ANTLR lexer does, so an invalid one is a token
// recognition error with the text ANTLR shows.

export type TokKind = 'id' | 'escid' | 'int' | 'uint' | 'float' | 'string' | 'bytes' | 'op' | 'eof';
export interface Tok { kind: TokKind; text: string; start: number; end: number }

const OPS2 = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const OPS1 = new Set(['<', '>', '[', ']', '{', '}', '(', ')', '.', ',', '-', '!', '?', ':', '+', '*', '/', '%']);
const KEYWORDS = new Set(['in', 'true', 'false', 'null']);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isLetter = (c: string | undefined) => c !== undefined && /^[A-Za-z_]$/.test(c);
const isIdentChar = (c: string | undefined) => c !== undefined && /^[A-Za-z0-9_]$/.test(c);

export class LexError extends Error {
  constructor(readonly offset: number, readonly text: string) {
    super(`token recognition error at: '${text}'`);
  }
}

export function lex(cs: string[]): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = cs.length;
  while (i < n) {
    const c = cs[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f') {
      i++;
      continue;
    }
    if (c === '/' && cs[i + 1] === '/') {
      while (i < n && cs[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const push = (kind: TokKind, end: number) => {
      toks.push({ kind, text: cs.slice(start, end).join(''), start, end });
      i = end;
    };
    // string and bytes literals, with r/R and b/B prefixes
    let j = i;
    let isBytes = false;
    let isRaw = false;
    if ((cs[j] === 'b' || cs[j] === 'B') && (cs[j + 1] === '"' || cs[j + 1] === "'" || ((cs[j + 1] === 'r' || cs[j + 1] === 'R') && (cs[j + 2] === '"' || cs[j + 2] === "'")))) {
      isBytes = true;
      j++;
    }
    if ((cs[j] === 'r' || cs[j] === 'R') && (cs[j + 1] === '"' || cs[j + 1] === "'")) {
      isRaw = true;
      j++;
    }
    if (cs[j] === '"' || cs[j] === "'") {
      push(isBytes ? 'bytes' : 'string', scanQuoted(cs, start, j, isRaw));
      continue;
    }
    if (isLetter(c)) {
      j = i + 1;
      while (isIdentChar(cs[j])) j++;
      push('id', j);
      continue;
    }
    if (c === '`') {
      j = i + 1;
      while (j < n && /^[A-Za-z0-9_.\-/ ]$/.test(cs[j]!)) j++;
      if (cs[j] !== '`' || j === i + 1) throw new LexError(start, cs.slice(start, j + 1).join(''));
      push('escid', j + 1);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(cs[i + 1]))) {
      push(...scanNumber(cs, i));
      continue;
    }
    const two = c + (cs[i + 1] ?? '');
    if (OPS2.has(two)) {
      push('op', i + 2);
      continue;
    }
    if (OPS1.has(c)) {
      push('op', i + 1);
      continue;
    }
    // ANTLR shows the partial match of a two-character operator (`| `, `& `, `= `)
    throw new LexError(start, '|&='.includes(c) && i + 1 < n ? c + cs[i + 1] : c);
  }
  toks.push({ kind: 'eof', text: '<EOF>', start: n, end: n });
  for (const t of toks) if (t.kind === 'id' && KEYWORDS.has(t.text)) t.kind = 'op';
  return toks;
}

function scanNumber(cs: string[], i: number): [TokKind, number] {
  let j = i;
  if (cs[j] === '0' && cs[j + 1] === 'x' && isHex(cs[j + 2])) {
    j += 2;
    while (isHex(cs[j])) j++;
    if (cs[j] === 'u' || cs[j] === 'U') return ['uint', j + 1];
    return ['int', j];
  }
  let float = false;
  while (isDigit(cs[j])) j++;
  if (cs[j] === '.' && isDigit(cs[j + 1])) {
    float = true;
    j++;
    while (isDigit(cs[j])) j++;
  }
  if (cs[j] === 'e' || cs[j] === 'E') {
    let k = j + 1;
    if (cs[k] === '+' || cs[k] === '-') k++;
    if (isDigit(cs[k])) {
      float = true;
      while (isDigit(cs[k])) k++;
      j = k;
    }
  }
  if (float) return ['float', j];
  if (cs[j] === 'u' || cs[j] === 'U') return ['uint', j + 1];
  return ['int', j];
}

/** End offset of the quoted literal whose opening quote is at q (the lexer's rules, not the value). */
function scanQuoted(cs: string[], start: number, q: number, raw: boolean): number {
  const quote = cs[q]!;
  const triple = cs[q + 1] === quote && cs[q + 2] === quote;
  let j = q + (triple ? 3 : 1);
  const fail = () => new LexError(start, cs.slice(start, Math.min(j + 1, cs.length)).join(''));
  for (;;) {
    if (j >= cs.length) throw fail();
    const c = cs[j]!;
    if (triple ? c === quote && cs[j + 1] === quote && cs[j + 2] === quote : c === quote) return j + (triple ? 3 : 1);
    if (!triple && (c === '\n' || c === '\r')) throw fail();
    if (c === '\\' && !raw) {
      const len = escapeLength(cs, j);
      if (len === 0) throw new LexError(start, cs.slice(start, escapeFailure(cs, j) + 1).join(''));
      j += len;
      continue;
    }
    j++;
  }
}

/** Offset of the first character that breaks the escape sequence at j (ANTLR shows text up to it). */
function escapeFailure(cs: string[], j: number): number {
  const c = cs[j + 1];
  const run = (from: number, count: number, ok: (ch: string | undefined) => boolean) => {
    for (let k = from; k < from + count; k++) if (!ok(cs[k])) return k;
    return from + count;
  };
  if (c === 'x' || c === 'X') return run(j + 2, 2, isHex);
  if (c === 'u') return run(j + 2, 4, isHex);
  if (c === 'U') return run(j + 2, 8, isHex);
  if (c !== undefined && c >= '0' && c <= '3') return run(j + 2, 2, (ch) => ch !== undefined && ch >= '0' && ch <= '7');
  return Math.min(j + 1, cs.length - 1);
}

/** Length of the escape sequence at j that the CEL lexer accepts (0 when none). */
function escapeLength(cs: string[], j: number): number {
  const c = cs[j + 1];
  if (c === undefined) return 0;
  if ('abfnrtv"\'\\?`'.includes(c)) return 2;
  const hexRun = (k: number, count: number) => {
    for (let m = 0; m < count; m++) if (!isHex(cs[k + m])) return false;
    return true;
  };
  if ((c === 'x' || c === 'X') && hexRun(j + 2, 2)) return 4;
  if (c === 'u' && hexRun(j + 2, 4)) return 6;
  if (c === 'U' && hexRun(j + 2, 8)) return 10;
  if (c >= '0' && c <= '3' && /^[0-7]$/.test(cs[j + 2] ?? '') && /^[0-7]$/.test(cs[j + 3] ?? '')) return 4;
  return 0;
}

/** Decodes a string/bytes token. Returns the code points (string) or bytes, or an error text. */
export function unescape(text: string, isBytes: boolean): { ok: true; str: string; bytes: number[] } | { ok: false; error: string } {
  let v = Array.from(text.replace(/\r\n?/g, '\n'));
  if (isBytes) v = v.slice(1);
  let raw = false;
  if (v[0] === 'r' || v[0] === 'R') {
    raw = true;
    v = v.slice(1);
  }
  const q = v[0]!;
  v = v.length >= 6 && v[1] === q && v[2] === q ? v.slice(3, -3) : v.slice(1, -1);
  const out: number[] = []; // bytes when isBytes, else code points
  const pushCodePoint = (cp: number) => {
    if (!isBytes) out.push(cp);
    else out.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
  };
  for (let i = 0; i < v.length; ) {
    const c = v[i]!;
    if (c !== '\\' || raw) {
      pushCodePoint(c.codePointAt(0)!);
      i++;
      continue;
    }
    const e = v[i + 1]!;
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34, '`': 96, '?': 63 };
    if (e in simple) {
      out.push(simple[e]!);
      i += 2;
      continue;
    }
    let cp: number;
    let asByte = false;
    if (e === 'x' || e === 'X' || e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : e === 'U' ? 8 : 2;
      if (isBytes && len > 2) return { ok: false, error: 'unable to unescape string' };
      cp = parseInt(v.slice(i + 2, i + 2 + len).join(''), 16);
      asByte = isBytes;
      i += 2 + len;
    } else {
      cp = parseInt(v.slice(i + 1, i + 4).join(''), 8);
      asByte = isBytes;
      i += 4;
    }
    if (asByte) {
      out.push(cp);
      continue;
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { ok: false, error: 'invalid unicode code point' };
    pushCodePoint(cp);
  }
  if (isBytes) return { ok: true, str: '', bytes: out };
  return { ok: true, str: String.fromCodePoint(...out), bytes: [] };
}
