import { describe, expect, test } from 'vitest';
import { goDecodeFirst, goFormatAny, goInt64, goString, goUnmarshal, goUnmarshalObject, ptr, slice, struct } from '../../src/providers/godecode.js';
import { giteaShapes } from '../../src/providers/gitea-client.js';
import { shapes } from '../../src/providers/github-client.js';

const anyStruct = struct('x.T', 'T', { a: goString });

describe('godecode: Go syntax error texts (encoding/json scanner)', () => {
  const cases: Array<[string, string]> = [
    ['', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['{', 'unexpected end of JSON input'],
    ['{"a":"b', 'unexpected end of JSON input'],
    ['[1,', 'unexpected end of JSON input'],
    ['<html>', "invalid character '<' looking for beginning of value"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', 'invalid character \'"\' after object key:value pair'],
    ['[1 2]', "invalid character '2' after array element"],
    ['{1:2}', "invalid character '1' looking for beginning of object key string"],
    ['1x', "invalid character 'x' after top-level value"],
    ['{} {}', "invalid character '{' after top-level value"],
    ['"\u0001"', "invalid character '\\x01' in string literal"],
    ['"\\q"', "invalid character 'q' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['-x', "invalid character 'x' in numeric literal"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal"],
    ['1ex', "invalid character 'x' in exponent of numeric literal"],
    ['nul', "invalid character ' ' in literal null (expecting 'l')"],
    ['trUe', "invalid character 'U' in literal true (expecting 'u')"],
    ['-', "invalid character ' ' in numeric literal"],
    ["'a'", "invalid character '\\'' looking for beginning of value"],
  ];
  for (const [input, err] of cases) {
    test(`godecode: json.Unmarshal(${JSON.stringify(input)})`, () => {
      expect(goUnmarshal(input, anyStruct).error).toBe(err);
    });
  }
});

describe('godecode: json.Decoder reads the first value only (go-github Do)', () => {
  test('godecode: an empty body is io.EOF, ignored by go-github', () => {
    expect(goDecodeFirst('', shapes.repoStatuses)).toEqual({ value: null });
    expect(goDecodeFirst(' \n', shapes.user).error).toBeUndefined();
  });
  test('godecode: bytes after the first value are not read', () => {
    expect(goDecodeFirst('{"login":"a"} trailing', shapes.user)).toEqual({ value: { login: 'a', id: null } });
  });
  test('godecode: a truncated value is unexpected EOF', () => {
    expect(goDecodeFirst('[{"context":"a"', shapes.repoStatuses).error).toBe('unexpected EOF');
    expect(goDecodeFirst('tru', shapes.repoStatuses).error).toBe('unexpected EOF');
  });
});

describe('godecode: Go type error texts (UnmarshalTypeError)', () => {
  test('godecode: a field of the wrong type names the struct and field', () => {
    expect(goDecodeFirst('[{"context":5}]', shapes.repoStatuses).error).toBe(
      'json: cannot unmarshal number into Go struct field RepoStatus.context of type string',
    );
  });
  test('godecode: nested fields give the innermost struct and the full path', () => {
    expect(goDecodeFirst('[{"user":{"login":5}}]', shapes.issueComments).error).toBe(
      'json: cannot unmarshal number into Go struct field User.user.login of type string',
    );
  });
  test('godecode: a top-level kind mismatch names the Go type', () => {
    expect(goDecodeFirst('{"message":"x"}', shapes.repoStatuses).error).toBe('json: cannot unmarshal object into Go value of type []*github.RepoStatus');
    expect(goUnmarshal('["x"]', giteaShapes.statuses).error).toBe('json: cannot unmarshal string into Go value of type gitea.Status');
  });
  test('godecode: integers must fit int64 and have no fraction', () => {
    expect(goDecodeFirst('[{"id":1.5}]', shapes.issueComments).error).toBe('json: cannot unmarshal number 1.5 into Go struct field IssueComment.id of type int64');
    expect(goDecodeFirst('[{"id":"7"}]', shapes.issueComments).error).toBe('json: cannot unmarshal string into Go struct field IssueComment.id of type int64');
  });
  test('godecode: named string types print their name', () => {
    expect(goUnmarshal('[{"status":1}]', giteaShapes.statuses).error).toBe(
      'json: cannot unmarshal number into Go struct field Status.status of type gitea.StatusState',
    );
  });
  test('godecode: an anonymous struct has an empty name', () => {
    expect(goUnmarshal('{"version":1.18}', giteaShapes.version).error).toBe('json: cannot unmarshal number into Go struct field .version of type string');
  });
  test('godecode: the first type error is kept', () => {
    expect(goDecodeFirst('[{"context":5,"state":true}]', shapes.repoStatuses).error).toBe(
      'json: cannot unmarshal number into Go struct field RepoStatus.context of type string',
    );
  });
});

describe('godecode: values', () => {
  test('godecode: keys match case-insensitively, the last one wins', () => {
    expect(goUnmarshal('{"Login":"a","LOGIN":"b"}', giteaShapes.user).value).toEqual({ id: 0n, login: 'b' });
  });
  test('godecode: null leaves scalars and makes pointers nil', () => {
    expect(goUnmarshal('{"login":null}', giteaShapes.user).value).toEqual({ id: 0n, login: '' });
    expect(goDecodeFirst('{"login":null}', shapes.user).value).toEqual({ login: null, id: null });
    expect(goDecodeFirst('[null]', shapes.repoStatuses).value).toEqual([null]);
  });
  test('godecode: escapes and lone surrogates', () => {
    const s = struct('x.T', 'T', { a: goString, n: ptr(goInt64) });
    expect(goUnmarshal('{"a":"\\u003c\\ud83d\\ude00\\ud800x\\n","n":-9223372036854775808}', s).value).toEqual({ a: '<😀\ufffdx\n', n: -9223372036854775808n });
  });
  test('godecode: slices of pointers', () => {
    const s = slice(ptr(struct('x.T', 'T', { a: goString })), '[]*x.T');
    expect(goUnmarshal('[{"a":"1"},{"b":2}]', s).value).toEqual([{ a: '1' }, { a: '' }]);
  });
  test('godecode: map decoding for error bodies', () => {
    expect(goUnmarshalObject('{"message":"m","n":1e+06}').entries).toEqual([['message', 'm'], ['n', 1000000]]);
    expect(goUnmarshalObject('null').isNull).toBe(true);
    expect(goUnmarshalObject('[]').error).toBe('json: cannot unmarshal array into Go value of type map[string]interface {}');
  });
  test('godecode: %v of interface values', () => {
    expect(goFormatAny(1e6)).toBe('1e+06');
    expect(goFormatAny(42)).toBe('42');
    expect(goFormatAny(null)).toBe('<nil>');
    expect(goFormatAny(['a', true])).toBe('[a true]');
    expect(goFormatAny({ b: 1, a: 'x' })).toBe('map[a:x b:1]');
  });
});

test('godecode: %v switches to exponent form at 1e+06 and below 1e-04 (strconv g, shortest)', () => {
  expect(goFormatAny(123456)).toBe('123456');
  expect(goFormatAny(1234567)).toBe('1.234567e+06');
  expect(goFormatAny(0.0001)).toBe('0.0001');
  expect(goFormatAny(0.00001)).toBe('1e-05');
});
