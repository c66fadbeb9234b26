import { describe, expect, it } from 'vitest';
import { RateLimiter, formatRfc1123, rateLimitHeaders, rateLimitKey, rateLimitKeySource } from '../../src/flux/ratelimit.js';
import { stringMap } from '../../src/flux/types.js';
import { event } from './build.js';

const md = (o: Record<string, string>) => stringMap(Object.entries(o));
const MIN = 60_000;

describe('rate limiter (spec §2.5)', () => {
  it('§8.23 the key is name, namespace, kind and message plus originRevision, revision and token when present', () => {
    const e = event({
      metadata: md({
        'kustomize.toolkit.fluxcd.io/token': 'tok',
        'kustomize.toolkit.fluxcd.io/revision': 'rev',
        'kustomize.toolkit.fluxcd.io/originRevision': '',
        'event.toolkit.fluxcd.io/revision': 'ignored',
      }),
    });
    expect(rateLimitKeySource(e)).toBe('event/name=podinfo/namespace=flux-system/kind=Kustomization/message=Applied revision: main@sha1:abc123/originRevision=/revision=rev/token=tok');
  });

  it('§8.23 severity, reason, timestamp, uid and user metadata are not part of the key', () => {
    const a = event();
    const b = event({ severity: 'error', reason: 'Other', timestamp: '2030-01-01T00:00:00Z', metadata: md({ 'kustomize.toolkit.fluxcd.io/revision': 'main@sha1:abc123', 'event.toolkit.fluxcd.io/x': 'y' }) });
    b.involvedObject.uid = 'other';
    expect(rateLimitKey(a)).toBe(rateLimitKey(b));
    expect(rateLimitKey(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('§8.24 the window is fixed and anchored at the first occurrence; rejections do not extend it', () => {
    const rl = new RateLimiter(5 * MIN);
    const e = event();
    const at = (m: number, s = 0) => rl.take(e, m * MIN + s * 1000).allowed;
    expect(at(0)).toBe(true);
    expect(at(4, 59)).toBe(false);
    expect(at(5)).toBe(true);
    expect(at(9, 59)).toBe(false);
    expect(at(10)).toBe(true);
  });

  it('§8.24 an interval of 0 means 1 s, not off', () => {
    const rl = new RateLimiter(0);
    expect(rl.take(event(), 0).allowed).toBe(true);
    expect(rl.take(event(), 999).allowed).toBe(false);
    expect(rl.take(event(), 1000).allowed).toBe(true);
  });

  it('§2.5 different keys have their own buckets', () => {
    const rl = new RateLimiter(5 * MIN);
    expect(rl.take(event(), 0).allowed).toBe(true);
    expect(rl.take(event({ message: 'other' }), 1).allowed).toBe(true);
  });

  it('§2.5 off mode (ours, not upstream) allows every event', () => {
    const rl = new RateLimiter(null);
    expect([0, 1, 2].map((t) => rl.take(event(), t).allowed)).toEqual([true, true, true]);
  });

  it('§8.25 a 429 carries X-Ratelimit-Remaining: 0 and Retry-After as an RFC 1123 date in UTC', () => {
    const rl = new RateLimiter(5 * MIN);
    const t0 = Date.UTC(2006, 0, 2, 15, 4, 5);
    rl.take(event(), t0);
    const d = rl.take(event(), t0 + 1000);
    expect(d.allowed).toBe(false);
    expect(rateLimitHeaders(d)).toEqual({
      'X-Ratelimit-Limit': '1',
      'X-Ratelimit-Remaining': '0',
      'X-Ratelimit-Reset': 'Mon, 02 Jan 2006 15:09:05 UTC',
      'Retry-After': 'Mon, 02 Jan 2006 15:09:05 UTC',
    });
    expect(formatRfc1123(Date.UTC(2024, 6, 4, 1, 2, 3))).toBe('Thu, 04 Jul 2024 01:02:03 UTC');
  });

  it('§2.5 buckets idle for more than two intervals are swept, re-anchoring the window', () => {
    const rl = new RateLimiter(5 * MIN);
    rl.take(event(), 0);
    rl.take(event({ message: 'x' }), 11 * MIN + 1);
    expect(rl.size).toBe(1);
  });
});
