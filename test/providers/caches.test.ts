// The process-wide caches' own rules. Expected values: fluxcd/pkg cache v0.14.0 token.go
// (NewTokenCache caps the max duration at TokenMaxDuration = 1h; newItem keeps a token for 80% of
// its lifetime, `(d*8)/10` in int64 nanoseconds, at most the max duration, with an absolute copy
// truncated to seconds; expired() is "not after now" on either copy), lru.go (GetIfOrSet removes
// the entry before checking it, re-adds a live one as most recently used, stores a fetched one
// only on success; add evicts the least recently used past the capacity), and NC v1.9.3 main.go
// (tokenCacheDefaultMaxSize = 100; no cache at all when --token-cache-max-size is 0).

import { describe, expect, test } from 'vitest';
import {
  ProviderCaches,
  TOKEN_CACHE_DEFAULT_MAX_SIZE,
  TOKEN_CACHE_MAX_DURATION_MS,
  TokenCache,
  tokenExpiryNs,
} from '../../src/providers/caches.js';

const T = Date.UTC(2025, 5, 1, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

function cacheAt(o: { capacity?: number; maxMs?: number } = {}) {
  const clock = { now: T };
  const cache = new TokenCache(o.capacity ?? TOKEN_CACHE_DEFAULT_MAX_SIZE, o.maxMs ?? TOKEN_CACHE_MAX_DURATION_MS, () => clock.now);
  return { clock, cache };
}

const tok = (token: string) => ({ token, slug: '' });

describe('token cache expiry (fluxcd/pkg cache token.go)', () => {
  test('token cache: the defaults are NC main.go\'s --token-cache-max-size 100 and TokenMaxDuration 1h', () => {
    expect(TOKEN_CACHE_DEFAULT_MAX_SIZE).toBe(100);
    expect(TOKEN_CACHE_MAX_DURATION_MS).toBe(3_600_000);
  });

  test('token cache: a token valid one hour is served for 80% of it, 48 minutes', () => {
    const { clock, cache } = cacheAt();
    cache.set('k', tok('ghs_a'), ns(T + HOUR));
    expect(cache.expiresAt('k')).toBe(T + 48 * MIN);
    clock.now = T + 48 * MIN - 1;
    expect(cache.get('k')).toEqual(tok('ghs_a'));
    clock.now = T + 48 * MIN;
    expect(cache.get('k')).toBeUndefined();
  });

  test('token cache: the deadline is also kept truncated to whole seconds, so it comes up to a second early', () => {
    const { clock, cache } = cacheAt();
    clock.now = T + 400;
    cache.set('k', tok('ghs_a'), ns(T + 400 + HOUR));
    // 80% of 3600 s after T+0.4 s is T+2880.4 s; the absolute copy says T+2880 s.
    clock.now = T + 2880_000 - 1;
    expect(cache.get('k')).toBeDefined();
    clock.now = T + 2880_000;
    expect(cache.get('k')).toBeUndefined();
  });

  test('token cache: a long-lived token is kept at most --token-cache-max-duration (1h by default, and never more)', () => {
    const long = ns(T + 3 * HOUR);
    expect(tokenExpiryNs(ns(T), long, ns(HOUR))).toBe(ns(T + HOUR));
    const { cache: short } = cacheAt({ maxMs: 10 * MIN });
    short.set('k', tok('ghs_a'), long);
    expect(short.expiresAt('k')).toBe(T + 10 * MIN);
    const { cache: capped } = cacheAt({ maxMs: 2 * HOUR });
    capped.set('k', tok('ghs_a'), long);
    expect(capped.expiresAt('k')).toBe(T + HOUR);
  });

  test('token cache: a token without expiry (the zero time) or already expired is stored but never served', () => {
    const { cache } = cacheAt();
    cache.set('zero', tok('ghs_a'), null);
    cache.set('past', tok('ghs_b'), ns(T - MIN));
    expect(cache.size).toBe(2);
    expect(cache.get('zero')).toBeUndefined();
    expect(cache.get('past')).toBeUndefined();
  });

  test('token cache: a lifetime over ~36.5 years overflows (d*8) in int64 and reads as expired', () => {
    const year = 365.25 * 24 * HOUR;
    // 30 years: 8x still fits in int64, capped at 1h.
    expect(tokenExpiryNs(ns(T), ns(T + 30 * year), ns(HOUR))).toBe(ns(T + HOUR));
    // 40 years: 8x wraps negative.
    expect(tokenExpiryNs(ns(T), ns(T + 40 * year), ns(HOUR)) <= ns(T)).toBe(true);
  });
});

describe('token cache LRU (fluxcd/pkg cache lru.go)', () => {
  test('token cache: storing the 101st token evicts the least recently used one', () => {
    const { cache } = cacheAt();
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, tok(`ghs_${i}`), ns(T + HOUR));
    expect(cache.size).toBe(100);
    cache.set('k100', tok('ghs_100'), ns(T + HOUR));
    expect(cache.size).toBe(100);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k1')).toBeDefined();
  });

  test('token cache: a hit makes the entry the most recently used', () => {
    const { cache } = cacheAt({ capacity: 2 });
    cache.set('a', tok('ghs_a'), ns(T + HOUR));
    cache.set('b', tok('ghs_b'), ns(T + HOUR));
    expect(cache.get('a')).toBeDefined();
    cache.set('c', tok('ghs_c'), ns(T + HOUR));
    expect(cache.keys()).toEqual(['a', 'c']);
  });

  test('token cache: an expired entry is removed by the lookup, so a refetch that fails leaves nothing', () => {
    const { clock, cache } = cacheAt();
    cache.set('k', tok('ghs_a'), ns(T + HOUR));
    clock.now = T + HOUR;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test('token cache: storing again under a key replaces the entry', () => {
    const { cache } = cacheAt();
    cache.set('k', tok('ghs_a'), ns(T + HOUR));
    cache.set('k', tok('ghs_b'), ns(T + 2 * HOUR));
    expect(cache.size).toBe(1);
    expect(cache.get('k')).toEqual(tok('ghs_b'));
  });

  test('token cache: --token-cache-max-size 0 means no cache (NC passes none)', () => {
    const { cache } = cacheAt({ capacity: 0 });
    cache.set('k', tok('ghs_a'), ns(T + HOUR));
    expect(cache.size).toBe(0);
    expect(cache.get('k')).toBeUndefined();
  });
});

describe('ProviderCaches', () => {
  test('provider caches: each delivery mode has its own set (a mock token never reaches the real service)', () => {
    const c = new ProviderCaches({ now: () => T });
    c.select('mock');
    c.githubAppTokens.set('k', tok('ghs_mock'), ns(T + HOUR));
    c.azureDevOpsLocations.set('https://dev.azure.com/org', new Map());
    c.select('real');
    expect(c.githubAppTokens.get('k')).toBeUndefined();
    expect(c.azureDevOpsLocations.get('https://dev.azure.com/org')).toBeUndefined();
    c.select('mock');
    expect(c.githubAppTokens.get('k')).toEqual(tok('ghs_mock'));
  });

  test('provider caches: empty until something is stored, in any mode', () => {
    const c = new ProviderCaches({ now: () => T });
    expect(c.isEmpty()).toBe(true);
    c.select('render');
    c.azureDevOpsLocations.set('https://dev.azure.com/org', new Map());
    c.select('mock');
    expect(c.isEmpty()).toBe(false);
  });

  test('provider caches: every stored token is a secret to mask, even with the token cache off', () => {
    const on = new ProviderCaches({ now: () => T });
    on.githubAppTokens.set('k', tok('ghs_one'), ns(T + HOUR));
    on.select('real');
    on.githubAppTokens.set('k', tok('ghs_two'), null);
    expect([...on.secretValues()].sort()).toEqual(['ghs_one', 'ghs_two']);
    const off = new ProviderCaches({ now: () => T, tokenCacheMaxSize: 0 });
    off.githubAppTokens.set('k', tok('ghs_three'), ns(T + HOUR));
    expect(off.secretValues()).toEqual(['ghs_three']);
  });
});
