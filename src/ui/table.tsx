// A table with a cursor row, windowed to the rows that fit: lists of thousands of deliveries
// render only what is visible.

import { Box } from 'ink';
import { T } from './t.js';
import { fit } from './format.js';

export interface Column<T> {
  title: string;
  /** Fixed width; one column may leave it out to take the rest. */
  width?: number;
  cell(row: T): { text: string; color?: string; dim?: boolean; bold?: boolean };
}

/** First visible row that keeps the cursor in view, centred when the list is longer than the window. */
export function windowStart(cursor: number, total: number, visible: number): number {
  if (total <= visible) return 0;
  if (cursor < 0) return total - visible;
  return Math.max(0, Math.min(cursor - Math.floor(visible / 2), total - visible));
}

export function Table<T>({ columns, rows, cursor, width, height, focused = true, empty }: {
  columns: Column<T>[];
  rows: { length: number; at(i: number): T | undefined };
  cursor: number;
  width: number;
  height: number;
  focused?: boolean;
  empty?: string;
}) {
  const fixed = columns.reduce((n, c) => n + (c.width ?? 0) + 1, 0);
  const flex = Math.max(4, width - fixed - 2);
  const widths = columns.map((c) => c.width ?? flex);
  const visible = Math.max(1, height - 1);
  const start = windowStart(cursor, rows.length, visible);
  const body = [];
  for (let i = start; i < Math.min(rows.length, start + visible); i++) {
    const r = rows.at(i)!;
    const sel = i === cursor;
    body.push(
      <T key={i} wrap="truncate-end" inverse={sel && focused} bold={sel}>
        <T>{sel ? '›' : ' '}</T>
        {columns.map((c, j) => {
          const cell = c.cell(r);
          return (
            <T key={j} color={sel && focused ? undefined : cell.color} dimColor={cell.dim && !sel} bold={cell.bold}>
              {' ' + fit(cell.text, widths[j]!)}
            </T>
          );
        })}
      </T>,
    );
  }
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <T wrap="truncate-end" dimColor bold>
        {' ' + columns.map((c, j) => ' ' + fit(c.title, widths[j]!)).join('')}
      </T>
      {rows.length === 0 && empty ? <T dimColor wrap="wrap">{`  ${empty}`}</T> : body}
    </Box>
  );
}
