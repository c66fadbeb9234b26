// The fake API server against what kube-apiserver does for the requests the cluster source makes,
// and the client against those behaviours: typed list items without apiVersion/kind, paginated
// lists served from one snapshot (and their expiring continue tokens), ListOptions validation,
// watches the server ends after timeoutSeconds, bookmarks (periodic, typed, initial-events-end),
// the Expired ERROR event, and the events.k8s.io/v1 field names.

import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, KubeHttp, type Json, type WatchEvent } from '../../src/sources/cluster/http.js';
import { loadKubeTarget } from '../../src/sources/cluster/kubeconfig.js';
import { NamedWatch } from '../../src/sources/cluster/named-watch.js';
import { Reflector, type Change } from '../../src/sources/cluster/reflector.js';
import { writeFakeKubeconfig } from '../../mocks/fake-kube/kubeconfig.js';
import { alert, fluxEvent, kustomization, provider, secret } from '../../mocks/fake-kube/objects.js';
import { toEventsV1, type FakeKube, type FakeKubeOptions } from '../../mocks/fake-kube/server.js';
import { seedNotification, sleepMs, startFake, startHarness, until, untilWatching, type Harness } from './cluster-harness.js';

let h: Harness | undefined;
let fake: FakeKube | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await fake?.close();
  fake = undefined;
});

async function client(o: FakeKubeOptions = {}): Promise<{ fake: FakeKube; http: KubeHttp }> {
  const s = await startFake(o);
  fake = s.fake;
  const target = loadKubeTarget({ kubeconfig: await writeFakeKubeconfig(s.fake, s.dir) }, {});
  return { fake: s.fake, http: new KubeHttp(target.kc) };
}

async function refused(p: Promise<unknown>): Promise<{ code: number; reason: string; message: string }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    const err = e as ApiError;
    return { code: err.code, reason: err.reason, message: err.message };
  }
  throw new Error('expected the request to be refused');
}

async function watchAll(http: KubeHttp, path: string, query: Record<string, string>): Promise<WatchEvent[]> {
  const got: WatchEvent[] = [];
  await http.watch(path, query, (e) => got.push(e));
  return got;
}

const names = (recs: { processed: { event: { involvedObject: { name?: string } } } }[]) => recs.map((r) => r.processed.event.involvedObject.name);

describe('the fake answers as kube-apiserver does', () => {
  it('items of a typed list (core, events.k8s.io) carry no apiVersion/kind, only the list does; custom resources keep theirs; the reflector fills them in', async () => {
    const { fake, http } = await client();
    fake.create(fluxEvent({ name: 'apps' }));
    fake.create(alert('flux-system', 'a', { providerRef: { name: 'p' }, eventSources: [{ kind: 'Kustomization', name: '*' }] }));
    const core = await http.get('/api/v1/namespaces/flux-system/events');
    expect([core.kind, core.apiVersion]).toEqual(['EventList', 'v1']);
    const item = (core.items as Json[])[0]!;
    expect('kind' in item || 'apiVersion' in item).toBe(false);
    const v1 = await http.get('/apis/events.k8s.io/v1/namespaces/flux-system/events');
    expect('kind' in (v1.items as Json[])[0]!).toBe(false);
    const crs = await http.get('/apis/notification.toolkit.fluxcd.io/v1beta3/alerts');
    expect((crs.items as Json[])[0]).toMatchObject({ apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Alert' });

    const seen: Change[] = [];
    const ctl = new AbortController();
    const r = new Reflector({ name: 'events', http, path: '/apis/events.k8s.io/v1/namespaces/flux-system/events', onChange: (c) => seen.push(c), keepObjects: true });
    const run = r.run(ctl.signal);
    await until('listed', () => r.synced);
    ctl.abort();
    await run;
    expect(seen.map((c) => [c.obj.apiVersion, c.obj.kind, c.phase])).toEqual([['events.k8s.io/v1', 'Event', 'initial']]);
  });

  it('ListOptions are validated: 422 Invalid with the field errors kube-apiserver prints, 400 for continue with a resourceVersion or a bad token or field label', async () => {
    const { fake, http } = await client();
    for (let i = 0; i < 3; i++) fake.create(fluxEvent({ name: `e${i}` }));
    const p = '/api/v1/namespaces/flux-system/events';
    expect(await refused(http.get(`${p}?resourceVersionMatch=NotOlderThan`))).toEqual({
      code: 422,
      reason: 'Invalid',
      message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    });
    expect((await refused(http.get(`${p}?sendInitialEvents=true`))).message).toBe('ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list');
    expect((await refused(http.get(`${p}?resourceVersion=0&resourceVersionMatch=Exact`))).message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    );
    expect((await refused(http.watch(p, { resourceVersionMatch: 'NotOlderThan' }, () => undefined))).message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    );
    expect((await refused(http.watch(p, { sendInitialEvents: 'true' }, () => undefined))).message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
    const first = await http.get(`${p}?limit=1`);
    const cont = String((first.metadata as Json).continue);
    expect((first.metadata as Json).remainingItemCount).toBe(2);
    expect(await refused(http.get(`${p}?limit=1&continue=${encodeURIComponent(cont)}&resourceVersion=5`))).toEqual({ code: 400, reason: 'BadRequest', message: 'specifying resource version is not allowed when using continue' });
    expect((await refused(http.get(`${p}?limit=1&continue=bm9wZQ`))).code).toBe(400);
    expect(await refused(http.get(`${p}?fieldSelector=spec.nope%3Dx`))).toEqual({ code: 400, reason: 'BadRequest', message: 'field label not supported: spec.nope' });
    // Without limit, no pagination: the whole collection at once.
    const all = await http.get(p);
    expect([(all.items as Json[]).length, (all.metadata as Json).continue]).toEqual([3, undefined]);
  });

  it('a watch from a compacted resourceVersion gets one ERROR event with the Expired Status, then the stream ends', async () => {
    const { fake, http } = await client();
    fake.create(fluxEvent({ name: 'e1' }));
    const old = Number(fake.resourceVersion) - 1;
    fake.create(fluxEvent({ name: 'e2' }));
    fake.compact();
    const got = await watchAll(http, '/api/v1/namespaces/flux-system/events', { resourceVersion: String(old), allowWatchBookmarks: 'true' });
    expect(got).toEqual([
      { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${old} (${fake.resourceVersion})`, reason: 'Expired', code: 410 } },
    ]);
  });

  it('a watch from "now" (WatchList on) sends the current objects as ADDED, then a BOOKMARK annotated k8s.io/initial-events-end; without bookmarks, no BOOKMARK', async () => {
    const { fake, http } = await client();
    fake.create(secret('flux-system', 'token', { token: 'x' }));
    fake.create(secret('flux-system', 'other', { token: 'y' }));
    const q = { fieldSelector: 'metadata.name=token', timeoutSeconds: '1' };
    const path = '/api/v1/namespaces/flux-system/secrets';
    const [got, bare, none] = await Promise.all([
      watchAll(http, path, { ...q, allowWatchBookmarks: 'true' }),
      watchAll(http, path, q),
      // sendInitialEvents=false: start at "now" without the current objects.
      watchAll(http, path, { ...q, sendInitialEvents: 'false', resourceVersionMatch: 'NotOlderThan' }),
    ]);
    expect(got.map((e) => [e.type, (e.object.metadata as Json).name ?? null])).toEqual([['ADDED', 'token'], ['BOOKMARK', null]]);
    expect(got[1]!.object).toEqual({ kind: 'Secret', apiVersion: 'v1', metadata: { resourceVersion: fake.resourceVersion, creationTimestamp: null, annotations: { 'k8s.io/initial-events-end': 'true' } } });
    expect(bare.map((e) => e.type)).toEqual(['ADDED']);
    expect(none).toEqual([]);
  });

  it('periodic bookmarks are empty typed objects (an Event with its zero fields), and 2 s before timeoutSeconds the last one comes', async () => {
    const { fake, http } = await client({ bookmarkIntervalMs: 300 });
    fake.create(fluxEvent({ name: 'e1' }));
    const from = fake.resourceVersion;
    const started = Date.now();
    const q = { resourceVersion: from, allowWatchBookmarks: 'true', timeoutSeconds: '3' };
    const [got, v1] = await Promise.all([watchAll(http, '/api/v1/namespaces/flux-system/events', q), watchAll(http, '/apis/events.k8s.io/v1/namespaces/flux-system/events', q)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(got.length).toBeGreaterThanOrEqual(3);
    expect(got.every((e) => e.type === 'BOOKMARK')).toBe(true);
    expect(got[0]!.object).toEqual({
      kind: 'Event', apiVersion: 'v1', metadata: { resourceVersion: from, creationTimestamp: null },
      involvedObject: {}, source: {}, firstTimestamp: null, lastTimestamp: null, eventTime: null, reportingComponent: '', reportingInstance: '',
    });
    // With 1 s left there is no room for the one before the end: none at all.
    expect(await watchAll(http, '/api/v1/namespaces/flux-system/events', { ...q, timeoutSeconds: '1' })).toEqual([]);
    expect(v1[0]!.object).toEqual({
      kind: 'Event', apiVersion: 'events.k8s.io/v1', metadata: { resourceVersion: from, creationTimestamp: null },
      eventTime: null, regarding: {}, deprecatedSource: {}, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null,
    });
  }, 10_000);

  it('the events.k8s.io/v1 view of an Event uses that API’s field names (note, regarding, reportingController, deprecated*), none of core/v1’s', () => {
    const core = fluxEvent({ name: 'apps', message: 'applied', count: 3, at: new Date('2025-01-01T10:00:00Z') });
    core.series = { count: 3, lastObservedTime: '2025-01-01T10:00:05.000000Z' };
    const v1 = toEventsV1(core);
    expect(v1).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      note: 'applied',
      regarding: core.involvedObject,
      reportingController: 'kustomize-controller',
      reportingInstance: '',
      deprecatedSource: { component: 'kustomize-controller' },
      deprecatedFirstTimestamp: '2025-01-01T10:00:00Z',
      deprecatedLastTimestamp: '2025-01-01T10:00:00Z',
      deprecatedCount: 3,
      series: { count: 3, lastObservedTime: '2025-01-01T10:00:05.000000Z' },
      reason: 'ReconciliationSucceeded',
      type: 'Normal',
    });
    for (const k of ['message', 'involvedObject', 'source', 'count', 'reportingComponent', 'firstTimestamp', 'lastTimestamp']) expect(k in v1).toBe(false);
  });
});

describe('the client against those behaviours', () => {
  const fiveOld = (fake: FakeKube) => {
    seedNotification(fake);
    for (let i = 0; i < 5; i++) fake.create(fluxEvent({ name: `old${i}`, eventName: `old${i}`, at: new Date(Date.UTC(2025, 0, 1, 10, i)) }));
  };

  it('a paginated initial list is one snapshot: an Event created between two pages is not history, it comes from the watch, live and once', async () => {
    let injected = false;
    h = await startHarness({
      source: { pageSize: 2, eventApis: ['core/v1'] },
      seed: (fake) => {
        fiveOld(fake);
        fake.beforeList = (path, q) => {
          if (!injected && path.endsWith('/events') && q.continue) {
            injected = true;
            fake.create(fluxEvent({ name: 'between' }));
          }
        };
      },
    });
    await untilWatching(h, 5000, 1);
    await until('between', () => h!.live('between').length === 1);
    await sleepMs(100);
    expect(names(h.records().filter((r) => r.history))).toEqual(['old0', 'old1', 'old2', 'old3', 'old4']);
    expect(names(h.live())).toEqual(['between']);
    const lists = h.fake.requests.filter((r) => !r.watch && r.path === '/api/v1/namespaces/flux-system/events');
    expect(lists.map((r) => [r.query.limit, r.query.continue !== undefined])).toEqual([['2', false], ['2', true], ['2', true]]);
    expect(lists.every((r) => r.query.resourceVersion === undefined)).toBe(true);
  });

  it('a continue token that expires mid-list (410) restarts the list from scratch; nothing is shown twice', async () => {
    let compacted = false;
    h = await startHarness({
      source: { pageSize: 2, eventApis: ['core/v1'] },
      seed: (fake) => {
        fiveOld(fake);
        fake.beforeList = (path, q) => {
          if (!compacted && path.endsWith('/events') && q.continue) {
            compacted = true;
            fake.create(fluxEvent({ name: 'during' }));
            fake.compact();
          }
        };
      },
    });
    await untilWatching(h, 5000, 1);
    await sleepMs(150);
    const lists = h.fake.requests.filter((r) => !r.watch && r.path === '/api/v1/namespaces/flux-system/events');
    expect(lists.map((r) => r.status)).toEqual([200, 410, 200, 200, 200]);
    // The restarted list is still the initial one: all six are history, each once.
    expect(names(h.records()).sort()).toEqual(['during', 'old0', 'old1', 'old2', 'old3', 'old4']);
    expect(h.records().every((r) => r.history)).toBe(true);
  });

  it('a watch the server ends after timeoutSeconds is re-opened from the last resourceVersion, without a re-list or a retry warning; nothing lost or repeated', async () => {
    h = await startHarness({ source: { eventApis: ['core/v1'], watchTimeoutSeconds: () => 1 } });
    await untilWatching(h, 5000, 1);
    h.fake.create(fluxEvent({ name: 'e1' }));
    await until('e1', () => h!.live('e1').length === 1);
    const rvE1 = h.fake.resourceVersion;
    const watches = () => h!.fake.requests.filter((r) => r.watch && r.path === '/api/v1/namespaces/flux-system/events');
    await until('re-watched', () => watches().length >= 2, 4000);
    h.fake.create(fluxEvent({ name: 'e2' }));
    await until('e2', () => h!.live('e2').length === 1);
    await until('re-watched again', () => watches().length >= 3, 4000);
    h.fake.create(fluxEvent({ name: 'e3' }));
    await until('e3', () => h!.live('e3').length === 1);
    await sleepMs(100);
    expect(names(h.live())).toEqual(['e1', 'e2', 'e3']);
    expect(watches().every((r) => r.query.timeoutSeconds === '1')).toBe(true);
    expect(watches()[1]!.query.resourceVersion).toBe(rvE1);
    expect(h.fake.requests.filter((r) => !r.watch && r.path === '/api/v1/namespaces/flux-system/events')).toHaveLength(1);
    expect(h.notices().filter((n) => n.includes('retrying'))).toEqual([]);
  }, 10_000);

  it("the watch cache's periodic bookmarks are not events and move the resume point past other resources' changes", async () => {
    h = await startHarness({ fake: { bookmarkIntervalMs: 100 }, source: { eventApis: ['core/v1'] } });
    await untilWatching(h, 5000, 1);
    h.fake.create(provider('elsewhere', 'p', { type: 'slack', channel: 'x', address: 'https://hooks.slack.com/services/y' }));
    const rv = h.fake.resourceVersion;
    await sleepMs(300);
    expect(h.records()).toHaveLength(0);
    h.fake.closeWatches({ plural: 'events' });
    await until('re-watch from the bookmark', () => h!.fake.requests.some((r) => r.watch && r.path.endsWith('/events') && r.query.resourceVersion === rv));
  });

  it('a Secret missing at start: its watch from "now" resumes from the initial-events-end bookmark, and the Secret is read once created', async () => {
    h = await startHarness({
      seed: (fake) => {
        fake.create(provider('flux-system', 'slack', { type: 'slack', channel: 'general', secretRef: { name: 'later' } }));
      },
    });
    await untilWatching(h);
    const secretWatches = () => h!.fake.requests.filter((r) => r.watch && r.path === '/api/v1/namespaces/flux-system/secrets');
    await until('secret watched', () => secretWatches().length === 1);
    expect(secretWatches()[0]!.query.resourceVersion).toBe('');
    const rv = h.fake.resourceVersion;
    await sleepMs(50);
    h.fake.closeWatches({ plural: 'secrets' });
    await until('resumed', () => secretWatches().length === 2);
    expect(secretWatches()[1]!.query.resourceVersion).toBe(rv);
    h.fake.create(secret('flux-system', 'later', { address: 'https://hooks.slack.com/services/z' }));
    await until('secret read', () => h!.runner.catalog.secret('flux-system', 'later') !== undefined);
  });

  it("a referenced Secret is watched from the server's \"now\", not from the Secret's own old resourceVersion: after an API server restart it resumes with at most one 410, not a get/watch loop", async () => {
    h = await startHarness();
    await untilWatching(h);
    await until('secret watched', () => h!.fake.openWatches('secrets') === 1);
    const secretRequests = () => h!.fake.requests.filter((r) => r.path.startsWith('/api/v1/namespaces/flux-system/secrets'));
    // The Secret was written at start-up; the watch cache now begins later (an apiserver restart,
    // or minutes of churn in a busy cluster): its resourceVersion is too old to watch from.
    h.fake.create(alert('elsewhere', 'churn', { providerRef: { name: 'x' }, eventSources: [{ kind: 'Bucket', name: '*' }] }));
    h.fake.restartWatchCache();
    h.fake.dropWatches({ plural: 'secrets' });
    await sleepMs(500);
    expect(secretRequests().filter((r) => r.status === 410).length).toBeLessThanOrEqual(1);
    expect(secretRequests().length).toBeLessThan(8);
    expect(h.fake.openWatches('secrets')).toBe(1);
    h.fake.modify('v1', 'Secret', 'flux-system', 'slack-url', (o) => {
      o.data = { address: Buffer.from('https://hooks.slack.com/services/T9/B9/ZZZZ').toString('base64') };
    });
    await until('secret change seen', () => h!.runner.catalog.secret('flux-system', 'slack-url')?.data.address?.toString() === 'https://hooks.slack.com/services/T9/B9/ZZZZ');
  });

  it('a named object deleted between its get and the watch from "now" is reported gone at the initial-events-end bookmark', async () => {
    const { fake, http: base } = await client();
    fake.create(secret('flux-system', 'token', { token: 'x' }));
    // The get answers, then the Secret is deleted before the watch starts.
    const http = Object.assign(Object.create(Object.getPrototypeOf(base) as object) as KubeHttp, base);
    http.get = async (path, o) => {
      const obj = await base.get(path, o);
      fake.delete('v1', 'Secret', 'flux-system', 'token');
      return obj;
    };
    const seen: Array<string | null> = [];
    const ctl = new AbortController();
    const w = new NamedWatch({ http, path: '/api/v1/namespaces/flux-system/secrets', name: 'token', onChange: (o) => seen.push(o ? String((o.metadata as Json).resourceVersion) : null) });
    const run = w.run(ctl.signal);
    await until('gone', () => seen.length === 2);
    ctl.abort();
    await run;
    expect(seen[1]).toBeNull();
    expect(w.object).toBeNull();
  });

  it('every request the tool makes in a session is one kube-apiserver accepts: lists paginated with limit and no resourceVersion(Match), watches with bookmarks, a 5–10 min timeoutSeconds and a resourceVersion', async () => {
    h = await startHarness({
      source: { backoff: { initialMs: 20, maxMs: 200, jitter: 0 } },
      seed: (fake) => {
        seedNotification(fake);
        fake.create(alert('flux-system', 'prod', { providerRef: { name: 'slack' }, eventSources: [{ kind: 'Kustomization', name: '*', matchLabels: { env: 'prod' } }] }));
        fake.create(kustomization('flux-system', 'apps', { env: 'prod' }));
      },
    });
    await untilWatching(h);
    h.fake.create(fluxEvent({ name: 'apps' }));
    await until('event', () => h!.live('apps').length === 1);
    const reqs = h.fake.requests;
    expect(reqs.filter((r) => r.status >= 400)).toEqual([]);
    const lists = reqs.filter((r) => !r.watch && /\/(events|alerts|providers)$/.test(r.path));
    expect(lists.length).toBe(4);
    expect(lists.every((r) => r.query.limit === '500' && r.query.resourceVersion === undefined && r.query.resourceVersionMatch === undefined)).toBe(true);
    const watches = reqs.filter((r) => r.watch);
    expect(watches.length).toBe(5);
    for (const w of watches) {
      expect(w.query.allowWatchBookmarks).toBe('true');
      expect(Number(w.query.timeoutSeconds)).toBeGreaterThanOrEqual(300);
      expect(Number(w.query.timeoutSeconds)).toBeLessThanOrEqual(600);
      expect(w.query.sendInitialEvents).toBeUndefined();
      // Collections resume from their list; the named Secret watch starts from "now" (see above).
      if (w.path.endsWith('/secrets')) expect([w.query.resourceVersion, w.query.fieldSelector]).toEqual(['', 'metadata.name=slack-url']);
      else expect(w.query.resourceVersion).toMatch(/^\d+$/);
    }
  });
});
