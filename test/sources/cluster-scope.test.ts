// What -n limits, and what appears later. notification-controller reads Alerts and Providers in
// every namespace, and an Alert may name event sources in another namespace: -n limits the Events
// shown, while Alerts and Providers are listed cluster-wide, falling back to the namespace (with a
// visible warning) only when RBAC refuses the cluster-wide list. And Flux installed after the tool
// started is noticed: discovery is retried and the Alert/Provider watches start.

import { afterEach, describe, expect, it } from 'vitest';
import { alert, fluxEvent, provider } from '../../mocks/fake-kube/objects.js';
import { DEFAULT_RESOURCES, type FakeKube } from '../../mocks/fake-kube/server.js';
import { outcome, sleepMs, startHarness, until, untilWatching, type Harness } from './cluster-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const NOTIFICATION = 'notification.toolkit.fluxcd.io';

/** A team's Alert in `ops` watching Kustomizations in `apps`, and an Alert in `apps` itself. */
function seedCrossNamespace(fake: FakeKube) {
  fake.create(provider('ops', 'pager', { type: 'slack', channel: 'ops', address: 'https://hooks.slack.com/services/ops' }));
  fake.create(alert('ops', 'apps-watch', { providerRef: { name: 'pager' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*', namespace: 'apps' }] }));
  fake.create(provider('apps', 'team', { type: 'slack', channel: 'apps', address: 'https://hooks.slack.com/services/apps' }));
  fake.create(alert('apps', 'local', { providerRef: { name: 'team' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }] }));
}

describe('-n limits the events, not the Alerts and Providers', () => {
  it('an Alert in another namespace whose eventSources name the -n namespace is read and matches its events', async () => {
    h = await startHarness({ flags: { namespace: 'apps' }, seed: seedCrossNamespace });
    await untilWatching(h);
    expect(h.fake.requests.some((r) => !r.watch && r.path === `/apis/${NOTIFICATION}/v1beta3/alerts`)).toBe(true);
    expect(h.fake.requests.some((r) => !r.watch && r.path === `/apis/${NOTIFICATION}/v1beta3/providers`)).toBe(true);
    expect(h.fake.requests.some((r) => r.path.startsWith(`/apis/${NOTIFICATION}/v1beta3/namespaces/`))).toBe(false);
    // Events stay in the namespace.
    expect(h.fake.requests.filter((r) => r.path.endsWith('/events')).every((r) => r.path.includes('/namespaces/apps/'))).toBe(true);
    expect(h.runner.catalog.alerts.map((a) => `${a.metadata.namespace}/${a.metadata.name}`).sort()).toEqual(['apps/local', 'ops/apps-watch']);
    expect(h.runner.sourceLabel).toBe('context fake · events: apps (-n) · alerts: all namespaces');

    h.fake.create(fluxEvent({ name: 'web', namespace: 'apps' }));
    h.fake.create(fluxEvent({ name: 'elsewhere', namespace: 'ops' }));
    await until('event', () => h!.live('web').length === 1);
    const rec = h.live('web')[0]!;
    expect(outcome(rec, 'ops/apps-watch')).toBe('dispatched/ok');
    expect(outcome(rec, 'apps/local')).toBe('dispatched/ok');
    await until('both delivered', () => h!.delivered.length === 2);
    expect(h.delivered.map((d) => `${d.provider.metadata.namespace}/${d.provider.metadata.name}`).sort()).toEqual(['apps/team', 'ops/pager']);
    await sleepMs(100);
    expect(h.live('elsewhere')).toHaveLength(0);
  });

  it('when listing Alerts and Providers cluster-wide is forbidden (a RoleBinding only), they are read in the namespace, with a warning in the notices and the status bar', async () => {
    h = await startHarness({
      flags: { namespace: 'apps' },
      seed: (fake) => {
        seedCrossNamespace(fake);
        fake.forbid({ plural: 'alerts', clusterScope: true });
        fake.forbid({ plural: 'providers', clusterScope: true });
      },
    });
    await untilWatching(h);
    const alerts403 =
      'alerts.notification.toolkit.fluxcd.io is forbidden: User "system:serviceaccount:test:flux-notify-tui" cannot list resource "alerts" in API group "notification.toolkit.fluxcd.io" at the cluster scope';
    expect(h.notices()).toContain(
      `warning: cannot list alerts in all namespaces (${alerts403}): reading namespace apps only; an Alert in another namespace whose eventSources name apps is not seen, so its decisions are missing. Grant list/watch on alerts and providers cluster-wide (docs/rbac.yaml) to see them all`,
    );
    expect(h.notices().some((n) => n.startsWith('warning: cannot list providers in all namespaces ('))).toBe(true);
    expect(h.runner.sourceLabel).toBe('context fake · events: apps (-n) · alerts: apps only (403)');
    // The start-up notice that stays in the footer says it first.
    expect(h.notices()).toContain(
      `info: loaded from the cluster (alerts and providers of namespace apps only: the cluster-wide list is forbidden): 1 alert(s), 1 provider(s), 0 referenced secret(s) (${NOTIFICATION}/v1beta3)`,
    );
    // Not retried forever at the cluster scope: the namespaced list works, the state is healthy.
    expect(h.runner.connection.state).toBe('connected');
    expect(h.fake.requests.filter((r) => r.path === `/apis/${NOTIFICATION}/v1beta3/alerts`).map((r) => r.status)).toEqual([403]);
    expect(h.fake.requests.some((r) => r.watch && r.path === `/apis/${NOTIFICATION}/v1beta3/namespaces/apps/alerts`)).toBe(true);
    expect(h.runner.catalog.alerts.map((a) => `${a.metadata.namespace}/${a.metadata.name}`)).toEqual(['apps/local']);

    h.fake.create(fluxEvent({ name: 'web', namespace: 'apps' }));
    await until('event', () => h!.live('web').length === 1);
    expect(outcome(h.live('web')[0]!, 'apps/local')).toBe('dispatched/ok');
    expect(outcome(h.live('web')[0]!, 'ops/apps-watch')).toBeUndefined();
    // An edit in the namespace still applies at once.
    h.fake.modify(`${NOTIFICATION}/v1beta3`, 'Alert', 'apps', 'local', (o) => {
      (o.spec as Record<string, unknown>).suspend = true;
    });
    await until('edit', () => h!.notices().includes('info: Alert apps/local changed: applies to the next event'));
  });

  it('only Providers forbidden cluster-wide: Alerts stay cluster-wide and the label says which', async () => {
    h = await startHarness({
      flags: { namespace: 'apps' },
      seed: (fake) => {
        seedCrossNamespace(fake);
        fake.forbid({ plural: 'providers', clusterScope: true });
      },
    });
    await untilWatching(h);
    expect(h.runner.sourceLabel).toBe('context fake · events: apps (-n) · alerts: all namespaces, providers: apps only (403)');
    expect(h.notices().some((n) => n.startsWith('warning: cannot list providers in all namespaces (') && n.includes('an Alert in another namespace will show provider-not-found'))).toBe(true);
    h.fake.create(fluxEvent({ name: 'web', namespace: 'apps' }));
    await until('event', () => h!.live('web').length === 1);
    expect(outcome(h.live('web')[0]!, 'ops/apps-watch')).toBe('dropped/provider-not-found');
  });

  it('with -A nothing is narrowed: a forbidden cluster-wide list is retried and shown as such', async () => {
    h = await startHarness({ flags: { allNamespaces: true }, seed: (fake) => {
      seedCrossNamespace(fake);
      fake.forbid({ plural: 'alerts', clusterScope: true });
    } });
    await until('retrying', () => h!.runner.connection.state === 'retrying');
    const c = h.runner.connection;
    expect(c.state === 'retrying' && c.detail).toMatch(/^alerts: alerts\.notification\.toolkit\.fluxcd\.io is forbidden: .* at the cluster scope; retry \d+ in /);
    expect(h.fake.requests.some((r) => r.path.includes('/namespaces/') && r.path.endsWith('/alerts'))).toBe(false);
  });
});

describe('Flux installed after start', () => {
  const withoutNotification = DEFAULT_RESOURCES.filter((r) => r.group !== NOTIFICATION);
  const notification = DEFAULT_RESOURCES.filter((r) => r.group === NOTIFICATION);

  it('discovery is retried with backoff; when the notification API appears the Alert and Provider watches start, with a notice, and the next event is matched', async () => {
    h = await startHarness({ fake: { resources: withoutNotification }, seed: () => {} });
    await untilWatching(h);
    expect(h.notices()).toContain(
      `warning: the cluster does not serve ${NOTIFICATION}: Flux's notification-controller CRDs are not installed: events are shown, but no Alert can match them; checking again, Alerts and Providers are watched as soon as the API is served`,
    );
    expect(h.runner.connection.state === 'connected' && h.runner.connection.detail).toBe(`0 alert(s), 0 provider(s), 0 secret(s) · no ${NOTIFICATION} yet · events via core/v1 + events.k8s.io/v1`);
    h.fake.create(fluxEvent({ name: 'before' }));
    await until('event before', () => h!.live('before').length === 1);
    expect(h.live('before')[0]!.processed.decision?.evaluated ?? []).toEqual([]);
    // Asked again, and again: backoff, not a single retry.
    await until('rediscovery', () => h!.fake.requests.filter((r) => r.path === `/apis/${NOTIFICATION}`).length >= 3);

    // `flux install`: the CRDs, then the user's objects.
    h.fake.addResources(notification);
    h.fake.create(provider('flux-system', 'slack', { type: 'slack', channel: 'general', address: 'https://hooks.slack.com/services/x' }));
    h.fake.create(alert('flux-system', 'on-call', { providerRef: { name: 'slack' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }] }));
    await until('loaded', () => h!.notices().includes(`info: loaded from the cluster: 1 alert(s), 1 provider(s), 0 referenced secret(s) (${NOTIFICATION}/v1beta3)`));
    expect(h.notices()).toContain(`info: ${NOTIFICATION}/v1beta3 is now served (Flux installed?): watching Alerts and Providers`);
    // One catalog notice for the lot, not one per object.
    expect(h.notices().some((n) => n.includes('added: applies to the next event'))).toBe(false);
    await until('connected with the catalog', () => h!.runner.connection.state === 'connected' && h!.runner.connection.detail === '1 alert(s), 1 provider(s), 0 secret(s) · events via core/v1 + events.k8s.io/v1');

    h.fake.create(fluxEvent({ name: 'after' }));
    await until('event after', () => h!.live('after').length === 1);
    expect(outcome(h.live('after')[0]!, 'flux-system/on-call')).toBe('dispatched/ok');
    // Later edits are live as usual.
    h.fake.create(alert('flux-system', 'second', { providerRef: { name: 'slack' }, eventSources: [{ kind: 'GitRepository', name: '*' }] }));
    await until('edit', () => h!.notices().includes('info: Alert flux-system/second added: applies to the next event'));
  });

  it('without the API the re-discovery keeps backing off (no busy loop)', async () => {
    h = await startHarness({ fake: { resources: withoutNotification }, seed: () => {}, source: { discoveryBackoff: { initialMs: 100, maxMs: 400, jitter: 0 } } });
    await untilWatching(h);
    await sleepMs(1000);
    // 100 + 200 + 400 (+ 400 …): about three re-discoveries in the first second, after the first one.
    const n = h.fake.requests.filter((r) => r.path === `/apis/${NOTIFICATION}`).length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(5);
  });
});
