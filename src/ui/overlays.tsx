// The help overlay (generated from the key table) and the confirmation before REAL delivery.

import { Box } from 'ink';
import { useUIState } from './contexts.js';
import { KEY_GROUPS } from './keys.js';
import { inner, Pane } from './pane.js';
import { T } from './t.js';
import { line, ScrollText, seg, wrapLines, type Line } from './text-lines.js';

export function HelpOverlay() {
  const { layout, runner } = useUIState();
  const lines: Line[] = [];
  for (const g of KEY_GROUPS) {
    if (lines.length) lines.push(line(''));
    lines.push(line(seg(g.title, { bold: true, color: 'cyan' })));
    for (const k of g.keys) {
      const does = k.sendOnly && !runner.sendAllowed ? 'MOCK only here: start with --send to offer REAL (it then asks first)' : k.does;
      lines.push(line('  ', seg(k.keys.padEnd(16), { bold: true }), does));
    }
  }
  const w = inner(layout.body.width);
  const h = inner(layout.body.height);
  return (
    <Pane title="Help" info="esc or ? closes" focused width={layout.body.width} height={layout.body.height}>
      <ScrollText lines={wrapLines(lines, w)} height={h} offset={0} />
    </Pane>
  );
}

export function ConfirmReal() {
  const { layout, providers } = useUIState();
  const types = [...new Set(providers.map((p) => p.spec.type))].sort().join(', ');
  return (
    <Pane title="Switch to REAL delivery?" focused borderColor="red" width={layout.body.width} height={Math.min(layout.body.height, 9)}>
      <Box flexDirection="column" paddingX={1}>
        <T wrap="wrap">
          Notifications for new events, and for <T bold>s</T>, will be sent to the real services configured in the Providers
          {types ? ` (${types})` : ''}. Requests leave this machine and use the Secrets loaded.
        </T>
        <T> </T>
        <T wrap="wrap">
          <T bold color="red">
            y
          </T>
          {'  switch to REAL      any other key  stay in MOCK'}
        </T>
      </Box>
    </Pane>
  );
}
