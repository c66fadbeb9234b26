// Pane geometry from the terminal size: side by side from 100 columns, stacked below that, one
// pane at a time below 60. Heights are fixed numbers so every pane can window its own content.

import type { PaneId } from './state.js';

export type LayoutMode = 'wide' | 'stacked' | 'single';

export interface Rect {
  width: number;
  height: number;
}

export interface Layout {
  mode: LayoutMode;
  width: number;
  /** Rows the app draws: one less than the terminal, see `layoutFor`. */
  height: number;
  headerHeight: number;
  footerHeight: number;
  body: Rect;
  /** The Events view's panes that are visible, with their outer size (borders included). */
  panes: Partial<Record<PaneId, Rect>>;
}

export const HEADER_HEIGHT = 3;
export const FOOTER_HEIGHT = 1;

export function layoutMode(columns: number): LayoutMode {
  if (columns >= 100) return 'wide';
  if (columns >= 60) return 'stacked';
  return 'single';
}

export function layoutFor(columns: number, rows: number, focus: PaneId): Layout {
  const width = Math.max(20, columns);
  // Ink clears the whole terminal on every frame once the output is as tall as the terminal;
  // one spare row keeps redraws incremental (no flicker).
  const height = Math.max(10, rows - 1);
  const bodyHeight = Math.max(3, height - HEADER_HEIGHT - FOOTER_HEIGHT);
  const mode = layoutMode(columns);
  const panes: Layout['panes'] = {};
  if (mode === 'wide') {
    const top = Math.max(5, Math.floor(bodyHeight * 0.45));
    const bottom = Math.max(3, bodyHeight - top);
    const left = Math.floor(width / 2);
    panes.events = { width, height: top };
    panes.matching = { width: left, height: bottom };
    panes.preview = { width: width - left, height: bottom };
  } else if (mode === 'stacked') {
    const events = Math.max(4, Math.floor(bodyHeight * 0.4));
    const matching = Math.max(3, Math.floor(bodyHeight * 0.3));
    panes.events = { width, height: events };
    panes.matching = { width, height: matching };
    panes.preview = { width, height: Math.max(3, bodyHeight - events - matching) };
  } else {
    panes[focus] = { width, height: bodyHeight };
  }
  return { mode, width, height, headerHeight: HEADER_HEIGHT, footerHeight: FOOTER_HEIGHT, body: { width, height: bodyHeight }, panes };
}
