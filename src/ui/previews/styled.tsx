// Text that carries style only when colour is on, and payload text made safe for a terminal.

import { Text, type TextProps } from 'ink';
import { Children, type ReactNode } from 'react';
import type { PreviewColor } from '../../runner/preview-model.js';
import { colorLabel, useColor } from './color.js';

/**
 * Payload text comes from the wire: an ESC would reach the terminal (Ink keeps SGR sequences
 * found in text, so a payload could even colour a NO_COLOR screen), and tabs or CRs break Ink's
 * width arithmetic. Controls become visible control pictures (␛, ␍…); tabs become two spaces.
 */
export function terminalSafe(s: string): string {
  return s
    .replace(/\r\n/g, '\n')
    .replace(/\t/g, '  ')
    .replace(/[\x00-\x08\x0b-\x1f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)))
    .replace(/\x7f/g, '\u2421')
    .replace(/[\x80-\x9f]/g, '\ufffd');
}

export interface StyledProps {
  color?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  wrap?: TextProps['wrap'];
  children?: ReactNode;
}

/**
 * Ink's Text with string children made terminal-safe. Without colour every attribute goes,
 * bold and dim included: NO_COLOR output must carry no escape sequence at all, so structure
 * has to read from glyphs and layout alone.
 */
export function Styled({ color, bold, dim, italic, underline, strikethrough, wrap, children }: StyledProps) {
  const on = useColor();
  const safe = Children.map(children, (c) => (typeof c === 'string' ? terminalSafe(c) : c));
  if (!on) return <Text wrap={wrap}>{safe}</Text>;
  return (
    <Text color={color} bold={bold} dimColor={dim} italic={italic} underline={underline} strikethrough={strikethrough} wrap={wrap}>
      {safe}
    </Text>
  );
}

/** What a colour meant, in words, shown only when it cannot be drawn (NO_COLOR). */
export function ColorNote({ color, before = ' ' }: { color: PreviewColor | undefined; before?: string }) {
  const on = useColor();
  if (on || color === undefined) return null;
  return <Text>{`${before}[${terminalSafe(colorLabel(color))}]`}</Text>;
}
