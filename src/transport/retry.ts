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
  const ac = new AbortController();
  const at = clock.now() + timeoutMs;
  let why: 'deadline' | 'canceled' = 'deadline';
  const expire = () => {
    if (!ac.signal.aborted) ac.abort(new Error(DEADLINE_EXCEEDED));
  };
  const realEnd = Date.now() + timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const left = realEnd - Date.now();
    if (left <= 0) {
      timer = undefined;
      expire();
    } else {
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    }
  };
  if (timeoutMs > 0) arm();
  else expire();
  const onParent = () => {
    if (!ac.signal.aborted) {
      why = 'canceled';
      ac.abort(new Error(CONTEXT_CANCELED));
    }
  };
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    at,
    signal: ac.signal,
    expired() {
      if (!ac.signal.aborted && clock.now() >= at) expire();
      return ac.signal.aborted;
    },
    reason: () => why,
    text: () => (why === 'canceled' ? CONTEXT_CANCELED : DEADLINE_EXCEEDED),
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
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
  const log: AttemptRecord[] = [];
  const { method, url } = target;

  const run = async (): Promise<{ out: AttemptOutcome; rec: AttemptRecord }> => {
    const started = clock.now();
    // Go's transport checks the context before dialling: an expired deadline fails at once.
    const out: AttemptOutcome = deadline.expired()
      ? { failure: { text: deadline.text(), retryable: false } }
      : await attempt(deadline.signal);
    const rec: AttemptRecord = { durationMs: Math.max(0, clock.now() - started) };
    if (out.reply) rec.status = out.reply.status;
    else if (out.failure) rec.error = out.failure.text;
    log.push(rec);
    return { out, rec };
  };

  /** Waits, unless the deadline comes first (then false: Go's select sees ctx.Done()). */
  const wait = async (ms: number): Promise<boolean> => {
    const left = deadline.at - clock.now();
    if (deadline.expired()) return false;
    if (ms >= left) {
      await clock.sleep(Math.max(0, left), deadline.signal);
      deadline.expired();
      return false;
    }
    await clock.sleep(ms, deadline.signal);
    return !deadline.expired();
  };

  const fail = (
    kind: TransportErrorKind,
    libraryMessage: string,
    message: string,
    cause?: string,
  ): RetryResult => ({
    error: new TransportError(message, {
      kind,
      method,
      url,
      attempts: log.length,
      libraryMessage,
      ...(cause !== undefined ? { cause } : {}),
    }),
    log,
  });
  const ctxKind = (): TransportErrorKind => deadline.reason();

  if (policy === 'retryablehttp') {
    // The shared sender wraps the library error (client.go); other callers may re-wrap via info.
    const wrap = (lib: string) => `failed to execute request: ${lib}`;
    for (let i = 0; ; i++) {
      const { out, rec } = await run();
      const base = `${method} ${retryableRedactURL(url)} giving up after ${log.length} attempt(s)`;
      // CheckRetry looks at the context first; its error then wins over the response.
      if (deadline.expired()) {
        const lib = `${base}: ${deadline.text()}`;
        return fail(ctxKind(), lib, wrap(lib), deadline.text());
      }
      const doErr = out.failure ? goUrlErrorText(method, url, out.failure.text) : undefined;
      const retry = out.failure ? out.failure.retryable : retryableStatus(out.reply!.status);
      if (!retry || RETRYABLEHTTP.retryMax - i <= 0) {
        if (doErr !== undefined) {
          const lib = `${base}: ${doErr}`;
          return fail('transport', lib, wrap(lib), out.failure!.text);
        }
        if (!retry) return { reply: out.reply!, log };
        // The default policy drops the status error, so the text has no cause.
        return fail('exhausted', base, wrap(base));
      }
      const ms = retryablehttpBackoff(i, out.reply, clock.now());
      rec.waitMs = ms;
      if (!(await wait(ms))) return fail(ctxKind(), deadline.text(), wrap(deadline.text()));
    }
  }

  if (policy === 'gitlab') {
    for (let i = 0; ; i++) {
      const { out, rec } = await run();
      if (deadline.expired()) return fail(ctxKind(), deadline.text(), deadline.text());
      if (out.failure) {
        const lib = goUrlErrorText(method, url, out.failure.text);
        return fail('transport', lib, lib, out.failure.text);
      }
      const reply = out.reply!;
      const retry = reply.status === 429 || reply.status >= 500;
      // With the pass-through error handler the last reply is returned when retries run out.
      if (!retry || GITLAB.retryMax - i <= 0) return { reply, log };
      const ms = gitlabBackoff(i, reply, clock.now(), clock.random);
      rec.waitMs = ms;
      if (!(await wait(ms))) return fail(ctxKind(), deadline.text(), deadline.text());
    }
  }

  // 'none': one attempt with a plain net/http client.
  const { out } = await run();
  if (deadline.expired()) {
    const lib = goUrlErrorText(method, url, deadline.text());
    return fail(ctxKind(), lib, lib, deadline.text());
  }
  if (out.failure) {
    const lib = goUrlErrorText(method, url, out.failure.text);
    return fail('transport', lib, lib, out.failure.text);
  }
  return { reply: out.reply!, log };
}
