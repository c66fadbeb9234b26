// UI state: what the user is looking at (view, focused pane, selection, filter, overlays). It is
// separate from the runner's state, which the UI only reads; nothing here changes a decision.

export type View = 'events' | 'alerts' | 'providers' | 'outbox' | 'log';
export type PaneId = 'events' | 'matching' | 'preview';
export type ListView = Exclude<View, 'events'>;

export const VIEWS: readonly View[] = ['events', 'alerts', 'providers', 'outbox', 'log'];
export const VIEW_TITLES: Record<View, string> = { events: 'Events', alerts: 'Alerts', providers: 'Providers', outbox: 'Outbox', log: 'Log' };
export const PANES: readonly PaneId[] = ['events', 'matching', 'preview'];
export const PANE_TITLES: Record<PaneId, string> = { events: 'Events', matching: 'Matching', preview: 'Preview' };

export interface UiState {
  view: View;
  focus: PaneId;
  /** The selected event's id; null follows the tail (newest event). */
  selectedId: number | null;
  /** The alert under the cursor in the Matching pane. */
  alertCursor: number;
  /** The alert under the cursor shows its explain trace. */
  expanded: boolean;
  matchingScroll: number;
  previewScroll: number;
  /** Cursor per list view; null follows the tail (the outbox and the log grow). */
  listCursor: Record<ListView, number | null>;
  /** The full item behind the cursor: alert/provider YAML, or a delivery's full request. */
  detailOpen: boolean;
  detailScroll: number;
  filter: string;
  /** True while the `/` prompt takes keystrokes. */
  filterEditing: boolean;
  overlay: null | 'help' | 'confirm-real';
}

export function initialUiState(): UiState {
  return {
    view: 'events',
    focus: 'events',
    selectedId: null,
    alertCursor: 0,
    expanded: false,
    matchingScroll: 0,
    previewScroll: 0,
    listCursor: { alerts: 0, providers: 0, outbox: null, log: null },
    detailOpen: false,
    detailScroll: 0,
    filter: '',
    filterEditing: false,
    overlay: null,
  };
}

/** A new event selection starts its Matching and Preview panes from the top. */
export function selectEvent(s: UiState, id: number | null): UiState {
  if (id === s.selectedId) return s;
  return { ...s, selectedId: id, alertCursor: 0, expanded: false, matchingScroll: 0, previewScroll: 0 };
}

export const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
