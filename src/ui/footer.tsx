// The bottom line: the filter prompt while typing, else the latest notice from the runner (mode
// switches, resends, fixture writes, skipped lines) and the key hints.

import { Box } from 'ink';
import { useUIState } from './contexts.js';
import { PANES, PANE_TITLES } from './state.js';
import { T } from './t.js';

const LEVEL_COLOR = { info: 'cyan', warning: 'yellow', error: 'red' } as const;

export function Footer() {
  const { ui, runner, layout } = useUIState();
  if (ui.filterEditing) {
    return (
      <Box width={layout.width} height={1} flexShrink={0}>
        <T wrap="truncate-start">
          <T color="yellow" bold>
            /
          </T>
          <T>{ui.filter}</T>
          <T inverse> </T>
          <T dimColor>{'  kind: name: ns: reason: severity: or text · enter keeps · esc clears'}</T>
        </T>
      </Box>
    );
  }
  const notice = runner.notices.at(runner.notices.length - 1);
  const hints = layout.width >= 100 ? 'space pause · n step · / filter · ? help · q quit' : '? help · q quit';
  return (
    <Box width={layout.width} height={1} flexShrink={0} justifyContent="space-between">
      <Box flexShrink={1} flexGrow={1}>
        {notice ? (
          <T wrap="truncate-end" color={LEVEL_COLOR[notice.level]}>
            {notice.text}
          </T>
        ) : (
          <T dimColor wrap="truncate-end">
            {layout.mode === 'single' && ui.view === 'events' ? `${PANE_TITLES[ui.focus]} ${PANES.indexOf(ui.focus) + 1}/3 · tab next pane` : 'tab pane · enter expand · esc back · 1-5 views'}
          </T>
        )}
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <T dimColor>{hints}</T>
      </Box>
    </Box>
  );
}
