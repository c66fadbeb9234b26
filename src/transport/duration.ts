// The provider timeout (spec §6.5) in milliseconds for the transport. Parsing is Go's
// time.ParseDuration as implemented once for the project in src/flux/validate.ts.

import { TIMEOUT_PATTERN, parseGoDuration as parseGoDurationNs } from '../flux/validate.js';

/** The controller's default when spec.timeout is absent (api/v1beta3 Provider.GetTimeout). */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 15_000;

const TIMEOUT_RE = new RegExp(TIMEOUT_PATTERN);

/** Whether a spec.timeout value passes the CRD pattern (the API server would reject it otherwise). */
export function isValidTimeout(s: string): boolean {
  return TIMEOUT_RE.test(s);
}

/**
 * A Go duration in milliseconds (fractional below 1ms). Throws `time: invalid duration "<text>"`
 * (Go's wording for most bad input; Go's "missing unit"/"unknown unit" variants are not told apart).
 */
export function parseGoDuration(text: string): number {
  const ns = parseGoDurationNs(text);
  if (ns === undefined) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  return Number(ns) / 1e6;
}

/**
 * The provider timeout in ms: spec.timeout when set, else 15s. `0s` gives 0, which the transport
 * treats as an already-expired deadline. Throws on text Go would not parse.
 */
export function providerTimeoutMs(timeout: string | undefined): number {
  if (timeout === undefined || timeout === '') return DEFAULT_PROVIDER_TIMEOUT_MS;
  return parseGoDuration(timeout);
}
