// The root component: holds the UI state, subscribes (throttled) to the runner, derives what the
// panes show, and provides the two contexts. No decision logic: it reads runner state and sends
// intents (pause, step, resend, mode) back.

import { Box, useApp } from 'ink';
import { useMemo, useRef, useState } from 'react';
import type { Provider } from '../flux/types.js';
import type { Runner } from '../runner/runner.js';
import { UIActionsContext, UIStateContext, type Derived, type ScrollTarget, type UIActions, type UIStateValue } from './contexts.js';
import { parseFilter } from './filter.js';
import { useKeyboard } from './hooks/use-keyboard.js';
import { useRunnerVersion } from './hooks/use-runner-version.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { layoutFor } from './layout.js';
import { alertRows, eventList, logRows, outboxEntries, providerRows, catalogProviders, selectedIndex } from './model.js';
import { Screen } from './screen.js';
import { clamp, initialUiState, PANES, selectEvent, type ListView, type UiState } from './state.js';

export interface AppProps {
  runner: Runner;
  /** The Providers to list; default: every Provider in the runner's catalog. */
  providers?: readonly Provider[];
  /** `w`: writes the events seen to a fixture dir; resolves with where and how many. */
  onWriteFixture?: () => Promise<{ dir: string; events: number }>;
  /** Called once when the user quits (q, ctrl-c), before the app unmounts. */
  onQuit?: () => void;
  initialState?: Partial<UiState>;
}

export function App({ runner, providers, onWriteFixture, onQuit, initialState }: AppProps) {
  const { exit } = useApp();
  const { version, refresh } = useRunnerVersion(runner);
  const { columns, rows } = useTerminalSize();
  const [ui, setUi] = useState<UiState>(() => ({ ...initialUiState(), ...initialState }));
  // The state as of the last key handled: a chunk of typed keys ("jjj") is applied one key at a
  // time, each seeing the previous one's result before React renders.
  const uiRef = useRef(ui);
  const layout = layoutFor(columns, rows, ui.focus);
  // The catalog is replaced when manifests change (cluster mode), so it is read per runner version.
  const allProviders = useMemo(() => providers ?? catalogProviders(runner), [providers, runner, runner.catalog]);

  const derived = useMemo<Derived>(() => {
    const terms = parseFilter(ui.filter);
    const events = eventList(runner, terms);
    const idx = selectedIndex(events, ui.selectedId);
    const selected = idx >= 0 ? events.at(idx) : undefined;
    const onEvents = ui.view === 'events' || ui.detailOpen;
    return {
      terms,
      events,
      selectedIndex: idx,
      selected,
      alerts: onEvents && selected && !selected.processed.rateLimited ? (selected.processed.decision?.alerts ?? []) : [],
      outbox: ui.view === 'outbox' ? outboxEntries(runner, terms) : [],
      log: ui.view === 'log' ? logRows(runner, terms) : [],
      alertRows: ui.view === 'alerts' ? alertRows(runner, terms) : [],
      providerRows: ui.view === 'providers' ? providerRows(runner, allProviders, terms) : [],
    };
    // version is the runner's change counter: the runner mutates in place, so it is the dependency.
  }, [runner, version, ui.filter, ui.selectedId, ui.view, ui.detailOpen, allProviders]);

  // Actions read the latest state through refs so their identity stays stable across frames.
  const latest = useRef({ ui, derived, layout });
  latest.current = { ui, derived, layout };
  const limits = useRef<Record<ScrollTarget, number>>({ matching: 0, preview: 0, detail: 0 });
  const cursorLine = useRef(0);

  const actions = useMemo<UIActions>(() => {
    const patch = (f: (s: UiState) => UiState) => {
      const next = f(uiRef.current);
      if (next === uiRef.current) return;
      uiRef.current = next;
      setUi(next);
    };
    const listLength = (s: UiState): number => {
      const d = latest.current.derived;
      if (s.view === 'alerts') return d.alertRows.length;
      if (s.view === 'providers') return d.providerRows.length;
      if (s.view === 'outbox') return d.outbox.length;
      if (s.view === 'log') return d.log.length;
      return d.events.length;
    };
    const listIndex = (s: UiState, v: ListView): number => {
      const n = listLength({ ...s, view: v });
      const c = s.listCursor[v];
      return c === null ? n - 1 : clamp(c, 0, Math.max(0, n - 1));
    };
    const pageSize = () => Math.max(1, (latest.current.layout.panes.events?.height ?? latest.current.layout.body.height) - 3);
    const scroll = (s: UiState, target: ScrollTarget, delta: number): UiState => {
      const key = target === 'matching' ? 'matchingScroll' : target === 'preview' ? 'previewScroll' : 'detailScroll';
      return { ...s, [key]: clamp(s[key] + delta, 0, limits.current[target]) };
    };
    const moveBy = (s: UiState, delta: number, toEnd?: 'first' | 'last'): UiState => {
      if (s.detailOpen) return scroll(s, 'detail', toEnd === 'first' ? -Infinity : toEnd === 'last' ? Infinity : delta);
      if (s.view !== 'events') {
        const v = s.view;
        const n = listLength(s);
        if (n === 0) return s;
        const cur = listIndex(s, v);
        const next = toEnd === 'first' ? 0 : toEnd === 'last' ? n - 1 : clamp(cur + delta, 0, n - 1);
        // The outbox and the log follow new entries while their cursor sits on the last one.
        const stored = (v === 'outbox' || v === 'log') && next === n - 1 ? null : next;
        return { ...s, listCursor: { ...s.listCursor, [v]: stored } };
      }
      if (s.focus === 'matching') {
        if (s.expanded) return scroll(s, 'matching', toEnd === 'first' ? -Infinity : toEnd === 'last' ? Infinity : delta);
        const n = latest.current.derived.alerts.length;
        if (n === 0) return s;
        const next = toEnd === 'first' ? 0 : toEnd === 'last' ? n - 1 : clamp(s.alertCursor + delta, 0, n - 1);
        return { ...s, alertCursor: next };
      }
      if (s.focus === 'preview') return scroll(s, 'preview', toEnd === 'first' ? -Infinity : toEnd === 'last' ? Infinity : delta);
      const d = latest.current.derived;
      const n = d.events.length;
      if (n === 0) return s;
      const cur = selectedIndex(d.events, s.selectedId);
      const next = toEnd === 'first' ? 0 : toEnd === 'last' ? n - 1 : clamp(cur + delta, 0, n - 1);
      // Reaching the newest event resumes following the tail, as a log viewer does.
      return selectEvent(s, next === n - 1 ? null : d.events.at(next)!.id);
    };
    // Looking at an event's matching or preview holds it: new events must not swap it underneath.
    // Esc on the Events pane (or G) follows the newest again.
    const pin = (s: UiState): UiState => {
      if (s.focus === 'events' || s.selectedId !== null) return s;
      const d = latest.current.derived;
      const rec = d.events.at(selectedIndex(d.events, null));
      return rec ? { ...s, selectedId: rec.id } : s;
    };
    const quit = () => {
      onQuit?.();
      exit();
    };
    const a: UIActions = {
      move: (delta) => patch((s) => moveBy(s, delta)),
      page: (dir) => patch((s) => moveBy(s, dir * pageSize())),
      home: () => patch((s) => moveBy(s, 0, 'first')),
      end: () => patch((s) => moveBy(s, 0, 'last')),
      enter: () =>
        patch((s) => {
          if (s.view !== 'events') return listLength(s) > 0 ? { ...s, detailOpen: true, detailScroll: 0 } : s;
          if (s.detailOpen) return s;
          if (s.focus === 'events') return latest.current.derived.selected ? pin({ ...s, focus: 'matching' }) : s;
          if (s.focus === 'matching') {
            if (latest.current.derived.alerts.length === 0) return s;
            return s.expanded ? { ...s, expanded: false, matchingScroll: 0 } : { ...s, expanded: true, matchingScroll: cursorLine.current };
          }
          return (latest.current.derived.selected?.deliveries.length ?? 0) > 0 ? { ...s, detailOpen: true, detailScroll: 0 } : s;
        }),
      back: () =>
        patch((s) => {
          if (s.detailOpen) return { ...s, detailOpen: false, detailScroll: 0 };
          if (s.view === 'events' && s.expanded) return { ...s, expanded: false, matchingScroll: 0 };
          if (s.view === 'events' && s.focus !== 'events') return { ...s, focus: 'events' };
          if (s.view !== 'events') return { ...s, view: 'events' };
          if (s.filter) return { ...s, filter: '' };
          // From a selected older event, esc goes back to following the newest.
          return selectEvent(s, null);
        }),
      cyclePane: (dir) =>
        patch((s) => {
          if (s.view !== 'events' || s.detailOpen) return s;
          const i = PANES.indexOf(s.focus);
          return pin({ ...s, focus: PANES[(i + dir + PANES.length) % PANES.length]! });
        }),
      setView: (v) => patch((s) => ({ ...s, view: v, detailOpen: false, detailScroll: 0 })),
      togglePause: () => {
        runner.togglePause();
        refresh();
      },
      step: () => {
        runner.step();
        refresh();
      },
      resend: () => {
        const s = uiRef.current;
        const d = latest.current.derived;
        let id: number | undefined = d.events.at(selectedIndex(d.events, s.selectedId))?.id;
        if (s.view === 'outbox') id = d.outbox[listIndex(s, 'outbox')]?.event.id;
        if (id === undefined) {
          runner.notice('warning', 'nothing to send: select an event first');
        } else if (runner.resend(id)) {
          runner.notice('info', `sending event #${id}'s notifications again (${runner.mode === 'real' ? 'REAL' : 'MOCK'})`);
        } else {
          runner.notice('warning', `event #${id} has nothing to send (rate limited, or no alert matched)`);
        }
        refresh();
      },
      requestModeSwitch: () => {
        if (runner.mode === 'real') {
          runner.setMode('mock');
          refresh();
          return;
        }
        if (!runner.sendAllowed) {
          // setMode explains that REAL needs --send
          runner.setMode('real');
          refresh();
          return;
        }
        patch((s) => ({ ...s, overlay: 'confirm-real' }));
      },
      answerConfirm: (yes) => {
        if (yes) runner.setMode('real');
        else runner.notice('info', 'stayed in MOCK: nothing leaves the machine');
        patch((s) => ({ ...s, overlay: null }));
        refresh();
      },
      writeFixture: () => {
        if (!onWriteFixture) {
          runner.notice('warning', 'writing fixtures is not available here');
          refresh();
          return;
        }
        runner.notice('info', 'writing the events seen…');
        refresh();
        onWriteFixture().then(
          (r) => runner.notice('info', `wrote ${r.events} event(s) and the manifests to ${r.dir} (replay: flux-notify-tui --fixtures ${r.dir})`),
          (e: unknown) => runner.notice('error', `writing the fixture failed: ${(e as Error).message}`),
        );
      },
      startFilter: () => patch((s) => ({ ...s, filterEditing: true })),
      editFilter: (text) => patch((s) => ({ ...s, filter: text })),
      finishFilter: () => patch((s) => ({ ...s, filterEditing: false })),
      clearFilter: () => patch((s) => ({ ...s, filter: '', filterEditing: false })),
      toggleHelp: () => patch((s) => ({ ...s, overlay: s.overlay === 'help' ? null : 'help' })),
      quit,
      setScrollLimit: (target, max) => {
        limits.current[target] = max;
      },
      setCursorLine: (l) => {
        cursorLine.current = l;
      },
      listCursorFor: (v) => listIndex(uiRef.current, v),
      current: () => uiRef.current,
    };
    return a;
  }, [runner, refresh, exit, onQuit, onWriteFixture]);

  useKeyboard(actions);

  const state: UIStateValue = { ui, runner, version, layout, derived, providers: allProviders };
  return (
    <UIStateContext.Provider value={state}>
      <UIActionsContext.Provider value={actions}>
        <Box width={layout.width} height={layout.height} flexDirection="column">
          <Screen />
        </Box>
      </UIActionsContext.Provider>
    </UIStateContext.Provider>
  );
}
