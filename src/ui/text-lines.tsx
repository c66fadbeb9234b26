// Styled text as lines: the Matching pane, detail views and help build `Line[]`, wrap them to the
// pane width and show a window of them. Knowing the line count is what lets long traces, YAML and
// payloads scroll inside the app instead of spilling past the terminal.

import { Box, type DOMElement, measureElement } from 'ink';
import { T } from './t.js';
import { useEffect, useRef, type ReactNode } from 'react';
import { safeText } from './format.js';

export interface Seg {
  text: string;
  color?: string;
  backgroundColor?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export type Line = Seg[];

export const seg = (text: string, style: Omit<Seg, 'text'> = {}): Seg => ({ text, ...style });
export const line = (...segs: (Seg | string)[]): Line => segs.map((s) => (typeof s === 'string' ? { text: s } : s));

/** Multi-line text (a message, a JSON body) as lines of one style. */
export function textLines(text: string, style: Omit<Seg, 'text'> = {}, indent = ''): Line[] {
  return text.split('\n').map((l) => [{ text: indent + l, ...style }]);
}

/**
 * Wraps a line to `width` columns, at a space when there is one in the second half of the row;
 * continuation rows keep the line's leading indentation (+2) so a wrapped step detail stays under
 * its step. Counts code points: wide glyphs may overhang, which the renderer truncates, so a row
 * never becomes two.
 */
export function wrapLine(l: Line, width: number): Line[] {
  const w = Math.max(4, width);
  const chars: Array<{ c: string; s: number }> = [];
  l.forEach((sg, i) => {
    for (const c of sg.text) chars.push({ c, s: i });
  });
  if (chars.length <= w) return [l];
  let lead = 0;
  while (lead < chars.length && chars[lead]!.c === ' ') lead++;
  const indent = Math.min(lead + 2, Math.floor(w / 2));
  const rows: Line[] = [];
  let pos = 0;
  let first = true;
  while (pos < chars.length) {
    const room = first ? w : w - indent;
    let end = Math.min(chars.length, pos + room);
    if (end < chars.length) {
      // Prefer breaking after a space, unless that would leave most of the row empty.
      for (let k = end; k > pos + Math.floor(room / 2); k--) {
        if (chars[k - 1]!.c === ' ') {
          end = k;
          break;
        }
      }
    }
    const row: Line = first ? [] : [{ text: ' '.repeat(indent) }];
    for (let k = pos; k < end; k++) {
      const ch = chars[k]!;
      const last = row.at(-1);
      if (last && (last as Seg & { _s?: number })._s === ch.s) last.text += ch.c;
      else row.push({ ...l[ch.s]!, text: ch.c, _s: ch.s } as Seg);
    }
    rows.push(row.map((sg) => {
      const { _s, ...rest } = sg as Seg & { _s?: number };
      void _s;
      return rest;
    }));
    pos = end;
    // A space at the start of a continuation row would shift it off the indent.
    while (pos < chars.length && chars[pos]!.c === ' ') pos++;
    first = false;
  }
  return rows;
}

export function wrapLines(lines: Line[], width: number): Line[] {
  const out: Line[] = [];
  for (const l of lines) for (const r of wrapLine(l, width)) out.push(r);
  return out;
}

export function LineView({ line: l }: { line: Line }) {
  if (l.length === 0) return <T> </T>;
  return (
    <T wrap="truncate-end">
      {l.map((s, i) => (
        <T key={i} color={s.color} backgroundColor={s.backgroundColor} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
          {safeText(s.text)}
        </T>
      ))}
    </T>
  );
}

/** The largest useful scroll offset for `total` lines in `height` rows. */
export const maxScroll = (total: number, height: number) => Math.max(0, total - height);

/** A window of already-wrapped lines; the last row says how much more there is. */
export function ScrollText({ lines, height, offset }: { lines: Line[]; height: number; offset: number }) {
  const h = Math.max(1, height);
  const off = Math.max(0, Math.min(offset, maxScroll(lines.length, h)));
  const more = lines.length - off - h;
  const visible = lines.slice(off, off + (more > 0 ? h - 1 : h));
  return (
    <Box flexDirection="column" height={h} overflowY="hidden">
      {visible.map((l, i) => (
        <LineView key={i} line={l} />
      ))}
      {more > 0 ? <T dimColor>{`  ↓ ${more + 1} more line(s)${off > 0 ? `  ↑ ${off} above` : ''}`}</T> : null}
    </Box>
  );
}

/**
 * Scrolls arbitrary Ink content (e.g. preview components from another module) by shifting it up
 * inside a clipped box; reports the content height so the caller can clamp its offset.
 */
export function ScrollBox({ height, offset, onMeasure, children }: { height: number; offset: number; onMeasure?: (contentHeight: number) => void; children: ReactNode }) {
  const ref = useRef<DOMElement>(null);
  useEffect(() => {
    if (ref.current && onMeasure) onMeasure(measureElement(ref.current).height);
  });
  return (
    <Box height={Math.max(1, height)} flexDirection="column" overflowY="hidden">
      <Box ref={ref} marginTop={-Math.max(0, offset)} flexDirection="column" flexShrink={0}>
        {children}
      </Box>
    </Box>
  );
}
