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

// A loaded selector never changes (an edit loads a new object), so its verdict is kept.
const verdicts = new WeakMap<StringMap, string | null>();

/** Validates the selector; returns the first error (keys in sorted order, as Kubernetes does). */
export function selectorError(matchLabels: StringMap): string | undefined {
  let v = verdicts.get(matchLabels);
  if (v === undefined) {
    v = null;
    for (const k of Object.keys(matchLabels).sort()) {
      const e = labelKeyError(k) ?? labelValueError(k, matchLabels[k]!);
      if (e) {
        v = e;
        break;
      }
    }
    verdicts.set(matchLabels, v);
  }
  return v ?? undefined;
}

const sortedKeys = new WeakMap<StringMap, string[]>();

export type SelectorResult = { matched: true } | { matched: false; key: string; got: string | undefined };

/** Equality requirements ANDed, keys in sorted order; a missing key never matches; {} matches everything. */
export function selectorMatches(matchLabels: StringMap, labels: StringMap | undefined): SelectorResult {
  let keys = sortedKeys.get(matchLabels);
  if (!keys) sortedKeys.set(matchLabels, (keys = Object.keys(matchLabels).sort()));
  for (const k of keys) {
    const have = labels?.[k];
    if (have !== matchLabels[k]) return { matched: false, key: k, got: have };
  }
  return MATCHED;
}

const MATCHED: SelectorResult = Object.freeze({ matched: true });

/** Why a selector did not match, for people. */
export function selectorMismatchText(matchLabels: StringMap, r: { key: string; got: string | undefined }): string {
  const want = JSON.stringify(matchLabels[r.key]);
  return r.got === undefined ? `label ${r.key} is absent (wanted ${want})` : `label ${r.key}=${JSON.stringify(r.got)}, wanted ${want}`;
}
