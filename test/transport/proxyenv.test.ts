import { describe, expect, it } from 'vitest';
import { proxyConfigFromEnv, proxyForURL } from '../../src/transport/proxyenv.js';

const proxyOf = (env: Record<string, string>, url: string) => proxyForURL(proxyConfigFromEnv(env), new URL(url))?.href ?? null;

// Expected values follow golang.org/x/net/http/httpproxy (Go's ProxyFromEnvironment) and its tests.
describe('environment proxy like Go\'s default transport (spec §3.3, §6.1)', () => {
  it('env proxy: a proxy without scheme means http://', () => {
    expect(proxyOf({ HTTP_PROXY: 'cache.corp.example.com:1234' }, 'http://example.com/')).toBe('http://cache.corp.example.com:1234/');
    expect(proxyOf({ HTTP_PROXY: 'cache.corp.example.com' }, 'http://example.com/')).toBe('http://cache.corp.example.com/');
    expect(proxyOf({ HTTP_PROXY: '127.0.0.1:8080' }, 'http://example.com/')).toBe('http://127.0.0.1:8080/');
  });

  it('env proxy: explicit schemes are kept (https, socks5)', () => {
    expect(proxyOf({ HTTP_PROXY: 'https://cache.corp.example.com' }, 'http://example.com/')).toBe('https://cache.corp.example.com/');
    expect(proxyOf({ HTTP_PROXY: 'socks5://127.0.0.1' }, 'http://example.com/')).toBe('socks5://127.0.0.1');
  });

  it('env proxy: http requests use HTTP_PROXY, https requests HTTPS_PROXY', () => {
    const env = { HTTP_PROXY: 'http.proxy.tld', HTTPS_PROXY: 'secure.proxy.tld' };
    expect(proxyOf(env, 'http://insecure.tld/')).toBe('http://http.proxy.tld/');
    expect(proxyOf(env, 'https://secure.tld/')).toBe('http://secure.proxy.tld/');
    expect(proxyOf({ HTTPS_PROXY: 'https://secure.proxy.tld' }, 'https://secure.tld/')).toBe('https://secure.proxy.tld/');
  });

  it('env proxy: https requests do not fall back to HTTP_PROXY (unlike undici EnvHttpProxyAgent)', () => {
    expect(proxyOf({ HTTP_PROXY: 'http.proxy.tld' }, 'https://secure.tld/')).toBeNull();
  });

  it('env proxy: upper-case variables win over lower-case ones; empty values do not count', () => {
    expect(proxyOf({ HTTP_PROXY: 'upper:1', http_proxy: 'lower:2' }, 'http://x.tld/')).toBe('http://upper:1/');
    expect(proxyOf({ HTTP_PROXY: '', http_proxy: 'lower:2' }, 'http://x.tld/')).toBe('http://lower:2/');
    expect(proxyOf({ https_proxy: 'lower:3' }, 'https://x.tld/')).toBe('http://lower:3/');
  });

  it('env proxy: nothing set means direct', () => {
    expect(proxyOf({}, 'https://x.tld/')).toBeNull();
  });

  const noProxy =
    'foobar.com, .barbaz.net, *.wildcard.com, 192.168.1.1, 192.168.1.2:81, 192.168.1.3:80, 10.0.0.0/30, ' +
    '2001:db8::52:0:1, [2001:db8::52:0:2]:443, [2001:db8::52:0:3]:80, 2002:db8:a::45/64';
  const cases: Array<[string, boolean]> = [
    // loopback and localhost are never proxied
    ['localhost', false],
    ['127.0.0.1', false],
    ['127.0.0.2', false],
    ['[::1]', false],
    ['[::2]', true],
    // IPs, ports, CIDRs
    ['192.168.1.1', false],
    ['192.168.1.2', true],
    ['192.168.1.2:81', false],
    ['192.168.1.3', false],
    ['192.168.1.3:80', false],
    ['10.0.0.2', false],
    ['10.0.0.4', true],
    ['[2001:db8::52:0:1]', false],
    ['[2001:db8::52:0:2]', true],
    ['[2001:db8::52:0:2]:443', false],
    ['[2001:db8::52:0:3]', false],
    ['[2002:db8:a::123]', false],
    ['[fe80::424b:c8be:1643:a1b6]', true],
    // domains
    ['barbaz.net', true],
    ['foobar.com', false],
    ['www.foobar.com', false],
    ['foofoobar.com', true],
    ['bar.barbaz.net', false],
    ['www.barbaz.net', false],
    ['wildcard.com', true],
    ['www.wildcard.com', false],
    ['foo.bar.wildcard.com', false],
  ];
  for (const [host, proxied] of cases) {
    it(`env proxy: NO_PROXY rules — http://${host} is ${proxied ? '' : 'not '}proxied`, () => {
      const got = proxyOf({ HTTP_PROXY: 'proxy.tld:3128', NO_PROXY: noProxy }, `http://${host}/`);
      expect(got).toBe(proxied ? 'http://proxy.tld:3128/' : null);
    });
  }

  it('env proxy: loopback is not proxied even without NO_PROXY', () => {
    expect(proxyOf({ HTTP_PROXY: 'proxy.tld:3128' }, 'http://127.0.0.1:8080/')).toBeNull();
    expect(proxyOf({ HTTPS_PROXY: 'proxy.tld:3128' }, 'https://localhost/')).toBeNull();
  });

  it('env proxy: NO_PROXY=* disables the proxy; no_proxy is read when NO_PROXY is unset', () => {
    expect(proxyOf({ HTTP_PROXY: 'proxy.tld:3128', NO_PROXY: '*' }, 'http://x.tld/')).toBeNull();
    expect(proxyOf({ HTTP_PROXY: 'proxy.tld:3128', no_proxy: 'x.tld' }, 'http://x.tld/')).toBeNull();
    expect(proxyOf({ HTTP_PROXY: 'proxy.tld:3128', no_proxy: 'x.tld' }, 'http://y.tld/')).toBe('http://proxy.tld:3128/');
  });

  it('env proxy: a NO_PROXY port must match the request\'s (default port filled in)', () => {
    const env = { HTTPS_PROXY: 'proxy.tld:3128', NO_PROXY: 'x.tld:443' };
    expect(proxyOf(env, 'https://x.tld/')).toBeNull();
    expect(proxyOf(env, 'https://x.tld:8443/')).toBe('http://proxy.tld:3128/');
  });
});
