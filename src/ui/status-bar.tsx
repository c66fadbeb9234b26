// The header: delivery mode first (REAL in red, so it is visible at any width), the source,
// replay and connection state; then the counters; then the view tabs and the active filter.

import { Box } from 'ink';
import { useUIState } from './contexts.js';
import { connectionText, playbackText } from './format.js';
import { T } from './t.js';
import { VIEWS, VIEW_TITLES } from './state.js';

export function ModeBadge({ mode }: { mode: 'mock' | 'real' }) {
  return mode === 'real' ? (
    <T backgroundColor="red" color="whiteBright" bold>
      {' REAL '}
    </T>
  ) : (
    <T backgroundColor="green" color="black" bold>
      {' MOCK '}
    </T>
  );
}

export function StatusBar() {
  const { runner, layout, ui } = useUIState();
  const c = runner.counters;
  const conn = connectionText(runner.connection);
  const narrow = layout.width < 90;
  const counts: Array<[string, string, number, string?]> = [
    ['events', 'ev', c.events],
    ['matched', 'match', c.matched],
    ['dispatched', 'sent', c.dispatched, 'green'],
    ['dropped', 'drop', c.dropped, 'yellow'],
    ['rate-limited', 'rl', c.rateLimited, 'yellow'],
    ['delivery errors', 'err', c.deliveryErrors, 'red'],
  ];
  return (
    <Box flexDirection="column" width={layout.width} height={3} flexShrink={0}>
      <T wrap="truncate-end">
        <ModeBadge mode={runner.mode} />
        <T> {runner.sourceLabel || '—'}</T>
        <T dimColor> │ </T>
        <T color={runner.playback.state === 'playing' ? 'green' : 'yellow'}>{playbackText(runner.playback, runner.connection)}</T>
        <T dimColor> │ </T>
        <T color={conn.color}>{conn.text}</T>
      </T>
      <T wrap="truncate-end">
        {counts.map(([long, short, n, color], i) => (
          <T key={long}>
            {i > 0 ? <T dimColor>{narrow ? ' ' : '  '}</T> : null}
            <T dimColor>{narrow ? short : long} </T>
            <T bold color={n > 0 ? color : undefined}>
              {String(n)}
            </T>
          </T>
        ))}
      </T>
      <T wrap="truncate-end">
        {VIEWS.map((v, i) => (
          <T key={v}>
            {i > 0 ? <T dimColor> </T> : null}
            <T inverse={ui.view === v} bold={ui.view === v} dimColor={ui.view !== v}>
              {ui.view === v ? `[${i + 1} ${VIEW_TITLES[v]}]` : ` ${i + 1} ${VIEW_TITLES[v]} `}
            </T>
          </T>
        ))}
        {ui.filter ? <T color="yellow">{`   filter: ${ui.filter}`}</T> : null}
      </T>
    </Box>
  );
}
