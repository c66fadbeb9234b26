// alertmanager (providers §4.16): one firing alert, as a JSON array, to Alertmanager's
// /api/v2/alerts through the shared sender.

import { goMap } from '../flux/gojson.js';
import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseRequestURI } from './gourl.js';
import { basicAuthValue, send, sharedPost } from './sender.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** Go's zero time.Time formatted as RFC 3339: what `endsAt` (never set) always carries. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

// --- Title casing as golang.org/x/text/cases.Title(language.Und) does it -----------------------
// Words are found with x/text's approximation of UAX #29: letters, digits, marks, connector
// punctuation and format characters never break a word; one "mid" character (apostrophe, period,
// colon…) between letters does not either, but two in a row do; anything else breaks. The first
// cased character of a word is title-cased, every later one lower-cased (so CamelCase collapses).

const MID = new Set([0x27, 0x2e, 0x3a, 0xb7, 0x387, 0x55f, 0x5f4, 0x2018, 0x2019, 0x2024, 0x2027, 0xfe13, 0xfe52, 0xfe55, 0xff07, 0xff0e, 0xff1a]);

function isCased(ch: string): boolean {
  return /^\p{Cased}$/u.test(ch);
}
function isCaseIgnorable(ch: string): boolean {
  return /^\p{Case_Ignorable}$/u.test(ch);
}
function isWordBreak(ch: string): boolean {
  if (MID.has(ch.codePointAt(0)!)) return false;
  // Ideographs and kana are not word letters for UAX #29 (they fall in the "break" group).
  if (/^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u.test(ch)) return true;
  return !/^[\p{L}\p{N}\p{M}\p{Pc}\p{Cf}]$/u.test(ch);
}

// Title-case forms that differ from the upper-case ones (Unicode digraphs).
const TITLE: Record<string, string> = {
  '\u01c4': '\u01c5', '\u01c5': '\u01c5', '\u01c6': '\u01c5',
  '\u01c7': '\u01c8', '\u01c8': '\u01c8', '\u01c9': '\u01c8',
  '\u01ca': '\u01cb', '\u01cb': '\u01cb', '\u01cc': '\u01cb',
  '\u01f1': '\u01f2', '\u01f2': '\u01f2', '\u01f3': '\u01f2',
  '\u0149': '\u02bcN',
};

function toTitle(ch: string): string {
  const t = TITLE[ch];
  if (t !== undefined) return t;
  const up = [...ch.toUpperCase()];
  // Special casings that expand (ß → Ss, ﬁ → Fi): only the first letter is upper-case in title case.
  return up.length > 1 ? up[0]! + up.slice(1).join('').toLowerCase() : up[0]!;
}

/** Lower-casing inside a word, with the Greek final-sigma rule the title caser applies. */
function toLowerInWord(chars: string[], i: number): string {
  const ch = chars[i]!;
  if (ch !== '\u03a3') return ch.toLowerCase();
  for (let j = i + 1; j < chars.length; j++) {
    if (isCaseIgnorable(chars[j]!)) continue;
    return isCased(chars[j]!) ? '\u03c3' : '\u03c2';
  }
  return '\u03c2';
}

export function goTitle(s: string): string {
  const chars = [...s];
  let out = '';
  let midWord = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const wasMid = MID.has(ch.codePointAt(0)!);
    if (isCased(ch)) {
      out += midWord ? toLowerInWord(chars, i) : toTitle(ch);
      midWord = true;
    } else {
      out += ch;
      if (isWordBreak(ch)) midWord = false;
    }
    const next = chars[i + 1];
    if (wasMid && next !== undefined && MID.has(next.codePointAt(0)!)) midWord = false;
  }
  return out;
}

// --- The alert ---------------------------------------------------------------------------------

/** The one-element alert array (Go struct order: status, labels, annotations, startsAt, endsAt). */
export function alertmanagerPayload(e: FluxEvent): unknown[] {
  const annotations = new Map<string, unknown>([['message', e.message]]);
  const labels = new Map<string, unknown>(Object.entries(e.metadata ?? {}));
  // `summary` moves from the labels to the annotations.
  if (labels.has('summary')) {
    annotations.set('summary', labels.get('summary'));
    labels.delete('summary');
  }
  const o = e.involvedObject;
  labels.set('alertname', 'Flux' + (o.kind ?? '') + goTitle(e.reason));
  labels.set('severity', e.severity);
  labels.set('reason', e.reason);
  labels.set('kind', o.kind ?? '');
  labels.set('name', o.name ?? '');
  labels.set('namespace', o.namespace ?? '');
  labels.set('reportingcontroller', e.reportingController);
  return [
    {
      status: 'firing',
      labels: goMap(labels),
      annotations: goMap(annotations),
      startsAt: e.timestamp ?? GO_ZERO_TIME,
      // A struct-typed field: `omitempty` never drops it, so the zero time is sent.
      endsAt: GO_ZERO_TIME,
    },
  ];
}

/**
 * The Authorization header. Each credential registers its own request modifier, and the sender
 * keeps only the last one: with a token and username+password, only Basic is sent.
 */
export function alertmanagerAuth(token: string, username: string, password: string): Array<[string, string]> {
  if (username !== '' && password !== '') return [['Authorization', basicAuthValue(username, password)]];
  if (token !== '') return [['Authorization', `Bearer ${token}`]];
  return [];
}

export const provider: ProviderDefinition = {
  type: 'alertmanager',
  transport: 'http',
  needs: 'address (Alertmanager /api/v2/alerts URL); optional Secret token (Bearer) or username+password (Basic)',
  create(opts) {
    try {
      parseRequestURI(opts.url);
    } catch (err) {
      if (err instanceof GoURLError) throw new NotifierError(`invalid Alertmanager URL ${opts.url}: '${err.message}'`);
      throw err;
    }
    return {
      *post(e) {
        const payload = alertmanagerPayload(e);
        const extraHeaders = alertmanagerAuth(opts.token, opts.username, opts.password);
        yield* send(sharedPost(opts.url, payload, { extraHeaders }));
        return { sent: true };
      },
    };
  },
};
