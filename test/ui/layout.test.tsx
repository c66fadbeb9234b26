// Narrow terminals: side by side from 100 columns, stacked below, one pane at a time below 60;
// a resize redraws in the new arrangement.

import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { layoutFor, layoutMode } from '../../src/ui/layout.js';
import { KEY, renderAt, tick, type Rendered } from './render-app.js';
import { ingest, kevent, standardWorld } from './world.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());

const titleRow = (f: string, title: string) => f.split('\n').findIndex((l) => l.includes(`─ ${title}`) || l.includes(`▸ ${title}`));

describe('layout', () => {
  it('layout modes switch at 100 and 60 columns', () => {
    expect([layoutMode(120), layoutMode(100), layoutMode(99), layoutMode(60), layoutMode(59), layoutMode(40)]).toEqual(['wide', 'wide', 'stacked', 'stacked', 'single', 'single']);
  });

  it('pane heights add up to the body, one row short of the terminal (no full-screen clear)', () => {
    for (const [c, rows] of [[120, 40], [80, 30], [50, 20]] as const) {
      const l = layoutFor(c, rows, 'events');
      expect(l.height).toBe(rows - 1);
      expect(l.headerHeight + l.body.height + l.footerHeight).toBe(l.height);
      const p = l.panes;
      const stackHeight = l.mode === 'wide' ? p.events!.height + p.matching!.height : l.mode === 'stacked' ? p.events!.height + p.matching!.height + p.preview!.height : p.events!.height;
      expect(stackHeight).toBe(l.body.height);
    }
  });

  it('120 columns: Matching and Preview side by side under Events', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one'));
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    const f = r.lastFrame();
    expect(titleRow(f, 'Matching')).toBe(titleRow(f, 'Preview'));
    expect(titleRow(f, 'Events')).toBeLessThan(titleRow(f, 'Matching'));
    expect(f.split('\n').every((l) => [...l].length <= 120)).toBe(true);
  });

  it('80 columns: the three panes are stacked vertically, each the full width', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one'));
    r = await renderAt(<App runner={runner} />, { columns: 80 });
    const f = r.lastFrame();
    const [e, m, p] = [titleRow(f, 'Events'), titleRow(f, 'Matching'), titleRow(f, 'Preview')];
    expect(e).toBeLessThan(m);
    expect(m).toBeLessThan(p);
    expect([...f.split('\n')[m]!].length).toBe(80);
    expect(f.split('\n').every((l) => [...l].length <= 80)).toBe(true);
    expect(f).toContain('ev 1 match 1 sent 1');
  });

  it('50 columns: one pane at a time; tab shows the next one', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one'));
    r = await renderAt(<App runner={runner} />, { columns: 50 });
    let f = r.lastFrame();
    expect(titleRow(f, 'Events')).toBeGreaterThan(0);
    expect(titleRow(f, 'Matching')).toBe(-1);
    expect(titleRow(f, 'Preview')).toBe(-1);
    expect(f).toContain('ks/flux-system/one');
    await r.press(KEY.tab);
    f = r.lastFrame();
    expect(titleRow(f, 'Events')).toBe(-1);
    expect(titleRow(f, 'Matching')).toBeGreaterThan(0);
    await r.press(KEY.tab);
    expect(titleRow(r.lastFrame(), 'Preview')).toBeGreaterThan(0);
    expect(r.lastFrame().split('\n').every((l) => [...l].length <= 50)).toBe(true);
  });

  it('a resize redraws: 120 → 50 → 80 columns changes the arrangement', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one'));
    r = await renderAt(<App runner={runner} />, { columns: 120, rows: 40 });
    expect(titleRow(r.lastFrame(), 'Preview')).toBe(titleRow(r.lastFrame(), 'Matching'));
    r.stdout.resize(50, 30);
    await tick();
    expect(titleRow(r.lastFrame(), 'Matching')).toBe(-1);
    expect(r.lastFrame().split('\n')).toHaveLength(29);
    r.stdout.resize(80, 40);
    await tick();
    const f = r.lastFrame();
    expect(titleRow(f, 'Matching')).toBeLessThan(titleRow(f, 'Preview'));
    expect(titleRow(f, 'Matching')).toBeGreaterThan(0);
  });
});
