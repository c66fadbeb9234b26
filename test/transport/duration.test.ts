import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVIDER_TIMEOUT_MS, isValidTimeout, parseGoDuration, providerTimeoutMs } from '../../src/transport/duration.js';

describe('Provider spec.timeout for the transport (spec §6.5)', () => {
  it('timeout: the CRD pattern admits ms, s, m and fractions, not hours or signs', () => {
    for (const v of ['15s', '1m30s', '500ms', '1.5s', '0s', '2m0.5s']) expect(isValidTimeout(v), v).toBe(true);
    for (const v of ['1h', '', '-1s', '+1s', '1', '.5s', '1.s', '5 s', '1d']) expect(isValidTimeout(v), v).toBe(false);
  });

  it('§8.43 timeout: the default is 15s when spec.timeout is absent', () => {
    expect(DEFAULT_PROVIDER_TIMEOUT_MS).toBe(15_000);
    expect(providerTimeoutMs(undefined)).toBe(15_000);
    expect(providerTimeoutMs('')).toBe(15_000);
  });

  it('timeout: Go durations become milliseconds (1m30s, 250ms, 1.5s, 10.5s4m)', () => {
    expect(providerTimeoutMs('1m30s')).toBe(90_000);
    expect(providerTimeoutMs('250ms')).toBe(250);
    expect(providerTimeoutMs('1.5s')).toBe(1500);
    expect(providerTimeoutMs('10.5s4m')).toBe(250_500);
  });

  it('§8.43 timeout: 0s is a valid timeout of zero (every send then fails at once)', () => {
    expect(providerTimeoutMs('0s')).toBe(0);
  });

  it('timeout: text Go cannot parse is refused', () => {
    expect(() => providerTimeoutMs('5')).toThrow('time: invalid duration "5"');
    expect(() => providerTimeoutMs('1d')).toThrow();
    expect(() => providerTimeoutMs('9223372036854775808ns')).toThrow();
  });

  it('duration: parseGoDuration gives milliseconds and accepts every Go unit (h included, unlike the CRD)', () => {
    expect(parseGoDuration('5m')).toBe(300_000);
    expect(parseGoDuration('1h')).toBe(3_600_000);
    expect(parseGoDuration('1.5us')).toBe(0.0015);
    expect(parseGoDuration('0')).toBe(0);
    expect(() => parseGoDuration('')).toThrow('time: invalid duration ""');
  });
});
