// Flag parsing shared by the commands that run the pipeline over a stream.

import { DEFAULT_RATE_LIMIT_MS, RateLimiter } from '../flux/ratelimit.js';
import { parseGoDuration } from '../transport/duration.js';
import { UserError } from '../errors.js';

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
