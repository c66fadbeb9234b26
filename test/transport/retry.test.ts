import { describe, expect, it } from 'vitest';
import type { HttpReply, RetryPolicy } from '../../src/providers/types.js';
import { TransportError, type TransportFailure } from '../../src/transport/errors.js';
import {
  createDeadline,
  gitlabBackoff,
  parseRetryAfter,
  realClock,
  retryableStatus,
  retryablehttpBackoff,
  runWithRetry,
  type AttemptOutcome,
} from '../../src/transport/retry.js';
import { fakeClock } from './helpers.js';

const reply = (status: number, headers: Record<string, string> = {}, body = ''): HttpReply => ({ status, headers, body });
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

/** Runs a policy against scripted attempt outcomes with a virtual clock. */
async function script(
  policy: RetryPolicy,
  outcomes: Array<AttemptOutcome | (() => AttemptOutcome)>,
  opts: { timeoutMs?: number; url?: string; method?: string } = {},
) {
  const fc = fakeClock(NOW);
  const deadline = createDeadline(opts.timeoutMs ?? 15_000, fc.clock);
  let calls = 0;
  const times: number[] = [];
  const result = await runWithRetry(
    policy,
    { method: opts.method ?? 'POST', url: opts.url ?? 'https://hooks.example/x' },
    async () => {
      times.push(fc.now() - NOW);
      const o = outcomes[Math.min(calls, outcomes.length - 1)]!;
      calls++;
      return typeof o === 'function' ? o() : o;
    },
    deadline,
    fc.clock,
  );
  deadline.dispose();
  return { result, calls, sleeps: fc.sleeps, times };
}

const refused: TransportFailure = { text: 'dial tcp 10.0.0.1:443: connect: connection refused', retryable: true };

describe('retryablehttp policy (go-retryablehttp v0.7.8 as the controller configures it, providers §3.4)', () => {
  it('retryablehttp: back-off is 2s·2^n capped at 30s', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => retryablehttpBackoff(n, reply(500), NOW))).toEqual([
      2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });

  it('retryablehttp: Retry-After seconds replace the wait on 429 and 503 only', () => {
    expect(retryablehttpBackoff(0, reply(429, { 'Retry-After': '7' }), NOW)).toBe(7000);
    expect(retryablehttpBackoff(2, reply(503, { 'Retry-After': '1' }), NOW)).toBe(1000);
    expect(retryablehttpBackoff(0, reply(500, { 'Retry-After': '7' }), NOW)).toBe(2000);
    expect(retryablehttpBackoff(0, reply(502, { 'Retry-After': '7' }), NOW)).toBe(2000);
  });

  it('retryablehttp: Retry-After is not capped by RetryWaitMax', () => {
    expect(retryablehttpBackoff(0, reply(429, { 'Retry-After': '120' }), NOW)).toBe(120_000);
  });

  it('retryablehttp: Retry-After as an HTTP date waits until then; a past date means no wait', () => {
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:10 GMT', NOW)).toBe(10_000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', NOW)).toBe(0);
    expect(retryablehttpBackoff(0, reply(503, { 'Retry-After': 'Sun, 01 Jun 2025 12:00:05 GMT' }), NOW)).toBe(5000);
  });

  it('retryablehttp: negative or unparsable Retry-After falls back to the exponential wait', () => {
    expect(parseRetryAfter('-1', NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('2025-06-01T12:00:10Z', NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
    expect(parseRetryAfter('+3', NOW)).toBe(3000);
    expect(retryablehttpBackoff(1, reply(429, { 'Retry-After': '-1' }), NOW)).toBe(4000);
  });

  it('retryablehttp: 429, 0 and every 5xx except 501 are retried; nothing else', () => {
    for (const s of [429, 0, 500, 502, 503, 504, 599]) expect(retryableStatus(s), String(s)).toBe(true);
    for (const s of [200, 204, 301, 400, 401, 404, 408, 499, 501]) expect(retryableStatus(s), String(s)).toBe(false);
  });

  it('retryablehttp: a retryable status is retried and the later reply is returned', async () => {
    const r = await script('retryablehttp', [{ reply: reply(500) }, { reply: reply(200, {}, 'ok') }]);
    expect(r.calls).toBe(2);
    expect(r.sleeps).toEqual([2000]);
    expect(r.result.reply?.status).toBe(200);
    expect(r.result.log.map((a) => a.status)).toEqual([500, 200]);
    expect(r.result.log[0]!.waitMs).toBe(2000);
  });

  it('retryablehttp: 501 and 4xx are returned at once for the notifier to judge', async () => {
    for (const status of [501, 400, 404]) {
      const r = await script('retryablehttp', [{ reply: reply(status, {}, 'nope') }]);
      expect(r.calls).toBe(1);
      expect(r.result.reply).toEqual(reply(status, {}, 'nope'));
      expect(r.result.error).toBeUndefined();
    }
  });

  it('retryablehttp: up to 5 attempts; then "giving up after 5 attempt(s)" without a cause for statuses', async () => {
    const r = await script('retryablehttp', [{ reply: reply(500) }], { timeoutMs: 60_000 });
    expect(r.calls).toBe(5);
    expect(r.sleeps).toEqual([2000, 4000, 8000, 16000]);
    expect(r.result.error).toBeInstanceOf(TransportError);
    expect(r.result.error!.message).toBe(
      'failed to execute request: POST https://hooks.example/x giving up after 5 attempt(s)',
    );
    expect(r.result.error!.info).toMatchObject({ kind: 'exhausted', attempts: 5 });
  });

  it('retryablehttp: with the default 15s timeout the 5th attempt is never made (t = 0, 2, 6, 14s; providers §3.4)', async () => {
    const r = await script('retryablehttp', [{ reply: reply(503) }]);
    expect(r.times).toEqual([0, 2000, 6000, 14000]);
    expect(r.result.error!.message).toBe('failed to execute request: context deadline exceeded');
    expect(r.result.error!.info.kind).toBe('deadline');
  });

  it('retryablehttp: transport errors are retried and the last cause is appended as a url.Error', async () => {
    const r = await script('retryablehttp', [{ failure: refused }], { timeoutMs: 60_000 });
    expect(r.calls).toBe(5);
    expect(r.result.error!.message).toBe(
      'failed to execute request: POST https://hooks.example/x giving up after 5 attempt(s): ' +
        'Post "https://hooks.example/x": dial tcp 10.0.0.1:443: connect: connection refused',
    );
    expect(r.result.error!.info.cause).toBe('dial tcp 10.0.0.1:443: connect: connection refused');
  });

  it('retryablehttp: a transport error followed by a retryable status gives no cause (the last attempt decides)', async () => {
    const r = await script('retryablehttp', [{ failure: refused }, { reply: reply(500) }], { timeoutMs: 60_000 });
    expect(r.result.error!.message).toBe('failed to execute request: POST https://hooks.example/x giving up after 5 attempt(s)');
  });

  it('retryablehttp: TLS verification failures are not retried', async () => {
    const tls: TransportFailure = {
      text: 'tls: failed to verify certificate: x509: certificate signed by unknown authority',
      retryable: false,
    };
    const r = await script('retryablehttp', [{ failure: tls }]);
    expect(r.calls).toBe(1);
    expect(r.result.error!.message).toBe(
      'failed to execute request: POST https://hooks.example/x giving up after 1 attempt(s): ' +
        'Post "https://hooks.example/x": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    );
  });

  it('retryablehttp: the URL password is redacted as xxxxx (and as *** inside the net/http error)', async () => {
    const r = await script('retryablehttp', [{ failure: refused }], { url: 'https://bob:pw@hooks.example/x', timeoutMs: 60_000 });
    expect(r.result.error!.message).toBe(
      'failed to execute request: POST https://bob:xxxxx@hooks.example/x giving up after 5 attempt(s): ' +
        'Post "https://bob:***@hooks.example/x": dial tcp 10.0.0.1:443: connect: connection refused',
    );
  });

  it('retryablehttp: the method is the request\'s (PUT for Matrix)', async () => {
    const r = await script('retryablehttp', [{ reply: reply(502) }], { method: 'PUT', timeoutMs: 60_000 });
    expect(r.result.error!.message).toBe('failed to execute request: PUT https://hooks.example/x giving up after 5 attempt(s)');
  });

  it('retryablehttp: a 0s timeout fails the first attempt without sending (spec §6.5)', async () => {
    const r = await script('retryablehttp', [{ reply: reply(200) }], { timeoutMs: 0 });
    expect(r.calls).toBe(0);
    expect(r.result.error!.message).toBe(
      'failed to execute request: POST https://hooks.example/x giving up after 1 attempt(s): context deadline exceeded',
    );
    expect(r.result.error!.info.kind).toBe('deadline');
  });

  it('retryablehttp: a Retry-After longer than the remaining time ends in a context deadline', async () => {
    const r = await script('retryablehttp', [{ reply: reply(429, { 'Retry-After': '60' }) }]);
    expect(r.calls).toBe(1);
    expect(r.sleeps).toEqual([15_000]);
    expect(r.result.error!.message).toBe('failed to execute request: context deadline exceeded');
  });
});

describe('gitlab policy (GitLab client library retry setup, providers §4.25)', () => {
  it('gitlab: 5xx back-off is linear with 700..900ms jitter per attempt', () => {
    expect([0, 1, 2].map((n) => gitlabBackoff(n, reply(500), NOW, () => 0))).toEqual([700, 1400, 2100]);
    expect(gitlabBackoff(1, reply(502), NOW, () => 0.5)).toBe(2 * 800);
  });

  it('gitlab: 429 without RateLimit-Reset waits 100ms·2^n plus up to 300ms jitter', () => {
    expect([0, 1, 2, 3, 4].map((n) => gitlabBackoff(n, reply(429), NOW, () => 0))).toEqual([100, 200, 400, 800, 1600]);
    expect(gitlabBackoff(0, reply(429), NOW, () => 0.5)).toBe(250);
  });

  it('gitlab: 429 with RateLimit-Reset waits until that Unix time', () => {
    const reset = String(NOW / 1000 + 5);
    expect(gitlabBackoff(0, reply(429, { 'Ratelimit-Reset': reset }), NOW, () => 0)).toBe(5000);
    // A reset in the past keeps the minimum.
    expect(gitlabBackoff(3, reply(429, { 'Ratelimit-Reset': String(NOW / 1000 - 5) }), NOW, () => 0)).toBe(100);
  });

  it('gitlab: 429 and all >= 500 (501 included) are retried, 6 attempts, then the last reply is returned', async () => {
    const r = await script('gitlab', [{ reply: reply(501, {}, 'x') }], { timeoutMs: 60_000 });
    expect(r.calls).toBe(6);
    expect(r.sleeps).toEqual([700, 1400, 2100, 2800, 3500]);
    expect(r.result.error).toBeUndefined();
    expect(r.result.reply).toEqual(reply(501, {}, 'x'));
  });

  it('gitlab: other statuses are returned at once', async () => {
    const r = await script('gitlab', [{ reply: reply(404) }]);
    expect(r.calls).toBe(1);
    expect(r.result.reply?.status).toBe(404);
  });

  it('gitlab: transport errors are not retried; the error is the net/http url.Error', async () => {
    const r = await script('gitlab', [{ failure: refused }], { method: 'GET' });
    expect(r.calls).toBe(1);
    expect(r.result.error!.message).toBe(
      'Get "https://hooks.example/x": dial tcp 10.0.0.1:443: connect: connection refused',
    );
  });

  it('gitlab: a deadline during back-off gives context deadline exceeded', async () => {
    const r = await script('gitlab', [{ reply: reply(500) }], { timeoutMs: 1000 });
    expect(r.calls).toBe(2);
    expect(r.result.error!.message).toBe('context deadline exceeded');
  });
});

describe('none policy', () => {
  it('none: one attempt; any status goes back to the notifier', async () => {
    const r = await script('none', [{ reply: reply(500) }]);
    expect(r.calls).toBe(1);
    expect(r.result.reply?.status).toBe(500);
  });

  it('none: a transport error is the net/http url.Error', async () => {
    const r = await script('none', [{ failure: refused }]);
    expect(r.result.error!.message).toBe('Post "https://hooks.example/x": dial tcp 10.0.0.1:443: connect: connection refused');
  });

  it('none: an expired deadline is reported as a url.Error with the context error', async () => {
    const r = await script('none', [{ reply: reply(200) }], { timeoutMs: 0 });
    expect(r.calls).toBe(0);
    expect(r.result.error!.message).toBe('Post "https://hooks.example/x": context deadline exceeded');
  });
});

describe('deadline', () => {
  it('deadline: a cancelled parent signal reads as context canceled', async () => {
    const fc = fakeClock(NOW);
    const parent = new AbortController();
    const d = createDeadline(15_000, fc.clock, parent.signal);
    expect(d.expired()).toBe(false);
    parent.abort();
    expect(d.expired()).toBe(true);
    expect(d.text()).toBe('context canceled');
    d.dispose();
  });

  it('deadline: the injected clock passing the deadline aborts the signal', () => {
    const fc = fakeClock(NOW);
    const d = createDeadline(1000, fc.clock);
    fc.advance(999);
    expect(d.expired()).toBe(false);
    fc.advance(1);
    expect(d.expired()).toBe(true);
    expect(d.signal.aborted).toBe(true);
    expect(d.text()).toBe('context deadline exceeded');
    d.dispose();
  });

  it('deadline: a timeout beyond setTimeout\'s range (e.g. spec.timeout 100000m) does not fire at once', async () => {
    const d = createDeadline(100_000 * 60_000, realClock);
    await new Promise((r) => setTimeout(r, 30));
    expect(d.expired()).toBe(false);
    d.dispose();
  });

  it('deadline: a real back-off sleep ends when the deadline fires', async () => {
    const d = createDeadline(50, realClock);
    const t0 = Date.now();
    await realClock.sleep(10_000, d.signal);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(d.expired()).toBe(true);
    d.dispose();
  });
});
