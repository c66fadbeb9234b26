// Alert filtering (spec §3): suspend, event sources in order (B1–B8), inclusion, exclusion.
// Every check made is recorded as a step with the values compared; unreached checks are absent.

import { objectGroup, objectVersion } from './apigroup.js';
import type { ControllerEvent, NotMatchedReason, Step } from './decision-types.js';
import { selectorError, selectorMatches, selectorMismatchText, type SelectorResult } from './labels.js';
import type { EventScope } from './event-scope.js';
import { compileRE2 } from './regex.js';
import type { Alert, CrossNamespaceObjectReference, FluxEvent, StringMap } from './types.js';

/** Result of reading the involved object's metadata (B6). */
export type ObjectLookup = { found: true; labels: StringMap | undefined; note?: string } | { found: false; reason: string };

/** Reads an object's labels by apiVersion/kind/namespace/name, as NC's client Get would. */
export type LookupObject = (ref: { apiVersion: string; kind: string; namespace: string; name: string }) => ObjectLookup;

/** Steps are recorded only when tracing (`if (trace.on)` at each site): the decision itself never needs the texts. */
export class StepTrace {
  readonly steps: Step[];
  constructor(readonly on: boolean) {
    // untraced decisions all share one empty, frozen list: a stray push throws instead of leaking
    this.steps = on ? [] : NO_STEPS;
  }
}

const NO_STEPS = Object.freeze([]) as unknown as Step[];
const UNTRACED = new StepTrace(false);
const NONE = Object.freeze([]) as unknown as never[];

/** Records a controller event and its log line on the result (the lists start shared and empty). */
function record(out: MatchResult, ev: ControllerEvent, log: string) {
  if (out.controllerEvents === NONE) out.controllerEvents = [];
  if (out.logs === NONE) out.logs = [];
  out.controllerEvents.push(ev);
  out.logs.push(log);
}

export interface MatchResult {
  matched: boolean;
  reason?: NotMatchedReason;
  trace: StepTrace;
  controllerEvents: ControllerEvent[];
  logs: string[];
}

const q = (s: string | undefined) => JSON.stringify(s ?? '');

/** The involved object as NC's client Get asks for it (the apiVersion was checked usable). */
export function involvedRef(e: FluxEvent): Parameters<LookupObject>[0] {
  const r = e.involvedObject;
  return { apiVersion: r.apiVersion ?? '', kind: r.kind ?? '', namespace: r.namespace ?? '', name: r.name ?? '' };
}

function involved(e: FluxEvent): string {
  const r = e.involvedObject;
  return `${r.kind ?? ''}/${r.namespace ?? ''}/${r.name ?? ''}`;
}

/** Which check of §3.2 decided a source, for the trace (B6/B7 also record events and logs). */
type SourceVerdict =
  | { at: 'namespace' | 'kind' | 'severity' | 'name' | 'no-labels' }
  | { at: 'unreadable'; apiVersion: string; reason: string }
  | { at: 'bad-selector'; error: string }
  | { at: 'labels'; got: ObjectLookup & { found: true }; sel: SelectorResult };

const AT_NAMESPACE: SourceVerdict = { at: 'namespace' };
const AT_KIND: SourceVerdict = { at: 'kind' };
const AT_SEVERITY: SourceVerdict = { at: 'severity' };
const AT_NAME: SourceVerdict = { at: 'name' };
const AT_NO_LABELS: SourceVerdict = { at: 'no-labels' };

/**
 * One event source in NC's order (B2–B8). Returns true on a match; records the step only when
 * tracing, so the untraced path allocates nothing it does not need.
 */
function sourceMatches(
  e: FluxEvent,
  alert: Alert,
  src: CrossNamespaceObjectReference,
  index: number,
  lookup: LookupObject,
  out: MatchResult,
  scope: EventScope | undefined,
): boolean {
  const ns = src.namespace ? src.namespace : alert.metadata.namespace;
  const ref = e.involvedObject;
  // B2: namespace and kind, exact
  if ((ref.namespace ?? '') !== ns) return traced(out, e, alert, src, index, AT_NAMESPACE, false);
  if ((ref.kind ?? '') !== src.kind) return traced(out, e, alert, src, index, AT_KIND, false);
  // B3: severity, from the alert
  const sev = alert.spec.eventSeverity;
  if (e.severity !== sev && sev !== 'info') return traced(out, e, alert, src, index, AT_SEVERITY, false);
  // B4: name, exact or the literal "*"
  if (src.name !== '*' && src.name !== (ref.name ?? '')) return traced(out, e, alert, src, index, AT_NAME, false);
  // B5: absent matchLabels matches
  if (src.matchLabels === undefined) return traced(out, e, alert, src, index, AT_NO_LABELS, true);
  // B6: read the involved object (needs a parseable apiVersion)
  const apiVersion = ref.apiVersion ?? '';
  let got: ObjectLookup;
  if (!apiVersion || (apiVersion.includes('/') && objectGroup(apiVersion) === '' && objectVersion(apiVersion) === '')) {
    got = { found: false, reason: 'the event has no usable involvedObject.apiVersion, so NC cannot look the object up' };
  } else {
    got = scope ? scope.lookupInvolved(lookup) : lookup(involvedRef(e));
  }
  if (!got.found) {
    record(out, { reason: 'SourceFetchFailed', message: `error getting source object ${involved(e)}` }, 'error getting the involved object');
    return traced(out, e, alert, src, index, { at: 'unreadable', apiVersion, reason: got.reason }, false);
  }
  // B7: selector validity
  const selErr = selectorError(src.matchLabels);
  if (selErr) {
    const message = `error using matchLabels from event source ${src.kind}/${ns}/${src.name}`;
    record(out, { reason: 'InvalidConfig', message }, `${message}: ${selErr}`);
    return traced(out, e, alert, src, index, { at: 'bad-selector', error: selErr }, false);
  }
  // B8: labels
  const sel = selectorMatches(src.matchLabels, got.labels);
  return out.trace.on ? traced(out, e, alert, src, index, { at: 'labels', got, sel }, sel.matched) : sel.matched;
}

/** Records the step for a source verdict when tracing; returns `pass`. */
function traced(out: MatchResult, e: FluxEvent, alert: Alert, src: CrossNamespaceObjectReference, index: number, v: SourceVerdict, pass: boolean): boolean {
  if (!out.trace.on) return pass;
  const check = `eventSources[${index}]`;
  const ns = src.namespace ? src.namespace : alert.metadata.namespace;
  const nsNote = src.namespace ? '' : ' (defaulted to the alert namespace)';
  const ref = e.involvedObject;
  const sev = alert.spec.eventSeverity;
  const fail = (rule: string, field: string, want: string, got: string, detail: string) => {
    out.trace.steps.push({ check, pass: false, rule, detail, deciding: { field, want, got } });
    return false;
  };
  const base = () => `kind ${src.kind}, namespace ${ns}${nsNote}, name ${src.name === '*' ? '* (any)' : src.name}, severity ${q(e.severity)} accepted by eventSeverity ${q(sev)}`;
  const labels = src.matchLabels ?? {};
  const wanted = () => Object.entries(labels).map(([k, val]) => `${k}=${val}`).join(',') || '{} (matches any labels)';
  switch (v.at) {
    case 'namespace':
      return fail('§3.2 B2', 'namespace', ns, ref.namespace ?? '', `namespace ${q(ns)}${nsNote} ≠ event namespace ${q(ref.namespace)}`);
    case 'kind':
      return fail('§3.2 B2', 'kind', src.kind, ref.kind ?? '', `kind ${q(src.kind)} ≠ event kind ${q(ref.kind)} (exact, case-sensitive)`);
    case 'severity':
      return fail('§3.2 B3', 'severity', sev, e.severity, `alert eventSeverity ${q(sev)} accepts only ${q(sev)}; event severity is ${q(e.severity)}`);
    case 'name':
      return fail('§3.2 B4', 'name', src.name, ref.name ?? '', `name ${q(src.name)} ≠ event name ${q(ref.name)} (only the exact string "*" is a wildcard)`);
    case 'no-labels':
      out.trace.steps.push({ check, pass: true, rule: '§3.2 B5', detail: `${base()}; no matchLabels` });
      return true;
    case 'unreadable':
      return fail('§3.2 B6', 'object', `${v.apiVersion} ${involved(e)}`, 'not readable', `${base()}; matchLabels needs the object's labels: ${v.reason}`);
    case 'bad-selector':
      return fail('§3.2 B7', 'matchLabels', 'valid label selector', v.error, `${base()}; invalid matchLabels: ${v.error}`);
    case 'labels': {
      const sel = v.sel;
      if (!sel.matched) {
        return fail('§3.2 B8', `labels.${sel.key}`, labels[sel.key] ?? '', sel.got ?? '(absent)', `${base()}; matchLabels ${wanted()}: ${selectorMismatchText(labels, sel)}`);
      }
      const note = v.got.note;
      out.trace.steps.push({ check, pass: true, rule: '§3.2 B8', detail: `${base()}; matchLabels ${wanted()} match the object's labels${note ? ` (${note})` : ''}` });
      return true;
    }
  }
}

function regexList(
  kind: 'inclusion' | 'exclusion',
  list: string[],
  message: string,
  out: MatchResult,
  scope: EventScope | undefined,
): { hit?: string; invalid: string[] } {
  let invalid: string[] | undefined;
  for (const exp of list) {
    const c = compileRE2(exp);
    if (!c.ok) {
      const msg = `failed to compile ${kind} regex: ${exp}`;
      record(out, { reason: 'InvalidConfig', message: msg }, msg);
      (invalid ??= []).push(`${exp} (${c.error})`);
      continue;
    }
    if (scope ? scope.searchMessage(c.re) : c.re.search(message)) return invalid ? { hit: exp, invalid } : c.re.hit;
  }
  return invalid ? { invalid } : NO_HIT;
}

const NO_HIT: { hit?: string; invalid: string[] } = Object.freeze({ invalid: NONE });

/** `scope` (the same event) lets alerts share label reads and regex searches. */
export function matchAlert(e: FluxEvent, alert: Alert, lookup: LookupObject, trace = true, scope?: EventScope): MatchResult {
  const out: MatchResult = { matched: false, trace: trace ? new StepTrace(true) : UNTRACED, controllerEvents: NONE, logs: NONE };
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
    if (sourceMatches(e, alert, sources[i]!, i, lookup, out, scope)) {
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
  const inc = alert.spec.inclusionList ?? NONE;
  if (inc.length > 0) {
    const r = regexList('inclusion', inc, e.message, out, scope);
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
  const exc = alert.spec.exclusionList ?? NONE;
  if (exc.length > 0) {
    const r = regexList('exclusion', exc, e.message, out, scope);
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
