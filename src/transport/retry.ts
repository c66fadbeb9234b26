// Retry policies of the HTTP clients the controller uses (providers §3.4, §4.25, §7):
// - 'retryablehttp': hashicorp go-retryablehttp v0.7.8 as notification-controller configures it
//   (RetryMax 4, wait 2s..30s, exponential, Retry-After on 429/503);
// - 'gitlab': the GitLab client library's own go-retryablehttp setup (RetryMax 5, 429 and >= 500,
//   RateLimit-Reset or exponential for 429, linear with jitter for 5xx, transport errors final,
//   the last reply handed back when retries run out);
// - 'none': a single attempt.
// Everything runs under one deadline (the provider timeout). The clock, sleep and randomness are
// injectable so tests do not wait for real seconds.

import type { HttpReply, RetryPolicy } from '../providers/types.js';
import {
  TransportError,
  goUrlErrorText,
  retryableRedactURL,
  type TransportErrorKind,
  type TransportFailure,
} from './errors.js';

export interface RetryClock {
  /** Wall-clock milliseconds (Retry-After dates and RateLimit-Reset are absolute times). */
  now(): number;
  /** Waits `ms`, or less if `signal` aborts first. Never rejects. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Uniform in [0, 1): the jitter of the GitLab back-off. */
  random(): number;
}

/** setTimeout cannot wait longer than this (it would fire at once), so longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const realClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const end = Date.now() + ms;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const arm = () => {
        const left = end - Date.now();
        if (left <= 0) done();
        else timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      };
      signal.addEventListener('abort', done, { once: true });
      arm();
    }),
  random: () => Math.random(),
};

export const DEADLINE_EXCEEDED = 'context deadline exceeded';
export const CONTEXT_CANCELED = 'context canceled';

/** The provider timeout as a Go context: an absolute time plus an AbortSignal for in-flight I/O. */
export interface Deadline {
  readonly at: number;
  readonly signal: AbortSignal;
  /** True once the time is up (by the injected clock or the real timer) or the parent aborted. */
  expired(): boolean;
  reason(): 'deadline' | 'canceled';
  /** Go's context error text for the reason. */
  text(): string;
  dispose(): void;
}

export function createDeadline(timeoutMs: number, clock: RetryClock, parent?: AbortSignal): Deadline {
  return new ContextDeadline(timeoutMs, clock, parent);
}

/** A class rather than closures: one is made for every delivery. */
class ContextDeadline implements Deadline {
  readonly at: number;
  private readonly ac = new AbortController();
  private why: 'deadline' | 'canceled' = 'deadline';
  private readonly realEnd: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onParent: (() => void) | undefined;

  constructor(
    timeoutMs: number,
    private readonly clock: RetryClock,
    private readonly parent?: AbortSignal,
  ) {
    this.at = clock.now() + timeoutMs;
    this.realEnd = Date.now() + timeoutMs;
    if (timeoutMs > 0) this.arm();
    else this.expire();
    if (parent) {
      this.onParent = () => {
        if (!this.ac.signal.aborted) {
          this.why = 'canceled';
          this.ac.abort(new Error(CONTEXT_CANCELED));
        }
      };
      if (parent.aborted) this.onParent();
      else parent.addEventListener('abort', this.onParent, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }

  private expire(): void {
    if (!this.ac.signal.aborted) this.ac.abort(new Error(DEADLINE_EXCEEDED));
  }

  private arm(): void {
    const left = this.realEnd - Date.now();
    if (left <= 0) {
      this.timer = undefined;
      this.expire();
    } else {
      this.timer = setTimeout(() => this.arm(), Math.min(left, MAX_TIMER_MS));
    }
  }

  expired(): boolean {
    if (!this.ac.signal.aborted && this.clock.now() >= this.at) this.expire();
    return this.ac.signal.aborted;
  }

  reason(): 'deadline' | 'canceled' {
    return this.why;
  }

  text(): string {
    return this.why === 'canceled' ? CONTEXT_CANCELED : DEADLINE_EXCEEDED;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.onParent) this.parent?.removeEventListener('abort', this.onParent);
  }
}

/** One attempt's result: a reply, or a failure already described in Go terms. */
export interface AttemptOutcome {
  reply?: HttpReply;
  failure?: TransportFailure;
}

export interface AttemptRecord {
  status?: number;
  error?: string;
  durationMs: number;
  /** The back-off that followed this attempt. */
  waitMs?: number;
}

export interface RetryResult {
  /** The reply handed to the notifier (absent when `error` is set). */
  reply?: HttpReply;
  error?: TransportError;
  log: AttemptRecord[];
}

export interface RetryTarget {
  method: string;
  url: string;
}

/** go-retryablehttp's default CheckRetry for a response: 429, 0 and 5xx except 501. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status === 0 || (status >= 500 && status !== 501);
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Go's time.Parse(time.RFC1123, v) → epoch ms, or null. Zone abbreviations count as UTC (see report). */
export function parseRfc1123(v: string): number | null {
  const m = /^([A-Za-z]{3}), (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([A-Z]{3,5}|ChST|MeST)$/.exec(v);
  if (!m) return null;
  if (!WEEKDAYS.includes(m[1]!.toLowerCase())) return null;
  const month = MONTHS.indexOf(m[3]!.toLowerCase());
  if (month < 0) return null;
  const [day, year, h, mi, s] = [m[2], m[4], m[5], m[6], m[7]].map(Number) as [number, number, number, number, number];
  const utc = (y: number, mo: number, d: number, hh = 0, mm = 0, ss = 0) => {
    const date = new Date(0);
    date.setUTCFullYear(y, mo, d); // unlike Date.UTC, years 0-99 stay as written
    date.setUTCHours(hh, mm, ss, 0);
    return date;
  };
  const daysIn = utc(year, month + 1, 0).getUTCDate();
  if (day < 1 || day > daysIn || h > 23 || mi > 59 || s > 59) return null;
  return utc(year, month, day, h, mi, s).getTime();
}

/**
 * go-retryablehttp's parseRetryAfterHeader: whole seconds (a sign is allowed, negative refused)
 * or an RFC 1123 date (a past date means no wait). Null when absent or unparsable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined || value === '') return null;
  if (/^[+-]?\d+$/.test(value)) {
    const n = BigInt(value);
    if (n > 9223372036854775807n || n < -9223372036854775808n) return null; // ParseInt range error
    if (n < 0n) return null;
    return Number(n) * 1000;
  }
  const t = parseRfc1123(value);
  if (t === null) return null;
  return Math.max(0, t - nowMs);
}

function header(reply: HttpReply | undefined, name: string): string | undefined {
  if (!reply) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(reply.headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export const RETRYABLEHTTP = { retryMax: 4, waitMinMs: 2_000, waitMaxMs: 30_000 } as const;
export const GITLAB = { retryMax: 5, waitMinMs: 100, waitMaxMs: 400, serverMinMs: 700, serverMaxMs: 900 } as const;

/** go-retryablehttp DefaultBackoff with the controller's 2s/30s: Retry-After on 429/503, else 2s·2^n capped. */
export function retryablehttpBackoff(attempt: number, reply: HttpReply | undefined, nowMs: number): number {
  if (reply && (reply.status === 429 || reply.status === 503)) {
    const ra = parseRetryAfter(header(reply, 'Retry-After'), nowMs);
    if (ra !== null) return ra;
  }
  const wait = RETRYABLEHTTP.waitMinMs * 2 ** attempt;
  return wait > RETRYABLEHTTP.waitMaxMs ? RETRYABLEHTTP.waitMaxMs : wait;
}

/** GitLab client back-off: RateLimit-Reset or 100ms·2^n (+jitter) for 429, (n+1)·(700..900ms) for 5xx. */
export function gitlabBackoff(attempt: number, reply: HttpReply | undefined, nowMs: number, random: () => number): number {
  if (reply && reply.status === 429) {
    let min: number = GITLAB.waitMinMs;
    const jitter = random() * (GITLAB.waitMaxMs - GITLAB.waitMinMs);
    const reset = header(reply, 'RateLimit-Reset');
    if (reset !== undefined && reset !== '') {
      // An unparsable value counts as 0 and leaves the minimum, as in the library.
      const secs = /^[+-]?\d+$/.test(reset) ? Number(reset) : 0;
      if (secs > 0) {
        const wait = secs * 1000 - nowMs;
        if (wait > min) min = wait;
      }
    } else {
      min = min * 2 ** attempt;
    }
    return min + jitter;
  }
  const jitter = random() * (GITLAB.serverMaxMs - GITLAB.serverMinMs);
  return (attempt + 1) * (Math.trunc(jitter) + GITLAB.serverMinMs);
}

interface RetryState {
  log: AttemptRecord[];
  method: string;
  url: string;
  attempt: (signal: AbortSignal) => Promise<AttemptOutcome>;
  deadline: Deadline;
  clock: RetryClock;
}

async function runAttempt(st: RetryState): Promise<{ out: AttemptOutcome; rec: AttemptRecord }> {
  const started = st.clock.now();
  // Go's transport checks the context before dialling: an expired deadline fails at once.
  const out: AttemptOutcome = st.deadline.expired()
    ? { failure: { text: st.deadline.text(), retryable: false } }
    : await st.attempt(st.deadline.signal);
  const rec: AttemptRecord = { durationMs: Math.max(0, st.clock.now() - started) };
  if (out.reply) rec.status = out.reply.status;
  else if (out.failure) rec.error = out.failure.text;
  st.log.push(rec);
  return { out, rec };
}

/** Waits, unless the deadline comes first (then false: Go's select sees ctx.Done()). */
async function waitOrExpire(st: RetryState, ms: number): Promise<boolean> {
  const { deadline, clock } = st;
  const left = deadline.at - clock.now();
  if (deadline.expired()) return false;
  if (ms >= left) {
    await clock.sleep(Math.max(0, left), deadline.signal);
    deadline.expired();
    return false;
  }
  await clock.sleep(ms, deadline.signal);
  return !deadline.expired();
}

/** go-retryablehttp's error text when it gives up (only failures need it). */
function giveUpText(st: RetryState): string {
  return `${st.method} ${retryableRedactURL(st.url)} giving up after ${st.log.length} attempt(s)`;
}

/** The shared sender wraps the library error (client.go); other callers may re-wrap via info. */
const wrapExecute = (lib: string) => `failed to execute request: ${lib}`;

function failWith(st: RetryState, kind: TransportErrorKind, libraryMessage: string, message: string, cause?: string): RetryResult {
  return {
    error: new TransportError(message, {
      kind,
      method: st.method,
      url: st.url,
      attempts: st.log.length,
      libraryMessage,
      ...(cause !== undefined ? { cause } : {}),
    }),
    log: st.log,
  };
}

/**
 * Runs `attempt` under `policy`. Returns the reply the notifier receives, or a TransportError whose
 * message is the controller-side text for that policy.
 */
export async function runWithRetry(
  policy: RetryPolicy,
  target: RetryTarget,
  attempt: (signal: AbortSignal) => Promise<AttemptOutcome>,
  deadline: Deadline,
  clock: RetryClock,
): Promise<RetryResult> {
  // Helpers are plain functions over this state: one retry loop runs for every request.
  const st: RetryState = { log: [], method: target.method, url: target.url, attempt, deadline, clock };
  const { log, method, url } = st;

  if (policy === 'retryablehttp') {
    for (let i = 0; ; i++) {
      const { out, rec } = await runAttempt(st);
      // CheckRetry looks at the context first; its error then wins over the response.
      if (deadline.expired()) {
        const lib = `${giveUpText(st)}: ${deadline.text()}`;
        return failWith(st, deadline.reason(), lib, wrapExecute(lib), deadline.text());
      }
      const retry = out.failure ? out.failure.retryable : retryableStatus(out.reply!.status);
      if (!retry || RETRYABLEHTTP.retryMax - i <= 0) {
        if (out.failure) {
          const lib = `${giveUpText(st)}: ${goUrlErrorText(method, url, out.failure.text)}`;
          return failWith(st, 'transport', lib, wrapExecute(lib), out.failure.text);
        }
        if (!retry) return { reply: out.reply!, log };
        // The default policy drops the status error, so the text has no cause.
        return failWith(st, 'exhausted', giveUpText(st), wrapExecute(giveUpText(st)));
      }
      const ms = retryablehttpBackoff(i, out.reply, clock.now());
      rec.waitMs = ms;
      if (!(await waitOrExpire(st, ms))) return failWith(st, deadline.reason(), deadline.text(), wrapExecute(deadline.text()));
    }
  }

  if (policy === 'gitlab') {
    for (let i = 0; ; i++) {
      const { out, rec } = await runAttempt(st);
      if (deadline.expired()) return failWith(st, deadline.reason(), deadline.text(), deadline.text());
      if (out.failure) {
        const lib = goUrlErrorText(method, url, out.failure.text);
        return failWith(st, 'transport', lib, lib, out.failure.text);
      }
      const reply = out.reply!;
      const retry = reply.status === 429 || reply.status >= 500;
      // With the pass-through error handler the last reply is returned when retries run out.
      if (!retry || GITLAB.retryMax - i <= 0) return { reply, log };
      const ms = gitlabBackoff(i, reply, clock.now(), clock.random);
      rec.waitMs = ms;
      if (!(await waitOrExpire(st, ms))) return failWith(st, deadline.reason(), deadline.text(), deadline.text());
    }
  }

  // 'none': one attempt with a plain net/http client.
  const { out } = await runAttempt(st);
  if (deadline.expired()) {
    const lib = goUrlErrorText(method, url, deadline.text());
    return failWith(st, deadline.reason(), lib, lib, deadline.text());
  }
  if (out.failure) {
    const lib = goUrlErrorText(method, url, out.failure.text);
    return failWith(st, 'transport', lib, lib, out.failure.text);
  }
  return { reply: out.reply!, log };
}
