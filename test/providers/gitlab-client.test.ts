// Go behaviour shared by the git-host notifiers (src/providers/gitlab-client.ts): encoding/json
// decoding errors (scanner.go / decode.go texts), strconv.ParseInt, net/http StatusText, and the
// gitlab client-go base URL / PathEscape (gitlab_test.go TestPathEscape, TestNewClient).

import { describe, expect, it } from 'vitest';
import { goDecode, gitlabPathEscape, goString, newGitLabClient } from '../../src/providers/gitlab-client.js';
import { goParseInt64 } from '../../src/providers/git-common.js';
const goParseInt = (s: string) => {
  const r = goParseInt64(s);
  return r.error !== undefined ? { error: r.error } : { value: r.value };
};
import { goStatusText } from '../../src/providers/gohttp.js';
import type { GoType } from '../../src/providers/gitlab-client.js';

const any: GoType = { kind: 'any' };
const err = (body: string, mode: 'unmarshal' | 'decoder' = 'unmarshal', t: GoType = any) => {
  const d = goDecode(body, t, mode);
  return d.ok ? 'ok' : d.error;
};

describe('go json: syntax errors (encoding/json scanner)', () => {
  it('go json: a character that cannot start a value', () => {
    expect(err('<html>')).toBe("invalid character '<' looking for beginning of value");
  });

  it('go json: object and array punctuation errors', () => {
    expect(err('{"a":1,}')).toBe("invalid character '}' looking for beginning of object key string");
    expect(err('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(err('{"a":1 "b":2}')).toBe(`invalid character '"' after object key:value pair`);
    expect(err('[1 2]')).toBe("invalid character '2' after array element");
  });

  it('go json: literal, number and string errors', () => {
    expect(err('trux')).toBe("invalid character 'x' in literal true (expecting 'e')");
    expect(err('-a')).toBe("invalid character 'a' in numeric literal");
    expect(err('1.e')).toBe("invalid character 'e' after decimal point in numeric literal");
    expect(err('"a\u0001"')).toBe("invalid character '\\x01' in string literal");
    expect(err('"\\q"')).toBe("invalid character 'q' in string escape code");
    expect(err("'x'")).toBe("invalid character '\\'' looking for beginning of value");
  });

  it('go json: Unmarshal needs the whole input to be one value; the Decoder reads the first', () => {
    expect(err('[] x')).toBe("invalid character 'x' after top-level value");
    expect(err('[] x', 'decoder')).toBe('ok');
  });

  it('go json: truncated and empty input differ between Unmarshal and the Decoder', () => {
    expect(err('')).toBe('unexpected end of JSON input');
    expect(err('  ', 'decoder')).toBe('EOF');
    expect(err('[1,', 'decoder')).toBe('unexpected EOF');
    expect(err('[1,')).toBe('unexpected end of JSON input');
  });
});

describe('go json: type errors (encoding/json decode)', () => {
  const note: GoType = {
    kind: 'slice',
    go: '[]*gitlab.Note',
    ptrElem: true,
    elem: { kind: 'struct', go: 'gitlab.Note', fields: { author: { kind: 'struct', go: 'gitlab.NoteAuthor', fields: { username: goString } } } },
  };

  it('go json: a top-level mismatch names the Go value type', () => {
    expect(err('{}', 'decoder', note)).toBe('json: cannot unmarshal object into Go value of type []*gitlab.Note');
  });

  it('go json: a field mismatch names the innermost struct and the field path', () => {
    expect(err('[{"author":{"username":5}}]', 'decoder', note)).toBe(
      'json: cannot unmarshal number into Go struct field NoteAuthor.author.username of type string',
    );
  });

  it('go json: keys match fields case-insensitively; absent value fields are zero', () => {
    const d = goDecode('[{"AUTHOR":{"UserName":"bot"}},{}]', note, 'decoder');
    expect(d).toEqual({ ok: true, value: [{ author: { username: 'bot' } }, { author: { username: '' } }] });
  });
});

describe('go strconv and net/http helpers', () => {
  it('strconv.ParseInt: decimal with optional sign, 64-bit range', () => {
    expect(goParseInt('42')).toEqual({ value: 42n });
    expect(goParseInt('-7')).toEqual({ value: -7n });
    expect(goParseInt('1_000')).toEqual({ error: 'strconv.ParseInt: parsing "1_000": invalid syntax' });
    expect(goParseInt('')).toEqual({ error: 'strconv.ParseInt: parsing "": invalid syntax' });
    expect(goParseInt('-9223372036854775809')).toEqual({
      error: 'strconv.ParseInt: parsing "-9223372036854775809": value out of range',
    });
  });

  it('http.StatusText: standard texts, empty for unknown codes', () => {
    expect(goStatusText(400)).toBe('Bad Request');
    expect(goStatusText(418)).toBe("I'm a teapot");
    expect(goStatusText(599)).toBe('');
  });
});

describe('gitlab client-go: base URL and PathEscape', () => {
  it('gitlab: PathEscape escapes / and . (TestPathEscape)', () => {
    expect(gitlabPathEscape('diaspora/diaspora')).toBe('diaspora%2Fdiaspora');
    expect(gitlabPathEscape('a.b/c')).toBe('a%2Eb%2Fc');
  });

  it('gitlab: the base URL gains a trailing slash and api/v4/', () => {
    expect(newGitLabClient('https://gitlab.com', 't').base.toString()).toBe('https://gitlab.com/api/v4/');
    expect(newGitLabClient('https://custom.gitlab.com/api/v4', 't').base.toString()).toBe('https://custom.gitlab.com/api/v4/');
  });
});
