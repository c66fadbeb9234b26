// The Matching pane's content as lines: the selected event, every alert with ✓/✗ and its reason
// code, and for the expanded alert each check the controller made with the values compared
// (the explain trace), the merged metadata and its conflicts.

import type { AlertDecision, Step } from '../../flux/decision-types.js';
import type { EventRecord } from '../../runner/runner.js';
import { clockTime, objectRef, outcomeColor, severityColor } from '../format.js';
import { line, seg, textLines, type Line } from '../text-lines.js';

export interface MatchingContent {
  lines: Line[];
  /** Line index where each alert's row starts. */
  alertLine: number[];
}

function mark(a: AlertDecision) {
  if (a.outcome === 'dispatched') return seg('✓', { color: 'green', bold: true });
  if (a.outcome === 'dropped') return seg('!', { color: 'yellow', bold: true });
  return seg('✗', { color: 'red' });
}

function stepLine(st: Step): Line[] {
  const out: Line[] = [];
  out.push(line('    ', st.pass ? seg('✓ ', { color: 'green' }) : seg('✗ ', { color: 'red' }), seg(st.check, { bold: true }), ': ', st.detail, st.rule ? seg(`  [${st.rule}]`, { dim: true }) : ''));
  if (st.deciding) {
    const got = st.deciding.got === '' ? '""' : st.deciding.got;
    out.push(line('      ', seg(`${st.deciding.field}: wanted `, { dim: true }), st.deciding.want, seg(', got ', { dim: true }), seg(got, { inverse: true })));
  }
  return out;
}

export function traceLines(a: AlertDecision): Line[] {
  const out: Line[] = [];
  if (a.steps.length === 0) out.push(line(seg('    no checks recorded', { dim: true })));
  for (const st of a.steps) out.push(...stepLine(st));
  if (a.metadata) {
    const keys = Object.keys(a.metadata).sort();
    out.push(line(seg('    metadata the provider receives', { bold: true }), keys.length ? ':' : ': (none)'));
    for (const k of keys) out.push(line('      ', seg(k, { color: 'cyan' }), ' = ', a.metadata[k]!));
  }
  if (a.metadataConflicts) {
    out.push(line(seg('    metadata conflicts', { color: 'yellow', bold: true }), seg(' (sources in the order applied; the last wins)', { dim: true })));
    for (const [k, v] of Object.entries(a.metadataConflicts)) out.push(line('      ', seg(k, { color: 'yellow' }), ': ', v.join(' < ')));
  }
  if (a.controllerEvent) out.push(line('    ', seg(`Warning ${a.controllerEvent.reason}`, { color: 'yellow' }), ' on the Alert: ', a.controllerEvent.message));
  for (const ce of a.controllerEvents ?? []) out.push(line('    ', seg(`Warning ${ce.reason}`, { color: 'yellow' }), ' on the Alert: ', ce.message));
  for (const l of a.logs ?? []) out.push(line(seg(`    log: ${l}`, { dim: true })));
  return out;
}

export function matchingContent(rec: EventRecord | undefined, alerts: AlertDecision[], cursor: number, expanded: boolean): MatchingContent {
  const lines: Line[] = [];
  const alertLine: number[] = [];
  if (!rec) return { lines: [line(seg('Select an event to see which alerts match it.', { dim: true }))], alertLine };
  const p = rec.processed;
  const e = p.event;
  lines.push(line(seg(objectRef(rec), { bold: true }), '  ', seg(e.severity, { color: severityColor(e.severity) }), '  ', e.reason, seg(`  #${rec.id}`, { dim: true })));
  lines.push(...textLines(e.message, {}, '  '));
  if (p.input.origin !== 'flux') lines.push(line(seg(`  converted from a ${p.input.origin} Event`, { dim: true })));
  if (p.input.notDelivered) lines.push(line(seg(`  NC would never receive this event: ${p.input.notDelivered}`, { color: 'yellow' })));
  for (const c of p.input.caveats) lines.push(line(seg(`  caveat: ${c}`, { dim: true })));
  if (p.droppedMetadata.length) lines.push(line(seg(`  metadata dropped on intake: ${p.droppedMetadata.join(', ')}`, { dim: true })));
  if (p.rateLimited) {
    lines.push(line(seg('Rate limited', { color: 'yellow', bold: true }), ': the same event arrived within the window; NC answers 429 and looks at no alert.'));
    lines.push(line(seg(`  window ends ${clockTime(p.rate.resetMs)} UTC`, { dim: true })));
    return { lines, alertLine };
  }
  if (alerts.length === 0) {
    lines.push(line(seg('No alerts loaded', { color: 'yellow' }), ': NC logs "discarding event, no alerts found for the involved object".'));
    return { lines, alertLine };
  }
  const dispatched = alerts.filter((a) => a.outcome === 'dispatched').length;
  const dropped = alerts.filter((a) => a.outcome === 'dropped').length;
  const summary = `${alerts.length} alert(s): ${dispatched} dispatched, ${dropped} dropped, ${alerts.length - dispatched - dropped} not matched`;
  lines.push(line(seg(summary, { dim: dispatched > 0, color: dispatched === 0 ? 'yellow' : undefined })));
  alerts.forEach((a, i) => {
    alertLine.push(lines.length);
    const sel = i === cursor;
    const type = a.providerType ? ` (${a.providerType})` : '';
    const what = a.outcome === 'dispatched' ? seg('ok', { color: 'green' }) : seg(`${a.outcome}: ${a.reason}`, { color: outcomeColor(a.outcome) });
    lines.push(line(sel ? seg('›', { bold: true }) : ' ', ' ', mark(a), ' ', seg(a.alert, { bold: sel, inverse: sel }), seg(` → ${a.provider}${type}  `, { dim: true }), what, sel && !expanded ? seg('  enter: trace', { dim: true }) : ''));
    if (sel && expanded) lines.push(...traceLines(a));
  });
  return { lines, alertLine };
}
