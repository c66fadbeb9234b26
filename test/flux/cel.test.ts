// CEL environment of commitStatusExpr (spec §6.8). Expected values come from fluxcd/pkg
// runtime/cel/expression_test.go (v0.110.0), cel-go v0.27.0 tests and docs (cel/cel_test.go
// TestOptionalValuesEval, ext/sets_test.go, ext/encoders_test.go, ext/README.md), and cel-go's
// checker rules; cel-go-only inputs (variables x, y, m) are rewritten with literals or `event`.

import { describe, expect, it } from 'vitest';
import { CelCompileError, compileStringExpression } from '../../src/flux/cel.js';

const vars = {
  event: {
    involvedObject: { kind: 'Kustomization', namespace: 'flux-system', name: 'gitops-system' },
    metadata: { revision: 'main@sha1:abc123', environment: 'production' },
    severity: 'info',
  },
  provider: { metadata: { name: 'gh', namespace: 'flux-system', uid: 'AKS2J23-DAFLSDD-123J5LS', generation: 3 } },
  alert: { metadata: { name: 'test-alert' } },
};

const run = (expr: string) => compileStringExpression(expr).evaluate(vars);
const value = (expr: string) => {
  const r = run(expr);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const evalError = (expr: string) => {
  const r = run(expr);
  if (r.ok) throw new Error(`evaluated to ${String(r.value)}`);
  return r.error;
};
const compileError = (expr: string): string => {
  try {
    compileStringExpression(expr);
  } catch (e) {
    expect(e).toBeInstanceOf(CelCompileError);
    return (e as Error).message;
  }
  throw new Error(`'${expr}' compiled`);
};
/** A boolean expression turned into the string the commitStatusExpr rule requires. */
const truth = (expr: string) => value(`(${expr}) ? 'true' : 'false'`);

describe('§6.8 CEL static output type (fluxcd/pkg WithOutputType(string), cel-go checker)', () => {
  it('§6.8 CEL output type: a bare struct field is dyn and rejected (TestNewExpression)', () => {
    expect(compileError('event.involvedObject.name')).toBe('CEL expression output type mismatch: expected string, got dyn');
  });

  it('§6.8 CEL output type: non-string results name the cel-go type', () => {
    expect(compileError("event.involvedObject.kind == 'Kustomization'")).toBe('CEL expression output type mismatch: expected string, got bool');
    expect(compileError('event')).toBe('CEL expression output type mismatch: expected string, got map(string, dyn)');
    expect(compileError("base64.decode('aGVsbG8=')")).toBe('CEL expression output type mismatch: expected string, got bytes');
    expect(compileError('sets.contains([1], [1])')).toBe('CEL expression output type mismatch: expected string, got bool');
    expect(compileError("['a'].first()")).toBe('CEL expression output type mismatch: expected string, got optional_type(string)');
    expect(compileError('event.metadata.?revision')).toBe('CEL expression output type mismatch: expected string, got optional_type(dyn)');
    expect(compileError('[1, 2]')).toBe('CEL expression output type mismatch: expected string, got list(int)');
    expect(compileError("timestamp('2024-01-01T00:00:00Z')")).toBe('CEL expression output type mismatch: expected string, got google.protobuf.Timestamp');
  });

  it('§6.8 CEL output type: `first()` without `.value()` is an optional, rejected when compiled with an output type', () => {
    // fluxcd/pkg "error without value method" fails at evaluation without WithOutputType; NC compiles with it
    expect(compileError("provider.metadata.uid.split('-').first()")).toBe('CEL expression output type mismatch: expected string, got optional_type(string)');
  });

  it('§6.8 CEL output type: .orValue(<string>) on optional(dyn) is dyn, on optional(string) it is string', () => {
    expect(compileError("event.metadata.?revision.orValue('none')")).toBe('CEL expression output type mismatch: expected string, got dyn');
    expect(value("optional.of('a').orValue('b')")).toBe('a');
    expect(value("event.metadata.?revision.orValue('none') + ''")).toBe('main@sha1:abc123');
  });

  it('§6.8 CEL output type: .value() of optional(T) is T', () => {
    expect(value("['x', 'y'].last().value()")).toBe('y');
    expect(compileError('event.metadata.?revision.value()')).toBe('CEL expression output type mismatch: expected string, got dyn');
  });

  it('§6.8 CEL output type: base64.encode gives string', () => {
    expect(value("base64.encode(b'hello')")).toBe('aGVsbG8=');
  });
});

describe('§6.8 CEL compile errors (cel-go parser and checker texts)', () => {
  it('§6.8 CEL syntax: a dangling dot (TestNewExpression "invalid expression")', () => {
    expect(compileError('event.')).toBe("failed to parse the CEL expression 'event.': ERROR: <input>:1:7: Syntax error: no viable alternative at input '.'\n | event.\n | ......^");
  });

  it('§6.8 CEL undeclared variable: compile error with position and caret', () => {
    expect(compileError("kustomization.name + ''")).toBe(
      "failed to parse the CEL expression 'kustomization.name + ''': ERROR: <input>:1:1: undeclared reference to 'kustomization' (in container '')\n | kustomization.name + ''\n | ^",
    );
  });

  it('§6.8 CEL type error: a Struct variable compared to a string (TestNewExpression "compilation detects type errors")', () => {
    expect(compileError("event == 'bar' ? 'a' : 'b'")).toContain("ERROR: <input>:1:7: found no matching overload for '_==_' applied to '(map(string, dyn), string)'");
  });

  it('§6.8 CEL type error: no cross-type equality, only cross-type ordering', () => {
    expect(compileError("1 == 1.0 ? 'a' : 'b'")).toContain("found no matching overload for '_==_' applied to '(int, double)'");
    expect(value("1 < 1.5 ? 'a' : 'b'")).toBe('a');
  });

  it('§6.8 CEL type error: wrong receiver argument types name the receiver', () => {
    expect(compileError("'a'.lowerAscii(1)")).toContain("ERROR: <input>:1:15: found no matching overload for 'lowerAscii' applied to 'string.(int)'");
    expect(compileError("'a' + 1")).toContain("ERROR: <input>:1:5: found no matching overload for '_+_' applied to '(string, int)'");
  });

  it('§6.8 CEL homogeneous aggregate literals: mixed element types are rejected, format() arguments are exempt', () => {
    expect(compileError("[event.involvedObject.name, 'x'].join('/')")).toBe(
      "failed to parse the CEL expression '[event.involvedObject.name, 'x'].join('/')': ERROR: <input>:1:29: expected type 'dyn' but found 'string'\n | [event.involvedObject.name, 'x'].join('/')\n | ............................^",
    );
    expect(value("[event.involvedObject.kind, event.involvedObject.name].join('/')")).toBe('Kustomization/gitops-system');
    expect(value("'%s/%s'.format([event.involvedObject.name, 'x'])")).toBe('gitops-system/x');
  });

  it('§6.8 CEL macros: has() needs a field selection; iteration variables must be names', () => {
    expect(compileError("has(event) ? 'a' : 'b'")).toContain('ERROR: <input>:1:5: invalid argument to has() macro');
    expect(compileError("[1].all(1, true) ? 'a' : 'b'")).toContain('ERROR: <input>:1:9: argument must be a simple name');
  });

  it('§6.8 CEL literals: invalid escapes and int overflow are parse errors', () => {
    expect(compileError("'\\q'")).toContain("ERROR: <input>:1:1: Syntax error: token recognition error at: ''\\q'");
    expect(compileError("string(9223372036854775808)")).toContain('ERROR: <input>:1:8: invalid int literal');
  });

  it('§6.8 CEL reserved identifiers are rejected as variables', () => {
    expect(compileError("if + ''")).toContain('ERROR: <input>:1:1: reserved identifier: if');
  });
});

describe('§6.8 CEL evaluation (fluxcd/pkg TestExpression_EvaluateString)', () => {
  it('§6.8 CEL: concatenation of event, provider and alert fields', () => {
    expect(value("event.involvedObject.kind + '/' + event.involvedObject.name + '/' + event.metadata.environment + '/' + alert.metadata.name")).toBe(
      'Kustomization/gitops-system/production/test-alert',
    );
  });

  it('§6.8 CEL: split, index and lowerAscii', () => {
    expect(value("event.involvedObject.name + '/' + provider.metadata.uid.split('-')[0].lowerAscii()")).toBe('gitops-system/aks2j23');
  });

  it('§6.8 CEL optional: split(...).first().value() and .last().value()', () => {
    expect(value("provider.metadata.uid.split('-').first().value().lowerAscii()")).toBe('aks2j23');
    expect(value("'hello-world-testing-123'.split('-').last().value()")).toBe('123');
  });

  it('§6.8 CEL: a missing map key is an evaluation error (no such key)', () => {
    expect(evalError("event.metadata.notfound + ''")).toBe("failed to evaluate the CEL expression 'event.metadata.notfound + ''': no such key: notfound");
  });

  it('§6.8 CEL: integers of the object maps are ints (Kubernetes unstructured int64)', () => {
    expect(value('string(provider.metadata.generation + 1)')).toBe('4');
  });
});

describe('§6.8 CEL optional types (cel-go cel.OptionalTypes)', () => {
  it('§6.8 CEL optional: event.metadata.?revision.orValue(...) on a missing key gives the default', () => {
    expect(value("event.metadata.?nope.orValue('default value') + ''")).toBe('default value');
    expect(value("event.metadata[?'nope'].orValue('default value') + ''")).toBe('default value');
    expect(value("event.metadata[?'revision'].orValue('default value') + ''")).toBe('main@sha1:abc123');
  });

  it('§6.8 CEL optional: .? on a missing key or a non-map gives optional.none(), and none propagates', () => {
    expect(truth('{}.?invalid == optional.none()')).toBe('true');
    expect(truth("{'null_field': dyn(null)}.?null_field == optional.of(null)")).toBe('true');
    expect(truth("{'null_field': dyn(null)}.?null_field.?nested == optional.none()")).toBe('true');
    expect(truth("{'zero_field': dyn(0)}.?zero_field.?invalid == optional.none()")).toBe('true');
    expect(truth('{0: dyn(0)}[?0].?invalid == optional.none()')).toBe('true');
    expect(truth('{true: dyn(0)}[?false].?invalid == optional.none()')).toBe('true');
  });

  it('§6.8 CEL optional: a plain selection after .? is presence-tested too', () => {
    expect(value("event.?missing.x.orValue('d') + ''")).toBe('d');
    expect(value("event.?involvedObject.missing.orValue('d') + ''")).toBe('d');
    expect(value("event.?involvedObject.kind.orValue('d') + ''")).toBe('Kustomization');
    // m.?c.missing.or(m.?c['dashed-index']).orValue('').size() == 7
    expect(value("string({'c': {'dashed-index': 'goodbye'}}.?c.missing.or({'c': {'dashed-index': 'goodbye'}}.?c['dashed-index']).orValue('').size())")).toBe('7');
  });

  it('§6.8 CEL optional: has() on optional chains', () => {
    expect(truth("has({'foo': optional.none()}.foo)")).toBe('true');
    expect(truth("has({'foo': optional.none()}.foo.value)")).toBe('false');
    expect(truth("has({?'foo': optional.none()}.foo)")).toBe('false');
    expect(evalError("has({?'foo': optional.none()}.foo.value) ? 'a' : 'b'")).toMatch(/: no such key: foo$/);
    expect(truth('has(event.?metadata.revision)')).toBe('true');
  });

  it('§6.8 CEL optional: .value() on none is an error (optional.none() dereference)', () => {
    expect(evalError("optional.none().value() + ''")).toBe("failed to evaluate the CEL expression 'optional.none().value() + ''': optional.none() dereference");
    expect(evalError("[].first().value() + ''")).toMatch(/: optional\.none\(\) dereference$/);
  });

  it('§6.8 CEL optional: or/orValue pick the first value and do not evaluate the rest', () => {
    expect(truth('optional.none().or(optional.none()).orValue(42) == 42')).toBe('true');
    expect(truth('optional.ofNonZeroValue(42).or(optional.of(10)).value() == 42')).toBe('true');
    expect(value("optional.of('k').orValue(string(1/0))")).toBe('k');
    expect(evalError("optional.none().orValue(string(1/0))")).toMatch(/: division by zero$/);
  });

  it('§6.8 CEL optional: ofNonZeroValue, first/last, unwrap', () => {
    expect(value("optional.ofNonZeroValue('').orValue('empty')")).toBe('empty');
    expect(truth('[].first() == optional.none()')).toBe('true');
    expect(truth("['a','b','c'].first() == optional.of('a')")).toBe('true');
    expect(truth('[1, 2, 3].last() == optional.of(3)')).toBe('true');
    expect(truth('optional.unwrap([optional.none(), optional.none()]) == []')).toBe('true');
    expect(truth('[optional.of(42), optional.none(), optional.of(43)].unwrapOpt() == [42, 43]')).toBe('true');
    expect(truth('type(optional.none()) == optional_type')).toBe('true');
  });

  it('§6.8 CEL optional: optMap and optFlatMap macros', () => {
    expect(value("event.metadata.?revision.optMap(r, r.upperAscii()).orValue('none')")).toBe('MAIN@SHA1:ABC123');
    expect(truth('optional.none().optMap(i, i * 2) == optional.none()')).toBe('true');
    expect(truth("{'key': {}}.?key.optFlatMap(k, k.?subkey) == optional.none()")).toBe('true');
    expect(truth("{'key': {'subkey': 'subvalue'}}.?key.optFlatMap(k, k.?subkey) == optional.of('subvalue')")).toBe('true');
    expect(truth("{'key': {'subkey': ''}}.?key.optFlatMap(k, optional.ofNonZeroValue(k.subkey)) == optional.none()")).toBe('true');
    expect(compileError("optional.none().optMap(y.z, y.z + 1) + ''")).toContain('optMap() variable name must be a simple identifier');
  });

  it('§6.8 CEL optional: optional list elements and map entries are skipped when empty', () => {
    expect(value("[?event.metadata.?revision, ?event.metadata.?nope, ?optional.none()].join(',')")).toBe('main@sha1:abc123');
    expect(truth("{?'nested_map': optional.ofNonZeroValue(dyn({?'map': {}.?c})), 'singleton': dyn(true)} == {'singleton': true}")).toBe('true');
    // cel-go's own test map mixes map and bool values, which Flux's HomogeneousAggregateLiterals rejects
    expect(compileError("{?'nested_map': optional.ofNonZeroValue({?'map': {}.?c}), 'singleton': true}.size() == 1 ? 'a' : 'b'")).toContain(
      "ERROR: <input>:1:72: expected type 'map(string, dyn)' but found 'bool'",
    );
    expect(truth("{?'a': optional.of(1)} == {'a': 1}")).toBe('true');
    expect(compileError("[?'a'].join('')")).toContain("ERROR: <input>:1:3: expected type 'optional_type(string)' but found 'string'");
  });
});

describe('§6.8 CEL sets (cel-go ext.Sets)', () => {
  it('§6.8 CEL sets: contains, equivalent and intersects', () => {
    expect(truth('sets.contains([], [])')).toBe('true');
    expect(truth('sets.contains([1, 2, 3, 4], [2, 3])')).toBe('true');
    expect(truth('sets.contains([1], [1, 1])')).toBe('true');
    expect(truth('!sets.contains([1], [1, 2])')).toBe('true');
    expect(truth('sets.equivalent([1], [1, 1])')).toBe('true');
    expect(truth('!sets.equivalent([2, 1], [1])')).toBe('true');
    expect(truth('sets.intersects([1], [1, 2])')).toBe('true');
    expect(truth('!sets.intersects([1], [])')).toBe('true');
    expect(truth("sets.contains([event.involvedObject.kind], ['Kustomization'])")).toBe('true');
  });

  it('§6.8 CEL sets: elements compare with heterogeneous numeric equality', () => {
    // cel-go: sets.contains([1], [1.0, 1]), sets.equivalent([1], [1u, 1.0]); the literal lists are made
    // dyn here because Flux enables HomogeneousAggregateLiterals
    expect(truth('sets.contains([1], [dyn(1.0), dyn(1)])')).toBe('true');
    expect(truth('sets.equivalent([1], [dyn(1u), dyn(1.0)])')).toBe('true');
    expect(truth('!sets.contains([1], [dyn(1.1), dyn(1u)])')).toBe('true');
    expect(truth('sets.contains([[1], [2, 3]], [[dyn(2), dyn(3.0)]])')).toBe('true');
    expect(truth('sets.contains([provider.metadata.generation], [3.0])')).toBe('true');
  });

  it('§6.8 CEL sets: list element types must agree at compile time', () => {
    expect(compileError("sets.contains([1], [1.0]) ? 'a' : 'b'")).toContain("found no matching overload for 'sets.contains' applied to '(list(int), list(double))'");
    expect(compileError("sets.contains([1], ['1', 1]) ? 'a' : 'b'")).toContain("ERROR: <input>:1:26: expected type 'string' but found 'int'");
  });
});

describe('§6.8 CEL encoders (cel-go ext.Encoders)', () => {
  it('§6.8 CEL base64: decode accepts padded and unpadded standard encoding', () => {
    expect(truth("base64.decode('aGVsbG8=') == b'hello'")).toBe('true');
    expect(truth("base64.decode('aGVsbG8') == b'hello'")).toBe('true');
    expect(value("string(base64.decode('Zmx1eA=='))")).toBe('flux');
  });

  it('§6.8 CEL base64: corrupt input errors name the byte (Go encoding/base64)', () => {
    expect(evalError("string(base64.decode('a'))")).toMatch(/: illegal base64 data at input byte 0$/);
    expect(evalError("string(base64.decode('aGVsbG8=x'))")).toMatch(/: illegal base64 data at input byte 7$/);
  });

  it('§6.8 CEL base64: argument types are checked', () => {
    expect(compileError("base64.decode(b'aGVsbG8=') == b'hello' ? 'a' : 'b'")).toContain("found no matching overload for 'base64.decode' applied to '(bytes)'");
    expect(compileError("base64.encode('hello')")).toContain("found no matching overload for 'base64.encode' applied to '(string)'");
  });
});

describe('§6.8 CEL strings extension', () => {
  it('§6.8 CEL strings: reverse (ext.Strings v3)', () => {
    expect(value("'gums'.reverse()")).toBe('smug');
  });

  it('§6.8 CEL strings: format() with a literal format string and list is checked at compile time (ext/formatting_v2_test.go)', () => {
    expect(compileError("'%s %s'.format(['abc'])")).toContain('ERROR: <input>:1:15: index 1 out of range');
    expect(compileError("'%s %s'.format(['abc', 'def', 'ghi'])")).toContain('too many arguments supplied to string.format (expected 2, got 3)');
    expect(compileError("'filler %'.format([])")).toContain('unexpected end of string');
    expect(compileError("'%j'.format([123])")).toContain('could not parse formatting clause: unrecognized formatting clause "j"');
    expect(compileError("'int is %d'.format([null])")).toContain('ERROR: <input>:1:21: error during formatting: decimal clause can only be used on ints, uints, and doubles, was given null_type');
    expect(compileError("'double is %.34'.format([5.0])")).toContain('could not parse formatting clause: error while parsing precision: could not find end of precision specifier');
    expect(value("'%s-%d'.format([event.involvedObject.name, 3])")).toBe('gitops-system-3');
  });

  it('§6.8 CEL strings: matches() in global form', () => {
    expect(truth("matches(event.involvedObject.name, '^gitops-')")).toBe('true');
  });
});

describe('§6.8 CEL compile cache', () => {
  it('§6.8 CEL: the same expression text compiles once', () => {
    const expr = "event.involvedObject.name + '/cache'";
    expect(compileStringExpression(expr)).toBe(compileStringExpression(expr));
    const bad = 'event.involvedObject.name';
    expect(() => compileStringExpression(bad)).toThrow(CelCompileError);
    expect(compileError(bad)).toBe(compileError(bad));
  });
});
