// Rendering helpers for the preview tests: a frame of PreviewView at a given width through
// ink-testing-library, with colour forced on or off by ColorProvider.

import { renderToString, Text } from 'ink';
import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import { ColorProvider, PreviewView } from '../../../src/ui/previews/index.js';
import type { Preview, PreviewError } from '../../../src/runner/preview-model.js';

/** Colour on, off (as NO_COLOR), or left to the environment (no ColorProvider). */
export type ColorMode = 'on' | 'off' | 'env';

/** ink-testing-library's terminal is fixed at this many columns. */
const TESTING_LIBRARY_COLUMNS = 100;

/**
 * The preview at `width` columns. ink-testing-library renders into a 100-column terminal and
 * Ink clips what is wider, so a wider pane is rendered with Ink's renderToString at that width.
 */
export function frame(preview: Preview | PreviewError | undefined, width: number, color: ColorMode = 'on'): string {
  const view = <PreviewView preview={preview} width={width} />;
  const tree = color === 'env' ? view : <ColorProvider enabled={color === 'on'}>{view}</ColorProvider>;
  if (width > TESTING_LIBRARY_COLUMNS) return renderToString(tree, { columns: width });
  const { lastFrame, unmount } = render(tree);
  const out = lastFrame() ?? '';
  unmount();
  return out;
}

/** The frame without escape sequences: what the snapshot records (layout, glyphs, text). */
export function plain(s: string): string {
  return stripVTControlCharacters(s);
}

/** Lines wider than `width` columns (all preview glyphs are one column wide). */
export function overflowing(s: string, width: number): string[] {
  return plain(s)
    .split('\n')
    .filter((l) => [...l].length > width);
}

/**
 * `text` in `color` as Ink draws it here. Comparing against this instead of a literal escape
 * keeps the colour assertions independent of the colour depth the environment gives chalk.
 */
export function painted(text: string, color: string | undefined, attrs: { bold?: boolean } = {}): string {
  return renderToString(
    <Text color={color} bold={attrs.bold}>
      {text}
    </Text>,
  );
}

/** The escape that opens `color` here (what a line drawn in that colour starts with). */
export function opening(color: string): string {
  return painted('x', color).split('x')[0]!;
}

/** The lines of a frame inside a card, without the card's borders (raw: escapes kept). */
export function cardLines(f: string): string[] {
  return f.split('\n').filter((l) => plain(l).startsWith('│ '));
}

export const ANSI = /\u001b\[/;
