// The full item behind the cursor, scrolling inside the app (never a pager): an Alert's or a
// Provider's manifest as YAML with its counters, a delivery's full requests and responses
// (secrets already masked by the delivery layer), or a notice's whole text.

import { stringify } from 'yaml';
import { useUIActions, useUIState, type UIStateValue } from '../contexts.js';
import { clockTime, objectRef } from '../format.js';
import { inner, Pane } from '../pane.js';
import { deliveryDetailLines } from '../panes/delivery-lines.js';
import { line, maxScroll, ScrollText, seg, textLines, wrapLines, type Line } from '../text-lines.js';

function yamlLines(obj: unknown): Line[] {
  return textLines(stringify(obj, { lineWidth: 0 }).trimEnd(), {}, '  ');
}

function content(s: UIStateValue, cursor: (v: 'alerts' | 'providers' | 'outbox' | 'log') => number): { title: string; lines: Line[] } {
  const { ui, derived } = s;
  if (ui.view === 'log') {
    const n = derived.log[cursor('log')];
    if (!n) return { title: 'Notice', lines: [] };
    return { title: `Notice — ${clockTime(n.at)} ${n.level}`, lines: textLines(n.text, {}, '') };
  }
  if (ui.view === 'alerts') {
    const r = derived.alertRows[cursor('alerts')];
    if (!r) return { title: 'Alert', lines: [] };
    const lines: Line[] = [
      line(seg(`hits ${r.hits}  dispatched ${r.dispatched}`, { bold: true }), seg(r.lastMatchTime !== undefined ? `  last match ${r.lastMatchTime} (event #${r.lastEventId})` : '  never matched', { dim: true })),
      line(seg(`  from ${r.alert.source.file}${r.alert.source.line !== undefined ? `:${r.alert.source.line}` : ''}${r.alert.apiVersion.endsWith('v1beta3') ? '' : `  (written as ${r.alert.apiVersion}, shown converted)`}`, { dim: true })),
      line(''),
      ...yamlLines(r.alert.object),
    ];
    return { title: `Alert ${r.id}`, lines };
  }
  if (ui.view === 'providers') {
    const r = derived.providerRows[cursor('providers')];
    if (!r) return { title: 'Provider', lines: [] };
    const lines: Line[] = [
      line(seg(`alerts ${r.alerts}  deliveries ${r.deliveries}  errors ${r.errors}`, { bold: true }), seg(`  last status ${r.lastStatus ?? '—'}`, { dim: true })),
    ];
    if (r.lastError) lines.push(line(seg('  last error: ', { color: 'red' }), r.lastError));
    lines.push(line(seg(`  from ${r.provider.source.file}${r.provider.source.line !== undefined ? `:${r.provider.source.line}` : ''}; Secret values are never shown`, { dim: true })), line(''), ...yamlLines(r.provider.object));
    return { title: `Provider ${r.id}`, lines };
  }
  if (ui.view === 'outbox') {
    const e = derived.outbox[cursor('outbox')];
    if (!e) return { title: 'Request', lines: [] };
    return { title: `Request — event #${e.event.id} ${objectRef(e.event)} (secrets masked)`, lines: deliveryDetailLines(e.delivery) };
  }
  const rec = derived.selected;
  if (!rec) return { title: 'Requests', lines: [] };
  const lines: Line[] = [];
  rec.deliveries.forEach((d, i) => {
    if (i > 0) lines.push(line(''), line(seg('─'.repeat(20), { dim: true })));
    lines.push(...deliveryDetailLines(d));
  });
  return { title: `Requests — event #${rec.id} ${objectRef(rec)} (secrets masked)`, lines };
}

export function DetailView() {
  const s = useUIState();
  const act = useUIActions();
  const { layout, ui } = s;
  const { title, lines } = content(s, act.listCursorFor);
  const w = inner(layout.body.width);
  const h = inner(layout.body.height);
  const wrapped = wrapLines(lines.length ? lines : [line(seg('Nothing to show.', { dim: true }))], w);
  act.setScrollLimit('detail', maxScroll(wrapped.length, h));
  return (
    <Pane title={title} info={`${wrapped.length} lines  ↑↓ scroll  esc back`} focused width={layout.body.width} height={layout.body.height}>
      <ScrollText lines={wrapped} height={h} offset={ui.detailScroll} />
    </Pane>
  );
}
