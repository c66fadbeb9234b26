// Two contexts, as gemini-cli splits them: one for what to draw (UI state plus a read-only view of
// the runner), one for what the user can do (UI changes and intents sent to the runner). Panes read
// the first and never mutate the runner; only actions talk to it.

import { createContext, useContext } from 'react';
import type { AlertDecision } from '../flux/decision-types.js';
import type { Provider } from '../flux/types.js';
import type { EventRecord, Runner, RunnerNotice } from '../runner/runner.js';
import type { FilterTerm } from './filter.js';
import type { Layout } from './layout.js';
import type { AlertRow, EventList, OutboxEntry, ProviderRow } from './model.js';
import type { ListView, UiState, View } from './state.js';

export interface Derived {
  terms: FilterTerm[];
  events: EventList;
  selectedIndex: number;
  selected?: EventRecord;
  /** Every alert's decision with its trace, for the selected event only (built on first read). */
  alerts: AlertDecision[];
  outbox: OutboxEntry[];
  /** The runner's notices, oldest first (the Log view). */
  log: RunnerNotice[];
  alertRows: AlertRow[];
  providerRows: ProviderRow[];
}

export interface UIStateValue {
  ui: UiState;
  runner: Runner;
  /** The runner's change counter at the last (throttled) refresh. */
  version: number;
  layout: Layout;
  derived: Derived;
  providers: readonly Provider[];
}

export type ScrollTarget = 'matching' | 'preview' | 'detail';

export interface UIActions {
  move(delta: number): void;
  page(direction: 1 | -1): void;
  home(): void;
  end(): void;
  enter(): void;
  back(): void;
  cyclePane(direction: 1 | -1): void;
  setView(v: View): void;
  togglePause(): void;
  step(): void;
  resend(): void;
  requestModeSwitch(): void;
  answerConfirm(yes: boolean): void;
  writeFixture(): void;
  startFilter(): void;
  editFilter(text: string): void;
  finishFilter(): void;
  clearFilter(): void;
  toggleHelp(): void;
  quit(): void;
  /** Panes report how far their content can scroll, so keys stop at the end. */
  setScrollLimit(target: ScrollTarget, max: number): void;
  /** The Matching pane reports the line where the cursor's alert starts (expand scrolls there). */
  setCursorLine(line: number): void;
  listCursorFor(v: ListView): number;
  /** The UI state including keys handled since the last render. */
  current(): UiState;
}

export const UIStateContext = createContext<UIStateValue | null>(null);
export const UIActionsContext = createContext<UIActions | null>(null);

export function useUIState(): UIStateValue {
  const v = useContext(UIStateContext);
  if (!v) throw new Error('useUIState outside <App>');
  return v;
}

export function useUIActions(): UIActions {
  const v = useContext(UIActionsContext);
  if (!v) throw new Error('useUIActions outside <App>');
  return v;
}
