// The cluster source's parts on their own: the label cache's TTL, retry pacing, Flux event
// selection and occurrence counting (spec §1.6).

import { afterEach, describe, expect, it } from 'vitest';
import { Backoff } from '../../src/sources/cluster/backoff.js';
import { ResourceResolver } from '../../src/sources/cluster/discovery.js';
import { EmissionTracker, eventCount, isFluxKubeEvent } from '../../src/sources/cluster/emissions.js';
import { KubeHttp } from '../../src/sources/cluster/http.js';
import { loadKubeTarget } from '../../src/sources/cluster/kubeconfig.js';
import { LabelCache } from '../../src/sources/cluster/label-cache.js';
import { toEventsV1, type FakeKube } from '../../mocks/fake-kube/server.js';
import { writeFakeKubeconfig } from '../../mocks/fake-kube/kubeconfig.js';
import { fluxEvent, kustomization } from '../../mocks/fake-kube/objects.js';
import { startFake } from './cluster-harness.js';

let fake: FakeKube | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('label cache', () => {
  it('labels are fetched once per TTL; after it expires the next ensure reads them again', async () => {
    const s = await startFake();
    fake = s.fake;
    fake.create(kustomization('flux-system', 'apps', { env: 'prod' }));
    const target = loadKubeTarget({ kubeconfig: await writeFakeKubeconfig(fake, s.dir) }, {});
    const http = new KubeHttp(target.kc);
    let now = 1_000;
    const cache = new LabelCache(http, new ResourceResolver(http), { ttlMs: 10_000, now: () => now });
    const ref = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
    await cache.ensure(ref);
    await cache.ensure(ref);
    expect(cache.fetches).toBe(1);
    expect(cache.lookup(ref)).toMatchObject({ found: true, labels: { env: 'prod' } });
    fake.modify('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'apps', (o) => {
      o.metadata.labels = { env: 'dev' };
    });
    now += 9_999;
    await cache.ensure(ref);
    expect(cache.lookup(ref)).toMatchObject({ labels: { env: 'prod' } });
    now += 1;
    await cache.ensure(ref);
    expect(cache.fetches).toBe(2);
    expect(cache.lookup(ref)).toMatchObject({ found: true, labels: { env: 'dev' } });
  });

  it('a kind the server does not serve and a missing object are "not found" with the reason NC would hit', async () => {
    const s = await startFake();
    fake = s.fake;
    const target = loadKubeTarget({ kubeconfig: await writeFakeKubeconfig(fake, s.dir) }, {});
    const http = new KubeHttp(target.kc);
    const cache = new LabelCache(http, new ResourceResolver(http));
    const missing = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'nope' };
    const unserved = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
    await cache.ensure(missing);
    await cache.ensure(unserved);
    expect(cache.lookup(missing)).toEqual({ found: false, reason: 'Kustomization flux-system/nope (kustomize.toolkit.fluxcd.io/v1) not found in the cluster; NC would get "not found"' });
    expect(cache.lookup(unserved)).toEqual({ found: false, reason: 'the cluster does not serve Kustomization in kustomize.toolkit.fluxcd.io/v1beta1: NC\'s lookup fails the same way ("no matches for kind")' });
  });
});

describe('backoff', () => {
  it('doubles from the initial delay up to the cap, and starts over after reset', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('jitter stays within ±20% by default', () => {
    expect(new Backoff({ initialMs: 1000, random: () => 0 }).next()).toBe(800);
    expect(new Backoff({ initialMs: 1000, random: () => 1 }).next()).toBe(1200);
  });
});

describe('Flux event selection and occurrences (spec §1.6)', () => {
  it('selected: a Flux controller as reporter, or an involved object in a Flux API group; not: kubelet about a Pod', () => {
    expect(isFluxKubeEvent(fluxEvent({ name: 'a' }))).toBe(true);
    expect(isFluxKubeEvent(fluxEvent({ name: 'a', controller: 'my-operator' }))).toBe(true);
    expect(isFluxKubeEvent(fluxEvent({ name: 'p', kind: 'Pod', apiVersion: 'v1', controller: 'kubelet' }))).toBe(false);
    expect(isFluxKubeEvent(fluxEvent({ name: 'p', kind: 'Deployment', apiVersion: 'apps/v1', controller: 'helm-controller' }))).toBe(true);
    expect(isFluxKubeEvent(toEventsV1(fluxEvent({ name: 'a', controller: 'x' })))).toBe(true);
  });

  it('the count is count (core/v1), deprecatedCount or series.count (events.k8s.io/v1)', () => {
    expect(eventCount(fluxEvent({ name: 'a', count: 4 }))).toBe(4);
    expect(eventCount(toEventsV1(fluxEvent({ name: 'a', count: 3 })))).toBe(3);
    const e = toEventsV1(fluxEvent({ name: 'a' }));
    delete e.deprecatedCount;
    e.series = { count: 7, lastObservedTime: '2025-01-01T00:00:00.000000Z' };
    expect(eventCount(e)).toBe(7);
  });

  it('ADDED is one emission; MODIFIED with count +n is n; same count is none; DELETED is none and a late view of it is ignored', () => {
    const t = new EmissionTracker();
    const ev = fluxEvent({ name: 'a' });
    ev.metadata.uid = 'u1';
    ev.metadata.resourceVersion = '10';
    expect(t.onChange({ type: 'ADDED', obj: ev, phase: 'watch' }).map((e) => e.key)).toEqual(['u1#1']);
    const bumped = { ...ev, count: 3, metadata: { ...ev.metadata, resourceVersion: '11' } };
    expect(t.onChange({ type: 'MODIFIED', obj: bumped, phase: 'watch' }).map((e) => e.key)).toEqual(['u1#2', 'u1#3']);
    const relabelled = { ...bumped, metadata: { ...bumped.metadata, resourceVersion: '12', labels: { a: 'b' } } };
    expect(t.onChange({ type: 'MODIFIED', obj: relabelled, phase: 'watch' })).toEqual([]);
    // The other view delivers the older version late: not new.
    expect(t.onChange({ type: 'MODIFIED', obj: toEventsV1(bumped), phase: 'watch' })).toEqual([]);
    expect(t.onChange({ type: 'DELETED', obj: relabelled, phase: 'watch' })).toEqual([]);
    expect(t.onChange({ type: 'ADDED', obj: toEventsV1(relabelled), phase: 'watch' })).toEqual([]);
    expect(t.size).toBe(0);
  });

  it('an Event from the initial list is one history emission, whatever its count', () => {
    const t = new EmissionTracker();
    const ev = fluxEvent({ name: 'a', count: 5 });
    ev.metadata.uid = 'u2';
    ev.metadata.resourceVersion = '5';
    const ems = t.onChange({ type: 'ADDED', obj: ev, phase: 'initial' });
    expect(ems.map((e) => [e.key, e.history])).toEqual([['u2#5', true]]);
  });

  it('a repeated Event with a token annotation says the rate-limit result is an approximation (spec §1.6 limit 2)', () => {
    const t = new EmissionTracker();
    const ev = fluxEvent({ name: 'a', annotations: { 'kustomize.toolkit.fluxcd.io/token': 'abc' } });
    ev.metadata.uid = 'u3';
    ev.metadata.resourceVersion = '1';
    expect(t.onChange({ type: 'ADDED', obj: ev, phase: 'watch' })[0]!.input.caveats.join('\n')).not.toContain('token annotation');
    const again = { ...ev, count: 2, metadata: { ...ev.metadata, resourceVersion: '2' } };
    expect(t.onChange({ type: 'MODIFIED', obj: again, phase: 'watch' })[0]!.input.caveats.join('\n')).toContain('a token annotation is present on a repeated Event');
  });
});
