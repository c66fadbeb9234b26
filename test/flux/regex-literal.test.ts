import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compileRE2, literalOf, re2Search } from '../../src/flux/regex.js';

// The literal fast path must answer exactly as RE2's unanchored search (spec §3.3–3.4).
const PATTERNS = [
  'Reconciliation', '(?i)reconciliation', '^Dependencies do not meet', '(?i)^health check',
  'timeout waiting for: \\[Deployment', 'a\\.b', 'sk', '(?i)sk', '(?i)K', '', '^', 'x#y', 'wait\\ ing',
  // not literals: always re2js
  'failed after \\d+s', 'a|b', 'a.b', '(?i)stra\u00dfe', '^a$', '\\Qa.b\\E',
];
const TEXTS = [
  'Reconciliation finished in 5s', 'reconciliation', 'RECONCILIATION', 'Dependencies do not meet ready condition',
  ' Dependencies do not meet', 'health check failed after 30s', 'Health Check ok', 'timeout waiting for: [Deployment/apps/x',
  'a.b', 'axb', 'ſk', 'SK', 'Sk', '\u212A', 'k', 'K', 'x#y', 'wait ing', '', 'multi\nline Reconciliation', 'STRASSE straße',
];

describe('RE2 literal fast path (spec §3.3–3.4)', () => {
  it('recognises plain, ^-anchored and (?i) ASCII literals, and escaped punctuation', () => {
    expect(literalOf('timeout waiting for: \\[Deployment')).toEqual({ text: 'timeout waiting for: [Deployment', anchored: false, fold: false });
    expect(literalOf('(?i)^Health')).toEqual({ text: 'health', anchored: true, fold: true });
    expect(literalOf('failed after \\d+s')).toBeUndefined();
    expect(literalOf('a.b')).toBeUndefined();
    expect(literalOf('(?i)straße')).toBeUndefined();
  });

  it('answers exactly as re2js for every pattern and text, including ſ and the Kelvin sign under (?i)', () => {
    for (const p of PATTERNS) {
      const c = compileRE2(p);
      if (!c.ok) throw new Error(`${p}: ${c.error}`);
      const plain = RE2JS.compile(p);
      for (const t of TEXTS) expect(c.re.search(t), `${JSON.stringify(p)} on ${JSON.stringify(t)}`).toBe(re2Search(plain, t));
    }
  });

  it('(?i)sk matches ſK in RE2 (simple folding), so non-ASCII text goes to re2js', () => {
    const c = compileRE2('(?i)sk');
    expect(c.ok && c.re.search('ſ\u212A')).toBe(true);
  });
});
