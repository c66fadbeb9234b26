// Cross-event state of the provider engine. notification-controller keeps two caches for the
// life of its process that change which requests an event causes:
// - the token cache built in main.go (fluxcd/pkg cache.TokenCache: an LRU of at most
//   --token-cache-max-size entries, 100 by default), which holds GitHub App installation tokens
//   (fluxcd/pkg auth/githubapp GetToken), so the App token exchange happens again only when the
//   cached token has used 80% of its lifetime (at most --token-cache-max-duration, 1h);
// - azure-devops-go-api v6's package-level map of API resource locations per organisation URL,
//   filled by the first successful `OPTIONS <org>/_apis` and never emptied.
// Conversations stay pure: whoever runs deliveries owns one ProviderCaches and hands it to the
// notifiers in NotifierOptions.caches. Only successful fetches are stored, as upstream.

import type { AzureDevOpsLocation } from './azuredevops.js';

/** main.go tokenCacheDefaultMaxSize (`--token-cache-max-size`). */
export const TOKEN_CACHE_DEFAULT_MAX_SIZE = 100;
/** fluxcd/pkg cache.TokenMaxDuration: the default and the ceiling of `--token-cache-max-duration`. */
export const TOKEN_CACHE_MAX_DURATION_MS = 3_600_000;

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** What githubapp.AppToken keeps besides its expiry: the token and the App slug (when reflected). */
export interface CachedAppToken {
  token: string;
  slug: string;
}

interface TokenEntry {
  value: CachedAppToken;
  /** The first instant (ns since the epoch) at which the entry counts as expired. */
  expiresAtNs: bigint;
}

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/**
 * When a token stored at `nowNs` stops being served (cache.TokenCache newItem/expired): after 80%
 * of its remaining lifetime (int64 nanosecond arithmetic, overflow included), at most `maxNs`,
 * and no later than the whole second before (the absolute copy of the deadline is truncated to
 * seconds). A token without expiry (Go's zero time) is expired at once.
 */
export function tokenExpiryNs(nowNs: bigint, tokenExpiresAtNs: bigint | null, maxNs: bigint): bigint {
  // time.Until saturates at the int64 range; the zero time is ~2000 years back: the minimum.
  let lifetime = tokenExpiresAtNs === null ? INT64_MIN : tokenExpiresAtNs - nowNs;
  if (lifetime > INT64_MAX) lifetime = INT64_MAX;
  if (lifetime < INT64_MIN) lifetime = INT64_MIN;
  let d = BigInt.asIntN(64, lifetime * 8n) / 10n;
  if (d > maxNs) d = maxNs;
  const mono = nowNs + d;
  const unix = floorDiv(mono, NS_PER_S) * NS_PER_S;
  return mono < unix ? mono : unix;
}

/**
 * fluxcd/pkg cache.TokenCache over its LRU: `get` is the lookup half of GetIfOrSet (a live entry
 * becomes the most recently used; an expired one is removed, and stays removed if the refetch
 * fails), `set` the store half after a successful fetch (appended as most recently used; the
 * least recently used entry goes when the size passes the capacity). A capacity of 0 or less is
 * NC without a token cache: nothing is kept.
 */
export class TokenCache {
  private readonly entries = new Map<string, TokenEntry>();
  private readonly maxNs: bigint;

  constructor(
    readonly capacity: number,
    maxDurationMs: number,
    private readonly now: () => number,
    private readonly onStore: (token: string) => void = () => {},
  ) {
    this.maxNs = BigInt(Math.trunc(Math.min(maxDurationMs, TOKEN_CACHE_MAX_DURATION_MS))) * NS_PER_MS;
  }

  get(key: string): CachedAppToken | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    if (BigInt(this.now()) * NS_PER_MS >= e.expiresAtNs) return undefined;
    this.entries.set(key, e);
    return e.value;
  }

  /** Stores a fetched token; `expiresAtNs` is the token's own expiry, null for none. */
  set(key: string, value: CachedAppToken, expiresAtNs: bigint | null): void {
    this.onStore(value.token);
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAtNs: tokenExpiryNs(BigInt(this.now()) * NS_PER_MS, expiresAtNs, this.maxNs) });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Keys from least to most recently used. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** When the entry stops being served (ms since the epoch), or undefined. */
  expiresAt(key: string): number | undefined {
    const e = this.entries.get(key);
    return e ? Number(e.expiresAtNs / NS_PER_MS) : undefined;
  }

  tokens(): string[] {
    return [...this.entries.values()].map((e) => e.value.token);
  }
}

/**
 * azure-devops-go-api's apiResourceLocationCache: the locations an organisation's discovery
 * listed, by id, per normalised organisation URL; unbounded, never expired.
 */
export class LocationCache {
  private readonly byUrl = new Map<string, ReadonlyMap<string, AzureDevOpsLocation>>();

  get(baseUrl: string): ReadonlyMap<string, AzureDevOpsLocation> | undefined {
    return this.byUrl.get(baseUrl);
  }

  set(baseUrl: string, locations: ReadonlyMap<string, AzureDevOpsLocation>): void {
    this.byUrl.set(baseUrl, locations);
  }

  get size(): number {
    return this.byUrl.size;
  }
}

export interface ProviderCachesOptions {
  /** `--token-cache-max-size` (default 100); 0 turns the token cache off, as in NC. */
  tokenCacheMaxSize?: number;
  /** `--token-cache-max-duration` in ms (default, and at most, one hour). */
  tokenCacheMaxDurationMs?: number;
  /** Wall clock for token expiry (tests inject one). */
  now?: () => number;
}

interface CacheSet {
  githubAppTokens: TokenCache;
  azureDevOpsLocations: LocationCache;
}

/** How many recently issued tokens stay on the masking list after leaving the cache. */
const RECENT_TOKENS = 64;

/**
 * The process-wide caches of one run. Each scope (delivery mode) has its own set: a token the
 * mocks issued must never be sent to GitHub, nor mock routes used for a real organisation, so
 * MOCK and REAL behave like two controllers. Conversations read the selected set when they run.
 */
export class ProviderCaches {
  private readonly sets = new Map<string, CacheSet>();
  private current: CacheSet;
  private readonly recent: string[] = [];
  private version = 0;
  private memo: { version: number; values: readonly string[] } = { version: 0, values: [] };

  constructor(private readonly o: ProviderCachesOptions = {}) {
    this.current = this.setFor('');
  }

  private setFor(scope: string): CacheSet {
    let s = this.sets.get(scope);
    if (!s) {
      const remember = (token: string) => {
        if (token === '') return;
        this.recent.push(token);
        if (this.recent.length > RECENT_TOKENS) this.recent.shift();
        this.version++;
      };
      s = {
        githubAppTokens: new TokenCache(
          this.o.tokenCacheMaxSize ?? TOKEN_CACHE_DEFAULT_MAX_SIZE,
          this.o.tokenCacheMaxDurationMs ?? TOKEN_CACHE_MAX_DURATION_MS,
          this.o.now ?? Date.now,
          remember,
        ),
        azureDevOpsLocations: new LocationCache(),
      };
      this.sets.set(scope, s);
    }
    return s;
  }

  /** Chooses the set the next conversations use (the delivery mode: render, mock or real). */
  select(scope: string): void {
    this.current = this.setFor(scope);
  }

  get githubAppTokens(): TokenCache {
    return this.current.githubAppTokens;
  }

  get azureDevOpsLocations(): LocationCache {
    return this.current.azureDevOpsLocations;
  }

  /** Whether nothing has been cached in any scope (what a first event sees). */
  isEmpty(): boolean {
    for (const s of this.sets.values()) if (s.githubAppTokens.size > 0 || s.azureDevOpsLocations.size > 0) return false;
    return true;
  }

  /** Every token these caches hold or recently issued: values output must never show. */
  secretValues(): readonly string[] {
    if (this.memo.version === this.version) return this.memo.values;
    const out = new Set(this.recent);
    for (const s of this.sets.values()) for (const t of s.githubAppTokens.tokens()) if (t !== '') out.add(t);
    this.memo = { version: this.version, values: [...out] };
    return this.memo.values;
  }
}
