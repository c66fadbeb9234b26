// Whether previews draw in colour. Ink colours through chalk 5, whose colour detection ignores
// the NO_COLOR variable (it reads FORCE_COLOR, the --no-color flag and the terminal only), so
// NO_COLOR has to be honoured here, by never passing a colour or text attribute to Ink.

import { createContext, useContext, type ReactNode } from 'react';
import type { PreviewColor } from '../../runner/preview-model.js';

/** no-color.org: NO_COLOR present and not empty turns colour off. */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.NO_COLOR;
  return v === undefined || v === '';
}

// undefined = nobody decided: fall back to the environment at render time, so a flag such as
// --no-color (or a test) can override it without touching process.env.
const ColorContext = createContext<boolean | undefined>(undefined);

export function ColorProvider({ enabled, children }: { enabled: boolean; children?: ReactNode }) {
  return <ColorContext.Provider value={enabled}>{children}</ColorContext.Provider>;
}

export function useColor(): boolean {
  return useContext(ColorContext) ?? colorEnabled();
}

/** How a payload colour is named in text when it cannot be drawn: `green (good)`, `#aabbcc`. */
export function colorLabel(c: PreviewColor): string {
  return c.name === c.raw || c.raw === '' ? c.name : `${c.name} (${c.raw})`;
}

/**
 * The nearest of the terminal's named colours for a `#rrggbb`, for text. Ink wraps text with
 * wrap-ansi, which re-opens a colour on the next line only for single-number codes (`\e[31m`):
 * a 256-colour or truecolor hex loses its colour after the first wrapped line. Named colours
 * survive wrapping at any colour depth (and follow the user's theme); borders, which never
 * wrap, keep the exact hex.
 */
export function namedColor(hex: string): string | undefined {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return undefined;
  const n = parseInt(m[1]!, 16);
  const [r, g, b] = [(n >> 16) / 255, ((n >> 8) & 0xff) / 255, (n & 0xff) / 255];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 0.15) return max > 0.8 ? 'white' : max < 0.2 ? 'black' : 'gray';
  const d = max - min;
  const h = (max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4) * 60;
  if (h < 20 || h >= 330) return 'red';
  if (h < 70) return 'yellow';
  if (h < 165) return 'green';
  if (h < 200) return 'cyan';
  if (h < 260) return 'blue';
  return 'magenta';
}

/** The colour to draw text of a payload colour in (see namedColor). */
export function textColor(c: PreviewColor | undefined): string | undefined {
  return c?.hex === undefined ? undefined : namedColor(c.hex);
}
