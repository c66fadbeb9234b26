// A bordered pane with its title in the top border (k9s style); the focused pane is highlighted.

import { Box } from 'ink';
import { T } from './t.js';
import type { ReactNode } from 'react';
import { useColor } from './previews/index.js';

export interface PaneProps {
  title: string;
  /** Dim text after the title (counts, hints). */
  info?: string;
  focused?: boolean;
  width: number;
  height: number;
  borderColor?: string;
  children: ReactNode;
}

/** Rows and columns inside the border. */
export const inner = (n: number) => Math.max(1, n - 2);

export function Pane({ title, info, focused, width, height, borderColor, children }: PaneProps) {
  const color = borderColor ?? (focused ? 'cyan' : 'gray');
  const on = useColor();
  // The ▸ tells the focused pane apart without colour (NO_COLOR).
  const label = focused ? ` ▸ ${title} ` : ` ${title} `;
  const extra = info ? `${info} ` : '';
  const used = 2 + [...label].length + [...extra].length + 1;
  const fill = Math.max(0, width - used);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <T wrap="truncate-end">
        <T color={color}>╭─</T>
        <T color={focused ? 'cyan' : undefined} bold>
          {label}
        </T>
        <T dimColor>{extra}</T>
        <T color={color}>{'─'.repeat(fill)}╮</T>
      </T>
      <Box borderStyle="round" borderTop={false} borderColor={on ? color : undefined} flexDirection="column" width={width} height={height - 1} overflow="hidden">
        {children}
      </Box>
    </Box>
  );
}
