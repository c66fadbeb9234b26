// The Preview pane: each delivery of the selected event as the receiving service would show it
// (the previews module draws the model the mock endpoint parsed from the bytes sent), with the
// response status and errors. Scrolls with ↑↓ when focused; enter opens the full requests.

import { Box } from 'ink';
import type { DeliveryResult } from '../../runner/delivery.js';
import type { Preview, PreviewError } from '../../runner/preview-model.js';
import type { EventRecord } from '../../runner/runner.js';
import { useUIActions, useUIState } from '../contexts.js';
import { inner, Pane } from '../pane.js';
import { PreviewView } from '../previews/index.js';
import { line, LineView, ScrollBox, seg, wrapLines, type Line } from '../text-lines.js';
import { deliveryHeader, fallbackPreviewLines } from './delivery-lines.js';

/** The delivery layer attaches the mock endpoint's model when there is one. */
const previewOf = (d: DeliveryResult) => (d as DeliveryResult & { preview?: Preview | PreviewError }).preview;

function emptyText(rec: EventRecord | undefined): string {
  if (!rec) return 'Select an event to see what was sent.';
  if (rec.processed.rateLimited) return 'Nothing sent: the event was rate limited.';
  const n = rec.processed.decision?.dispatches.length ?? 0;
  if (n === 0) return 'Nothing sent: no alert dispatched this event.';
  if (rec.history) return 'Not sent: this event was listed from history. Press s to send it.';
  if (rec.pending > 0) return `Sending ${rec.pending} notification(s)…`;
  return 'No delivery recorded.';
}

function DeliveryBlock({ d, width }: { d: DeliveryResult; width: number }) {
  const preview = previewOf(d);
  const extra: Line[] = [];
  if (d.note) extra.push(line(seg(`  note: ${d.note}`, { color: 'yellow' })));
  if (d.error) extra.push(line(seg('  error: ', { color: 'red', bold: true }), d.error));
  if (d.controllerEvent) extra.push(line(seg(`  Warning ${d.controllerEvent.reason}`, { color: 'yellow' }), ' on the Alert'));
  const fallback = preview === undefined ? fallbackPreviewLines(d) : [];
  return (
    <Box flexDirection="column" marginBottom={1} flexShrink={0}>
      {wrapLines([deliveryHeader(d)], width).map((l, i) => <LineView key={`h${i}`} line={l} />)}
      {preview !== undefined ? <PreviewView preview={preview} width={width} /> : null}
      {wrapLines([...fallback, ...extra], width).map((l, i) => <LineView key={i} line={l} />)}
    </Box>
  );
}

export function PreviewPane({ width, height }: { width: number; height: number }) {
  const { ui, derived } = useUIState();
  const act = useUIActions();
  const rec = derived.selected;
  const w = inner(width);
  const h = inner(height);
  const deliveries = rec?.deliveries ?? [];
  const pending = rec && rec.pending > 0 && deliveries.length > 0 ? [line(seg(`  sending ${rec.pending} more…`, { color: 'cyan' }))] : [];
  const info = deliveries.length ? `${deliveries.length} deliver${deliveries.length === 1 ? 'y' : 'ies'}  enter: full request` : '';
  return (
    <Pane title="Preview" info={info} focused={ui.focus === 'preview'} width={width} height={height}>
      {deliveries.length === 0 ? (
        wrapLines([line(seg(emptyText(rec), { dim: true }))], w).map((l, i) => <LineView key={i} line={l} />)
      ) : (
        <ScrollBox height={h} offset={ui.previewScroll} onMeasure={(ch) => act.setScrollLimit('preview', Math.max(0, ch - h))}>
          {deliveries.map((d, i) => (
            <DeliveryBlock key={i} d={d} width={w} />
          ))}
          {pending.map((l, i) => <LineView key={`p${i}`} line={l} />)}
        </ScrollBox>
      )}
    </Pane>
  );
}
