// Keys → actions. One handler for the whole app, so a key means one thing at a time: the filter
// prompt and the REAL confirmation take keys first, then the help overlay, then the views.

import { useInput, useStdin, type Key } from 'ink';
import type { UIActions } from '../contexts.js';
import type { UiState } from '../state.js';

const VIEW_KEYS = { '1': 'events', e: 'events', '2': 'alerts', a: 'alerts', '3': 'providers', p: 'providers', '4': 'outbox', o: 'outbox', '5': 'log', l: 'log' } as const;

export function handleKey(input: string, key: Key, ui: UiState, act: UIActions): void {
  if (key.ctrl && input === 'c') return act.quit();
  if (ui.overlay === 'confirm-real') return act.answerConfirm(input === 'y' || input === 'Y');
  if (ui.filterEditing) {
    if (key.escape) return act.clearFilter();
    if (key.return) return act.finishFilter();
    if (key.backspace || key.delete) return act.editFilter(ui.filter.slice(0, -1));
    if (key.ctrl && input === 'u') return act.editFilter('');
    // Arrows, tab and other control keys are not text.
    if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow) return act.editFilter(ui.filter + input);
    return;
  }
  if (ui.overlay === 'help') {
    if (input === 'q') return act.quit();
    if (key.escape || input === '?') return act.toggleHelp();
    return;
  }
  if (key.upArrow || input === 'k') return act.move(-1);
  if (key.downArrow || input === 'j') return act.move(1);
  if (key.pageUp) return act.page(-1);
  if (key.pageDown) return act.page(1);
  if (key.home || input === 'g') return act.home();
  if (key.end || input === 'G') return act.end();
  if (key.return) return act.enter();
  if (key.escape) return act.back();
  if (key.tab) return act.cyclePane(key.shift ? -1 : 1);
  if (input in VIEW_KEYS) return act.setView(VIEW_KEYS[input as keyof typeof VIEW_KEYS]);
  switch (input) {
    case ' ':
      return act.togglePause();
    case 'n':
      return act.step();
    case '/':
      return act.startFilter();
    case 's':
      return act.resend();
    case 'm':
      return act.requestModeSwitch();
    case 'w':
      return act.writeFixture();
    case '?':
      return act.toggleHelp();
    case 'q':
      return act.quit();
  }
}

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

/**
 * Ink hands over a run of plain characters as one input ("jjj\r" when keys repeat or arrive in
 * one read, or under load); split it into the keys a terminal would have sent one by one.
 */
export function splitKeys(input: string, key: Key): Array<[string, Key]> {
  const chars = [...input];
  if (chars.length <= 1) return [[input, key]];
  return chars.map((c): [string, Key] => {
    if (c === '\r') return ['', { ...NO_KEY, return: true }];
    if (c === '\t') return ['', { ...NO_KEY, tab: true }];
    if (c === '\b') return ['', { ...NO_KEY, backspace: true }];
    if (c === '\x7f') return ['', { ...NO_KEY, delete: true }];
    if (c < ' ') return [String.fromCharCode(c.charCodeAt(0) + 96), { ...NO_KEY, ctrl: true }];
    return [c, { ...NO_KEY, shift: /[A-Z]/.test(c) }];
  });
}

/** Listens only when stdin can be put in raw mode: elsewhere Ink's useInput throws. */
export function useKeyboard(act: UIActions): void {
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      for (const [i, k] of splitKeys(input, key)) handleKey(i, k, act.current(), act);
    },
    { isActive: isRawModeSupported === true },
  );
}
