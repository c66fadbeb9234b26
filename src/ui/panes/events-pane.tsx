// The Events pane: one row per event (time, kind/namespace/name, severity, reason, match marker),
// following the newest unless the user moved up.

import { T } from '../t.js';
import type { EventRecord } from '../../runner/runner.js';
import { useUIState } from '../contexts.js';
import { eventTime, objectRef, severityColor } from '../format.js';
import { matchMarker, type MarkerTone } from '../model.js';
import { inner, Pane } from '../pane.js';
import { Table, type Column } from '../table.js';

const TONE: Record<MarkerTone, { color?: string; dim?: boolean }> = {
  ok: { color: 'green' },
  warn: { color: 'yellow' },
  bad: { color: 'red' },
  dim: { dim: true },
  busy: { color: 'cyan' },
};

function columnsFor(width: number): Column<EventRecord>[] {
  const w = inner(width);
  const reason = w >= 90 ? 26 : w >= 60 ? 20 : 12;
  const cols: Column<EventRecord>[] = [
    // Below 60 columns the time goes: which object and what happened matter more.
    { title: 'TIME', width: 8, cell: (r) => ({ text: eventTime(r), dim: true }) },
    { title: 'OBJECT', cell: (r) => ({ text: objectRef(r, w < 90) }) },
    { title: 'SEV', width: 5, cell: (r) => ({ text: r.processed.event.severity, color: severityColor(r.processed.event.severity) }) },
    { title: 'REASON', width: reason, cell: (r) => ({ text: r.processed.event.reason }) },
    { title: 'SENT', width: 4, cell: (r) => { const m = matchMarker(r); return { text: m.text, ...TONE[m.tone] }; } },
  ];
  return w < 60 ? cols.slice(1) : cols;
}

export function EventsPane({ width, height }: { width: number; height: number }) {
  const { ui, runner, derived } = useUIState();
  const { events, selectedIndex } = derived;
  const total = runner.events.length;
  const follow = ui.selectedId === null;
  const where = events.length === 0 ? '' : follow ? '⇣ following' : `${selectedIndex + 1}/${events.length}`;
  const filtered = ui.filter ? `filter "${ui.filter}": ${events.length} of ${total}` : `${total}${runner.events.total > total ? ` (of ${runner.events.total}, oldest dropped)` : ''}`;
  let empty: string;
  if (ui.filter && total > 0) empty = `No event matches the filter "${ui.filter}" (esc clears it).`;
  else if (runner.connection.state === 'done') empty = 'The source sent no events.';
  else empty = `No events yet: waiting for ${runner.sourceLabel || 'the source'}${runner.playback.state !== 'playing' ? ' (paused: space plays, n steps)' : ''}.`;
  return (
    <Pane title="Events" info={`${filtered}  ${where}`} focused={ui.focus === 'events'} width={width} height={height}>
      {events.length === 0 ? (
        <T dimColor wrap="wrap">{` ${empty}`}</T>
      ) : (
        <Table columns={columnsFor(width)} rows={events} cursor={selectedIndex} width={inner(width)} height={inner(height)} focused={ui.focus === 'events'} />
      )}
    </Pane>
  );
}
