// Every key of the list, driven through the real key handler: space, n, /, s, m (and its
// confirmation), w, ?, q, tab, enter/esc, paging; plus the help overlay listing every key.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { fluxInput } from '../../src/flux/event-input.js';
import { FixtureSource } from '../../src/sources/fixture-source.js';
import { App } from '../../src/ui/app.js';
import { handleKey, splitKeys } from '../../src/ui/hooks/use-keyboard.js';
import { KEY_GROUPS } from '../../src/ui/keys.js';
import type { UIActions } from '../../src/ui/contexts.js';
import { initialUiState } from '../../src/ui/state.js';
import { flat, KEY, paneText, renderAt, tick, type Rendered } from './render-app.js';
import { fakeDeliver, ingest, kevent, standardWorld } from './world.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());

const header = (f: string) => f.split('\n').slice(0, 3).join('\n');
const footer = (f: string) => f.trimEnd().split('\n').at(-1)!;

describe('keys: replay control', () => {
  it('space pauses and resumes the replay (header shows paused / playing)', async () => {
    const runner = standardWorld();
    r = await renderAt(<App runner={runner} />);
    await r.press(' ');
    expect(runner.playback.state).toBe('paused');
    expect(header(r.lastFrame())).toContain('⏸ paused');
    await r.press(' ');
    expect(runner.playback.state).toBe('playing');
    expect(header(r.lastFrame())).toContain('▶ playing ×1');
  });

  it('n steps exactly one event through a paused fixture replay', async () => {
    const runner = standardWorld({ startPaused: true });
    const events = ['a', 'b', 'c'].map((n, i) => ({ line: i + 1, delayMs: 0, input: fluxInput(kevent(n)) }));
    const source = new FixtureSource({ file: 'events.ndjson', events }, 'scenario', async () => undefined);
    r = await renderAt(<App runner={runner} />);
    await source.start(runner);
    await tick(50);
    expect(runner.counters.events).toBe(0);
    await r.press('n');
    await tick(50);
    expect(runner.counters.events).toBe(1);
    expect(header(r.lastFrame())).toContain('⏭ step');
    expect(paneText(r.lastFrame(), 'Events')).toContain('Kustomization/flux-system/a');
    expect(paneText(r.lastFrame(), 'Events')).not.toContain('Kustomization/flux-system/b');
    await r.press('n');
    await tick(50);
    expect(runner.counters.events).toBe(2);
    await r.press(' ');
    await source.done;
    expect(runner.counters.events).toBe(3);
    await source.stop();
  });
});

describe('keys: filter', () => {
  async function filtered(query: string) {
    const runner = standardWorld();
    ingest(
      runner,
      kevent('podinfo', { reason: 'HealthCheckFailed', severity: 'error', message: 'timeout waiting for Deployment' }),
      kevent('infra', { reason: 'ReconciliationSucceeded' }),
      { ...kevent('redis'), involvedObject: { kind: 'HelmRelease', namespace: 'apps', name: 'redis', apiVersion: 'helm.toolkit.fluxcd.io/v2' } },
    );
    r = await renderAt(<App runner={runner} />);
    await r.press('/', ...query.split(''));
    return paneText(r.lastFrame(), 'Events');
  }

  it('/ filters by kind:', async () => {
    const e = await filtered('kind:helmrelease');
    expect(e).toContain('HelmRelease/apps/redis');
    expect(e).not.toContain('podinfo');
  });

  it('/ filters by name:', async () => {
    const e = await filtered('name:infra');
    expect(e).toContain('flux-system/infra');
    expect(e).not.toContain('podinfo');
    expect(e).not.toContain('redis');
  });

  it('/ filters by namespace: (ns: too)', async () => {
    const e = await filtered('ns:apps');
    expect(e).toContain('HelmRelease/apps/redis');
    expect(e).not.toContain('flux-system/');
  });

  it('/ filters by reason:', async () => {
    const e = await filtered('reason:healthcheck');
    expect(e).toContain('podinfo');
    expect(e).not.toContain('infra');
  });

  it('/ filters by free text in the message', async () => {
    const e = await filtered('deployment');
    expect(e).toContain('podinfo');
    expect(e).not.toContain('infra');
    expect(e).not.toContain('redis');
  });

  it('enter keeps the filter (header shows it); esc clears it and every event is back', async () => {
    await filtered('name:infra');
    await r!.press(KEY.enter);
    expect(header(r!.lastFrame())).toContain('filter: name:infra');
    expect(r!.lastFrame()).toContain('filter "name:infra": 1 of 3');
    await r!.press(KEY.esc);
    expect(r!.lastFrame()).not.toContain('filter "');
    expect(paneText(r!.lastFrame(), 'Events')).toContain('podinfo');
  });

  it('esc while typing clears the filter; backspace edits it', async () => {
    await filtered('name:infrX');
    expect(paneText(r!.lastFrame(), 'Events')).toContain('No event matches the filter "name:infrX"');
    await r!.press(KEY.backspace, 'a');
    expect(paneText(r!.lastFrame(), 'Events')).toContain('flux-system/infra');
    await r!.press(KEY.esc);
    expect(paneText(r!.lastFrame(), 'Events')).toContain('redis');
  });

  it('keys typed into the filter are text, not commands (q does not quit)', async () => {
    const onQuit = vi.fn();
    const runner = standardWorld();
    r = await renderAt(<App runner={runner} onQuit={onQuit} />);
    await r.press('/', 'q', ' ', 'n');
    expect(onQuit).not.toHaveBeenCalled();
    expect(runner.playback.state).toBe('playing');
    expect(footer(r.lastFrame())).toContain('/q n');
  });
});

describe('keys: delivery', () => {
  it("s sends the selected event's notifications again", async () => {
    const deliver = fakeDeliver();
    const runner = standardWorld({ deliver });
    ingest(runner, kevent('one', { severity: 'error' }), kevent('two'));
    await runner.settled();
    r = await renderAt(<App runner={runner} />);
    await r.press('k'); // select "one" (two alerts dispatched)
    const before = deliver.calls.length;
    await r.press('s');
    await runner.settled();
    await tick(60);
    expect(deliver.calls.length - before).toBe(2);
    expect(footer(r.lastFrame())).toContain("sending event #0's notifications again (MOCK)");
  });

  it('m without --send keeps MOCK and says REAL needs --send', async () => {
    const runner = standardWorld({ sendAllowed: false });
    r = await renderAt(<App runner={runner} />);
    await r.press('m');
    await tick(60);
    expect(runner.mode).toBe('mock');
    expect(header(r.lastFrame())).toContain(' MOCK ');
    expect(footer(r.lastFrame())).toContain('REAL delivery is only available when started with --send');
  });

  it('m with --send asks for confirmation: any other key stays MOCK, y switches to REAL', async () => {
    const runner = standardWorld({ sendAllowed: true });
    r = await renderAt(<App runner={runner} />);
    await r.press('m');
    expect(r.lastFrame()).toContain('Switch to REAL delivery?');
    expect(flat(r.lastFrame())).toContain('y switch to REAL any other key stay in MOCK');
    await r.press('n');
    await tick(60);
    expect(runner.mode).toBe('mock');
    expect(r.lastFrame()).not.toContain('Switch to REAL delivery?');
    expect(footer(r.lastFrame())).toContain('stayed in MOCK');
    await r.press('m', 'y');
    await tick(60);
    expect(runner.mode).toBe('real');
    expect(header(r.lastFrame())).toContain(' REAL ');
    expect(header(r.lastFrame())).not.toContain(' MOCK ');
  });

  it('m in REAL switches back to MOCK at once, without asking', async () => {
    const runner = standardWorld({ sendAllowed: true, mode: 'real' });
    r = await renderAt(<App runner={runner} />);
    expect(header(r.lastFrame())).toContain(' REAL ');
    await r.press('m');
    expect(runner.mode).toBe('mock');
    expect(r.lastFrame()).not.toContain('Switch to REAL delivery?');
    expect(header(r.lastFrame())).toContain(' MOCK ');
  });

  it('REAL stays visible in the header at 50 columns', async () => {
    const runner = standardWorld({ sendAllowed: true, mode: 'real' });
    r = await renderAt(<App runner={runner} />, { columns: 50 });
    expect(r.lastFrame().split('\n')[0]).toMatch(/^ REAL /);
  });

  it('w asks the app to write the events seen and shows where they went', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one'));
    const write = vi.fn(async () => ({ dir: '/tmp/flux-notify-capture-x', events: 1 }));
    r = await renderAt(<App runner={runner} onWriteFixture={write} />);
    await r.press('w');
    await tick(60);
    expect(write).toHaveBeenCalledOnce();
    expect(footer(r.lastFrame())).toContain('wrote 1 event(s) and the manifests to /tmp/flux-notify-capture-x');
  });

  it('w reports a failed write instead of crashing', async () => {
    const runner = standardWorld();
    r = await renderAt(<App runner={runner} onWriteFixture={async () => { throw new Error('EACCES: permission denied'); }} />);
    await r.press('w');
    await tick(60);
    expect(footer(r.lastFrame())).toContain('writing the fixture failed: EACCES: permission denied');
  });
});

describe('keys: navigation and app', () => {
  it('tab moves focus Events → Matching → Preview → Events; shift-tab goes back', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one'));
    r = await renderAt(<App runner={runner} />);
    expect(r.lastFrame()).toContain('▸ Events');
    await r.press(KEY.tab);
    expect(r.lastFrame()).toContain('▸ Matching');
    await r.press(KEY.tab);
    expect(r.lastFrame()).toContain('▸ Preview');
    await r.press(KEY.tab);
    expect(r.lastFrame()).toContain('▸ Events');
    await r.press(KEY.shiftTab);
    expect(r.lastFrame()).toContain('▸ Preview');
  });

  it('PgUp/PgDn move a page, g/G go to the first/last event', async () => {
    const runner = standardWorld();
    ingest(runner, ...Array.from({ length: 40 }, (_, i) => kevent(`app-${String(i).padStart(2, '0')}`)));
    r = await renderAt(<App runner={runner} />, { rows: 40 });
    await r.press(KEY.pageUp);
    const afterPage = /› \S+ Kustomization\/flux-system\/app-(\d\d)/.exec(r.lastFrame())![1]!;
    expect(Number(afterPage)).toBeLessThan(39);
    expect(Number(afterPage)).toBeGreaterThan(20);
    await r.press('g');
    expect(r.lastFrame()).toMatch(/› \S+ Kustomization\/flux-system\/app-00/);
    await r.press(KEY.pageDown);
    expect(r.lastFrame()).not.toMatch(/› \S+ Kustomization\/flux-system\/app-00/);
    await r.press('G');
    expect(r.lastFrame()).toMatch(/› \S+ Kustomization\/flux-system\/app-39/);
    expect(r.lastFrame()).toContain('⇣ following');
  });

  it('keys arriving in one read ("kk") act one by one', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('x1'), kevent('x2'), kevent('x3'));
    r = await renderAt(<App runner={runner} />);
    await r.press('kk');
    expect(r.lastFrame()).toMatch(/› \S+ Kustomization\/flux-system\/x1/);
  });

  it('? opens the help overlay listing every key; ? or esc closes it', async () => {
    const runner = standardWorld({ sendAllowed: true });
    r = await renderAt(<App runner={runner} />, { rows: 60 });
    await r.press('?');
    const help = r.lastFrame();
    for (const g of KEY_GROUPS) for (const k of g.keys) expect(help).toContain(k.keys);
    for (const k of ['space', 'n', '/', 's', 'm', 'w', '?', 'q', 'tab', 'enter', 'esc']) expect(help).toMatch(new RegExp(`(^|\\s)${k.replace(/[?/]/g, '\\$&')}(\\s|$)`, 'm'));
    await r.press(KEY.esc);
    expect(r.lastFrame()).not.toContain('esc or ? closes');
    await r.press('?', '?');
    expect(r.lastFrame()).not.toContain('esc or ? closes');
  });

  it('help says REAL is not offered when started without --send', async () => {
    const runner = standardWorld({ sendAllowed: false });
    r = await renderAt(<App runner={runner} />, { rows: 60 });
    await r.press('?');
    expect(flat(r.lastFrame())).toContain('MOCK only here: start with --send to offer REAL');
  });

  it('q quits: the app exits and onQuit is called', async () => {
    const onQuit = vi.fn();
    r = await renderAt(<App runner={standardWorld()} onQuit={onQuit} />);
    const exited = r.waitUntilExit();
    await r.press('q');
    await exited;
    expect(onQuit).toHaveBeenCalledOnce();
  });

  it('ctrl-c quits like q', async () => {
    const onQuit = vi.fn();
    r = await renderAt(<App runner={standardWorld()} onQuit={onQuit} />);
    const exited = r.waitUntilExit();
    await r.press(KEY.ctrlC);
    await exited;
    expect(onQuit).toHaveBeenCalledOnce();
  });

  it('without raw mode (stdin not a TTY) the app still renders and ignores input instead of throwing', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one'));
    r = await renderAt(<App runner={runner} />, { tty: false });
    expect(r.lastFrame()).toContain('Kustomization/flux-system/one');
    await r.press('q');
    expect(r.lastFrame()).toContain('Kustomization/flux-system/one');
  });
});

describe('key handler table', () => {
  // Each help entry's first key must reach an action; a key the handler ignores would be a lie in the help.
  function spyActions(): UIActions & { called: string[] } {
    const called: string[] = [];
    const handler: ProxyHandler<object> = {
      get: (_t, prop: string) => {
        if (prop === 'called') return called;
        if (prop === 'current') return () => initialUiState();
        return () => called.push(prop);
      },
    };
    return new Proxy({}, handler) as UIActions & { called: string[] };
  }
  const key = (over: Partial<Parameters<typeof handleKey>[1]> = {}) => ({ ...splitKeys('ab', {} as never)[0]![1], ...over });

  it.each([
    ['k', 'move'], ['j', 'move'], ['g', 'home'], ['G', 'end'], [' ', 'togglePause'], ['n', 'step'], ['/', 'startFilter'],
    ['s', 'resend'], ['m', 'requestModeSwitch'], ['w', 'writeFixture'], ['?', 'toggleHelp'], ['q', 'quit'],
    ['1', 'setView'], ['e', 'setView'], ['2', 'setView'], ['a', 'setView'], ['3', 'setView'], ['p', 'setView'], ['4', 'setView'], ['o', 'setView'],
  ])('key %j calls %s', (input, action) => {
    const act = spyActions();
    handleKey(input, key(), initialUiState(), act);
    expect(act.called).toEqual([action]);
  });

  it.each([
    ['upArrow', 'move'], ['downArrow', 'move'], ['pageUp', 'page'], ['pageDown', 'page'], ['return', 'enter'], ['escape', 'back'], ['tab', 'cyclePane'],
  ] as const)('special key %s calls %s', (name, action) => {
    const act = spyActions();
    handleKey('', key({ [name]: true }), initialUiState(), act);
    expect(act.called).toEqual([action]);
  });

  it('splitKeys turns "jk\\r" into j, k and return', () => {
    const keys = splitKeys('jk\r', {} as never);
    expect(keys.map(([i]) => i)).toEqual(['j', 'k', '']);
    expect(keys[2]![1].return).toBe(true);
  });
});
