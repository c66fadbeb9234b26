// The Matching pane for the selected event: every alert with ✓/✗ and its reason code; enter
// expands the one under the cursor into its explain trace, which then scrolls with ↑↓.

import { useUIActions, useUIState } from '../contexts.js';
import { inner, Pane } from '../pane.js';
import { maxScroll, ScrollText, wrapLines } from '../text-lines.js';
import { matchingContent } from './matching-lines.js';

export function MatchingPane({ width, height }: { width: number; height: number }) {
  const { ui, derived } = useUIState();
  const act = useUIActions();
  const { selected, alerts } = derived;
  const cursor = Math.min(ui.alertCursor, Math.max(0, alerts.length - 1));
  const content = matchingContent(selected, alerts, cursor, ui.expanded);
  // Wrap per logical line so the cursor's wrapped position is known.
  const w = inner(width);
  const h = inner(height);
  const lines = [];
  let cursorRow = 0;
  for (let i = 0; i < content.lines.length; i++) {
    if (content.alertLine[cursor] === i) cursorRow = lines.length;
    lines.push(...wrapLines([content.lines[i]!], w));
  }
  const max = maxScroll(lines.length, h);
  act.setScrollLimit('matching', max);
  act.setCursorLine(Math.min(cursorRow, max));
  // Collapsed: keep the cursor a third of the way down; expanded: the user scrolls.
  const offset = ui.expanded ? ui.matchingScroll : Math.max(0, Math.min(max, cursorRow - Math.floor(h / 3)));
  const info = selected && alerts.length ? `${cursor + 1}/${alerts.length}${ui.expanded ? '  trace ↑↓ scroll, esc closes' : ''}` : '';
  return (
    <Pane title="Matching" info={info} focused={ui.focus === 'matching'} width={width} height={height}>
      <ScrollText lines={lines} height={h} offset={offset} />
    </Pane>
  );
}
