// Go net/url and path behaviour. Expected values come from Go's own tests (net/url/url_test.go,
// path/path_test.go) and, for the Go 1.26 host rules, from the Go 1.26 net/url source.

import { describe, expect, it } from 'vitest';
import {
  GoURL,
  GoURLError,
  encodeValues,
  goStrconvQuote,
  parseQuery,
  parseRequestURI,
  parseURL,
  pathClean,
  pathEscape,
  pathJoin,
  pathUnescape,
  queryEscape,
  queryUnescape,
} from '../../src/providers/gourl.js';

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(GoURLError);
    return (e as Error).message;
  }
  throw new Error('expected a GoURLError');
}

describe('gourl: *url.Error texts', () => {
  it('ParseRequestURI: a relative reference is "invalid URI for request"', () => {
    expect(errorOf(() => parseRequestURI('not a url'))).toBe('parse "not a url": invalid URI for request');
    expect(errorOf(() => parseRequestURI('foo.html'))).toBe('parse "foo.html": invalid URI for request');
  });

  it('getScheme: a leading colon is "missing protocol scheme"', () => {
    expect(errorOf(() => parseURL(':foo'))).toBe('parse ":foo": missing protocol scheme');
    expect(errorOf(() => parseRequestURI(':foo'))).toBe('parse ":foo": missing protocol scheme');
  });

  it('host: a space is an invalid character in host name', () => {
    expect(errorOf(() => parseRequestURI('http://a b.com/'))).toBe(
      'parse "http://a b.com/": invalid character " " in host name',
    );
  });

  it('host: a non-numeric port is rejected with the quoted ":port"', () => {
    expect(errorOf(() => parseRequestURI('http://x:abc/'))).toBe('parse "http://x:abc/": invalid port ":abc" after host');
    expect(errorOf(() => parseURL('http://x:namedport'))).toBe(
      'parse "http://x:namedport": invalid port ":namedport" after host',
    );
  });

  it('path: a bad percent escape is "invalid URL escape" with the 3 offending bytes', () => {
    expect(errorOf(() => parseRequestURI('http://x/%zz'))).toBe('parse "http://x/%zz": invalid URL escape "%zz"');
    expect(errorOf(() => parseURL('http://x/a%2'))).toBe('parse "http://x/a%2": invalid URL escape "%2"');
  });

  it('escape errors cut bytes, not characters (strconv.Quote shows the broken UTF-8 as \\x)', () => {
    expect(errorOf(() => parseURL('http://x/%€'))).toBe('parse "http://x/%€": invalid URL escape "%\\xe2\\x82"');
    expect(errorOf(() => parseURL('http://x/%é'))).toBe('parse "http://x/%é": invalid URL escape "%é"');
  });

  it('control characters are rejected and quoted with Go escapes (url_test TestRejectControlCharacters)', () => {
    expect(errorOf(() => parseURL('http://foo.com/?foo\nbar'))).toBe(
      'parse "http://foo.com/?foo\\nbar": net/url: invalid control character in URL',
    );
    expect(errorOf(() => parseURL('http\r://foo.com/'))).toBe(
      'parse "http\\r://foo.com/": net/url: invalid control character in URL',
    );
    expect(errorOf(() => parseURL('http://foo\x7f.com/'))).toBe(
      'parse "http://foo\\x7f.com/": net/url: invalid control character in URL',
    );
    // Non-ASCII control characters are let through.
    expect(parseURL('http://foo.com/ctl\u0080').path).toBe('/ctl\u0080');
  });

  it('relative reference: a colon in the first segment is refused', () => {
    expect(errorOf(() => parseURL('cache_object:foo/bar'))).toBe(
      'parse "cache_object:foo/bar": first path segment in URL cannot contain colon',
    );
    expect(parseURL('cache_object/:foo/bar').path).toBe('cache_object/:foo/bar');
  });

  it('userinfo: characters outside RFC 3986 userinfo give "net/url: invalid userinfo"', () => {
    expect(errorOf(() => parseURL('http://user^:passwo^rd@foo.com/'))).toBe(
      'parse "http://user^:passwo^rd@foo.com/": net/url: invalid userinfo',
    );
  });

  it('ParseRequestURI: the empty string is "empty url"', () => {
    expect(errorOf(() => parseRequestURI(''))).toBe('parse "": empty url');
    expect(parseURL('').toString()).toBe('');
  });

  it('Parse: the error names the URL without its fragment, unless the fragment is at fault', () => {
    expect(errorOf(() => parseURL('http://a b.com/#frag'))).toBe(
      'parse "http://a b.com/": invalid character " " in host name',
    );
    expect(errorOf(() => parseURL('http://x/#%zz'))).toBe('parse "http://x/#%zz": invalid URL escape "%zz"');
  });

  it('host: %-encoding is only for non-ASCII bytes (url_test TestParseErrors)', () => {
    expect(errorOf(() => parseURL('http://%41:8080/'))).toBe('parse "http://%41:8080/": invalid URL escape "%41"');
    expect(errorOf(() => parseURL('http://192.168.0.%31/'))).toBe(
      'parse "http://192.168.0.%31/": invalid URL escape "%31"',
    );
  });

  it('strconv.Quote: quotes, backslashes, non-printable runes', () => {
    expect(goStrconvQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goStrconvQuote('\x00\x07\t\u00a0☺')).toBe('"\\x00\\a\\t\\u00a0☺"');
  });
});

describe('gourl: Go 1.26 host rules', () => {
  it('strict colons: an http(s) host with a second colon is an invalid port (urlstrictcolons default)', () => {
    expect(errorOf(() => parseURL('http://::1/'))).toBe('parse "http://::1/": invalid port "::1" after host');
    expect(errorOf(() => parseURL('http://2b01:e34:ef40:7730:8e70:5aff:fefe:edac:8080/foo'))).toBe(
      'parse "http://2b01:e34:ef40:7730:8e70:5aff:fefe:edac:8080/foo": invalid port ":e34:ef40:7730:8e70:5aff:fefe:edac:8080" after host',
    );
    expect(errorOf(() => parseURL('https://localhost:80:80/'))).toBe(
      'parse "https://localhost:80:80/": invalid port ":80:80" after host',
    );
  });

  it('strict colons apply only to http and https: other schemes take the last colon as the port', () => {
    expect(parseURL('mongodb://a:1,b:2/db').host).toBe('a:1,b:2');
  });

  it('brackets: only an IPv6 address may be bracketed', () => {
    expect(errorOf(() => parseURL('http://[1.2.3.4]/'))).toBe('parse "http://[1.2.3.4]/": invalid IP-literal');
    expect(errorOf(() => parseURL('http://[google.com]/'))).toBe(
      'parse "http://[google.com]/": invalid host: ParseAddr("google.com"): unexpected character (at "google.com")',
    );
    expect(errorOf(() => parseURL('http://[localhost]/'))).toBe(
      'parse "http://[localhost]/": invalid host: ParseAddr("localhost"): unable to parse IP',
    );
    expect(errorOf(() => parseURL('http://x[::1]/'))).toBe('parse "http://x[::1]/": invalid IP-literal');
    expect(errorOf(() => parseURL('http://[::1/'))).toBe('parse "http://[::1/": missing \']\' in host');
    expect(errorOf(() => parseURL('http://[::1]a'))).toBe('parse "http://[::1]a": invalid port "a" after host');
    expect(errorOf(() => parseURL('http://[1:2:3]/'))).toBe(
      'parse "http://[1:2:3]/": invalid host: ParseAddr("1:2:3"): address string too short',
    );
  });

  it('brackets: zone identifiers follow RFC 6874 (%25 then anything valid in a host)', () => {
    const u = parseURL('http://[fe80::1%25%65%6e%301-._~]:8080/');
    expect(u.host).toBe('[fe80::1%en01-._~]:8080');
    expect(u.toString()).toBe('http://[fe80::1%25en01-._~]:8080/');
    expect(errorOf(() => parseURL('http://[fe80::1%en0]/'))).toBe('parse "http://[fe80::1%en0]/": invalid URL escape "%en"');
    const win = parseURL('tcp://[2020::2020:20:2020:2020%25Windows%20Loves%20Spaces]:2020');
    expect(win.host).toBe('[2020::2020:20:2020:2020%Windows Loves Spaces]:2020');
    expect(win.toString()).toBe('tcp://[2020::2020:20:2020:2020%25Windows%20Loves%20Spaces]:2020');
  });
});

describe('gourl: Parse accepts and refuses like url_test TestParseErrors', () => {
  const cases: Array<[string, boolean]> = [
    ['http://[::1]', false],
    ['http://[::1]:80', false],
    ['http://[::1]:namedport', true],
    ['http://x:namedport', true],
    ['http://[::1]/', false],
    ['http://[::1]a', true],
    ['http://[::1]%23', true],
    ['http://[::1%25en0]', false],
    ['http://[::1]:', false],
    ['http://x:', false],
    ['http://[::1]:%38%30', true],
    ['http://[::1%25%41]', false],
    ['http://[%10::1]', true],
    ['http://[::1]/%48', false],
    ['http://%41:8080/', true],
    ['mysql://x@y(z:123)/foo', true],
    ['mysql://x@y(1.2.3.4:123)/foo', true],
    [' http://foo.com', true],
    ['ht tp://foo.com', true],
    ['ahttp://foo.com', false],
    ['1http://foo.com', true],
    ['http://[]%20%48%54%54%50%2f%31%2e%31%0a%4d%79%48%65%61%64%65%72%3a%20%31%32%33%0a%0a/', true],
    ['http://a b.com/', true],
    ['cache_object://foo', true],
    ['cache_object:foo', true],
    ['cache_object:foo/bar', true],
    ['cache_object/:foo/bar', false],
  ];
  for (const [input, wantErr] of cases) {
    it(`Parse(${JSON.stringify(input)}) ${wantErr ? 'fails' : 'succeeds'}`, () => {
      if (wantErr) expect(() => parseURL(input)).toThrow(GoURLError);
      else expect(() => parseURL(input)).not.toThrow();
    });
  }
});

describe('gourl: ParseRequestURI accepts absolute URLs and absolute paths only (url_test parseRequestURLTests)', () => {
  const valid = [
    'http://foo.com',
    'http://foo.com/',
    'http://foo.com/path',
    '/',
    '//not.a.user@not.a.host/just/a/path',
    '//not.a.user@%66%6f%6f.com/just/a/path/also',
    '*',
    'http://192.168.0.1/',
    'http://192.168.0.1:8080/',
    'http://[fe80::1]/',
    'http://[fe80::1]:8080/',
    'http://[fe80::1%25en0]/',
    'http://[fe80::1%25en0]:8080/',
    'http://[fe80::1%25%65%6e%301-._~]/',
    'http://[fe80::1%25%65%6e%301-._~]:8080/',
  ];
  const invalid = [
    'foo.html',
    '../dir/',
    ' http://foo.com',
    'http://192.168.0.%31/',
    'http://192.168.0.%31:8080/',
    'http://[fe80::%31]/',
    'http://[fe80::%31]:8080/',
    'http://[fe80::%31%25en0]/',
    'http://[fe80::%31%25en0]:8080/',
    'http://[fe80::1%en0]/',
    'http://[fe80::1%en0]:8080/',
  ];
  for (const v of valid) it(`accepts ${v}`, () => expect(() => parseRequestURI(v)).not.toThrow());
  for (const v of invalid) it(`refuses ${v}`, () => expect(() => parseRequestURI(v)).toThrow(GoURLError));

  it('a path that looks scheme-relative stays a path', () => {
    expect(parseRequestURI('//not.a.user@not.a.host/just/a/path').path).toBe('//not.a.user@not.a.host/just/a/path');
  });

  it('ParseRequestURI keeps a # in the path (no fragment handling)', () => {
    const u = parseRequestURI('http://x/a#b');
    expect(u.path).toBe('/a#b');
    expect(u.fragment).toBe('');
    expect(u.toString()).toBe('http://x/a%23b');
  });
});

describe('gourl: parsed fields and String() round trips (url_test urltests)', () => {
  interface Case {
    in: string;
    want: Partial<Record<'scheme' | 'opaque' | 'host' | 'path' | 'rawPath' | 'rawQuery' | 'fragment' | 'rawFragment', string>> & {
      forceQuery?: boolean;
      user?: { username: string; password: string; passwordSet: boolean };
    };
    out?: string;
  }
  const cases: Case[] = [
    { in: 'http://www.google.com', want: { scheme: 'http', host: 'www.google.com', path: '' } },
    { in: 'http://www.google.com/', want: { path: '/' } },
    {
      in: 'http://www.google.com/file%20one%26two',
      want: { path: '/file one&two', rawPath: '/file%20one%26two' },
    },
    {
      in: 'http://www.google.com/#file%20one%26two',
      want: { path: '/', fragment: 'file one&two', rawFragment: 'file%20one%26two' },
    },
    {
      in: 'ftp://webmaster@www.google.com/',
      want: { user: { username: 'webmaster', password: '', passwordSet: false } },
    },
    {
      in: 'ftp://john%20doe@www.google.com/',
      want: { user: { username: 'john doe', password: '', passwordSet: false } },
    },
    { in: 'http://www.google.com/?', want: { path: '/', forceQuery: true, rawQuery: '' } },
    { in: 'http://www.google.com/?foo=bar?', want: { rawQuery: 'foo=bar?', forceQuery: false } },
    { in: 'http://www.google.com/?q=go+language', want: { rawQuery: 'q=go+language' } },
    { in: 'http://www.google.com/?q=go%20language', want: { rawQuery: 'q=go%20language' } },
    { in: 'http://www.google.com/a%20b?q=c+d', want: { path: '/a b', rawPath: '', rawQuery: 'q=c+d' } },
    { in: 'http:www.google.com/?q=go+language', want: { scheme: 'http', opaque: 'www.google.com/', rawQuery: 'q=go+language' } },
    { in: 'http:%2f%2fwww.google.com/?q=go+language', want: { opaque: '%2f%2fwww.google.com/' } },
    // Go ≥1.19 remembers the empty authority (OmitHost), so this now round-trips unchanged.
    { in: 'mailto:/webmaster@golang.org', want: { scheme: 'mailto', path: '/webmaster@golang.org', host: '' } },
    { in: 'mailto:webmaster@golang.org', want: { opaque: 'webmaster@golang.org' } },
    { in: '/foo?query=http://bad', want: { path: '/foo', rawQuery: 'query=http://bad' } },
    { in: '//foo', want: { host: 'foo', scheme: '' } },
    {
      in: '//user@foo/path?a=b',
      want: { host: 'foo', path: '/path', rawQuery: 'a=b', user: { username: 'user', password: '', passwordSet: false } },
    },
    { in: '///threeslashes', want: { host: '', path: '///threeslashes' } },
    {
      in: 'http://user:password@google.com',
      want: { user: { username: 'user', password: 'password', passwordSet: true } },
    },
    {
      in: 'http://j@ne:password@google.com',
      want: { host: 'google.com', user: { username: 'j@ne', password: 'password', passwordSet: true } },
      out: 'http://j%40ne:password@google.com',
    },
    {
      in: 'http://jane:p@ssword@google.com',
      want: { user: { username: 'jane', password: 'p@ssword', passwordSet: true } },
      out: 'http://jane:p%40ssword@google.com',
    },
    {
      in: 'http://j@ne:password@google.com/p@th?q=@go',
      want: { path: '/p@th', rawQuery: 'q=@go' },
      out: 'http://j%40ne:password@google.com/p@th?q=@go',
    },
    { in: 'http://www.google.com/?q=go+language#foo', want: { fragment: 'foo' } },
    { in: 'http://www.google.com/?q=go+language#foo&bar', want: { fragment: 'foo&bar', rawFragment: '' } },
    { in: 'http://www.google.com/?q=go+language#foo%26bar', want: { fragment: 'foo&bar', rawFragment: 'foo%26bar' } },
    { in: 'file:///home/adg/rabbits', want: { scheme: 'file', host: '', path: '/home/adg/rabbits' } },
    { in: 'file:///C:/FooBar/Baz.txt', want: { path: '/C:/FooBar/Baz.txt' } },
    { in: 'MaIlTo:webmaster@golang.org', want: { scheme: 'mailto' }, out: 'mailto:webmaster@golang.org' },
    { in: 'a/b/c', want: { path: 'a/b/c' } },
    {
      in: 'http://%3Fam:pa%3Fsword@google.com',
      want: { user: { username: '?am', password: 'pa?sword', passwordSet: true } },
    },
    { in: 'http://192.168.0.1:8080/', want: { host: '192.168.0.1:8080' } },
    { in: 'http://[fe80::1]:8080/', want: { host: '[fe80::1]:8080' } },
    { in: 'http://[fe80::1%25en0]/', want: { host: '[fe80::1%en0]' } },
    {
      in: 'http://rest.rsc.io/foo%2fbar/baz%2Fquux?alt=media',
      want: { path: '/foo/bar/baz/quux', rawPath: '/foo%2fbar/baz%2Fquux', rawQuery: 'alt=media' },
    },
    { in: 'mysql://a,b,c/bar', want: { host: 'a,b,c', path: '/bar' } },
    { in: "scheme://!$&'()*+,;=hello!:1/path", want: { host: "!$&'()*+,;=hello!:1" } },
    {
      in: "http://host/!$&'()*+,;=:@[hello]",
      want: { path: "/!$&'()*+,;=:@[hello]", rawPath: "/!$&'()*+,;=:@[hello]" },
    },
    { in: 'http://example.com/oid/[order_id]', want: { path: '/oid/[order_id]', rawPath: '/oid/[order_id]' } },
    { in: 'http://192.168.0.2:/foo', want: { host: '192.168.0.2:' } },
    { in: 'http://[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:/foo', want: { host: '[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:' } },
    { in: 'http://hello.世界.com/foo', want: { host: 'hello.世界.com' }, out: 'http://hello.%E4%B8%96%E7%95%8C.com/foo' },
    {
      in: 'http://hello.%e4%b8%96%e7%95%8c.com/foo',
      want: { host: 'hello.世界.com' },
      out: 'http://hello.%E4%B8%96%E7%95%8C.com/foo',
    },
    { in: 'http://example.com//foo', want: { path: '//foo' } },
    { in: 'myscheme://authority<"hi">/foo', want: { host: 'authority<"hi">' } },
    {
      in: 'magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn',
      want: { scheme: 'magnet', rawQuery: 'xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn' },
    },
    { in: 'mailto:?subject=hi', want: { scheme: 'mailto', rawQuery: 'subject=hi' } },
  ];
  for (const c of cases) {
    it(`Parse(${JSON.stringify(c.in)})`, () => {
      const u = parseURL(c.in);
      for (const [k, v] of Object.entries(c.want)) expect((u as unknown as Record<string, unknown>)[k], k).toEqual(v);
      expect(u.toString()).toBe(c.out ?? c.in);
    });
  }

  it('a path escape that decodes to invalid UTF-8 still serialises with the original escaping', () => {
    expect(parseURL('http://x/%e2%82').toString()).toBe('http://x/%e2%82');
    expect(parseURL('http://x/%FF').toString()).toBe('http://x/%FF');
    expect(parseURL('http://x/%ff/a').escapedPath()).toBe('/%ff/a');
  });
});

describe('gourl: String() of built URLs (url_test stringURLTests)', () => {
  it('a host with a relative path gets a slash', () => {
    expect(new GoURL({ scheme: 'http', host: 'www.google.com', path: 'search' }).toString()).toBe(
      'http://www.google.com/search',
    );
  });
  it('a relative path with a colon in its first segment gets ./', () => {
    expect(new GoURL({ path: 'this:that' }).toString()).toBe('./this:that');
    expect(new GoURL({ path: 'here/this:that' }).toString()).toBe('here/this:that');
    expect(new GoURL({ scheme: 'http', host: 'www.google.com', path: 'this:that' }).toString()).toBe(
      'http://www.google.com/this:that',
    );
  });
  it('changing a parsed field changes the output (rawQuery from encodeValues)', () => {
    const u = parseURL('https://api.example.com/v1/send?old=1');
    u.rawQuery = encodeValues([['text', 'a b&c']]);
    expect(u.toString()).toBe('https://api.example.com/v1/send?text=a+b%26c');
  });
});

describe('gourl: Redacted replaces a set password with xxxxx (url_test TestURLRedacted)', () => {
  it('non-blank password', () => {
    const u = new GoURL({
      scheme: 'http',
      host: 'host.tld',
      path: 'this:that',
      user: { username: 'user', password: 'password', passwordSet: true },
    });
    expect(u.redacted()).toBe('http://user:xxxxx@host.tld/this:that');
    expect(u.toString()).toBe('http://user:password@host.tld/this:that');
  });
  it('no password set', () => {
    const u = new GoURL({
      scheme: 'http',
      host: 'host.tld',
      path: 'this:that',
      user: { username: 'user', password: '', passwordSet: false },
    });
    expect(u.redacted()).toBe('http://user@host.tld/this:that');
  });
  it('empty user name with a password', () => {
    const u = new GoURL({
      scheme: 'http',
      host: 'host.tld',
      path: 'this:that',
      user: { username: '', password: 'password', passwordSet: true },
    });
    expect(u.redacted()).toBe('http://:xxxxx@host.tld/this:that');
  });
  it('no user, and the empty URL', () => {
    expect(new GoURL({ scheme: 'http', host: 'host.tld', path: 'this:that' }).redacted()).toBe('http://host.tld/this:that');
    expect(new GoURL().redacted()).toBe('');
  });
  it('parsed URL with credentials', () => {
    expect(parseURL('https://user:secret@host:8443/p?x=1').redacted()).toBe('https://user:xxxxx@host:8443/p?x=1');
  });
});

describe('gourl: RequestURI (url_test requritests)', () => {
  const cases: Array<[Partial<GoURL>, string]> = [
    [{ scheme: 'http', host: 'example.com', path: '' }, '/'],
    [{ scheme: 'http', host: 'example.com', path: '/a b' }, '/a%20b'],
    [{ scheme: 'http', host: 'example.com', opaque: '/%2F/%2F/' }, '/%2F/%2F/'],
    [{ scheme: 'http', host: 'example.com', opaque: '//other.example.com/%2F/%2F/' }, 'http://other.example.com/%2F/%2F/'],
    [{ scheme: 'http', host: 'example.com', path: '/////', rawPath: '/%2F/%2F/' }, '/%2F/%2F/'],
    [{ scheme: 'http', host: 'example.com', path: '/////', rawPath: '/WRONG/' }, '/////'],
    [{ scheme: 'http', host: 'example.com', path: '/a b', rawQuery: 'q=go+language' }, '/a%20b?q=go+language'],
    [{ scheme: 'http', host: 'example.com', path: '/a b', rawPath: '/a b', rawQuery: 'q=go+language' }, '/a%20b?q=go+language'],
    [{ scheme: 'http', host: 'example.com', path: '/a?b', rawPath: '/a?b', rawQuery: 'q=go+language' }, '/a%3Fb?q=go+language'],
    [{ scheme: 'myschema', opaque: 'opaque' }, 'opaque'],
    [{ scheme: 'myschema', opaque: 'opaque', rawQuery: 'q=go+language' }, 'opaque?q=go+language'],
    [{ scheme: 'http', host: 'example.com', path: '//foo' }, '//foo'],
    [{ scheme: 'http', host: 'example.com', path: '/foo', forceQuery: true }, '/foo?'],
  ];
  for (const [init, want] of cases) {
    it(`${JSON.stringify(init)} → ${want}`, () => expect(new GoURL(init).requestURI()).toBe(want));
  }
  it('the * request (issue 11202)', () => {
    expect(parseURL('*').requestURI()).toBe('*');
  });
});

describe('gourl: Hostname and Port (url_test TestURLHostnameAndPort)', () => {
  const cases: Array<[string, string, string]> = [
    ['foo.com:80', 'foo.com', '80'],
    ['foo.com', 'foo.com', ''],
    ['foo.com:', 'foo.com', ''],
    ['FOO.COM', 'FOO.COM', ''],
    ['1.2.3.4', '1.2.3.4', ''],
    ['1.2.3.4:80', '1.2.3.4', '80'],
    ['[1:2:3:4]', '1:2:3:4', ''],
    ['[1:2:3:4]:80', '1:2:3:4', '80'],
    ['[::1]:80', '::1', '80'],
    ['[::1]', '::1', ''],
    ['[::1]:', '::1', ''],
    ['localhost', 'localhost', ''],
    ['localhost:443', 'localhost', '443'],
    ['[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:17000', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '17000'],
    ['[google.com]:80', 'google.com', '80'],
    ['google.com]:80', 'google.com]', '80'],
    ['google.com:80_invalid_port', 'google.com:80_invalid_port', ''],
    ['[::1]extra]:80', '::1]extra', '80'],
    ['google.com]extra:extra', 'google.com]extra:extra', ''],
  ];
  for (const [host, name, port] of cases) {
    it(`Host ${host}`, () => {
      const u = new GoURL({ host });
      expect(u.hostname()).toBe(name);
      expect(u.port()).toBe(port);
    });
  }
});

describe('gourl: QueryEscape / PathEscape / unescape (url_test escape tests)', () => {
  it('QueryEscape: unreserved kept, space → +, rest %XX uppercase', () => {
    expect(queryEscape('')).toBe('');
    expect(queryEscape('abc')).toBe('abc');
    expect(queryEscape('one two')).toBe('one+two');
    expect(queryEscape('10%')).toBe('10%25');
    expect(queryEscape(' ?&=#+%!<>#"{}|\\^[]`☺\t:/@$\'()*,;')).toBe(
      '+%3F%26%3D%23%2B%25%21%3C%3E%23%22%7B%7D%7C%5C%5E%5B%5D%60%E2%98%BA%09%3A%2F%40%24%27%28%29%2A%2C%3B',
    );
    expect(queryEscape('Фотки собак')).toBe('%D0%A4%D0%BE%D1%82%D0%BA%D0%B8+%D1%81%D0%BE%D0%B1%D0%B0%D0%BA');
  });
  it('QueryEscape keeps ~ and escapes * (unlike URLSearchParams, providers §3.2)', () => {
    expect(queryEscape('~*')).toBe('~%2A');
  });
  it('PathEscape: escapes / ; , ? and space as %20, keeps + & = : @ $', () => {
    expect(pathEscape('abc+def')).toBe('abc+def');
    expect(pathEscape('a/b')).toBe('a%2Fb');
    expect(pathEscape('one two')).toBe('one%20two');
    expect(pathEscape('10%')).toBe('10%25');
    expect(pathEscape(' ?&=#+%!<>#"{}|\\^[]`☺\t:/@$\'()*,;')).toBe(
      '%20%3F&=%23+%25%21%3C%3E%23%22%7B%7D%7C%5C%5E%5B%5D%60%E2%98%BA%09:%2F@$%27%28%29%2A%2C%3B',
    );
  });
  it('QueryUnescape: + is a space, bad escapes report the first three bytes', () => {
    expect(queryUnescape('1%41%42%43')).toBe('1ABC');
    expect(queryUnescape('%4a')).toBe('J');
    expect(queryUnescape('a+b')).toBe('a b');
    expect(queryUnescape('a%20b')).toBe('a b');
    expect(() => queryUnescape('%')).toThrow('invalid URL escape "%"');
    expect(() => queryUnescape('123%45%6')).toThrow('invalid URL escape "%6"');
    expect(() => queryUnescape('%zzzzz')).toThrow('invalid URL escape "%zz"');
  });
  it('PathUnescape keeps +', () => {
    expect(pathUnescape('a+b%20c')).toBe('a+b c');
  });
});

describe('gourl: Values.Encode (url_test encodeQueryTests, providers §3.2)', () => {
  it('no values → empty string', () => expect(encodeValues([])).toBe(''));
  it('keys sorted', () => expect(encodeValues([['q', 'puppies'], ['oe', 'utf8']])).toBe('oe=utf8&q=puppies'));
  it('values of a key keep their order and are escaped', () =>
    expect(encodeValues([['q', 'dogs'], ['q', '&'], ['q', '7']])).toBe('q=dogs&q=%26&q=7'));
  it('several keys with several values', () => {
    const entries: Array<[string, string]> = [];
    for (const k of ['c', 'b', 'a']) for (const n of ['1', '2', '3']) entries.push([k, k + n]);
    expect(encodeValues(entries)).toBe('a=a1&a=a2&a=a3&b=b1&b=b2&b=b3&c=c1&c=c2&c=c3');
  });
  it('keys are sorted by UTF-8 bytes, not UTF-16 units', () => {
    // U+FF5E (EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in bytes, after it in UTF-16.
    expect(encodeValues([['😀', '1'], ['～', '2']])).toBe('%EF%BD%9E=2&%F0%9F%98%80=1');
  });
});

describe('gourl: ParseQuery / URL.Query (url_test parseTests)', () => {
  const cases: Array<[string, Array<[string, string]>, boolean]> = [
    ['a=1', [['a', '1']], true],
    ['a=1&b=2', [['a', '1'], ['b', '2']], true],
    ['a=1&a=2&a=banana', [['a', '1'], ['a', '2'], ['a', 'banana']], true],
    ['ascii=%3Ckey%3A+0x90%3E', [['ascii', '<key: 0x90>']], true],
    ['a=1;b=2', [], false],
    ['a;b=1', [], false],
    ['a=%3B', [['a', ';']], true],
    ['a%3Bb=1', [['a;b', '1']], true],
    ['a=1&a=2;a=banana', [['a', '1']], false],
    ['a;b&c=1', [['c', '1']], false],
    ['a=1&b=2;a=3&c=4', [['a', '1'], ['c', '4']], false],
    ['a=1&b=2;c=3', [['a', '1']], false],
    [';', [], false],
    ['a=1;', [], false],
    ['a=1&;', [['a', '1']], false],
    [';a=1&b=2', [['b', '2']], false],
    ['a=1&b=2;', [['a', '1']], false],
  ];
  for (const [q, values, ok] of cases) {
    it(`ParseQuery(${JSON.stringify(q)})`, () => {
      const r = parseQuery(q);
      expect(r.values).toEqual(values);
      expect(r.error === undefined).toBe(ok);
    });
  }
  it('the first escape error is reported (TestParseFailure)', () => {
    expect(parseQuery('%gh&%ij').error).toBe('invalid URL escape "%gh"');
  });
  it('URL.Query decodes the raw query, a key without = has an empty value', () => {
    expect(parseURL('http://x.com?foo=bar&bar=1&bar=2&baz').query()).toEqual([
      ['foo', 'bar'],
      ['bar', '1'],
      ['bar', '2'],
      ['baz', ''],
    ]);
  });
  it('more than 10000 parameters: nothing is parsed (GODEBUG urlmaxqueryparams default)', () => {
    const q = Array.from({ length: 10001 }, (_, i) => `k${i}=v`).join('&');
    expect(parseQuery(q)).toEqual({ values: [], error: 'number of URL query parameters exceeded limit' });
    expect(parseQuery(q.slice(0, q.lastIndexOf('&'))).values).toHaveLength(10000);
  });
});

describe('gourl: path.Clean and path.Join (path_test cleantests, jointests)', () => {
  const clean: Array<[string, string]> = [
    ['', '.'],
    ['abc', 'abc'],
    ['abc/def', 'abc/def'],
    ['a/b/c', 'a/b/c'],
    ['.', '.'],
    ['..', '..'],
    ['../..', '../..'],
    ['../../abc', '../../abc'],
    ['/abc', '/abc'],
    ['/', '/'],
    ['abc/', 'abc'],
    ['abc/def/', 'abc/def'],
    ['a/b/c/', 'a/b/c'],
    ['./', '.'],
    ['../', '..'],
    ['../../', '../..'],
    ['/abc/', '/abc'],
    ['abc//def//ghi', 'abc/def/ghi'],
    ['//abc', '/abc'],
    ['///abc', '/abc'],
    ['//abc//', '/abc'],
    ['abc//', 'abc'],
    ['abc/./def', 'abc/def'],
    ['/./abc/def', '/abc/def'],
    ['abc/.', 'abc'],
    ['abc/def/ghi/../jkl', 'abc/def/jkl'],
    ['abc/def/../ghi/../jkl', 'abc/jkl'],
    ['abc/def/..', 'abc'],
    ['abc/def/../..', '.'],
    ['/abc/def/../..', '/'],
    ['abc/def/../../..', '..'],
    ['/abc/def/../../..', '/'],
    ['abc/def/../../../ghi/jkl/../../../mno', '../../mno'],
    ['abc/./../def', 'def'],
    ['abc//./../def', 'def'],
    ['abc/../../././../def', '../../def'],
  ];
  for (const [input, want] of clean) {
    it(`Clean(${JSON.stringify(input)}) = ${JSON.stringify(want)}`, () => {
      expect(pathClean(input)).toBe(want);
      expect(pathClean(want)).toBe(want);
    });
  }
  const join: Array<[string[], string]> = [
    [[], ''],
    [[''], ''],
    [['a'], 'a'],
    [['a', 'b'], 'a/b'],
    [['a', ''], 'a'],
    [['', 'b'], 'b'],
    [['/', 'a'], '/a'],
    [['/', ''], '/'],
    [['a/', 'b'], 'a/b'],
    [['a/', ''], 'a'],
    [['', ''], ''],
  ];
  for (const [elems, want] of join) {
    it(`Join(${JSON.stringify(elems)}) = ${JSON.stringify(want)}`, () => expect(pathJoin(...elems)).toBe(want));
  }
  it('Join cleans .. and duplicate slashes of the joined result', () => {
    expect(pathJoin('/api/v4', '../v3', '//projects/')).toBe('/api/v3/projects');
  });
});

describe('gourl: URL.JoinPath', () => {
  it('joins, cleans and keeps a trailing slash', () => {
    expect(parseURL('https://host/a/').joinPath('b', 'c/').toString()).toBe('https://host/a/b/c/');
    expect(parseURL('https://host/a').joinPath('../x').toString()).toBe('https://host/x');
  });
});
