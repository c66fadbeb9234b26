// Slack (providers §4.3): one legacy attachment, posted either to the Web API
// chat.postMessage (which always answers 200, so the body's `ok` decides) or to an incoming
// webhook (plain 2xx). The payload shape is shared with discord and rocket.

import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { objName, sortedMetadata } from './text.js';
import type { HttpReply, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** Only this exact address switches on the Web API response check. */
export const SLACK_API_URL = 'https://slack.com/api/chat.postMessage';

export interface SlackShape {
  channel: string;
  username: string;
  fallback: string;
  color: string;
}

/**
 * The Slack-compatible payload (discord and rocket send the same shape). Key order is the Go
 * struct order; `text` is never set, so it is left out; `fields` is `[]` without metadata.
 */
export function slackShapedPayload(e: FluxEvent, s: SlackShape): Record<string, unknown> {
  return {
    channel: s.channel,
    username: s.username,
    icon_url: '',
    icon_emoji: '',
    attachments: [
      {
        fallback: s.fallback,
        color: s.color,
        author_name: objName(e),
        text: e.message,
        mrkdwn_in: ['text'],
        fields: sortedMetadata(e).map(([title, value]) => ({ title, value, short: false })),
      },
    ],
  };
}

/** `good` / `danger`, as slack and discord colour the attachment. */
export function goodOrDanger(e: FluxEvent): string {
  return e.severity === 'error' ? 'danger' : 'good';
}

// ---- chat.postMessage reply check: what Go's json.Decoder makes of the body ----

/** Go's reflect name of the anonymous struct the controller decodes into. */
const REPLY_TYPE = 'struct { Ok bool "json:\\"ok\\""; Error string "json:\\"error\\"" }';

type Parsed =
  | { t: 'string'; v: string }
  | { t: 'number' }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'object'; entries: Array<[string, Parsed]> }
  | { t: 'array' };

class Stop {
  constructor(readonly text: string) {}
}

/** Go's quoteChar for the offending byte of a syntax error. */
function quoteByte(b: number): string {
  if (b === 0x27) return `'\\''`;
  if (b === 0x22) return `'"'`;
  const short: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  let s: string;
  if (short[b] !== undefined) s = short[b]!;
  else if (b < 0x20 || b === 0x7f) s = `\\x${hex(b)}`;
  else if ((b >= 0x80 && b <= 0xa0) || b === 0xad) s = `\\u00${hex(b)}`;
  else s = String.fromCharCode(b);
  return `'${s}'`;
}

/**
 * A recursive reader with the Go scanner's error texts. It works on the decoded text; the
 * byte named in an error is the first UTF-8 byte of the offending character.
 */
class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  private byteAt(): number {
    const cp = this.s.codePointAt(this.i)!;
    return Buffer.from(String.fromCodePoint(cp), 'utf8')[0]!;
  }

  private fail(context: string): never {
    // Running out of input mid-value is io.ErrUnexpectedEOF for a Decoder.
    if (this.i >= this.s.length) throw new Stop('unexpected EOF');
    throw new Stop(`invalid character ${quoteByte(this.byteAt())} ${context}`);
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i]!)) this.i++;
  }

  top(): Parsed {
    this.ws();
    if (this.i >= this.s.length) throw new Stop('EOF');
    return this.value();
  }

  private value(): Parsed {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { t: 'string', v: this.string() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    if (c === 't') return this.literal('true', { t: 'bool', v: true });
    if (c === 'f') return this.literal('false', { t: 'bool', v: false });
    if (c === 'n') return this.literal('null', { t: 'null' });
    return this.fail('looking for beginning of value');
  }

  private literal(word: string, result: Parsed): Parsed {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      if (this.s[this.i] !== word[k]) this.fail(`in literal ${word} (expecting '${word[k]}')`);
      this.i++;
    }
    return result;
  }

  private digits(): number {
    const start = this.i;
    while (this.i < this.s.length && this.s[this.i]! >= '0' && this.s[this.i]! <= '9') this.i++;
    return this.i - start;
  }

  private number(): Parsed {
    // At the very end of the input a number is complete (the Decoder feeds a space at EOF).
    if (this.s[this.i] === '-') {
      this.i++;
      if (this.digitHere() === false) this.fail('in numeric literal');
    }
    if (this.s[this.i] === '0') this.i++;
    else this.digits();
    if (this.s[this.i] === '.') {
      this.i++;
      if (!this.digitHere()) this.fail('after decimal point in numeric literal');
      this.digits();
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      if (!this.digitHere()) this.fail('in exponent of numeric literal');
      this.digits();
    }
    return { t: 'number' };
  }

  private digitHere(): boolean {
    const c = this.s[this.i];
    return c !== undefined && c >= '0' && c <= '9';
  }

  private string(): string {
    this.i++; // opening quote
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('in string literal');
      const c = this.s.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail('in string literal');
      if (c !== 0x5c) {
        out += this.s[this.i];
        this.i++;
        continue;
      }
      this.i++;
      const e = this.s[this.i];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        this.i++;
        continue;
      }
      if (e !== 'u') this.fail('in string escape code');
      this.i++;
      out += String.fromCharCode(this.hex4());
    }
  }

  private hex4(): number {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.s[this.i];
      if (c === undefined || !/[0-9a-fA-F]/.test(c)) this.fail('in \\u hexadecimal character escape');
      n = n * 16 + parseInt(c, 16);
      this.i++;
    }
    return n;
  }

  private object(): Parsed {
    this.i++;
    const entries: Array<[string, Parsed]> = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { t: 'object', entries };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('looking for beginning of object key string');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('after object key');
      this.i++;
      entries.push([key, this.value()]);
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return { t: 'object', entries };
      }
      this.fail('after object key:value pair');
    }
  }

  private array(): Parsed {
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { t: 'array' };
    }
    for (;;) {
      this.value();
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === ']') {
        this.i++;
        return { t: 'array' };
      }
      this.fail('after array element');
    }
  }
}

/** Go's \uXXXX handling: surrogate halves that do not pair up become U+FFFD. */
function goUnpaired(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Matches an object key to a field name the way Go does (exact, else case-insensitive; K = Kelvin sign). */
function fieldFor(key: string): 'ok' | 'error' | undefined {
  if (key === 'ok' || key === 'error') return key;
  const folded = key.replace(/\u212a/g, 'k').replace(/[A-Z]/g, (c) => c.toLowerCase());
  return folded === 'ok' || folded === 'error' ? folded : undefined;
}

/**
 * Judges a chat.postMessage reply like the controller: the body must decode as
 * `{"ok": bool, "error": string}` and `ok` must be true. Returns null or the error text.
 */
export function validateSlackReply(reply: HttpReply): string | null {
  let parsed: Parsed;
  try {
    parsed = new Reader(reply.body).top();
  } catch (err) {
    if (err instanceof Stop) return `unable to unmarshal response body: ${err.text}`;
    throw err;
  }
  const typeError = (value: string, field?: string) =>
    field === undefined
      ? `unable to unmarshal response body: json: cannot unmarshal ${value} into Go value of type ${REPLY_TYPE}`
      : `unable to unmarshal response body: json: cannot unmarshal ${value} into Go struct field .${field} of type ${field === 'ok' ? 'bool' : 'string'}`;
  if (parsed.t === 'null') return 'Slack responded with error: ';
  if (parsed.t !== 'object') return typeError(parsed.t);
  let ok = false;
  let error = '';
  let firstError: string | null = null;
  for (const [key, v] of parsed.entries) {
    const f = fieldFor(key);
    if (f === undefined || v.t === 'null') continue;
    if (f === 'ok' && v.t === 'bool') ok = v.v;
    else if (f === 'error' && v.t === 'string') error = goUnpaired(v.v);
    else firstError ??= typeError(v.t, f);
  }
  if (firstError !== null) return firstError;
  return ok ? null : `Slack responded with error: ${error}`;
}

export const provider: ProviderDefinition = {
  type: 'slack',
  transport: 'http',
  needs: 'address (webhook URL or https://slack.com/api/chat.postMessage); token and channel for the Web API',
  create(opts) {
    try {
      parseRequestURI(opts.url);
    } catch (err) {
      if (err instanceof GoURLError) throw new NotifierError(`invalid Slack hook URL ${opts.url}: '${err.message}'`);
      throw err;
    }
    return {
      *post(e) {
        const payload = slackShapedPayload(e, {
          channel: opts.channel,
          username: opts.username !== '' ? opts.username : e.reportingController,
          fallback: `${objName(e)}: ${e.message.split('\n')[0]}`,
          color: goodOrDanger(e),
        });
        const req = sharedPost(opts.url, payload, {
          extraHeaders: opts.token !== '' ? [['Authorization', `Bearer ${opts.token}`]] : [],
          validate: opts.url === SLACK_API_URL ? validateSlackReply : undefined,
        });
        yield* send(req);
        return { sent: true };
      },
    };
  },
};
