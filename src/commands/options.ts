// Flag parsing shared by the commands that run the pipeline over a stream.

import { DEFAULT_RATE_LIMIT_MS, RateLimiter } from '../flux/ratelimit.js';
import { parseGoDuration } from '../transport/duration.js';
import { UserError } from '../errors.js';
import type { FaultRule } from '../../mocks/state.js';

/** --rate-limit DURATION|off: default 5m as upstream; `off` is ours and labelled so. */
export function rateLimiterFromFlag(v: unknown): RateLimiter {
  if (v === undefined) return new RateLimiter(DEFAULT_RATE_LIMIT_MS);
  const s = String(v);
  if (s === 'off') return new RateLimiter(null);
  try {
    return new RateLimiter(parseGoDuration(s));
  } catch (e) {
    throw new UserError(`invalid --rate-limit ${JSON.stringify(s)}: ${(e as Error).message}`, 'use a Go duration such as 5m or 30s, or off (not upstream behaviour)');
  }
}

/**
 * --mock-fault TARGET=429|500|timeout[:COUNT], repeatable: rehearse retries and errors in mock
 * mode. TARGET is a host (hooks.slack.com), *.host, or a service (slack, msteams, github, …).
 */
export function mockFaultsFromFlag(values: unknown): FaultRule[] {
  const list = (values as string[] | undefined) ?? [];
  return list.map((v) => {
    const m = /^([^=]+)=(429|500|timeout)(?::(\d+))?$/.exec(v);
    if (!m) throw new UserError(`invalid --mock-fault ${JSON.stringify(v)}`, 'use TARGET=429|500|timeout[:COUNT], e.g. --mock-fault slack=500:2 or --mock-fault api.github.com=timeout');
    const rule: FaultRule = { target: m[1]!, fault: m[2] as FaultRule['fault'] };
    if (m[3] !== undefined) rule.count = Number(m[3]);
    return rule;
  });
}
