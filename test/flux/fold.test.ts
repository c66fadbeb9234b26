import { describe, expect, it } from 'vitest';
import { equalFold } from '../../src/flux/fold.js';

// Expected values from Go's strings.EqualFold documentation and unicode.SimpleFold orbits.
describe('equalFold (Go strings.EqualFold)', () => {
  it('ASCII letters fold, other ASCII does not', () => {
    expect(equalFold('Go', 'GO')).toBe(true);
    expect(equalFold('a-b', 'A-B')).toBe(true);
    expect(equalFold('@', '`')).toBe(false);
    expect(equalFold('abc', 'abcd')).toBe(false);
  });
  it('simple folding orbits beyond ASCII: ſ ~ s ~ S, K (Kelvin) ~ k, Σ ~ σ ~ ς', () => {
    expect(equalFold('ſ', 'S')).toBe(true);
    expect(equalFold('\u212A', 'k')).toBe(true);
    expect(equalFold('ς', 'Σ')).toBe(true);
    expect(equalFold('σ', 'ς')).toBe(true);
  });
  it('no full folding: ß is not ss, İ is not i', () => {
    expect(equalFold('ß', 'ss')).toBe(false);
    expect(equalFold('İ', 'i')).toBe(false);
  });
  it('regex metacharacters are literal', () => {
    expect(equalFold('a.ſ', 'A.S')).toBe(true);
    expect(equalFold('aXſ', 'A.S')).toBe(false);
  });
});

describe('equalFold with one ASCII side', () => {
  it('an ASCII key against a target with the Kelvin sign still folds; lengths decide first', () => {
    expect(equalFold('ABC', 'abc')).toBe(true);
    expect(equalFold('ABCD', 'abc')).toBe(false);
    expect(equalFold('kx', '\u212Ax')).toBe(true);
    expect(equalFold('ſx', 'sx')).toBe(true);
  });
  it('astral letters fold within the astral plane (Deseret 𐐀 ~ 𐐨)', () => {
    expect(equalFold('\u{10400}', '\u{10428}')).toBe(true);
    expect(equalFold('\u{10400}x', '\u{10428}X')).toBe(true);
  });
});
