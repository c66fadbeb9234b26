// Alert filtering (spec §3): suspend, event sources in order (B1–B8), inclusion, exclusion.
// Every check made is recorded as a step with the values compared; unreached checks are absent.

import { objectGroup, objectVersion } from './apigroup.js';
import type { ControllerEvent, NotMatchedReason, Step } from './decision-types.js';
import { selectorError, selectorMatches } from './labels.js';
import { compileRE2, re2Search } from './regex.js';
import type { Alert, CrossNamespaceObjectReference, FluxEvent, StringMap } from './types.js';

/** Result of reading the involved object's metadata (B6). */
export type ObjectLookup = { found: true; labels: StringMap | undefined; note?: string } | { found: false; reason: string };

/** Reads an object's labels by apiVersion/kind/namespace/name, as NC's client Get would. */
export type LookupObject = (ref: { apiVersion: string; kind: string; namespace: string; name: string }) => ObjectLookup;

/** Steps are recorded only when tracing (`if (trace.on)` at each site): the decision itself never needs the texts. */
export class StepTrace {
  readonly steps: Step[] = [];
  constructor(readonly on: boolean) {}
}

export interface MatchResult {
  matched: boolean;
  reason?: NotMatchedReason;
  trace: StepTrace;
  controllerEvents: ControllerEvent[];
  logs: string[];
}

const q = (s: string | undefined) => JSON.stringify(s ?? '');

function involved(e: FluxEvent): string {
  const r = e.involvedObject;
  return `${r.kind ?? ''}/${r.namespace ?? ''}/${r.name ?? ''}`;
}

function sourceMatches(
  e: FluxEvent,
  alert: Alert,
  src: CrossNamespaceObjectReference,
  index: number,
  lookup: LookupObject,
  out: MatchResult,
): boolean {
  const check = `eventSources[${index}]`;
  const ns = src.namespace ? src.namespace : alert.metadata.namespace;
  const nsNote = src.namespace ? '' : ' (defaulted to the alert namespace)';
  const ref = e.involvedObject;
  const fail = (rule: string, field: string, want: string, got: string, detail: () => string) => {
    if (out.trace.on) out.trace.steps.push({ check, pass: false, rule, detail: detail(), deciding: { field, want, got } });
    return false;
  };
  // B2: namespace and kind, exact
  if ((ref.namespace ?? '') !== ns) {
    return fail('§3.2 B2', 'namespace', ns, ref.namespace ?? '', () => `namespace ${q(ns)}${nsNote} ≠ event namespace ${q(ref.namespace)}`);
  }
  if ((ref.kind ?? '') !== src.kind) {
    return fail('§3.2 B2', 'kind', src.kind, ref.kind ?? '', () => `kind ${q(src.kind)} ≠ event kind ${q(ref.kind)} (exact, case-sensitive)`);
  }
  // B3: severity, from the alert
  const sev = alert.spec.eventSeverity;
  if (e.severity !== sev && sev !== 'info') {
    return fail('§3.2 B3', 'severity', sev, e.severity, () => `alert eventSeverity ${q(sev)} accepts only ${q(sev)}; event severity is ${q(e.severity)}`);
  }
  // B4: name, exact or the literal "*"
  if (src.name !== '*' && src.name !== (ref.name ?? '')) {
    return fail('§3.2 B4', 'name', src.name, ref.name ?? '', () => `name ${q(src.name)} ≠ event name ${q(ref.name)} (only the exact string "*" is a wildcard)`);
  }
  const base = () => `kind ${src.kind}, namespace ${ns}${nsNote}, name ${src.name === '*' ? '* (any)' : src.name}, severity ${q(e.severity)} accepted by eventSeverity ${q(sev)}`;
  // B5: absent matchLabels matches
  if (src.matchLabels === undefined) {
    if (out.trace.on) out.trace.steps.push({ check, pass: true, rule: '§3.2 B5', detail: `${base()}; no matchLabels` });
    return true;
  }
  // B6: read the involved object (needs a parseable apiVersion)
  const apiVersion = ref.apiVersion ?? '';
  let got: ObjectLookup;
  if (!apiVersion || (apiVersion.includes('/') && objectGroup(apiVersion) === '' && objectVersion(apiVersion) === '')) {
    got = { found: false, reason: 'the event has no usable involvedObject.apiVersion, so NC cannot look the object up' };
  } else {
    got = lookup({ apiVersion, kind: ref.kind ?? '', namespace: ref.namespace ?? '', name: ref.name ?? '' });
  }
  if (!got.found) {
    const message = `error getting source object ${involved(e)}`;
    out.controllerEvents.push({ reason: 'SourceFetchFailed', message });
    out.logs.push('error getting the involved object');
    return fail('§3.2 B6', 'object', `${apiVersion} ${involved(e)}`, 'not readable', () => `${base()}; matchLabels needs the object's labels: ${got.reason}`);
  }
  // B7: selector validity
  const selErr = selectorError(src.matchLabels);
  if (selErr) {
    const message = `error using matchLabels from event source ${src.kind}/${ns}/${src.name}`;
    out.controllerEvents.push({ reason: 'InvalidConfig', message });
    out.logs.push(`${message}: ${selErr}`);
    return fail('§3.2 B7', 'matchLabels', 'valid label selector', selErr, () => `${base()}; invalid matchLabels: ${selErr}`);
  }
  // B8: labels
  const labels = src.matchLabels;
  const sel = selectorMatches(labels, got.labels);
  const wanted = () => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') || '{} (matches any labels)';
  if (!sel.matched) {
    return fail('§3.2 B8', `labels.${sel.key}`, labels[sel.key!] ?? '', sel.got ?? '', () => `${base()}; matchLabels ${wanted()}: ${sel.mismatch}`);
  }
  if (out.trace.on) out.trace.steps.push({ check, pass: true, rule: '§3.2 B8', detail: `${base()}; matchLabels ${wanted()} match the object's labels${got.note ? ` (${got.note})` : ''}` });
  return true;
}

function regexList(
  kind: 'inclusion' | 'exclusion',
  list: string[],
  message: string,
  out: MatchResult,
): { hit?: string; invalid: string[] } {
  const invalid: string[] = [];
  for (const exp of list) {
    const c = compileRE2(exp);
    if (!c.ok) {
      const msg = `failed to compile ${kind} regex: ${exp}`;
      out.logs.push(msg);
      out.controllerEvents.push({ reason: 'InvalidConfig', message: msg });
      invalid.push(`${exp} (${c.error})`);
      continue;
    }
    if (re2Search(c.re, message)) return { hit: exp, invalid };
  }
  return { invalid };
}

export function matchAlert(e: FluxEvent, alert: Alert, lookup: LookupObject, trace = true): MatchResult {
  const out: MatchResult = { matched: false, trace: new StepTrace(trace), controllerEvents: [], logs: [] };
  // A: suspend
  if (alert.spec.suspend === true) {
    if (out.trace.on) out.trace.steps.push({ check: 'suspend', pass: false, rule: '§3.1', detail: 'spec.suspend is true: the alert is skipped', deciding: { field: 'spec.suspend', want: 'false', got: 'true' } });
    out.reason = 'alert-suspended';
    return out;
  }
  if (out.trace.on) out.trace.steps.push({ check: 'suspend', pass: true, rule: '§3.1', detail: 'spec.suspend is false' });
  // B: sources, first match wins
  const sources = alert.spec.eventSources;
  let sourceOk = false;
  for (let i = 0; i < sources.length; i++) {
    if (sourceMatches(e, alert, sources[i]!, i, lookup, out)) {
      sourceOk = true;
      break;
    }
  }
  if (!sourceOk) {
    if (sources.length === 0) if (out.trace.on) out.trace.steps.push({ check: 'eventSources', pass: false, rule: '§3.2', detail: 'eventSources is empty: it never matches' });
    out.reason = 'no-matching-source';
    return out;
  }
  // C: inclusion
  const inc = alert.spec.inclusionList ?? [];
  if (inc.length > 0) {
    const r = regexList('inclusion', inc, e.message, out);
    const invalidNote = r.invalid.length ? `; skipped invalid: ${r.invalid.join('; ')}` : '';
    if (r.hit === undefined) {
      if (out.trace.on) out.trace.steps.push({
        check: 'inclusionList', pass: false, rule: '§3.3',
        detail: `no expression matches the message ${q(e.message)}${invalidNote}`,
        deciding: { field: 'message', want: `match one of ${inc.map((x) => q(x)).join(', ')}`, got: e.message },
      });
      out.reason = 'not-included';
      return out;
    }
    if (out.trace.on) out.trace.steps.push({ check: 'inclusionList', pass: true, rule: '§3.3', detail: `${q(r.hit)} matches the message${invalidNote}` });
  }
  // D: exclusion
  const exc = alert.spec.exclusionList ?? [];
  if (exc.length > 0) {
    const r = regexList('exclusion', exc, e.message, out);
    const invalidNote = r.invalid.length ? `; skipped invalid (they never exclude): ${r.invalid.join('; ')}` : '';
    if (r.hit !== undefined) {
      if (out.trace.on) out.trace.steps.push({
        check: 'exclusionList', pass: false, rule: '§3.4',
        detail: `${q(r.hit)} matches the message ${q(e.message)}: exclusion beats inclusion${invalidNote}`,
        deciding: { field: 'message', want: `no match of ${q(r.hit)}`, got: e.message },
      });
      out.reason = 'excluded';
      return out;
    }
    if (out.trace.on) out.trace.steps.push({ check: 'exclusionList', pass: true, rule: '§3.4', detail: `no expression matches the message${invalidNote}` });
  }
  out.matched = true;
  return out;
}
