// Kubernetes label selector from matchLabels (metav1.LabelSelectorAsSelector), spec §3.2 B7–B8.

import type { StringMap } from './types.js';
import { labelValueErrors, qualifiedNameErrors } from './validate.js';

/** Why a label key is invalid (Kubernetes IsQualifiedName), or undefined when it is valid. */
export function labelKeyError(key: string): string | undefined {
  const errs = qualifiedNameErrors(key);
  return errs.length ? `key ${JSON.stringify(key)}: ${errs.join('; ')}` : undefined;
}

/** Why a label value is invalid (IsValidLabelValue), or undefined when it is valid. */
export function labelValueError(key: string, value: string): string | undefined {
  const errs = labelValueErrors(value);
  return errs.length ? `value ${JSON.stringify(value)} of ${JSON.stringify(key)}: ${errs.join('; ')}` : undefined;
}

/** Validates the selector; returns the first error (keys in sorted order, as Kubernetes does). */
export function selectorError(matchLabels: StringMap): string | undefined {
  for (const k of Object.keys(matchLabels).sort()) {
    const e = labelKeyError(k) ?? labelValueError(k, matchLabels[k]!);
    if (e) return e;
  }
  return undefined;
}

/** Equality requirements ANDed; a missing key never matches; {} matches everything. */
export function selectorMatches(matchLabels: StringMap, labels: StringMap | undefined): { matched: boolean; mismatch?: string; key?: string; got?: string } {
  for (const k of Object.keys(matchLabels).sort()) {
    const have = labels?.[k];
    if (have === undefined) return { matched: false, key: k, got: '(absent)', mismatch: `label ${k} is absent (wanted ${JSON.stringify(matchLabels[k])})` };
    if (have !== matchLabels[k]) return { matched: false, key: k, got: have, mismatch: `label ${k}=${JSON.stringify(have)}, wanted ${JSON.stringify(matchLabels[k])}` };
  }
  return { matched: true };
}
