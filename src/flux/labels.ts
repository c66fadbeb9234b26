// Kubernetes label selector from matchLabels (metav1.LabelSelectorAsSelector), spec §3.2 B7–B8.

import type { StringMap } from './types.js';

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a label key is invalid (IsQualifiedName), or undefined when it is valid. */
export function labelKeyError(key: string): string | undefined {
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    if (prefix.length === 0) return `key ${JSON.stringify(key)}: prefix part must be non-empty`;
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return `key ${JSON.stringify(key)}: prefix part must be a lowercase RFC 1123 subdomain`;
    name = n;
  } else if (parts.length > 2) {
    return `key ${JSON.stringify(key)}: a qualified name must have at most one "/"`;
  }
  if (name.length === 0) return `key ${JSON.stringify(key)}: name part must be non-empty`;
  if (name.length > 63) return `key ${JSON.stringify(key)}: name part must be no more than 63 characters`;
  if (!NAME.test(name)) return `key ${JSON.stringify(key)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
  return undefined;
}

export function labelValueError(key: string, value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return `value of ${JSON.stringify(key)}: must be no more than 63 characters`;
  if (!NAME.test(value)) return `value ${JSON.stringify(value)} of ${JSON.stringify(key)}: must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
  return undefined;
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
