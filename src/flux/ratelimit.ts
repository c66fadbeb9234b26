// NC's duplicate-event limiter (spec §2.5): a SHA-256 key over identity, message and some
// metadata, and go-limiter's memorystore — a fixed window per key anchored at the bucket's
// creation, one token per interval, swept after two idle intervals.

import { hash } from 'node:crypto';
import { objectGroupKeys } from './apigroup.js';
import type { FluxEvent } from './types.js';

/** The joined key string before hashing (useful to show the user why two events collide). */
export function rateLimitKeySource(e: FluxEvent): string {
  const ref = e.involvedObject;
  let s = `event/name=${ref.name ?? ''}/namespace=${ref.namespace ?? ''}/kind=${ref.kind ?? ''}/message=${e.message}`;
  const md = e.metadata;
  if (md) {
    const keys = objectGroupKeys(ref.apiVersion);
    if (has(md, keys.originRevision)) s += `/originRevision=${md[keys.originRevision]}`;
    if (has(md, keys.revision)) s += `/revision=${md[keys.revision]}`;
    if (has(md, keys.token)) s += `/token=${md[keys.token]}`;
  }
  return s;
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function rateLimitKey(e: FluxEvent): string {
  return hexOf(rateLimitDigest(e));
}

/** The raw SHA-256 as a 32-character binary (latin1) string: the limiter's map key, cheaper than hex. */
function rateLimitDigest(e: FluxEvent): string {
  // one-shot hashing: several times cheaper than createHash for short inputs
  return hash('sha256', rateLimitKeySource(e), 'binary');
}

const hexOf = (digest: string) => Buffer.from(digest, 'latin1').toString('hex');

/** go-limiter falls back to 1 s for a zero or negative interval (spec §2.5, §8 item 24). */
export const DEFAULT_RATE_LIMIT_MS = 5 * 60_000;

interface Bucket {
  start: number;
  lastTick: number;
  tokens: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** The SHA-256 hex key NC uses. */
  readonly key: string;
  /** End of the current window (epoch ms): `X-Ratelimit-Reset` / `Retry-After`. */
  readonly resetMs: number;
}

/** A RateDecision that spells its key in hex only when asked. */
class Verdict implements RateDecision {
  constructor(
    readonly allowed: boolean,
    private readonly digest: string,
    readonly resetMs: number,
  ) {}

  get key(): string {
    return hexOf(this.digest);
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number | undefined;
  readonly intervalMs: number;
  private readonly sweepIntervalMs: number;
  private readonly sweepTtlMs: number;

  /** intervalMs: null = off (ours, not upstream); ≤ 0 = go-limiter's 1 s fallback. */
  constructor(intervalMs: number | null = DEFAULT_RATE_LIMIT_MS) {
    this.off = intervalMs === null;
    if (intervalMs === null || intervalMs <= 0) {
      this.intervalMs = 1000;
      // with an invalid interval go-limiter also falls back to its sweep defaults
      this.sweepIntervalMs = 6 * 3600_000;
      this.sweepTtlMs = 12 * 3600_000;
    } else {
      this.intervalMs = intervalMs;
      this.sweepIntervalMs = intervalMs;
      this.sweepTtlMs = 2 * intervalMs;
    }
  }
  readonly off: boolean;

  take(e: FluxEvent, nowMs: number): RateDecision {
    // The digest is also the cheaper map key: short and flat, where the joined source is long.
    const key = rateLimitDigest(e);
    if (this.off) return new Verdict(true, key, nowMs);
    this.sweep(nowMs);
    let b = this.buckets.get(key);
    if (!b) {
      b = { start: nowMs, lastTick: 0, tokens: 1 };
      this.buckets.set(key, b);
    }
    const tick = Math.floor((nowMs - b.start) / this.intervalMs);
    if (tick > b.lastTick) {
      b.lastTick = tick;
      b.tokens = 1;
    }
    const resetMs = b.start + (tick + 1) * this.intervalMs;
    if (b.tokens > 0) {
      b.tokens--;
      return new Verdict(true, key, resetMs);
    }
    return new Verdict(false, key, resetMs);
  }

  private sweep(nowMs: number) {
    if (this.lastSweep === undefined) {
      this.lastSweep = nowMs;
      return;
    }
    if (nowMs - this.lastSweep < this.sweepIntervalMs) return;
    this.lastSweep = nowMs;
    for (const [k, b] of this.buckets) {
      if (nowMs - (b.start + b.lastTick * this.intervalMs) > this.sweepTtlMs) this.buckets.delete(k);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** Go time.RFC1123 in UTC: `Mon, 02 Jan 2006 15:04:05 UTC` (the zone reads UTC, not GMT). */
export function formatRfc1123(ms: number): string {
  const d = new Date(ms);
  return d.toUTCString().replace(/GMT$/, 'UTC');
}

/** The headers NC sets: on every allowed response, and with Retry-After on a 429. */
export function rateLimitHeaders(d: RateDecision): Record<string, string> {
  const reset = formatRfc1123(d.resetMs);
  const h: Record<string, string> = { 'X-Ratelimit-Limit': '1', 'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': reset };
  if (!d.allowed) h['Retry-After'] = reset;
  return h;
}
