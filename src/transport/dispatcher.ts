// undici dispatchers that behave like the controller's Go transports: an explicit proxy
// (http/https/socks5) or, without one, Go's environment proxy rules; TLS material where a CA
// replaces the system roots; no client-side timeouts other than the provider deadline (the
// caller's AbortSignal). Dispatchers are cached by (proxy, TLS, proxy environment) so repeated
// sends reuse kept-alive connections.

import { Agent, Dispatcher, ProxyAgent, Socks5ProxyAgent } from 'undici';
import type { TlsMaterial } from '../providers/types.js';
import { proxyConfigFromEnv, proxyForURL, rawProxyEnv, type ProxyConfig, type ProxyEnv } from './proxyenv.js';

export interface DispatcherSpec {
  /** The Provider's proxy URL; empty/absent: the environment proxy rules apply. */
  proxyURL?: string;
  tls?: TlsMaterial;
  /** Environment for HTTP(S)_PROXY/NO_PROXY; default process.env. */
  env?: ProxyEnv;
}

/** The proxy setting cannot be used; the text says why. */
export class ProxyConfigError extends Error {
  override name = 'ProxyConfigError';
}

/** Go's net.Dialer in the controller's transport gives up connecting after 30s. */
const DIAL_TIMEOUT_MS = 30_000;

/** Go's client has no header/body timeouts: only the provider deadline bounds a request. */
const NO_TIMEOUTS = { headersTimeout: 0, bodyTimeout: 0 } as const;

function tlsOptions(tls: TlsMaterial | undefined): { ca?: string; cert?: string; key?: string; timeout: number } {
  const o: { ca?: string; cert?: string; key?: string; timeout: number } = { timeout: DIAL_TIMEOUT_MS };
  // Node's `ca` replaces the bundled roots, which is what a Go tls.Config with RootCAs does.
  if (tls?.ca) o.ca = tls.ca;
  if (tls?.cert) o.cert = tls.cert;
  if (tls?.key) o.key = tls.key;
  return o;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Go sends Proxy-Authorization whenever the proxy URL has user-info, even with no password. */
function proxyAuthToken(u: URL): string | undefined {
  if (u.username === '' && u.password === '') return undefined;
  return 'Basic ' + Buffer.from(`${decode(u.username)}:${decode(u.password)}`, 'utf8').toString('base64');
}

/** Parses a Provider proxy URL (Go: url.Parse, then the transport decides by scheme). */
export function parseProxyURL(proxy: string): URL {
  let u: URL;
  try {
    u = new URL(proxy);
  } catch {
    throw new ProxyConfigError(`unable to parse proxy URL: parse "${proxy}": invalid URL`);
  }
  if (u.host === '') throw new ProxyConfigError(`unable to parse proxy URL: ${proxy}: missing host`);
  return u;
}

/** A dispatcher that sends everything through `proxy`. */
export function proxyDispatcher(proxy: URL, tls: TlsMaterial | undefined): Dispatcher {
  const t = tlsOptions(tls);
  switch (proxy.protocol) {
    case 'http:':
    case 'https:': {
      const token = proxyAuthToken(proxy);
      return new ProxyAgent({
        uri: `${proxy.protocol}//${proxy.host}`,
        ...(token ? { token } : {}),
        // Go applies the same TLS config to the target and to an https proxy.
        requestTls: t,
        proxyTls: t,
        // Plain-http targets go to the proxy as absolute-form requests, as Go does (no CONNECT).
        proxyTunnel: false,
        connect: { timeout: DIAL_TIMEOUT_MS },
        ...NO_TIMEOUTS,
      });
    }
    case 'socks5:':
    case 'socks5h:': {
      // Go's SOCKS5 dialer hands host names to the proxy; undici's does too (socks5 = socks5h).
      const opts = {
        ...(proxy.username !== '' ? { username: decode(proxy.username) } : {}),
        ...(proxy.password !== '' ? { password: decode(proxy.password) } : {}),
        requestTls: t,
        ...NO_TIMEOUTS,
      };
      return new Socks5ProxyAgent(`socks5://${proxy.host}`, opts as Socks5ProxyAgent.Options);
    }
    default:
      throw new ProxyConfigError(
        `proxy scheme ${JSON.stringify(proxy.protocol.slice(0, -1))} is not supported by this tool (use http, https or socks5)`,
      );
  }
}

/** A direct dispatcher with the TLS material. */
export function directDispatcher(tls: TlsMaterial | undefined): Dispatcher {
  return new Agent({ connect: tlsOptions(tls), ...NO_TIMEOUTS });
}

/**
 * Routes each origin like Go's ProxyFromEnvironment: direct, or through the HTTP(S)_PROXY of the
 * target's scheme, honouring NO_PROXY. The underlying dispatchers are built on first use.
 */
export class GoEnvProxyAgent extends Dispatcher {
  readonly config: ProxyConfig;
  private readonly tls: TlsMaterial | undefined;
  private direct: Dispatcher | undefined;
  private readonly viaProxy = new Map<string, Dispatcher>();

  constructor(env: ProxyEnv, tls: TlsMaterial | undefined) {
    super();
    this.config = proxyConfigFromEnv(env);
    this.tls = tls;
  }

  /** The proxy a request to `origin` would use (null: direct). */
  proxyFor(origin: string | URL): URL | null {
    return proxyForURL(this.config, typeof origin === 'string' ? new URL(origin) : origin);
  }

  /** The dispatcher per origin: the proxy rules only depend on it (and the fixed config). */
  private readonly byOrigin = new Map<string, Dispatcher>();

  private pick(origin: string | URL | undefined): Dispatcher {
    const key = origin === undefined ? '' : typeof origin === 'string' ? origin : origin.href;
    let d = this.byOrigin.get(key);
    if (!d) {
      d = this.route(origin);
      if (this.byOrigin.size > 1000) this.byOrigin.clear();
      this.byOrigin.set(key, d);
    }
    return d;
  }

  private route(origin: string | URL | undefined): Dispatcher {
    const proxy = origin === undefined ? null : this.proxyFor(origin);
    if (proxy === null) return (this.direct ??= directDispatcher(this.tls));
    let d = this.viaProxy.get(proxy.href);
    if (!d) {
      d = proxyDispatcher(proxy, this.tls);
      this.viaProxy.set(proxy.href, d);
    }
    return d;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.pick(options.origin).dispatch(options, handler);
  }

  private all(): Dispatcher[] {
    return [...(this.direct ? [this.direct] : []), ...this.viaProxy.values()];
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const p = Promise.all(this.all().map((d) => d.close())).then(() => undefined);
    if (callback) void p.then(callback);
    else return p;
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const err = typeof a === 'function' ? null : (a ?? null);
    const cb = typeof a === 'function' ? a : b;
    const p = Promise.all(this.all().map((d) => d.destroy(err))).then(() => undefined);
    if (cb) void p.then(cb);
    else return p;
  }
}

/** Builds the dispatcher for a spec (not cached). Throws ProxyConfigError for an unusable proxy. */
export function buildDispatcher(spec: DispatcherSpec): Dispatcher {
  if (spec.proxyURL) return proxyDispatcher(parseProxyURL(spec.proxyURL), spec.tls);
  const env = spec.env ?? process.env;
  // Without proxy variables every request goes direct: no need to route per origin.
  const raw = rawProxyEnv(env);
  if (raw.http === '' && raw.https === '') return directDispatcher(spec.tls);
  return new GoEnvProxyAgent(env, spec.tls);
}

// TLS material is one object per Provider and catalog: its key part is worked out once. The
// process environment is read once, as Go's ProxyFromEnvironment does.
const tlsKeys = new WeakMap<TlsMaterial, string>();
let processEnvKey: string | undefined;

function envKey(env: ProxyEnv | undefined): string {
  if (env === undefined || env === process.env) return (processEnvKey ??= JSON.stringify(rawProxyEnv(process.env)));
  if (isEmpty(env)) return '';
  const raw = rawProxyEnv(env);
  return raw.http === '' && raw.https === '' && raw.noProxy === '' ? '' : JSON.stringify(raw);
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

function cacheKey(spec: DispatcherSpec): string {
  const env = spec.proxyURL ? '' : envKey(spec.env);
  let tls = '';
  if (spec.tls) {
    tls = tlsKeys.get(spec.tls) ?? '';
    if (tls === '') tlsKeys.set(spec.tls, (tls = JSON.stringify([spec.tls.ca ?? '', spec.tls.cert ?? '', spec.tls.key ?? ''])));
  }
  return JSON.stringify([spec.proxyURL ?? '', env, tls]);
}

/** Dispatchers by (proxy, TLS, proxy environment), so connections are pooled across sends. */
export class DispatcherCache {
  private readonly map = new Map<string, Dispatcher>();

  get(spec: DispatcherSpec): Dispatcher {
    const key = cacheKey(spec);
    let d = this.map.get(key);
    if (!d) {
      d = buildDispatcher(spec);
      this.map.set(key, d);
    }
    return d;
  }

  get size(): number {
    return this.map.size;
  }

  /** Closes every pooled connection (call before exiting a headless command). */
  async close(): Promise<void> {
    const all = [...this.map.values()];
    this.map.clear();
    await Promise.all(all.map((d) => d.close().catch(() => undefined)));
  }
}

/** The process-wide cache used by deliver() unless a test passes its own. */
export const sharedDispatchers = new DispatcherCache();
