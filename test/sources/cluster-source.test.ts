// Cluster mode against the fake API server: events seen live and matched, history, resume after
// drops, 410 re-lists, ERROR events, bookmarks, occurrences (spec §1.6), edits applied at once,
// secrets read by name only with 403 handled, and matchLabels through PartialObjectMetadata.

import { afterEach, describe, expect, it } from 'vitest';
import { alert, bumpCount, fluxEvent, kustomization, provider, secret } from '../../mocks/fake-kube/objects.js';
import { outcome, sleepMs, startConnectProxy, startHarness, until, untilWatching, type Harness } from './cluster-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const names = (recs: { processed: { event: { involvedObject: { name?: string } } } }[]) => recs.map((r) => r.processed.event.involvedObject.name);

describe('cluster source', () => {
  it('an event created on the server appears live, matched against the Alerts and Providers read from the cluster', async () => {
    h = await startHarness();
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'apps', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:0123456789abcdef0123456789abcdef01234567' }));
    await until('event ingested', () => h!.live('apps').length === 1);
    const rec = h.live('apps')[0]!;
    expect(rec.history).toBe(false);
    // Whichever of the two views delivers first is shown; the other is a duplicate.
    expect(['core/v1', 'events.k8s.io/v1']).toContain(rec.processed.input.origin);
    expect(rec.processed.event.reason).toBe('ReconciliationSucceeded');
    expect(rec.processed.event.reportingController).toBe('kustomize-controller');
    expect(outcome(rec, 'flux-system/on-call')).toBe('dispatched/ok');
    await until('delivered', () => h!.delivered.length === 1);
    expect(h.delivered[0]!.provider.metadata.name).toBe('slack');
    // The webhook URL comes from the Secret read from the cluster.
    expect(h.delivered[0]!.assembled.options.url).toBe('https://hooks.slack.com/services/T000/B000/XXXX');
    expect(h.runner.connection.state).toBe('connected');
  });

  it('the caveats of the Kubernetes Event conversion are shown on the event (spec §1.6 limits)', async () => {
    h = await startHarness();
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'apps', type: 'Normal' }));
    await until('event ingested', () => h!.live('apps').length === 1);
    const caveats = h.live('apps')[0]!.processed.input.caveats.join('\n');
    expect(caveats).toContain('may be trace');
    expect(caveats).toContain('reportingInstance unknown');
  });

  it('events the cluster already holds at start are history: shown in time order, not dispatched', async () => {
    h = await startHarness({
      seed: (fake) => {
        fake.create(alert('flux-system', 'on-call', { providerRef: { name: 'slack' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }] }));
        fake.create(provider('flux-system', 'slack', { type: 'slack', channel: 'general', address: 'https://hooks.slack.com/services/x' }));
        // Names sort b-later before z-earlier: the list order is not the time order.
        fake.create(fluxEvent({ name: 'later', eventName: 'a-later', at: new Date('2025-01-01T10:05:00Z') }));
        fake.create(fluxEvent({ name: 'earlier', eventName: 'z-earlier', at: new Date('2025-01-01T10:00:00Z') }));
      },
    });
    await untilWatching(h);
    await until('history ingested', () => h!.records().length === 2);
    const recs = h.records();
    expect(recs.every((r) => r.history)).toBe(true);
    expect(names(recs)).toEqual(['earlier', 'later']);
    expect(outcome(recs[0]!, 'flux-system/on-call')).toBe('dispatched/ok');
    expect(recs[0]!.processed.input.caveats.some((c) => c.startsWith('history:'))).toBe(true);
    await sleepMs(50);
    expect(h.delivered).toHaveLength(0);
  });

  it('with replayHistory the events already in the cluster are dispatched', async () => {
    h = await startHarness({
      source: { replayHistory: true },
      seed: (fake) => {
        fake.create(alert('flux-system', 'on-call', { providerRef: { name: 'slack' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }] }));
        fake.create(provider('flux-system', 'slack', { type: 'slack', channel: 'general', address: 'https://hooks.slack.com/services/x' }));
        fake.create(fluxEvent({ name: 'old' }));
      },
    });
    await until('delivered', () => h!.delivered.length === 1);
    expect(h.records()[0]!.history).toBe(false);
  });

  it('a dropped watch connection (even mid-line) resumes from the last resourceVersion: no event lost or duplicated', async () => {
    h = await startHarness();
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'e1' }));
    await until('e1', () => h!.live('e1').length === 1);
    const rvAfterE1 = h.fake.resourceVersion;
    expect(h.fake.dropWatches({ plural: 'events', partialLine: true })).toBe(2);
    // Created while the client is disconnected: only a resumed watch can deliver them.
    h.fake.create(fluxEvent({ name: 'e2' }));
    h.fake.create(fluxEvent({ name: 'e3' }));
    await until('e2 and e3', () => h!.live('e3').length === 1 && h!.live('e2').length === 1);
    h.fake.create(fluxEvent({ name: 'e4' }));
    await until('e4', () => h!.live('e4').length === 1);
    await sleepMs(100);
    expect(names(h.live())).toEqual(['e1', 'e2', 'e3', 'e4']);
    const resumed = h.fake.requests.filter((r) => r.watch && r.path === '/api/v1/namespaces/flux-system/events' && r.query.resourceVersion === rvAfterE1);
    expect(resumed.length).toBeGreaterThan(0);
    // No re-list: the resume point was still valid.
    expect(h.fake.requests.filter((r) => !r.watch && r.path === '/api/v1/namespaces/flux-system/events')).toHaveLength(1);
    expect(h.notices().some((n) => n.startsWith('warning: events (core/v1):') && n.includes('retrying'))).toBe(true);
    expect(h.notices().some((n) => n.startsWith('info: events (core/v1): watching again from resourceVersion'))).toBe(true);
  });

  for (const goneAs of ['event', 'http'] as const) {
    it(`a 410 Gone on resume (${goneAs === 'event' ? 'ERROR event' : 'HTTP status'}) re-lists and shows only the events not seen yet`, async () => {
      h = await startHarness({ fake: { goneAs } });
      await untilWatching(h);
      h.fake.create(fluxEvent({ name: 'e1' }));
      await until('e1', () => h!.live('e1').length === 1);
      h.fake.dropWatches({ plural: 'events' });
      h.fake.create(fluxEvent({ name: 'e2' }));
      h.fake.compact();
      await until('e2', () => h!.live('e2').length === 1);
      await sleepMs(100);
      expect(names(h.live())).toEqual(['e1', 'e2']);
      const lists = h.fake.requests.filter((r) => !r.watch && r.path === '/api/v1/namespaces/flux-system/events');
      expect(lists.length).toBeGreaterThanOrEqual(2);
      expect(h.live('e2')[0]!.history).toBe(false);
    });
  }

  it('an ERROR event other than 410 is retried with backoff and resumes from the last resourceVersion', async () => {
    h = await startHarness();
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'e1' }));
    await until('e1', () => h!.live('e1').length === 1);
    const rv = h.fake.resourceVersion;
    const seen: string[] = [];
    h.runner.subscribe(() => seen.push(h!.runner.connection.state));
    expect(h.fake.watchError(500, { plural: 'events' })).toBe(2);
    h.fake.create(fluxEvent({ name: 'e2' }));
    await until('e2', () => h!.live('e2').length === 1);
    expect(seen).toContain('retrying');
    expect(h.fake.requests.some((r) => r.watch && r.path.endsWith('/events') && r.query.resourceVersion === rv)).toBe(true);
    expect(names(h.live())).toEqual(['e1', 'e2']);
  });

  it('a BOOKMARK moves the resume point: the next watch starts from the bookmark resourceVersion', async () => {
    h = await startHarness();
    await untilWatching(h);
    h.fake.create(alert('other', 'noise', { providerRef: { name: 'x' }, eventSources: [{ kind: 'Bucket', name: '*' }] }));
    const rv = h.fake.resourceVersion;
    expect(h.fake.bookmark()).toBeGreaterThan(0);
    await sleepMs(50);
    h.fake.closeWatches({ plural: 'events' });
    await until('re-watch', () => h!.fake.requests.some((r) => r.watch && r.path === '/api/v1/namespaces/flux-system/events' && r.query.resourceVersion === rv));
    expect(h.fake.requests.filter((r) => r.watch).every((r) => r.query.allowWatchBookmarks === 'true')).toBe(true);
  });

  it('a count going up by n is n emissions; a MODIFIED without a count change is none (spec §1.6 Occurrences)', async () => {
    h = await startHarness();
    await untilWatching(h);
    const ev = h.fake.create(fluxEvent({ name: 'rep', reason: 'HealthCheckFailed', type: 'Warning', message: 'health check failed' }));
    await until('first', () => h!.live('rep').length === 1);
    bumpCount(ev);
    bumpCount(ev);
    h.fake.update(ev);
    await until('two more', () => h!.live('rep').length === 3);
    // An update that does not raise the count (e.g. a label edit) is not an emission.
    const cur = h.fake.get('v1', 'Event', 'flux-system', ev.metadata.name)!;
    cur.metadata.labels = { touched: 'yes' };
    h.fake.update(cur);
    await sleepMs(150);
    expect(h.live('rep')).toHaveLength(3);
    const caveats = h.live('rep')[2]!.processed.input.caveats.join('\n');
    expect(caveats).toContain('merged repeats (count 3)');
    expect(caveats).toContain('occurrence 2 of 2');
    expect(h.live('rep')[0]!.processed.event.severity).toBe('error');
  });

  it('an Event created after the first view listed but before the second did is live, not history, and shown once', async () => {
    h = await startHarness({ seed: (fake) => {
      fake.create(alert('flux-system', 'on-call', { providerRef: { name: 'slack' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }] }));
      fake.create(provider('flux-system', 'slack', { type: 'slack', channel: 'general', address: 'https://hooks.slack.com/services/x' }));
      fake.listDelayMs.set('events.k8s.io/events', 400);
    } });
    await until('core view watching', () => h!.fake.openWatches('events') === 1);
    // The core view's stream is slow: the second view's list brings the Event first.
    h.fake.holdWatches('/events');
    h.fake.create(fluxEvent({ name: 'between' }));
    await untilWatching(h);
    await sleepMs(50);
    h.fake.releaseWatches('/events');
    await until('event', () => h!.records().length === 1);
    await sleepMs(100);
    expect(h.records().map((r) => [r.processed.event.involvedObject.name, r.history])).toEqual([['between', false]]);
    await until('delivered', () => h!.delivered.length === 1);
  });

  it('the core/v1 and events.k8s.io/v1 views of one Event are shown once', async () => {
    h = await startHarness();
    await untilWatching(h);
    await until('both views watching', () => h!.fake.openWatches('events') === 2);
    h.fake.create(fluxEvent({ name: 'once' }));
    await sleepMs(200);
    expect(h.live('once')).toHaveLength(1);
  });

  it('with only events.k8s.io/v1 watched, events are converted from that view', async () => {
    h = await startHarness({ source: { eventApis: ['events.k8s.io/v1'] } });
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'v1view', reason: 'Progressing', message: 'building' }));
    await until('event', () => h!.live('v1view').length === 1);
    const rec = h.live('v1view')[0]!;
    expect(rec.processed.input.origin).toBe('events.k8s.io/v1');
    expect(rec.processed.event.message).toBe('building');
    expect(rec.processed.event.involvedObject.kind).toBe('Kustomization');
  });

  it('a forbidden event view is dropped while the other works, with a notice', async () => {
    h = await startHarness({ fake: {}, seed: (fake) => {
      fake.forbid({ plural: 'events', verbs: ['list', 'watch'], namespace: 'flux-system' });
    } });
    // Both forbidden: the first to fail is dropped, the other keeps retrying.
    await until('notice', () => h!.notices().some((n) => n.includes('not readable')));
    h.fake.allow();
    await untilWatching(h, 5000, 1);
    h.fake.create(fluxEvent({ name: 'after' }));
    await until('event', () => h!.live('after').length === 1);
  });

  it('events not from Flux controllers nor about Flux objects are ignored', async () => {
    h = await startHarness();
    await untilWatching(h);
    const pod = fluxEvent({ name: 'web-123', kind: 'Pod', apiVersion: 'v1', controller: 'kubelet', reason: 'Pulled' });
    h.fake.create(pod);
    h.fake.create(fluxEvent({ name: 'apps' }));
    await until('flux event', () => h!.live('apps').length === 1);
    await sleepMs(100);
    expect(h.live('web-123')).toHaveLength(0);
  });

  it("notification-controller's own events are skipped: NC never POSTs them to itself (spec §1.6 selection)", async () => {
    h = await startHarness();
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'on-call', kind: 'Alert', apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', controller: 'notification-controller', reason: 'Failed' }));
    h.fake.create(fluxEvent({ name: 'apps' }));
    await until('flux event', () => h!.live('apps').length === 1);
    await sleepMs(100);
    expect(h.live('on-call')).toHaveLength(0);
    expect(h.source.cluster!.tracker.skipped).toBe(1);
  });

  it('an Alert edited on the server changes the next decision, and the UI says so', async () => {
    h = await startHarness();
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'apps', message: 'deployment apps/web configured' }));
    await until('first', () => h!.live('apps').length === 1);
    expect(outcome(h.live('apps')[0]!, 'flux-system/on-call')).toBe('dispatched/ok');
    h.fake.modify('notification.toolkit.fluxcd.io/v1beta3', 'Alert', 'flux-system', 'on-call', (o) => {
      (o.spec as Record<string, unknown>).exclusionList = ['configured'];
    });
    await until('notice', () => h!.notices().includes('info: Alert flux-system/on-call changed: applies to the next event'));
    h.fake.create(fluxEvent({ name: 'apps', message: 'deployment apps/web configured again' }));
    await until('second', () => h!.live('apps').length === 2);
    expect(outcome(h.live('apps')[1]!, 'flux-system/on-call')).toBe('not-matched/excluded');
  });

  it('a new Provider, a deleted Alert and a changed Secret each rebuild the catalog with a notice', async () => {
    h = await startHarness();
    await untilWatching(h);
    h.fake.modify('v1', 'Secret', 'flux-system', 'slack-url', (o) => {
      o.data = { address: Buffer.from('https://hooks.slack.com/services/T1/B1/YYYY').toString('base64') };
    });
    await until('secret notice', () => h!.notices().some((n) => n === 'info: Secret flux-system/slack-url changed: applies to the next event (used by provider flux-system/slack)'));
    h.fake.create(provider('flux-system', 'teams', { type: 'msteams', address: 'https://example.webhook.office.com/x' }));
    await until('provider notice', () => h!.notices().includes('info: Provider flux-system/teams added: applies to the next event'));
    h.fake.delete('notification.toolkit.fluxcd.io/v1beta3', 'Alert', 'flux-system', 'on-call');
    await until('alert notice', () => h!.notices().includes('info: Alert flux-system/on-call deleted: applies to the next event'));
    expect(h.runner.catalog.alerts).toHaveLength(0);
    expect(h.runner.catalog.provider('flux-system', 'teams')?.spec.type).toBe('msteams');
  });

  it('a status-only update of an Alert does not rebuild the catalog', async () => {
    h = await startHarness();
    await untilWatching(h);
    const before = h.runner.catalog;
    h.fake.modify('notification.toolkit.fluxcd.io/v1beta3', 'Alert', 'flux-system', 'on-call', (o) => {
      o.status = { observedGeneration: 1 };
    });
    await sleepMs(150);
    expect(h.runner.catalog).toBe(before);
  });

  it('only the Secrets Providers reference are read, by name with get and watch (never listed)', async () => {
    h = await startHarness({
      seed: (fake) => {
        fake.create(secret('flux-system', 'unrelated', { token: 'x' }));
        fake.create(secret('flux-system', 'slack-url', { address: 'https://hooks.slack.com/services/x' }));
        fake.create(provider('flux-system', 'slack', { type: 'slack', channel: 'c', secretRef: { name: 'slack-url' } }));
      },
    });
    await untilWatching(h);
    const secretReqs = h.fake.requests.filter((r) => r.path.includes('/secrets'));
    expect(secretReqs.length).toBeGreaterThan(0);
    for (const r of secretReqs) {
      const named = r.path.endsWith('/secrets/slack-url') || (r.watch && r.query.fieldSelector === 'metadata.name=slack-url');
      expect(named, `${r.path}?${new URLSearchParams(r.query)}`).toBe(true);
    }
    expect(h.runner.catalog.secret('flux-system', 'unrelated')).toBeUndefined();
    expect(h.runner.catalog.secret('flux-system', 'slack-url')).toBeDefined();
  });

  it('a 403 on a referenced Secret is a notice naming secret and provider, never a crash; events are still decided', async () => {
    h = await startHarness({
      seed: (fake) => {
        fake.create(provider('flux-system', 'slack', { type: 'slack', channel: 'general', secretRef: { name: 'slack-url' } }));
        fake.create(alert('flux-system', 'on-call', { providerRef: { name: 'slack' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }] }));
        fake.forbid({ plural: 'secrets', namespace: 'flux-system', name: 'slack-url' });
      },
    });
    await untilWatching(h);
    expect(h.notices().filter((n) => n.startsWith('warning: cannot read secret flux-system/slack-url: the tool will decide but not deliver for provider flux-system/slack'))).toHaveLength(1);
    expect(h.runner.connection.state).toBe('connected');
    h.fake.create(fluxEvent({ name: 'apps' }));
    await until('event', () => h!.live('apps').length === 1);
    // Decided (matched), not delivered: without the Secret the notifier cannot be built.
    const d = h.live('apps')[0]!.processed.decision!.evaluated[0]!;
    expect(d.matched).toBe(true);
    expect(d.outcome).toBe('dropped');
    expect(h.delivered).toHaveLength(0);
    // Retried slowly; once readable it joins the catalog.
    h.fake.allow();
    h.fake.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'slack-url', namespace: 'flux-system' }, data: { address: Buffer.from('https://hooks.slack.com/services/a').toString('base64') } });
    await until('readable', () => h!.runner.catalog.secret('flux-system', 'slack-url') !== undefined, 5000);
    expect(h.notices()).toContain('info: secret flux-system/slack-url is readable again');
  });

  it('a Secret that may be read but not watched is polled with get', async () => {
    h = await startHarness({
      seed: (fake) => {
        fake.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'slack-url', namespace: 'flux-system' }, data: { address: Buffer.from('https://a.example/x').toString('base64') } });
        fake.create(provider('flux-system', 'slack', { type: 'slack', channel: 'general', secretRef: { name: 'slack-url' } }));
        fake.forbid({ plural: 'secrets', verbs: ['watch'] });
      },
    });
    await untilWatching(h);
    await until('poll notice', () => h!.notices().some((n) => n.startsWith('info: cannot watch secret flux-system/slack-url')));
    h.fake.modify('v1', 'Secret', 'flux-system', 'slack-url', (o) => {
      o.data = { address: Buffer.from('https://b.example/x').toString('base64') };
    });
    await until('polled change', () => h!.runner.catalog.secret('flux-system', 'slack-url')?.data.address?.toString() === 'https://b.example/x');
  });

  it('matchLabels reads the involved object labels as PartialObjectMetadata, cached with a short TTL', async () => {
    h = await startHarness({
      source: { labelTtlMs: 60_000 },
      seed: (fake) => {
        fake.create(provider('flux-system', 'slack', { type: 'slack', channel: 'general', address: 'https://hooks.slack.com/services/x' }));
        fake.create(alert('flux-system', 'prod-only', { providerRef: { name: 'slack' }, eventSources: [{ kind: 'Kustomization', name: '*', matchLabels: { env: 'prod' } }] }));
        fake.create(kustomization('flux-system', 'prod-apps', { env: 'prod' }));
        fake.create(kustomization('flux-system', 'dev-apps', { env: 'dev' }));
      },
    });
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'prod-apps' }));
    h.fake.create(fluxEvent({ name: 'dev-apps' }));
    h.fake.create(fluxEvent({ name: 'prod-apps', message: 'again' }));
    h.fake.create(fluxEvent({ name: 'gone-apps' }));
    await until('events', () => h!.live().length === 4);
    const [prod, dev, prod2, gone] = h.live();
    expect(outcome(prod!, 'flux-system/prod-only')).toBe('dispatched/ok');
    expect(outcome(dev!, 'flux-system/prod-only')).toBe('not-matched/no-matching-source');
    expect(outcome(prod2!, 'flux-system/prod-only')).toBe('dispatched/ok');
    expect(outcome(gone!, 'flux-system/prod-only')).toBe('not-matched/no-matching-source');
    const gets = h.fake.requests.filter((r) => r.path.startsWith('/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/'));
    expect(gets.map((r) => r.path.split('/').pop())).toEqual(['prod-apps', 'dev-apps', 'gone-apps']);
    expect(gets.every((r) => r.accept.startsWith('application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1'))).toBe(true);
  });

  it('an API server that fails shows retries in the connection state, then recovers', async () => {
    h = await startHarness({ seed: (fake) => fake.failLists.set('events', { code: 500, times: 3 }) });
    await until('retrying', () => h!.runner.connection.state === 'retrying');
    const c = h.runner.connection;
    expect(c.state === 'retrying' && c.detail).toMatch(/^events \((core\/v1|events\.k8s\.io\/v1)\): injected list failure 500; retry \d+ in /);
    await untilWatching(h);
    expect(h.runner.connection.state === 'connected' && h.runner.connection.detail).toBe('0 alert(s), 0 provider(s), 0 secret(s) · events via core/v1 + events.k8s.io/v1');
    expect(h.runner.sourceLabel).toBe('context fake · events: flux-system (context) · alerts: all namespaces');
  });

  it('with -A the cluster-wide collections are watched; with -n the namespaced ones', async () => {
    h = await startHarness({ flags: { allNamespaces: true } });
    await untilWatching(h);
    expect(h.fake.requests.some((r) => r.watch && r.path === '/api/v1/events')).toBe(true);
    expect(h.fake.requests.some((r) => !r.watch && r.path === '/apis/notification.toolkit.fluxcd.io/v1beta3/alerts')).toBe(true);
    h.fake.create(fluxEvent({ name: 'elsewhere', namespace: 'apps' }));
    await until('other namespace', () => h!.live('elsewhere').length === 1);
    await h.close();
    h = await startHarness({ flags: { namespace: 'apps' } });
    await untilWatching(h);
    expect(h.fake.requests.some((r) => r.watch && r.path === '/api/v1/namespaces/apps/events')).toBe(true);
    expect(h.runner.sourceLabel).toBe('context fake · events: apps (-n) · alerts: all namespaces');
  });

  it('a server serving only notification v1beta2 is read with a warning that v1.9 needs v1beta3', async () => {
    h = await startHarness({
      fake: {
        resources: [
          { group: '', versions: ['v1'], plural: 'events', kind: 'Event', namespaced: true, store: 'events' },
          { group: 'events.k8s.io', versions: ['v1'], plural: 'events', kind: 'Event', namespaced: true, store: 'events' },
          { group: '', versions: ['v1'], plural: 'secrets', kind: 'Secret', namespaced: true },
          { group: 'notification.toolkit.fluxcd.io', versions: ['v1beta2'], plural: 'alerts', kind: 'Alert', namespaced: true },
          { group: 'notification.toolkit.fluxcd.io', versions: ['v1beta2'], plural: 'providers', kind: 'Provider', namespaced: true },
        ],
      },
      seed: (fake) => {
        fake.create({ apiVersion: 'notification.toolkit.fluxcd.io/v1beta2', kind: 'Provider', metadata: { name: 'slack', namespace: 'flux-system' }, spec: { type: 'slack', channel: 'c', address: 'https://hooks.slack.com/services/x' } });
        fake.create({ apiVersion: 'notification.toolkit.fluxcd.io/v1beta2', kind: 'Alert', metadata: { name: 'on-call', namespace: 'flux-system' }, spec: { providerRef: { name: 'slack' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }] } });
      },
    });
    await untilWatching(h);
    expect(h.notices().some((n) => n.startsWith('warning: the cluster serves notification.toolkit.fluxcd.io/v1beta2, not v1beta3'))).toBe(true);
    h.fake.create(fluxEvent({ name: 'apps' }));
    await until('event', () => h!.live('apps').length === 1);
    expect(outcome(h.live('apps')[0]!, 'flux-system/on-call')).toBe('dispatched/ok');
  });

  it('a cluster without the notification API still shows events, saying no Alert can match', async () => {
    h = await startHarness({
      fake: { resources: [{ group: '', versions: ['v1'], plural: 'events', kind: 'Event', namespaced: true, store: 'events' }, { group: 'events.k8s.io', versions: ['v1'], plural: 'events', kind: 'Event', namespaced: true, store: 'events' }] },
      seed: () => {},
    });
    await untilWatching(h);
    expect(h.notices().some((n) => n.includes('notification-controller CRDs are not installed: events are shown, but no Alert can match them'))).toBe(true);
    h.fake.create(fluxEvent({ name: 'apps' }));
    await until('event', () => h!.live('apps').length === 1);
  });

  it('wrong credentials are reported as 401, not retried silently', async () => {
    h = await startHarness({ kubeconfig: { token: 'wrong' } });
    const text = 'bearer token refused (401 Unauthorized): expired or revoked? (user "fake-user", context fake)';
    await until('401 notice', () => h!.notices().includes(`error: ${text}`));
    await until('failed state', () => h!.runner.connection.state === 'failed');
    const c = h.runner.connection;
    expect(c.state === 'failed' && c.detail).toMatch(new RegExp(`^${text.replace(/[()?]/g, '\\$&')} \\(retry \\d+ in `));
    // Not mistaken for a cluster without Flux.
    expect(h.notices().some((n) => n.includes('no Alert can match'))).toBe(false);
  });

  it('plain HTTP with insecure-skip-tls-verify works as well as TLS with certificate-authority-data', async () => {
    h = await startHarness({ fake: { tls: false } });
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'apps' }));
    await until('event', () => h!.live('apps').length === 1);
  });

  it('HTTP_PROXY from the environment carries the API traffic when the kubeconfig sets no proxy-url, as kubectl does', async () => {
    const proxy = await startConnectProxy();
    try {
      h = await startHarness({
        fake: { tls: false },
        // A name only the proxy can reach: a direct connection would fail to resolve it.
        server: (url) => url.replace('127.0.0.1', 'fake-kube.test'),
        env: { HTTP_PROXY: proxy.url, NO_PROXY: 'example.org' },
      });
      await untilWatching(h);
      h.fake.create(fluxEvent({ name: 'proxied' }));
      await until('event', () => h!.live('proxied').length === 1);
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(proxy.tunnels.every((t) => t.startsWith('fake-kube.test:'))).toBe(true);
      expect(h.notices().some((n) => n.includes(`proxy ${proxy.url}/ from HTTPS_PROXY/HTTP_PROXY`))).toBe(true);
    } finally {
      await h?.close();
      h = undefined;
      await proxy.close();
    }
  });

  it('a paused runner holds live events and releases them in order on resume', async () => {
    h = await startHarness();
    await untilWatching(h);
    h.runner.pause();
    h.fake.create(fluxEvent({ name: 'p1' }));
    h.fake.create(fluxEvent({ name: 'p2' }));
    await until('both waiting', () => h!.source.cluster!.pending === 2);
    expect(h.live()).toHaveLength(0);
    h.runner.step();
    await until('one step', () => h!.live().length === 1);
    h.runner.resume();
    await until('rest', () => h!.live().length === 2);
    expect(names(h.live())).toEqual(['p1', 'p2']);
  });
});
