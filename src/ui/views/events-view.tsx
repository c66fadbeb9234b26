// The default view: Events, Matching and Preview, arranged by the layout (side by side, stacked,
// or one at a time on narrow terminals).

import { Box } from 'ink';
import { useUIState } from '../contexts.js';
import { EventsPane } from '../panes/events-pane.js';
import { MatchingPane } from '../panes/matching-pane.js';
import { PreviewPane } from '../panes/preview-pane.js';

export function EventsView() {
  const { layout, ui } = useUIState();
  const p = layout.panes;
  if (layout.mode === 'single') {
    const r = p[ui.focus]!;
    const Pane = ui.focus === 'events' ? EventsPane : ui.focus === 'matching' ? MatchingPane : PreviewPane;
    return <Pane width={r.width} height={r.height} />;
  }
  if (layout.mode === 'stacked') {
    return (
      <Box flexDirection="column">
        <EventsPane {...p.events!} />
        <MatchingPane {...p.matching!} />
        <PreviewPane {...p.preview!} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <EventsPane {...p.events!} />
      <Box flexDirection="row">
        <MatchingPane {...p.matching!} />
        <PreviewPane {...p.preview!} />
      </Box>
    </Box>
  );
}
