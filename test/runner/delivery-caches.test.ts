// The provider caches in the delivery path: the decision options hand one ProviderCaches to the
// notifiers (attached once per options assembly), deliverDispatch selects the set of its mode and
// masks every token the caches hold. Expected behaviour: NC v1.9.3 (one token cache per process,
// passed to every notifier; an exchanged token never shows in logs or events) and fluxcd/pkg
// githubapp (a live cached token skips the exchange).

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { Catalog } from '../../src/flux/catalog.js';
import { decide, intake, type DecideOptions } from '../../src/flux/decide.js';
import type { Dispatch } from '../../src/flux/dispatch.js';
import { stringMap } from '../../src/flux/types.js';
import { ProviderCaches } from '../../src/providers/caches.js';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import type { HttpReply, PlannedHttpRequest, PlannedRequest } from '../../src/providers/types.js';
import { deliverDispatch } from '../../src/runner/delivery.js';
import { healthyReply } from '../../src/runner/healthy-replies.js';
import { alert, event, provider, secret } from '../flux/build.js';
import { useGitHubClock } from '../providers/drive.js';

const SHA = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const ISSUED = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a'; // the healthy reply's token

const clock = useGitHubClock(NOW);

const catalog = () =>
  new Catalog({
    alerts: [alert('flux-system', 'status', { providerRef: { name: 'gh-app' } })],
    providers: [provider('flux-system', 'gh-app', { type: 'github', address: 'https://github.com/acme/fleet-infra', secretRef: { name: 'gh-app' } })],
    secrets: [secret('flux-system', 'gh-app', { githubAppID: '123', githubAppInstallationID: '456', githubAppPrivateKey: PEM })],
    others: [],
  });

const commitEvent = (message: string) =>
  event({ message, metadata: stringMap([['kustomize.toolkit.fluxcd.io/revision', `main@sha1:${SHA}`], ['event.toolkit.fluxcd.io/commit', SHA]]) });

function dispatchOf(c: Catalog, opts: DecideOptions, message: string): Dispatch {
  const decision = decide(intake(commitEvent(message)).event, c, opts);
  const d = decision.dispatches[0];
  if (!d) throw new Error(`not dispatched: ${JSON.stringify(decision.evaluated)}`);
  return d;
}

const urls = (r: { requests: Array<{ url?: string } | object> }) => r.requests.map((q) => ('url' in q ? q.url : ''));
const isExchange = (u: string | undefined) => (u ?? '').endsWith('/app/installations/456/access_tokens');

describe('delivery with provider caches', () => {
  test('delivery caches: two events for one GitHub App provider exchange the token once (render mode, healthy replies)', async () => {
    const opts: DecideOptions = { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: createNotifierFromRegistry, caches: new ProviderCaches({ now: () => clock.now }) };
    const c = catalog();
    const first = await deliverDispatch(dispatchOf(c, opts, 'one'), { mode: 'render' });
    expect(first.ok).toBe(true);
    expect(urls(first).filter(isExchange)).toHaveLength(1);
    clock.now = NOW + 10 * 60_000;
    const second = await deliverDispatch(dispatchOf(c, opts, 'two'), { mode: 'render' });
    expect(second.ok).toBe(true);
    expect(urls(second).filter(isExchange)).toHaveLength(0);
    expect(urls(second)).toHaveLength(2);
  });

  test('delivery caches: the cached token is masked in requests and replies, shown with --show-secrets', async () => {
    const opts: DecideOptions = { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: createNotifierFromRegistry, caches: new ProviderCaches({ now: () => clock.now }) };
    const c = catalog();
    const first = await deliverDispatch(dispatchOf(c, opts, 'one'), { mode: 'render' });
    const second = await deliverDispatch(dispatchOf(c, opts, 'two'), { mode: 'render' });
    for (const r of [first, second]) {
      const text = JSON.stringify([r.requests, r.replies]);
      expect(text).not.toContain(ISSUED);
      expect(text).toContain('"Authorization":"Bearer *****"');
    }
    const shown = await deliverDispatch(dispatchOf(c, opts, 'three'), { mode: 'render', showSecrets: true });
    expect(JSON.stringify(shown.requests)).toContain(`Bearer ${ISSUED}`);
  });

  test('delivery caches: each delivery mode has its own cache', async () => {
    const caches = new ProviderCaches({ now: () => clock.now });
    const opts: DecideOptions = { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: createNotifierFromRegistry, caches };
    await deliverDispatch(dispatchOf(catalog(), opts, 'one'), { mode: 'render' });
    caches.select('render');
    expect(caches.githubAppTokens.size).toBe(1);
    caches.select('mock');
    expect(caches.githubAppTokens.size).toBe(0);
  });

  test('delivery caches: another ProviderCaches owner on the same manifests starts empty (the options are assembled again)', async () => {
    const c = catalog();
    const base = { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: createNotifierFromRegistry };
    await deliverDispatch(dispatchOf(c, { ...base, caches: new ProviderCaches({ now: () => clock.now }) }, 'one'), { mode: 'render' });
    const fresh = await deliverDispatch(dispatchOf(c, { ...base, caches: new ProviderCaches({ now: () => clock.now }) }, 'two'), { mode: 'render' });
    expect(urls(fresh).filter(isExchange)).toHaveLength(1);
  });

  test('delivery caches: a failed exchange is not cached (the next event exchanges again)', async () => {
    const opts: DecideOptions = { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: createNotifierFromRegistry, caches: new ProviderCaches({ now: () => clock.now }) };
    const c = catalog();
    const refuse = (req: PlannedRequest): HttpReply =>
      isExchange((req as PlannedHttpRequest).url) ? { status: 500, headers: {}, body: '' } : healthyReply(req);
    const failed = await deliverDispatch(dispatchOf(c, opts, 'one'), { mode: 'render', replyFor: refuse });
    expect(failed.ok).toBe(false);
    const next = await deliverDispatch(dispatchOf(c, opts, 'two'), { mode: 'render' });
    expect(urls(next).filter(isExchange)).toHaveLength(1);
  });
});
