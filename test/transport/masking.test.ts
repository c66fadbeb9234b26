import { describe, expect, it } from 'vitest';
import {
  MASK,
  MaskTokenError,
  controllerErrorText,
  goQuoteMeta,
  goTrimSpace,
  maskSecrets,
  maskTokenFromString,
  secretsOf,
} from '../../src/transport/masking.js';

// Cases of fluxcd/pkg masktoken/masktoken_test.go :: Test_MaskTokenFromError. The Go raw strings
// are written with String.raw so the backslashes are the same characters.
describe('masktoken (fluxcd/pkg masktoken, spec §6.6)', () => {
  it('masktoken: no token in the text leaves it unchanged (upstream "no token")', () => {
    expect(maskTokenFromString('Cannot post to github', '8h0387hdyehbwwa45')).toBe('Cannot post to github');
  });

  it('masktoken: an empty token leaves the text unchanged (upstream "empty token")', () => {
    expect(maskTokenFromString('Cannot post to github', '')).toBe('Cannot post to github');
  });

  it('masktoken: the exact token is replaced by ***** (upstream "exact token")', () => {
    expect(maskTokenFromString('Cannot post to github with token 8h0387hdyehbwwa45', '8h0387hdyehbwwa45')).toBe(
      'Cannot post to github with token *****',
    );
  });

  it('masktoken: text after the token is kept (upstream "non-exact token")', () => {
    expect(
      maskTokenFromString(String.raw`Cannot post to github with token 8h0387hdyehbwwa45\\n`, '8h0387hdyehbwwa45'),
    ).toBe(String.raw`Cannot post to github with token *****\\n`);
  });

  it('masktoken: text in front of the token is kept (upstream "extra text in front token")', () => {
    expect(
      maskTokenFromString(String.raw`Cannot post to github with token metoo8h0387hdyehbwwa45\\n`, '8h0387hdyehbwwa45'),
    ).toBe(String.raw`Cannot post to github with token metoo*****\\n`);
  });

  it('masktoken: a multi-byte last character is handled as one code point (upstream, token ending in 踙)', () => {
    expect(
      maskTokenFromString(String.raw`Cannot post to github with token metoo8h0387hdyehbwwa45踙\\n`, '8h0387hdyehbwwa45踙'),
    ).toBe(String.raw`Cannot post to github with token metoo*****\\n`);
  });

  it('§8.42 masktoken: the * binds to the last character, swallowing repeated backslashes (upstream "unescaped token")', () => {
    expect(
      maskTokenFromString(String.raw`Cannot post to github with token metoo8h0387hdyehbwwa45\\\n`, '8h0387hdyehbwwa45\\'),
    ).toBe('Cannot post to github with token metoo*****n');
  });

  it('masktoken: regexp metacharacters in the token are quoted (upstream "invalid chars")', () => {
    expect(maskTokenFromString('Cannot post to github', '8h0387hdyehbwwa45(?!\\/)')).toBe('Cannot post to github');
    expect(maskTokenFromString('x a.b(c) y', 'a.b(c)')).toBe('x ***** y');
    expect(maskTokenFromString('x aXb(c) y', 'a.b(c)')).toBe('x aXb(c) y');
  });

  it('§8.42 masktoken: a non-UTF-8 token cannot be compiled (upstream "return error on invalid UTF-8 string")', () => {
    const token = Uint8Array.from([0x18, 0xd0, 0xfa, 0xab, 0xb2, 0x93, 0xbb, 0x3b, 0xc0, 0x6c, 0xf4, 0xdc]);
    expect(() => maskTokenFromString('Cannot post to github with token x', token)).toThrow(MaskTokenError);
    // Go's regexp/syntax error: "error parsing regexp: invalid UTF-8: `<pattern from the bad byte>`".
    expect(() => maskTokenFromString('x', token)).toThrow(/^error parsing regexp: invalid UTF-8: `/);
  });

  it('§8.42 masktoken: the compile error replaces the original error text (spec §6.6)', () => {
    const token = Uint8Array.from([0x61, 0xff, 0x62]);
    const out = controllerErrorText('postMessage failed: boom', token);
    expect(out.startsWith('error parsing regexp: invalid UTF-8: `')).toBe(true);
    expect(out).not.toContain('postMessage failed');
  });

  it('§8.42 masktoken: the token minus its last character is masked too (spec §6.6)', () => {
    expect(maskTokenFromString('a secre b', 'secret')).toBe('a ***** b');
  });

  it('§8.42 masktoken: repeats of the last character are swallowed (spec §6.6)', () => {
    expect(maskTokenFromString('a secrettt b', 'secret')).toBe('a ***** b');
  });

  it('masktoken: a multi-byte last character repeats as a whole code point (spec §6.6)', () => {
    expect(maskTokenFromString('[ab😀😀😀] [ab] [ab😀x]', 'ab😀')).toBe('[*****] [*****] [*****x]');
  });

  it('masktoken: a one-character token matches the empty string between characters, as Go ReplaceAllString does', () => {
    // Go regexp replace tests: "a*" on "baaac" with "x" gives "xbxcx" (no empty match right after a match).
    expect(maskTokenFromString('baaac', 'a')).toBe('*****b*****c*****');
  });

  it('masktoken: the controller masks the trimmed token (spec §6.2)', () => {
    expect(controllerErrorText('failed: tok123 rejected', '  tok123\n')).toBe('failed: ***** rejected');
    expect(controllerErrorText('failed: tok123', undefined)).toBe('failed: tok123');
  });

  it('masktoken: QuoteMeta escapes exactly Go\'s special characters', () => {
    expect(goQuoteMeta('a\\.+*?()|[]{}^$b-/#')).toBe('a\\\\\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$b-/#');
  });

  it('masktoken: TrimSpace follows Go (U+0085 trimmed, U+FEFF kept)', () => {
    expect(goTrimSpace('\u0085 x \t')).toBe('x');
    expect(goTrimSpace('\ufeffx')).toBe('\ufeffx');
  });
});

describe('maskSecrets (display masking)', () => {
  it('display masking: every occurrence of every secret is replaced', () => {
    expect(maskSecrets('tok tok pw tok', ['tok', 'pw'])).toBe('***** ***** ***** *****');
  });

  it('display masking: a longer secret containing a shorter one is masked whole', () => {
    expect(maskSecrets('key=abcdef', ['abc', 'abcdef'])).toBe(`key=${MASK}`);
  });

  it('display masking: empty secrets are ignored', () => {
    expect(maskSecrets('abc', ['', 'zzz'])).toBe('abc');
  });

  it('display masking: URL user-info passwords are masked even when not listed', () => {
    expect(maskSecrets('POST https://bob:s3cr%40t@hooks.example/x failed', [])).toBe(
      'POST https://bob:*****@hooks.example/x failed',
    );
    expect(maskSecrets('via socks5://u:p@127.0.0.1:1080 and http://h/x', [])).toBe('via socks5://u:*****@127.0.0.1:1080 and http://h/x');
  });

  it('display masking: Go\'s own redaction markers (xxxxx, ***) are left as the controller wrote them', () => {
    expect(maskSecrets('POST https://bob:xxxxx@h/x giving up: Post "https://bob:***@h/x": EOF', [])).toBe(
      'POST https://bob:xxxxx@h/x giving up: Post "https://bob:***@h/x": EOF',
    );
  });

  it('display masking: secretsOf lists token, password, its Basic form, URL passwords, key and credential headers', () => {
    const s = secretsOf({
      token: ' t0k ',
      username: 'user',
      password: 'password',
      url: 'https://a:b%21@h/',
      proxyURL: 'http://p:q@proxy:3128',
      tls: { key: '-----BEGIN PRIVATE KEY-----x' },
      headers: { 'X-Api-Key': 'k1', 'Content-Type': 'application/json' },
    });
    expect(s).toEqual(
      expect.arrayContaining([' t0k ', 't0k', 'password', 'dXNlcjpwYXNzd29yZA==', 'b%21', 'b!', 'q', '-----BEGIN PRIVATE KEY-----x', 'k1']),
    );
    expect(s).not.toContain('application/json');
  });

  it('display masking: the token in Basic auth (Azure DevOps ":" + PAT, Bitbucket "user:app-password", username + token) is listed encoded', () => {
    const s = secretsOf({ token: 'pat', username: 'bot' });
    const b64 = (v: string) => Buffer.from(v).toString('base64');
    expect(s).toEqual(expect.arrayContaining([b64(':pat'), b64('pat'), b64('bot:pat')]));
  });
});

