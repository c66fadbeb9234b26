// Text helpers shared by several notifiers (providers spec §3.5). Each object-identifier form
// is named after what it looks like, so a module picks the one its upstream notifier uses.

import type { FluxEvent } from '../flux/types.js';
import { compareUtf8 } from '../flux/gojson.js';

const ref = (e: FluxEvent) => ({
  kind: e.involvedObject.kind ?? '',
  name: e.involvedObject.name ?? '',
  namespace: e.involvedObject.namespace ?? '',
});

/** `lower(kind)/name.namespace` — slack, discord, rocket, msteams, googlechat, webex, lark, matrix, grafana, zoom, incident.io. */
export function objName(e: FluxEvent): string {
  const r = ref(e);
  return `${r.kind.toLowerCase()}/${r.name}.${r.namespace}`;
}

/** `lower(kind)/name/namespace` — telegram. */
export function objNameSlashed(e: FluxEvent): string {
  const r = ref(e);
  return `${r.kind.toLowerCase()}/${r.name}/${r.namespace}`;
}

/** `Kind/Namespace/Name`, original case — markdown posts. */
export function kindNamespaceName(e: FluxEvent): string {
  const r = ref(e);
  return `${r.kind}/${r.namespace}/${r.name}`;
}

type RuneClass = 'lower' | 'upper' | 'digit' | 'other';

function classify(ch: string): RuneClass {
  if (/^\p{Ll}$/u.test(ch)) return 'lower';
  if (/^\p{Lu}$/u.test(ch)) return 'upper';
  if (/^\p{Nd}$/u.test(ch)) return 'digit';
  return 'other';
}

function isWellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

/** Splits a CamelCase word the way notification-controller's camelcase helper does. */
export function splitCamelCase(s: string): string[] {
  if (!isWellFormed(s)) return [s];
  const runs: string[][] = [];
  let last: RuneClass | undefined;
  for (const ch of s) {
    const c = classify(ch);
    if (c === last && runs.length > 0) runs[runs.length - 1]!.push(ch);
    else runs.push([ch]);
    last = c;
  }
  // An upper-case run followed by a lower-case run gives its last letter to the next word
  // ("PDFLoader" → "PDF", "Loader").
  for (let i = 0; i + 1 < runs.length; i++) {
    const a = runs[i]!;
    const b = runs[i + 1]!;
    if (a.length > 0 && b.length > 0 && classify(a[0]!) === 'upper' && classify(b[0]!) === 'lower') {
      b.unshift(a.pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** name = lower(kind/name); description = reason split into lower-case words. */
export function nameAndDescription(e: FluxEvent): { name: string; description: string } {
  const r = ref(e);
  return {
    name: `${r.kind}/${r.name}`.toLowerCase(),
    description: splitCamelCase(e.reason).join(' ').toLowerCase(),
  };
}

/** Metadata entries sorted by key (the stable order we use where Go's map order is random, §3.6). */
export function sortedMetadata(e: FluxEvent): Array<[string, string]> {
  const m = e.metadata ?? {};
  return Object.keys(m)
    .sort(compareUtf8)
    .map((k) => [k, m[k]!] as [string, string]);
}

/** The markdown post of zulip and the PR/MR comment providers (providers §3.5). */
export function markdownPost(e: FluxEvent): string {
  const emoji = e.severity === 'error' ? '\u26a0\ufe0f' : '\u2139\ufe0f';
  let out = `## Flux Status\n\n${emoji} ${kindNamespaceName(e)}\n\n${e.message}\n\nMetadata:\n`;
  for (const [k, v] of sortedMetadata(e)) {
    if (k === 'change_request') continue;
    out += `* \`${k}\`: ${v}\n`;
  }
  return out;
}
