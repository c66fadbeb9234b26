// The pieces under the panes: filter syntax, line wrapping, the event list model and the
// throttled, batched subscription to the runner.

import { Text } from 'ink';
import { afterEach, describe, expect, it } from 'vitest';
import { matchesFilter, parseFilter } from '../../src/ui/filter.js';
import { useRunnerVersion } from '../../src/ui/hooks/use-runner-version.js';
import { eventList, matchMarker, selectedIndex } from '../../src/ui/model.js';
import { line, seg, wrapLine } from '../../src/ui/text-lines.js';
import type { Runner } from '../../src/runner/runner.js';
import { renderAt, tick, type Rendered } from './render-app.js';
import { ingest, kevent, makeRunner, standardWorld } from './world.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());

describe('filter', () => {
  it('field prefixes look at one field; a bare word at every field and the message', () => {
    const item = { kind: 'Kustomization', name: 'apps', namespace: 'flux-system', reason: 'HealthCheckFailed', severity: 'error', text: 'timeout waiting for Deployment' };
    expect(matchesFilter(parseFilter('kind:kustom'), item)).toBe(true);
    expect(matchesFilter(parseFilter('kind:helm'), item)).toBe(false);
    expect(matchesFilter(parseFilter('name:apps ns:flux'), item)).toBe(true);
    expect(matchesFilter(parseFilter('namespace:apps'), item)).toBe(false);
    expect(matchesFilter(parseFilter('reason:health severity:error'), item)).toBe(true);
    expect(matchesFilter(parseFilter('DEPLOYMENT'), item)).toBe(true);
    expect(matchesFilter(parseFilter('apps deployment'), item)).toBe(true);
    expect(matchesFilter(parseFilter('apps nothing'), item)).toBe(false);
  });

  it('an unknown prefix is searched as text, so typing never errors', () => {
    expect(parseFilter('http://x')).toEqual([{ field: 'text', value: 'http://x' }]);
    expect(matchesFilter(parseFilter('kind:'), { kind: 'X' })).toBe(true);
  });
});

describe('wrapLine', () => {
  it('breaks at a space and indents continuation rows under the text', () => {
    const rows = wrapLine(line('  ', seg('alpha beta gamma delta', { bold: true })), 14);
    const text = rows.map((r) => r.map((s) => s.text).join(''));
    expect(text).toEqual(['  alpha beta ', '    gamma ', '    delta']);
    expect(rows[1]!.at(-1)!.bold).toBe(true);
  });

  it('cuts a word longer than the row', () => {
    const text = wrapLine(line('abcdefghijkl'), 5).map((r) => r.map((s) => s.text).join(''));
    expect(text[0]).toBe('abcde');
    expect(text.join('').replace(/ /g, '')).toBe('abcdefghijkl');
  });
});

describe('event list model', () => {
  it('unfiltered lookups by id follow the ring after old events are dropped', () => {
    const runner = standardWorld({ historySize: 3 });
    ingest(runner, kevent('a'), kevent('b'), kevent('c'), kevent('d'));
    const list = eventList(runner, []);
    expect(list.length).toBe(3);
    expect(list.indexOfId(0)).toBe(-1);
    expect(list.indexOfId(3)).toBe(2);
    expect(selectedIndex(list, null)).toBe(2);
    // the selected event left the history: the cursor stays at the oldest kept
    expect(selectedIndex(list, 0)).toBe(0);
  });

  it('filtered lists find ids by binary search', () => {
    const runner = standardWorld();
    ingest(runner, kevent('a'), kevent('b'), kevent('a'), kevent('c'), kevent('a'));
    const list = eventList(runner, parseFilter('name:a'));
    expect(list.length).toBe(3);
    expect([0, 2, 4].map((id) => list.indexOfId(id))).toEqual([0, 1, 2]);
    expect(list.indexOfId(3)).toBe(-1);
  });

  it('the match marker counts dispatched alerts; · when none matched; RL when rate limited', () => {
    const runner = standardWorld();
    const e = kevent('x', { severity: 'error' });
    ingest(runner, e, { ...e, timestamp: e.timestamp!.replace(/Z$/, '').replace(/:(\d\d)$/, (_m, s: string) => `:${String((Number(s) + 1) % 60).padStart(2, '0')}`) + 'Z' });
    const none = makeRunner();
    ingest(none, kevent('y'));
    expect(matchMarker(runner.events.at(0)!).text).toBe('…2');
    expect(matchMarker(runner.events.at(1)!)).toEqual({ text: 'RL', tone: 'warn' });
    expect(matchMarker(none.events.at(0)!)).toEqual({ text: '·', tone: 'dim' });
  });
});

describe('throttled subscription', () => {
  function Probe({ runner, renders }: { runner: Runner; renders: number[] }) {
    const { version } = useRunnerVersion(runner);
    renders.push(version);
    return <Text>{`version ${version}`}</Text>;
  }

  it('a burst of 2000 events in one tick becomes one re-render, not 2000', async () => {
    const runner = standardWorld();
    const renders: number[] = [];
    r = await renderAt(<Probe runner={runner} renders={renders} />);
    const before = renders.length;
    ingest(runner, ...Array.from({ length: 2000 }, (_, i) => kevent(`b${i}`)));
    await tick(80);
    expect(renders.length - before).toBeLessThanOrEqual(2);
    expect(r.lastFrame()).toContain(`version ${runner.version}`);
  });

  it('changes spread over time render at most about 30 times per second', async () => {
    const runner = standardWorld();
    const renders: number[] = [];
    r = await renderAt(<Probe runner={runner} renders={renders} />);
    const before = renders.length;
    const started = Date.now();
    while (Date.now() - started < 500) {
      runner.notice('info', 'tick');
      await new Promise((res) => setTimeout(res, 2));
    }
    await tick(60);
    // 500 ms at ≤ 30 frames/s is ≤ 15 frames, plus the trailing one
    expect(renders.length - before).toBeLessThanOrEqual(17);
    expect(renders.length - before).toBeGreaterThanOrEqual(5);
  });
});
