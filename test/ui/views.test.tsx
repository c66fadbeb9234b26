// The Alerts, Providers, Outbox and Log views, switched by 1-5 / e a p o l, with enter for the detail
// (alert/provider manifest as YAML, a delivery's full request with secrets masked).

import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { flat, KEY, paneText, renderAt, type Rendered } from './render-app.js';
import { alert, fakeDeliver, ingest, kevent, makeRunner, provider, standardWorld } from './world.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());

describe('views', () => {
  it('2 (or a) shows Alerts with hit counts, dispatched counts and the last match', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one', { severity: 'error' }), kevent('two'));
    await runner.settled();
    r = await renderAt(<App runner={runner} />);
    await r.press('2');
    const t = paneText(r.lastFrame(), 'Alerts');
    expect(r.lastFrame()).toContain('[2 Alerts]');
    expect(t).toMatch(/flux-system\/everything\s+slack\s+info\s+1\s+2\s+2\s+09:\d\d:\d\d/);
    expect(t).toMatch(/flux-system\/on-call\s+slack\s+error\s+1\s+1\s+1\s+09:\d\d:\d\d/);
    expect(t).toMatch(/flux-system\/helm-only\s+slack\s+info\s+1\s+0\s+0\s+—/);
    await r.press('e');
    expect(r.lastFrame()).toContain('[1 Events]');
    await r.press('a');
    expect(r.lastFrame()).toContain('[2 Alerts]');
  });

  it('enter on an alert shows its manifest as YAML; esc goes back to the list', async () => {
    const runner = standardWorld();
    r = await renderAt(<App runner={runner} />);
    await r.press('a', 'j', KEY.enter);
    const f = r.lastFrame();
    expect(f).toContain('Alert flux-system/helm-only');
    expect(f).toContain('kind: Alert');
    expect(f).toContain('kind: HelmRelease');
    expect(f).toContain('never matched');
    await r.press(KEY.esc);
    expect(paneText(r.lastFrame(), 'Alerts')).toContain('flux-system/on-call');
  });

  it('3 (or p) shows Providers with their alerts, deliveries and errors', async () => {
    const runner = makeRunner({
      alerts: [alert('flux-system', 'good', { providerRef: { name: 'slack' } }), alert('flux-system', 'bad', { providerRef: { name: 'broken' } })],
      providers: [provider('flux-system', 'slack'), provider('flux-system', 'broken', { type: 'msteams' })],
      deliver: fakeDeliver(['flux-system/broken']),
    });
    ingest(runner, kevent('one'), kevent('two'));
    await runner.settled();
    r = await renderAt(<App runner={runner} providers={[provider('flux-system', 'slack'), provider('flux-system', 'broken', { type: 'msteams' }), provider('flux-system', 'unused')]} />);
    await r.press('3');
    const t = paneText(r.lastFrame(), 'Providers');
    expect(t).toMatch(/flux-system\/broken\s+msteams\s+1\s+2\s+2\s+404/);
    expect(t).toMatch(/flux-system\/slack\s+slack\s+1\s+2\s+0\s+200/);
    expect(t).toMatch(/flux-system\/unused\s+slack\s+0\s+0\s+0\s+—/);
    await r.press('p');
    expect(r.lastFrame()).toContain('[3 Providers]');
  });

  it('4 (or o) shows the Outbox: every delivery with its outcome and status, following the newest', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one', { severity: 'error' }), kevent('two'));
    await runner.settled();
    r = await renderAt(<App runner={runner} />);
    await r.press('4');
    const t = paneText(r.lastFrame(), 'Outbox');
    expect(r.lastFrame()).toContain('3 deliveries  ⇣ following');
    expect(t.match(/delivered\s+200/g)).toHaveLength(3);
    expect(t).toMatch(/› \S+ #1 ks\/flux-system\/two/);
  });

  it('enter in the Outbox shows the full request and response, secrets masked', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one'));
    await runner.settled();
    r = await renderAt(<App runner={runner} />, { rows: 50 });
    await r.press('o', KEY.enter);
    const f = r.lastFrame();
    expect(f).toContain('(secrets masked)');
    expect(f).toContain('POST https://hooks.slack.com/services/*****');
    expect(f).toContain('Authorization: Bearer *****');
    expect(f).toContain('"marker": "BODY-MARKER"');
    expect(f).toMatch(/reply 200/);
    await r.press(KEY.esc);
    expect(r.lastFrame()).toContain('[4 Outbox]');
  });

  it('5 (or l) shows the Log: every notice with its time and level, newest last, following; the filter narrows it; enter shows the whole text', async () => {
    const runner = standardWorld();
    runner.notice('info', 'loaded from the cluster: 3 alert(s)');
    runner.notice('warning', `cannot list alerts in all namespaces (forbidden): reading namespace apps only; ${'an Alert in another namespace is not seen. '.repeat(4)}END-OF-NOTICE`);
    runner.notice('error', 'watch events failed: connection refused');
    r = await renderAt(<App runner={runner} />, { rows: 40 });
    await r.press('5');
    const f = r.lastFrame();
    expect(f).toContain('[5 Log]');
    expect(f).toContain('3 notices  ⇣ following');
    const t = paneText(f, 'Log');
    expect(t).toMatch(/\d\d:\d\d:\d\d\s+info\s+loaded from the cluster/);
    expect(t).toMatch(/warning\s+cannot list alerts in all namespaces/);
    expect(t).toMatch(/› \S+\s+error\s+watch events failed/);
    await r.press('k', KEY.enter);
    expect(flat(r.lastFrame())).toContain('END-OF-NOTICE');
    expect(r.lastFrame()).toContain('warning');
    await r.press(KEY.esc, '/', ...'forbidden', KEY.enter);
    expect(r.lastFrame()).toContain('1 notices');
    await r.press(KEY.esc, 'l');
    expect(r.lastFrame()).toContain('[5 Log]');
  });

  it('enter in the Preview pane opens the full requests of the selected event', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one', { severity: 'error' }));
    await runner.settled();
    r = await renderAt(<App runner={runner} />, { rows: 60 });
    await r.press(KEY.tab, KEY.tab, KEY.enter);
    const f = flat(r.lastFrame());
    expect(f).toContain('Requests — event #0 Kustomization/flux-system/one (secrets masked)');
    expect(f.match(/request 1 of 1/g)).toHaveLength(2);
  });

  it('a long detail scrolls inside the app with ↓ (no pager)', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one', { message: Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n') }));
    await runner.settled();
    r = await renderAt(<App runner={runner} />, { rows: 16 });
    await r.press('o', KEY.enter);
    expect(r.lastFrame()).toMatch(/↓ \d+ more line/);
    await r.press(...Array(10).fill(KEY.down));
    expect(r.lastFrame()).toMatch(/↑ 10 above/);
  });

  it('empty states: no alerts loaded, no deliveries yet', async () => {
    const runner = makeRunner();
    r = await renderAt(<App runner={runner} />);
    await r.press('a');
    expect(flat(paneText(r.lastFrame(), 'Alerts'))).toContain('No alerts loaded: every event is discarded');
    await r.press('o');
    expect(paneText(r.lastFrame(), 'Outbox')).toContain('No deliveries yet.');
    await r.press('p');
    expect(paneText(r.lastFrame(), 'Providers')).toContain('No providers loaded.');
  });
});
