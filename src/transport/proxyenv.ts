// The environment proxy rules of Go's default transport (net/http ProxyFromEnvironment, i.e.
// golang.org/x/net/http/httpproxy), which the controller's HTTP clients use when a Provider sets
// no proxy. They differ from undici's EnvHttpProxyAgent in ways that change where traffic goes:
// upper-case variables win, https requests use only HTTPS_PROXY (no fallback to HTTP_PROXY),
// loopback hosts are never proxied, and NO_PROXY accepts CIDR blocks.

import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';

export type ProxyEnv = Record<string, string | undefined>;

interface IpMatcher {
  kind: 'ip';
  list: BlockList;
  port: string;
}
interface DomainMatcher {
  kind: 'domain';
  /** Always starts with a dot. */
  host: string;
  port: string;
  /** The entry was `foo.com` (not `.foo.com`): the bare name matches as well as subdomains. */
  matchHost: boolean;
}

export interface ProxyConfig {
  httpProxy: URL | null;
  httpsProxy: URL | null;
  /** NO_PROXY is `*`. */
  all: boolean;
  ipMatchers: IpMatcher[];
  domainMatchers: DomainMatcher[];
  /** Raw values, for cache keys and display. */
  raw: { http: string; https: string; noProxy: string };
}

/** Go's getEnvAny: the first non-empty value, upper case first. */
function envAny(env: ProxyEnv, ...names: string[]): string {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

/** A proxy variable as Go reads it: `host:port` without a scheme means http://host:port. */
export function parseEnvProxy(value: string): URL | null {
  if (value === '') return null;
  try {
    const u = new URL(value);
    if (u.host !== '') return u;
  } catch {
    // fall through to the http:// retry, as Go does
  }
  try {
    return new URL('http://' + value);
  } catch {
    return null;
  }
}

function ipFamily(ip: string): 'ipv4' | 'ipv6' {
  return isIP(ip) === 6 ? 'ipv6' : 'ipv4';
}

/** IPv4-mapped IPv6 addresses compare as IPv4 in Go. */
function normaliseIp(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1]! : ip;
}

/** Splits `host:port` / `[v6]:port`; null when there is no port (Go's SplitHostPort fails). */
function splitHostPort(s: string): { host: string; port: string } | null {
  if (s.startsWith('[')) {
    const m = /^\[([^\]]*)\]:(\d*)$/.exec(s);
    return m ? { host: m[1]!, port: m[2]! } : null;
  }
  const i = s.lastIndexOf(':');
  if (i < 0 || s.indexOf(':') !== i) return null;
  return { host: s.slice(0, i), port: s.slice(i + 1) };
}

/** The three variables as Go reads them (upper case first). */
export function rawProxyEnv(env: ProxyEnv): ProxyConfig['raw'] {
  return {
    http: envAny(env, 'HTTP_PROXY', 'http_proxy'),
    https: envAny(env, 'HTTPS_PROXY', 'https_proxy'),
    noProxy: envAny(env, 'NO_PROXY', 'no_proxy'),
  };
}

export function proxyConfigFromEnv(env: ProxyEnv): ProxyConfig {
  const { http, https, noProxy } = rawProxyEnv(env);
  const cfg: ProxyConfig = {
    httpProxy: parseEnvProxy(http),
    httpsProxy: parseEnvProxy(https),
    all: false,
    ipMatchers: [],
    domainMatchers: [],
    raw: { http, https, noProxy },
  };
  for (const entry of noProxy.split(',')) {
    const p = entry.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') {
      cfg.all = true;
      break;
    }
    const cidr = /^(.+)\/(\d+)$/.exec(p);
    if (cidr && isIP(cidr[1]!) !== 0) {
      const list = new BlockList();
      try {
        list.addSubnet(normaliseIp(cidr[1]!), Number(cidr[2]), ipFamily(normaliseIp(cidr[1]!)));
        cfg.ipMatchers.push({ kind: 'ip', list, port: '' });
      } catch {
        // an out-of-range prefix is not a CIDR for Go either; ignore the entry
      }
      continue;
    }
    let host = p;
    let port = '';
    const hp = splitHostPort(p);
    if (hp) {
      if (hp.host === '') continue;
      host = hp.host;
      port = hp.port;
    }
    if (isIP(host) !== 0) {
      const list = new BlockList();
      const ip = normaliseIp(host);
      list.addAddress(ip, ipFamily(ip));
      cfg.ipMatchers.push({ kind: 'ip', list, port });
      continue;
    }
    if (host.startsWith('*.')) host = host.slice(1);
    let matchHost = false;
    if (!host.startsWith('.')) {
      matchHost = true;
      host = '.' + host;
    }
    const ascii = domainToASCII(host.slice(1));
    if (ascii !== '') host = '.' + ascii;
    cfg.domainMatchers.push({ kind: 'domain', host, port, matchHost });
  }
  return cfg;
}

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443', 'socks5:': '1080' };

/** Whether a request to host:port goes through the proxy (Go's useProxy). */
function useProxy(cfg: ProxyConfig, hostIn: string, port: string): boolean {
  const host = hostIn.toLowerCase();
  if (host === 'localhost') return false;
  const ipVersion = isIP(host);
  const ip = ipVersion ? normaliseIp(host) : '';
  if (ipVersion) {
    const v4 = isIP(ip) === 4;
    if ((v4 && ip.startsWith('127.')) || (!v4 && isIpv6Loopback(ip))) {
      return false;
    }
  }
  if (cfg.all) return false;
  if (ipVersion) {
    for (const m of cfg.ipMatchers) {
      if (m.list.check(ip, ipFamily(ip)) && (m.port === '' || m.port === port)) return false;
    }
  }
  for (const m of cfg.domainMatchers) {
    if (host.endsWith(m.host) || (m.matchHost && host === m.host.slice(1))) {
      if (m.port === '' || m.port === port) return false;
    }
  }
  return true;
}

function isIpv6Loopback(ip: string): boolean {
  const list = new BlockList();
  list.addAddress('::1', 'ipv6');
  return list.check(ip, 'ipv6');
}

/** The proxy for a request URL under Go's environment rules, or null to connect directly. */
export function proxyForURL(cfg: ProxyConfig, target: URL): URL | null {
  let proxy: URL | null = null;
  if (target.protocol === 'https:') proxy = cfg.httpsProxy;
  else if (target.protocol === 'http:') proxy = cfg.httpProxy;
  if (proxy === null) return null;
  let host = target.hostname;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = target.port !== '' ? target.port : (DEFAULT_PORT[target.protocol] ?? '');
  return useProxy(cfg, host, port) ? proxy : null;
}
