import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import type { Conversation, HttpReply, PlannedHttpRequest, TlsMaterial } from '../../src/providers/types.js';
import {
  DispatcherCache,
  GoEnvProxyAgent,
  ProxyConfigError,
  buildDispatcher,
} from '../../src/transport/dispatcher.js';
import { deliver, type DeliverContext } from '../../src/transport/deliver.js';
import {
  makePki,
  startHttp,
  startHttpProxy,
  startHttps,
  startSocks5,
  type Pki,
} from './helpers.js';

let pki: Pki;
const toClose: Array<{ close(): Promise<void> }> = [];
let cache: DispatcherCache;

beforeAll(() => {
  pki = makePki();
});
afterEach(async () => {
  await cache?.close();
  while (toClose.length) await toClose.pop()!.close();
});

function track<T extends { close(): Promise<void> }>(s: T): T {
  toClose.push(s);
  return s;
}

const ok = (_: unknown, res: import('node:http').ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
};

function planned(url: string, o: Partial<PlannedHttpRequest> = {}): PlannedHttpRequest {
  return {
    kind: 'http',
    method: 'POST',
    url,
    headers: [['Content-Type', 'application/json']],
    body: '{}',
    retry: 'none',
    useProxy: true,
    useTLS: true,
    ...o,
  };
}

/** A conversation that makes one request and returns its reply as the note. */
function* one(req: PlannedHttpRequest): Conversation {
  const reply: HttpReply = yield req;
  return { sent: true, note: `${reply.status} ${reply.body}` };
}

/** undici marks a socket idle a moment after the body is read; back-to-back sends would open a second one. */
const settle = () => new Promise((r) => setTimeout(r, 20));

async function send(url: string, ctx: DeliverContext, o: Partial<PlannedHttpRequest> = {}) {
  cache ??= new DispatcherCache();
  return deliver(one(planned(url, o)), { dispatchers: cache, env: {}, timeoutMs: 5000, ...ctx });
}

describe('TLS material (spec §6.3)', () => {
  it('tls: a server signed by a throw-away CA is trusted through the TLS material only', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttps(pki, ok));
    const r = await send(`${srv.origin}/hook`, { tls: { ca: pki.ca } });
    expect(r.error).toBeUndefined();
    expect(r.outcome).toEqual({ sent: true, note: '200 ok' });
  });

  it('tls: without the CA the system roots refuse the server, and it is not retried', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttps(pki, ok));
    const r = await send(`${srv.origin}/hook`, {}, { retry: 'retryablehttp' });
    expect(r.error).toBe(
      `failed to execute request: POST ${srv.origin}/hook giving up after 1 attempt(s): ` +
        `Post "${srv.origin}/hook": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
    );
    expect(srv.log).toHaveLength(0);
  });

  it('tls: a CA replaces the system roots rather than adding to them (another CA alone fails)', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttps(pki, ok));
    const r = await send(`${srv.origin}/hook`, { tls: { ca: pki.otherCa } });
    expect(r.error).toBe(
      `Post "${srv.origin}/hook": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
    );
  });

  it('tls: the TLS material is used only for requests marked useTLS', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttps(pki, ok));
    const r = await send(`${srv.origin}/hook`, { tls: { ca: pki.ca } }, { useTLS: false });
    expect(r.error).toContain('certificate signed by unknown authority');
  });

  it('tls: a client certificate is presented when the server requires one', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttps(pki, ok, { requireClientCert: true }));
    const withCert = await send(`${srv.origin}/hook`, { tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } });
    expect(withCert.outcome?.note).toBe('200 ok');
    const without = await send(`${srv.origin}/hook`, { tls: { ca: pki.ca } });
    expect(without.error).toBeDefined();
    expect(srv.log).toHaveLength(1);
  });
});

describe('proxy (spec §6.4, providers §3.4)', () => {
  it('proxy: https targets go through a CONNECT tunnel, and the tunnel is reused by the next send', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttps(pki, ok));
    const proxy = track(await startHttpProxy());
    const ctx = { proxyURL: proxy.origin, tls: { ca: pki.ca } };
    const a = await send(`${srv.origin}/a`, ctx);
    await settle();
    const b = await send(`${srv.origin}/b`, ctx);
    expect([a.outcome?.note, b.outcome?.note]).toEqual(['200 ok', '200 ok']);
    expect(proxy.stats.connects).toEqual([`127.0.0.1:${srv.port}`]);
    expect(srv.log.map((r) => r.url)).toEqual(['/a', '/b']);
    expect(cache.size).toBe(1);
  });

  it('proxy: plain-http targets are sent to the proxy in absolute form, without CONNECT (as Go does)', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttp(ok));
    const proxy = track(await startHttpProxy());
    const r = await send(`${srv.origin}/hook?x=1`, { proxyURL: proxy.origin });
    expect(r.outcome?.note).toBe('200 ok');
    expect(proxy.stats.connects).toEqual([]);
    expect(proxy.stats.forwarded).toEqual([`${srv.origin}/hook?x=1`]);
  });

  it('proxy: user-info in the proxy URL becomes Proxy-Authorization Basic (decoded first)', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttp(ok));
    const proxy = track(await startHttpProxy());
    await send(`${srv.origin}/hook`, { proxyURL: `http://user:p%40ss@127.0.0.1:${proxy.port}` });
    expect(proxy.stats.proxyAuth).toEqual(['Basic ' + Buffer.from('user:p@ss').toString('base64')]);
  });

  it('proxy: a user name without password still authenticates, with an empty password (Go)', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttp(ok));
    const proxy = track(await startHttpProxy());
    await send(`${srv.origin}/hook`, { proxyURL: `http://user@127.0.0.1:${proxy.port}` });
    expect(proxy.stats.proxyAuth).toEqual(['Basic ' + Buffer.from('user:').toString('base64')]);
  });

  it('proxy: the provider proxy is ignored for requests not marked useProxy', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttp(ok));
    const proxy = track(await startHttpProxy());
    const r = await send(`${srv.origin}/hook`, { proxyURL: proxy.origin }, { useProxy: false });
    expect(r.outcome?.note).toBe('200 ok');
    expect(proxy.stats.forwarded).toEqual([]);
  });

  it('proxy: socks5 is supported (undici 7 Socks5ProxyAgent), host names are passed to the proxy', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttps(pki, ok));
    const socks = track(await startSocks5());
    const r = await send(`${srv.origin}/hook`, { proxyURL: socks.origin, tls: { ca: pki.ca } });
    expect(r.error).toBeUndefined();
    expect(r.outcome?.note).toBe('200 ok');
    expect(socks.stats.targets).toEqual([`127.0.0.1:${srv.port}`]);
  });

  it('proxy: socks5 user-info is used for username/password authentication', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttp(ok));
    const socks = track(await startSocks5({ user: 'fluxuser', pass: 's3cret' }));
    const r = await send(`${srv.origin}/hook`, { proxyURL: `socks5://fluxuser:s3cret@127.0.0.1:${socks.port}` });
    expect(r.outcome?.note).toBe('200 ok');
    expect(socks.stats.auth).toEqual([{ user: 'fluxuser', pass: 's3cret' }]);
  });

  it('proxy: an unsupported proxy scheme is an error, never a silent direct connection', async () => {
    expect(() => buildDispatcher({ proxyURL: 'ftp://127.0.0.1:21' })).toThrow(ProxyConfigError);
    cache = new DispatcherCache();
    const srv = track(await startHttp(ok));
    const r = await send(`${srv.origin}/hook`, { proxyURL: 'ftp://127.0.0.1:21' });
    expect(r.error).toBe('proxy scheme "ftp" is not supported by this tool (use http, https or socks5)');
    expect(r.errorKind).toBe('config');
    expect(srv.log).toHaveLength(0);
  });

  it('proxy: a refused proxy connection is reported like Go (proxyconnect tcp: ...)', async () => {
    cache = new DispatcherCache();
    const proxy = track(await startHttpProxy());
    const port = proxy.port;
    await proxy.close();
    toClose.pop();
    const r = await send('https://127.0.0.1:9443/hook', { proxyURL: `http://127.0.0.1:${port}` });
    expect(r.error).toBe(
      `Post "https://127.0.0.1:9443/hook": proxyconnect tcp: dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });
});

describe('environment proxy when the Provider sets none (spec §3.3)', () => {
  it('env proxy: HTTP_PROXY is used for a non-loopback http target', async () => {
    cache = new DispatcherCache();
    const proxy = track(await startHttpProxy());
    // The test proxy answers for non-loopback hosts itself: nothing leaves the machine.
    const r = await send('http://flux-notify.test/hook', { env: { HTTP_PROXY: `127.0.0.1:${proxy.port}` } });
    expect(r.outcome?.note).toBe('299 answered by proxy for flux-notify.test');
    expect(proxy.stats.forwarded).toEqual(['http://flux-notify.test/hook']);
  });

  it('env proxy: loopback targets bypass HTTP_PROXY (Go never proxies loopback)', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttp(ok));
    const proxy = track(await startHttpProxy());
    const r = await send(`${srv.origin}/hook`, { env: { HTTP_PROXY: proxy.origin } });
    expect(r.outcome?.note).toBe('200 ok');
    expect(proxy.stats.forwarded).toEqual([]);
  });

  it('env proxy: the router picks per origin and exposes its decision', () => {
    const d = new GoEnvProxyAgent({ HTTPS_PROXY: 'proxy.tld:3128', NO_PROXY: 'internal.tld' }, undefined);
    expect(d.proxyFor('https://hooks.slack.com/x')?.href).toBe('http://proxy.tld:3128/');
    expect(d.proxyFor('https://api.internal.tld/x')).toBeNull();
    expect(d.proxyFor('http://hooks.slack.com/x')).toBeNull();
    void d.close();
  });
});

describe('connection pooling (keep-alive cache)', () => {
  it('pooling: the same (proxy, TLS) gives the same dispatcher; different TLS a new one', () => {
    const c = new DispatcherCache();
    const tls: TlsMaterial = { ca: 'CA' };
    const a: Dispatcher = c.get({ tls, env: {} });
    expect(c.get({ tls: { ca: 'CA' }, env: {} })).toBe(a);
    expect(c.get({ tls: { ca: 'OTHER' }, env: {} })).not.toBe(a);
    expect(c.get({ proxyURL: 'http://127.0.0.1:3128', tls })).not.toBe(a);
    expect(c.get({ tls, env: { HTTPS_PROXY: 'p:1' } })).not.toBe(a);
    expect(c.size).toBe(4);
    void c.close();
  });

  it('pooling: repeated sends reuse the kept-alive connection', async () => {
    cache = new DispatcherCache();
    const srv = track(await startHttp(ok));
    await send(`${srv.origin}/a`, {});
    await settle();
    await send(`${srv.origin}/b`, {});
    expect(srv.log).toHaveLength(2);
    expect(srv.log[1]!.remotePort).toBe(srv.log[0]!.remotePort);
  });
});
