// The Events view: header, Events pane (follow tail, selection), Matching pane (✓/✗ per alert,
// the explain trace), Preview pane (deliveries, status, errors), and its empty states.

import { afterEach, describe, expect, it } from 'vitest';
import { stringMap } from '../../src/flux/types.js';
import { App } from '../../src/ui/app.js';
import { flat, KEY, paneText, renderAt, tick, type Rendered } from './render-app.js';
import { alert, event, fakeDeliver, ingest, kevent, makeRunner, provider, standardWorld } from './world.js';

let r: Rendered | undefined;

afterEach(() => r?.unmount());

describe('Events view', () => {
  it('header shows source, MOCK, replay state, connection and every counter', async () => {
    const runner = standardWorld();
    runner.setConnection({ state: 'connected', detail: 'replaying 3 events' });
    ingest(runner, kevent('apps', { severity: 'error' }), kevent('infra'));
    await runner.settled();
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    const top = r.lastFrame().split('\n').slice(0, 3).join('\n');
    expect(top).toContain(' MOCK ');
    expect(top).toContain('test/fixtures/scenario');
    expect(top).toContain('▶ playing ×1');
    expect(top).toContain('● connected: replaying 3 events');
    // error event: on-call and everything dispatched; info event: everything only
    expect(top).toContain('events 2  matched 2  dispatched 3  dropped 0  rate-limited 0  delivery errors 0');
    expect(top).toContain('[1 Events]');
  });

  it('events pane lists time, kind/namespace/name, severity, reason and how many alerts dispatched', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('apps', { severity: 'error', reason: 'HealthCheckFailed' }), kevent('infra', { reason: 'ReconciliationSucceeded' }));
    await runner.settled();
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    const events = paneText(r.lastFrame(), 'Events');
    expect(events).toMatch(/09:00:\d\d Kustomization\/flux-system\/apps\s+error HealthCheckFailed\s+✓2/);
    expect(events).toMatch(/Kustomization\/flux-system\/infra\s+info\s+ReconciliationSucceeded\s+✓1/);
  });

  it('follows the newest event until the user moves up, then keeps the selection while events arrive', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('one'), kevent('two'));
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    expect(r.lastFrame()).toMatch(/› \S+ Kustomization\/flux-system\/two/);
    ingest(runner, kevent('three'));
    await tick(80);
    expect(r.lastFrame()).toMatch(/› \S+ Kustomization\/flux-system\/three/);
    expect(r.lastFrame()).toContain('⇣ following');
    await r.press('k');
    ingest(runner, kevent('four'));
    await tick(80);
    expect(r.lastFrame()).toMatch(/› \S+ Kustomization\/flux-system\/two/);
    expect(r.lastFrame()).toContain('2/4');
    await r.press('G');
    expect(r.lastFrame()).toMatch(/› \S+ Kustomization\/flux-system\/four/);
  });

  it('↑/↓ and k/j move the selection and the Matching pane follows it', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('alpha', { severity: 'error' }), kevent('beta'), kevent('gamma'));
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    await r.press(KEY.up);
    expect(r.lastFrame()).toMatch(/› \S+ Kustomization\/flux-system\/beta/);
    await r.press('k');
    expect(r.lastFrame()).toMatch(/› \S+ Kustomization\/flux-system\/alpha/);
    expect(paneText(r.lastFrame(), 'Matching')).toContain('Kustomization/flux-system/alpha  error');
    await r.press(KEY.down);
    expect(r.lastFrame()).toMatch(/› \S+ Kustomization\/flux-system\/beta/);
    await r.press('j');
    expect(r.lastFrame()).toMatch(/› \S+ Kustomization\/flux-system\/gamma/);
  });

  it('matching pane lists every alert with ✓/✗ and its reason code', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('apps'));
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    const m = paneText(r.lastFrame(), 'Matching');
    expect(m).toContain('3 alert(s): 1 dispatched, 0 dropped, 2 not matched');
    expect(m).toMatch(/✓ flux-system\/everything → flux-system\/slack \(slack\)\s+ok/);
    expect(m).toMatch(/✗ flux-system\/helm-only → flux-system\/slack \(slack\)\s+not-matched:\s+no-matching-source/);
    expect(m).toMatch(/✗ flux-system\/on-call → flux-system\/slack \(slack\)\s+not-matched:\s+no-matching-source/);
  });

  it('enter on an alert expands the explain trace: each check with the values compared, then esc collapses', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('apps'));
    r = await renderAt(<App runner={runner} />, { columns: 120, rows: 60 });
    await r.press(KEY.enter); // event → Matching
    expect(r.lastFrame()).toContain('▸ Matching');
    await r.press('j', 'j', KEY.enter); // on-call: info event vs eventSeverity error
    const m = paneText(r.lastFrame(), 'Matching');
    expect(m).toContain('✓ suspend: spec.suspend is false');
    expect(m).toMatch(/✗ eventSources\[0\]: .*severity/s);
    expect(m).toMatch(/severity: wanted error, got\s+info/);
    await r.press(KEY.esc);
    expect(paneText(r.lastFrame(), 'Matching')).not.toContain('suspend: spec.suspend');
    await r.press(KEY.esc);
    expect(r.lastFrame()).toContain('▸ Events');
  });

  it('the expanded trace of a dispatched alert shows the merged metadata and its conflicts', async () => {
    const runner = makeRunner({
      alerts: [alert('flux-system', 'tagged', { eventMetadata: stringMap([['cluster', 'prod-eu-1'], ['env', 'prod']]) })],
      providers: [provider('flux-system', 'slack')],
    });
    const e = event({ metadata: stringMap([['kustomize.toolkit.fluxcd.io/cluster', 'from-event'], ['kustomize.toolkit.fluxcd.io/revision', 'main@sha1:abc']]) });
    ingest(runner, e);
    r = await renderAt(<App runner={runner} />, { columns: 120, rows: 70 });
    await r.press(KEY.enter, KEY.enter);
    const m = paneText(r.lastFrame(), 'Matching');
    expect(m).toContain('metadata the provider receives:');
    expect(m).toMatch(/cluster = from-event/);
    expect(m).toMatch(/env = prod/);
    expect(m).toContain('metadata conflicts');
    expect(m).toMatch(/cluster: .+ < .+/);
  });

  it('↓/↑ scroll an expanded trace that is longer than the pane', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('apps'));
    r = await renderAt(<App runner={runner} />, { columns: 120, rows: 24 });
    await r.press(KEY.enter, KEY.enter);
    const before = paneText(r.lastFrame(), 'Matching');
    expect(before).toMatch(/↓ \d+ more line/);
    await r.press('j', 'j', 'j');
    const after = paneText(r.lastFrame(), 'Matching');
    expect(after).not.toEqual(before);
    expect(after).toMatch(/↑ \d+ above/);
  });

  it('an event whose every alert fails shows every alert ✗ with its reason, 0 dispatched and nothing sent', async () => {
    const runner = standardWorld();
    ingest(runner, event({ involvedObject: { kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system', apiVersion: 'source.toolkit.fluxcd.io/v1' }, timestamp: '2026-11-21T10:00:00Z' }));
    await runner.settled();
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    const f = r.lastFrame();
    expect(paneText(f, 'Events')).toMatch(/GitRepository\/flux-system\/flux-system\s+info\s+\S+\s+·/);
    const m = paneText(f, 'Matching');
    expect(m).toContain('3 alert(s): 0 dispatched, 0 dropped, 3 not matched');
    expect(m.match(/✗ flux-system\//g)).toHaveLength(3);
    expect(m).not.toContain('✓ flux-system/');
    expect(paneText(f, 'Preview')).toContain('Nothing sent: no alert dispatched this event.');
    expect(f).toContain('events 1  matched 0  dispatched 0');
  });

  it('a rate-limited duplicate is marked RL and no alert is looked at', async () => {
    const runner = standardWorld();
    const e = kevent('apps');
    ingest(runner, e, { ...e, timestamp: e.timestamp!.replace(/:(\d\d)Z$/, (_m, s: string) => `:${String(Number(s) + 1).padStart(2, '0')}Z`) });
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    const f = r.lastFrame();
    expect(paneText(f, 'Events')).toMatch(/ReconciliationSucceeded\s+RL/);
    expect(paneText(f, 'Matching')).toContain('Rate limited');
    expect(paneText(f, 'Preview')).toContain('Nothing sent: the event was rate limited.');
    expect(f).toContain('rate-limited 1');
  });

  it('preview pane shows each delivery with its status; a failed one shows the error', async () => {
    const runner = makeRunner({
      alerts: [alert('flux-system', 'good', { providerRef: { name: 'slack' } }), alert('flux-system', 'bad', { providerRef: { name: 'broken' } })],
      providers: [provider('flux-system', 'slack'), provider('flux-system', 'broken')],
      deliver: fakeDeliver(['flux-system/broken']),
    });
    ingest(runner, kevent('apps'));
    await runner.settled();
    r = await renderAt(<App runner={runner} />, { columns: 120, rows: 60 });
    const p = paneText(r.lastFrame(), 'Preview');
    expect(p).toMatch(/→ flux-system\/slack \(slack\)\s+delivered 200\s+MOCK/);
    expect(p).toMatch(/→ flux-system\/broken \(slack\)\s+failed 404/);
    expect(flat(p)).toContain('error: postMessage failed: failed to post to the webhook: 404 Not Found');
    expect(p).toContain('POST https://hooks.slack.com/services/*****');
    expect(r.lastFrame()).toContain('delivery errors 1');
    expect(paneText(r.lastFrame(), 'Events')).toMatch(/✗2/);
  });

  it('empty state with no events says what it is waiting for', async () => {
    const runner = standardWorld();
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    expect(paneText(r.lastFrame(), 'Events')).toContain('No events yet: waiting for test/fixtures/scenario.');
    expect(paneText(r.lastFrame(), 'Matching')).toContain('Select an event');
    expect(paneText(r.lastFrame(), 'Preview')).toContain('Select an event to see what was sent.');
  });

  it('empty state with no alerts loaded explains that NC discards the event', async () => {
    const runner = makeRunner();
    ingest(runner, kevent('apps'));
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    expect(paneText(r.lastFrame(), 'Matching')).toContain('No alerts loaded');
    expect(flat(paneText(r.lastFrame(), 'Matching'))).toContain('discarding event, no alerts found for the involved object');
  });

  it('a bounded history says how many events were dropped from the view', async () => {
    const runner = standardWorld({ historySize: 3 });
    ingest(runner, kevent('a'), kevent('b'), kevent('c'), kevent('d'), kevent('e'));
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    expect(r.lastFrame()).toContain('Events 3 (of 5, oldest dropped)');
    expect(paneText(r.lastFrame(), 'Events')).not.toContain('flux-system/b ');
  });

  it('event text from the wire cannot inject terminal escapes', async () => {
    const runner = standardWorld();
    ingest(runner, kevent('apps', { message: 'evil \u001b[2J cleared?\ttab' }));
    r = await renderAt(<App runner={runner} />, { columns: 120 });
    const raw = r.stdout.frames.at(-1)!;
    expect(raw).not.toContain('\u001b[2J');
    expect(paneText(r.lastFrame(), 'Matching')).toContain('evil ␛[2J cleared?  tab');
  });
});
