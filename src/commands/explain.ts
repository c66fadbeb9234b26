// `explain`: every notification-controller decision for one event, as JSON (design.md contract)
// or as text for people.

import { eventStruct } from '../flux/gojson.js';
import type { AlertDecision } from '../flux/decision-types.js';
import { decide, intake, type EventDecision } from '../flux/decide.js';
import type { InputEvent } from '../flux/event-input.js';
import type { Style } from './style.js';
import type { Diagnostic } from '../flux/manifests.js';
import { formatDiagnostic } from './inputs.js';
import type { Catalog } from '../flux/catalog.js';
import type { DecideOptions } from '../flux/decide.js';

export interface ExplainResult {
  input: InputEvent;
  droppedMetadata: string[];
  decision: EventDecision;
}

export function explainEvent(input: InputEvent, catalog: Catalog, opts: DecideOptions): ExplainResult {
  const { event, droppedMetadata } = intake(input.event);
  return { input, droppedMetadata, decision: decide(event, catalog, opts) };
}

/** The JSON document of `explain -o json`: design.md's fields, plus `input` and `logs`. */
export function explainJson(r: ExplainResult, warnings: Diagnostic[]): Record<string, unknown> {
  const input: Record<string, unknown> = { origin: r.input.origin, caveats: r.input.caveats };
  if (r.input.notDelivered) input.notDelivered = r.input.notDelivered;
  if (r.droppedMetadata.length) input.droppedMetadata = r.droppedMetadata;
  const doc: Record<string, unknown> = {
    event: plain(eventStruct(r.decision.event)),
    alerts: r.decision.alerts,
    input,
    logs: r.decision.logs,
  };
  if (warnings.length) doc.warnings = warnings.map(formatDiagnostic);
  return doc;
}

/** goMap values → plain objects (sorted) for JSON.stringify. */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && Array.isArray(x.entries) && !Array.isArray(x) ? Object.fromEntries(x.entries) : x)));
}

const OUTCOME_MARK = { dispatched: '✓', 'not-matched': '✗', dropped: '✗' } as const;

function alertLine(a: AlertDecision, s: Style): string {
  const mark = a.outcome === 'dispatched' ? s.ok(OUTCOME_MARK[a.outcome]) : a.outcome === 'dropped' ? s.warn('!') : s.bad(OUTCOME_MARK[a.outcome]);
  const steps = a.steps.map((st) => (st.pass ? s.ok('✓') : s.bad('✗')) + st.check).join(' ');
  const type = a.providerType ? ` (${a.providerType})` : '';
  const what = a.outcome === 'dispatched' ? s.ok('dispatched') : `${a.outcome === 'dropped' ? s.warn(a.outcome) : s.bad(a.outcome)}: ${s.bold(a.reason)}`;
  return `${mark} ${s.bold(a.alert)} → ${a.provider}${type}  ${what}  ${s.dim(steps)}`;
}

export function explainText(r: ExplainResult, warnings: Diagnostic[], s: Style): string {
  const e = r.decision.event;
  const ref = e.involvedObject;
  const out: string[] = [];
  out.push(`${s.bold('event')} ${ref.kind ?? ''}/${ref.namespace ?? ''}/${ref.name ?? ''}  severity=${e.severity}  reason=${e.reason}  ${JSON.stringify(e.message)}`);
  if (r.input.origin !== 'flux') out.push(s.dim(`  converted from a ${r.input.origin} Event (spec §1.6)`));
  if (r.input.notDelivered) out.push(s.warn(`  warning: NC would never receive this event: ${r.input.notDelivered}`));
  for (const c of r.input.caveats) out.push(s.dim(`  caveat: ${c}`));
  if (r.droppedMetadata.length) out.push(s.dim(`  metadata dropped on intake (spec §2.4): ${r.droppedMetadata.join(', ')}`));
  for (const w of warnings) out.push(s.warn(`  warning: ${formatDiagnostic(w)}`));
  if (r.decision.alerts.length === 0) out.push('  no alerts loaded: NC would log "discarding event, no alerts found for the involved object"');
  for (const a of r.decision.alerts) {
    out.push(alertLine(a, s));
    const deciding = a.steps.find((st) => !st.pass);
    if (deciding) {
      const hl = deciding.deciding ? `  ${deciding.deciding.field}: wanted ${deciding.deciding.want}, got ${s.mark(deciding.deciding.got === '' ? '""' : deciding.deciding.got)}` : '';
      out.push(`    ${s.bad('✗')} ${deciding.check}${deciding.rule ? s.dim(` [${deciding.rule}]`) : ''}: ${deciding.detail}${hl}`);
    }
    if (a.outcome === 'dispatched' && a.metadata) {
      out.push(s.dim(`    metadata: ${Object.entries(a.metadata).map(([k, v]) => `${k}=${v}`).join(', ')}`));
    }
    if (a.metadataConflicts) {
      out.push(s.warn(`    metadata conflicts: ${Object.entries(a.metadataConflicts).map(([k, v]) => `${k} (${v.join(' < ')})`).join('; ')}`));
    }
    if (a.controllerEvent) out.push(s.warn(`    Warning ${a.controllerEvent.reason} on the Alert: ${a.controllerEvent.message}`));
    for (const ce of a.controllerEvents ?? []) if (ce.reason !== 'MetadataAppendFailed') out.push(s.warn(`    Warning ${ce.reason} on the Alert: ${ce.message}`));
  }
  const dispatched = r.decision.alerts.filter((a) => a.outcome === 'dispatched').length;
  out.push(s.dim(`${r.decision.alerts.length} alert(s): ${dispatched} dispatched, ${r.decision.alerts.filter((a) => a.outcome === 'dropped').length} dropped, ${r.decision.alerts.filter((a) => a.outcome === 'not-matched').length} not matched`));
  return out.join('\n') + '\n';
}
