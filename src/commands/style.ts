// ANSI styling for text output; off when NO_COLOR is set or the stream is not a terminal.

export interface Style {
  ok(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  /** The deciding value: reverse video so it stands out even without colour support. */
  mark(s: string): string;
}

const wrap = (open: string, close: string) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export function makeStyle(color: boolean): Style {
  if (!color) {
    const id = (s: string) => s;
    return { ok: id, bad: id, warn: id, dim: id, bold: id, mark: (s) => `»${s}«` };
  }
  return { ok: wrap('32', '39'), bad: wrap('31', '39'), warn: wrap('33', '39'), dim: wrap('2', '22'), bold: wrap('1', '22'), mark: wrap('1;7', '22;27') };
}

export function colorWanted(stream: { isTTY?: boolean }): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
