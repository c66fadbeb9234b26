// Test harness for the TUI: renders into a fake terminal of a fixed size (Ink lays out to
// stdout.columns, so each test states the width it checks), with a stdin that can be a TTY or not.

import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink';
import type { ReactElement } from 'react';

export class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  constructor(public columns: number, public rows: number) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  /** The screen as text (colour codes removed, so FORCE_COLOR does not change assertions). */
  lastFrame = () => stripVTControlCharacters(this.frames.at(-1) ?? '');
  /** What a terminal does on SIGWINCH: new size, then a resize event. */
  resize(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  private data: string | null = null;
  constructor(public isTTY = true) {
    super();
  }
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
  enter: '\r',
  esc: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\u007F',
  ctrlC: '\u0003',
};

/** Ink subscribes to stdin in an effect and renders after input asynchronously: wait a tick. */
export const tick = (ms = 25) => new Promise((r) => setTimeout(r, ms));

export interface Rendered {
  stdout: FakeStdout;
  stdin: FakeStdin;
  lastFrame(): string;
  press(...keys: string[]): Promise<void>;
  unmount(): void;
  waitUntilExit(): Promise<unknown>;
}

export async function renderAt(node: ReactElement, opts: { columns?: number; rows?: number; tty?: boolean } = {}): Promise<Rendered> {
  const stdout = new FakeStdout(opts.columns ?? 120, opts.rows ?? 40);
  const stderr = new FakeStdout(opts.columns ?? 120, opts.rows ?? 40);
  const stdin = new FakeStdin(opts.tty ?? true);
  // debug: every frame is written whole and unthrottled, so lastFrame() is the screen.
  const instance = render(node, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await tick();
  return {
    stdout,
    stdin,
    lastFrame: stdout.lastFrame,
    async press(...keys: string[]) {
      for (const k of keys) {
        stdin.write(k);
        await tick();
      }
    },
    unmount: () => instance.unmount(),
    waitUntilExit: () => instance.waitUntilExit(),
  };
}

/** The rows of the pane whose top border carries `title`, until its bottom border. */
export function paneText(frame: string, title: string): string {
  const lines = frame.split('\n');
  const start = lines.findIndex((l) => l.includes(`─ ${title}`) || l.includes(`▸ ${title}`));
  if (start < 0) return '';
  const col = lines[start]!.indexOf('╭', Math.max(0, lines[start]!.indexOf(title) - 6));
  const out: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!;
    const seg = l.slice(col);
    if (seg.startsWith('╰')) break;
    const end = seg.indexOf('│', 1);
    out.push(seg.slice(1, end < 0 ? undefined : end));
  }
  return out.join('\n');
}

/** Pane text with wrapping undone, for phrases that may break across rows. */
export const flat = (s: string) => s.replace(/\s+/g, ' ');
