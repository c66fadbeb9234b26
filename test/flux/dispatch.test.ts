import { describe, expect, it } from 'vitest';
import { stringMap } from '../../src/flux/types.js';
import { alert, event, provider, run, secret } from './build.js';
import { TEST_CA_PEM, TEST_CLIENT_CERT_PEM, TEST_CLIENT_KEY_PEM } from './tls-fixtures.js';

const md = (o: Record<string, string>) => stringMap(Object.entries(o));

describe('dispatch decisions (spec §4.2)', () => {
  it('§8.12 --no-cross-namespace-refs turns a cross-namespace match into a dispatch error with a Warning event', () => {
    const a = alert('apps', 'a', { eventSources: [{ kind: 'Kustomization', name: '*', namespace: 'flux-system' }] });
    const objs = { alerts: [a], providers: [provider('apps', 'slack')] };
    expect(run(event(), objs).alerts[0]!.outcome).toBe('dispatched');
    const r = run(event(), objs, { noCrossNamespaceRefs: true });
    expect(r.alerts[0]).toMatchObject({ matched: true, outcome: 'dropped', reason: 'cross-namespace-blocked' });
    expect(r.alerts[0]!.controllerEvent).toEqual({
      reason: 'NotificationDispatchFailed',
      message:
        "failed to dispatch notification for Kustomization/flux-system/podinfo: discarding event, access denied to cross-namespace sources: alert 'apps/a' can't process event from 'Kustomization/flux-system/podinfo', cross-namespace references have been blocked",
    });
  });

  it('§8.13 the provider is looked up in the alert namespace only; elsewhere it is not found', () => {
    const a = alert('apps', 'a', { eventSources: [{ kind: 'Kustomization', name: '*', namespace: 'flux-system' }] });
    const r = run(event(), { alerts: [a], providers: [provider('flux-system', 'slack')] });
    expect(r.alerts[0]).toMatchObject({ outcome: 'dropped', reason: 'provider-not-found', providerType: null });
    expect(r.alerts[0]!.controllerEvent!.message).toBe(
      'failed to dispatch notification for Kustomization/flux-system/podinfo: failed to read provider: providers.notification.toolkit.fluxcd.io "slack" not found',
    );
  });

  it('§8.14 a suspended provider drops silently before its secrets are read', () => {
    const p = provider('flux-system', 'slack', { suspend: true, secretRef: { name: 'missing' } });
    const r = run(event(), { alerts: [alert('flux-system', 'a')], providers: [p] });
    expect(r.alerts[0]).toMatchObject({ outcome: 'dropped', reason: 'provider-suspended' });
    expect(r.alerts[0]!.controllerEvent).toBeUndefined();
  });

  it('§8.15 a commit-status provider drops info events without commit key or update marker', () => {
    const p = provider('flux-system', 'gh', { type: 'github', address: 'https://github.com/org/repo', secretRef: { name: 'gh' } });
    const s = secret('flux-system', 'gh', { token: 't' });
    const a = alert('flux-system', 'a', { providerRef: { name: 'gh' } });
    const r = run(event(), { alerts: [a], providers: [p], secrets: [s] });
    expect(r.alerts[0]).toMatchObject({ outcome: 'dropped', reason: 'commit-status-missing-commit' });
    expect(r.logs).toContain('event dropped for commit status providers due to missing commit metadata key (alerts: flux-system/a)');
  });

  it('§8.15 a commit-status provider lets every error event through, and commit status updates whatever their severity', () => {
    const p = provider('flux-system', 'gh', { type: 'github', address: 'https://github.com/org/repo', secretRef: { name: 'gh' } });
    const objs = { alerts: [alert('flux-system', 'a', { providerRef: { name: 'gh' } })], providers: [p], secrets: [secret('flux-system', 'gh', { token: 't' })] };
    expect(run(event({ severity: 'error' }), objs).alerts[0]!.outcome).toBe('dispatched');
    const upd = event({ metadata: md({ 'kustomize.toolkit.fluxcd.io/commit_status': 'update', 'kustomize.toolkit.fluxcd.io/revision': 'main@sha1:abc' }) });
    expect(run(upd, objs).alerts[0]!.outcome).toBe('dispatched');
    const commit = event({ metadata: md({ 'event.toolkit.fluxcd.io/commit': 'abc' }) });
    expect(run(commit, objs).alerts[0]!.outcome).toBe('dispatched');
  });

  it('§8.16 generic and generic-hmac receive commit-status updates; slack and change-request providers silently do not', () => {
    const upd = event({ metadata: md({ 'kustomize.toolkit.fluxcd.io/commit_status': 'update' }) });
    for (const [type, want] of [['generic', 'dispatched'], ['generic-hmac', 'dispatched'], ['slack', 'dropped'], ['githubpullrequestcomment', 'dropped']] as const) {
      const p = provider('flux-system', 'p', { type, address: 'https://example.com/hook', secretRef: { name: 's' } });
      const r = run(upd, { alerts: [alert('flux-system', 'a', { providerRef: { name: 'p' } })], providers: [p], secrets: [secret('flux-system', 's', { token: 'k' })] });
      expect(r.alerts[0]!.outcome, type).toBe(want);
      if (want === 'dropped') {
        expect(r.alerts[0]!.reason).toBe('commit-status-update-unsupported-provider');
        expect(r.alerts[0]!.controllerEvent).toBeUndefined();
      }
    }
  });

  it('§4.2 step 4 only the exact value "update" marks a commit status update', () => {
    const e = event({ metadata: md({ 'kustomize.toolkit.fluxcd.io/commit_status': 'Update' }) });
    expect(run(e, { alerts: [alert('flux-system', 'a')], providers: [provider('flux-system', 'slack')] }).alerts[0]!.outcome).toBe('dispatched');
  });

  it('§8.17 hasCommitKey looks only at the event-group key; a controller commit key does not pass the gate', () => {
    const p = provider('flux-system', 'gh', { type: 'github', address: 'https://github.com/org/repo', secretRef: { name: 'gh' } });
    const objs = { alerts: [alert('flux-system', 'a', { providerRef: { name: 'gh' } })], providers: [p], secrets: [secret('flux-system', 'gh', { token: 't' })] };
    const e = event({ metadata: md({ 'kustomize.toolkit.fluxcd.io/commit': 'abc' }) });
    expect(run(e, objs).alerts[0]!.reason).toBe('commit-status-missing-commit');
  });

  it('§8.17 isCommitStatusUpdate looks only at the object-group key', () => {
    const e = event({ metadata: md({ 'event.toolkit.fluxcd.io/commit_status': 'update' }) });
    expect(run(e, { alerts: [alert('flux-system', 'a')], providers: [provider('flux-system', 'slack')] }).alerts[0]!.outcome).toBe('dispatched');
  });

  it('§4.2 step 6 change-request providers need the event-group change_request key', () => {
    const p = provider('flux-system', 'pr', { type: 'githubpullrequestcomment', address: 'https://github.com/org/repo', secretRef: { name: 's' } });
    const objs = { alerts: [alert('flux-system', 'a', { providerRef: { name: 'pr' } })], providers: [p], secrets: [secret('flux-system', 's', { token: 't' })] };
    const r = run(event(), objs);
    expect(r.alerts[0]).toMatchObject({ outcome: 'dropped', reason: 'change-request-missing-key' });
    expect(r.logs.some((l) => l.startsWith('event dropped for change request providers'))).toBe(true);
    const ok = run(event({ metadata: md({ 'event.toolkit.fluxcd.io/change_request': '42' }) }), objs);
    expect(ok.alerts[0]!.outcome).toBe('dispatched');
    expect(ok.alerts[0]!.metadata).toEqual({ change_request: '42' });
  });

  it('§8.18 spec.serviceAccountName without the feature gate is an error for any type', () => {
    const p = provider('flux-system', 'slack', { serviceAccountName: 'sa' });
    const objs = { alerts: [alert('flux-system', 'a')], providers: [p] };
    const r = run(event(), objs);
    expect(r.alerts[0]).toMatchObject({ outcome: 'dropped', reason: 'workload-identity-disabled' });
    expect(r.alerts[0]!.controllerEvent!.message).toBe(
      'failed to dispatch notification for Kustomization/flux-system/podinfo: to use spec.serviceAccountName for provider authentication please enable the ObjectLevelWorkloadIdentity feature gate in the controller',
    );
    expect(run(event(), objs, { objectLevelWorkloadIdentity: true }).alerts[0]!.outcome).toBe('dispatched');
  });

  it('§4.2 order: an info event without commit metadata to GitHub is "dropped" even when the workload identity gate would fail', () => {
    const p = provider('flux-system', 'gh', { type: 'github', address: 'https://github.com/o/r', serviceAccountName: 'sa' });
    const r = run(event(), { alerts: [alert('flux-system', 'a', { providerRef: { name: 'gh' } })], providers: [p] });
    expect(r.alerts[0]!.reason).toBe('commit-status-missing-commit');
  });

  it('§4.2 order: a commit status update to Slack with a missing secret is silent', () => {
    const p = provider('flux-system', 'slack', { secretRef: { name: 'missing' } });
    const e = event({ metadata: md({ 'kustomize.toolkit.fluxcd.io/commit_status': 'update' }) });
    const r = run(e, { alerts: [alert('flux-system', 'a')], providers: [p] });
    expect(r.alerts[0]!.reason).toBe('commit-status-update-unsupported-provider');
  });

  it('§4.2 step 10 a missing secret is a notifier-init-error with NC message', () => {
    const p = provider('flux-system', 'slack', { secretRef: { name: 'missing' } });
    const r = run(event(), { alerts: [alert('flux-system', 'a')], providers: [p] });
    expect(r.alerts[0]).toMatchObject({ outcome: 'dropped', reason: 'notifier-init-error' });
    expect(r.alerts[0]!.controllerEvent!.message).toBe(
      "failed to dispatch notification for Kustomization/flux-system/podinfo: failed to initialize notifier for provider 'slack': failed to get secret 'flux-system/missing': secrets \"missing\" not found",
    );
  });

  it('§6.9 constructor errors are wrapped "failed to initialize notifier: <err>"', () => {
    const r = run(event(), { alerts: [alert('flux-system', 'a')], providers: [provider('flux-system', 'slack')] }, {
      createNotifier: () => {
        throw new Error('provider slack not supported');
      },
    });
    expect(r.alerts[0]!.controllerEvent!.message).toBe(
      "failed to dispatch notification for Kustomization/flux-system/podinfo: failed to initialize notifier for provider 'slack': failed to initialize notifier: provider slack not supported",
    );
  });

  it('§8.32 the secret address overrides spec.address, even an invalid one; an empty secret address erases it', () => {
    let seen = '';
    const capture = (_t: string, o: { url: string }) => {
      seen = o.url;
      return {};
    };
    const p = provider('flux-system', 'slack', { address: 'not a url', secretRef: { name: 's' } });
    run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 's', { address: '  https://hooks.example/x \n' })] }, { createNotifier: capture });
    expect(seen).toBe('https://hooks.example/x');
    run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 's', { address: '' })] }, { createNotifier: capture });
    expect(seen).toBe('');
  });

  it('§8.33 the secret address may be at most 2048 bytes', () => {
    const p = provider('flux-system', 'slack', { secretRef: { name: 's' } });
    const tooLong = run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 's', { address: 'https://x/' + 'a'.repeat(2039) })] });
    expect(tooLong.alerts[0]!.controllerEvent!.message).toContain('invalid address in secret: address exceeds maximum length of 2048 bytes');
    const exact = run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 's', { address: 'https://x/' + 'a'.repeat(2038) })] });
    expect(exact.alerts[0]!.outcome).toBe('dispatched');
  });

  it('§8.34 the secret proxy overrides spec.proxy; an unparsable secret proxy is an error; proxySecretRef needs address', () => {
    let proxy = '';
    const capture = (_t: string, o: { proxyURL: string }) => {
      proxy = o.proxyURL;
      return {};
    };
    const p = provider('flux-system', 'slack', { proxy: 'http://spec-proxy:3128', secretRef: { name: 's' } });
    run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 's', { proxy: ' http://secret-proxy:8080 ' })] }, { createNotifier: capture });
    expect(proxy).toBe('http://secret-proxy:8080');
    const bad = run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 's', { proxy: 'http://[::1' })] });
    expect(bad.alerts[0]!.controllerEvent!.message).toContain("invalid 'proxy' in secret 'flux-system/s'");
    const ps = provider('flux-system', 'slack', { proxySecretRef: { name: 'px' } });
    const missing = run(event(), { alerts: [alert('flux-system', 'a')], providers: [ps], secrets: [secret('flux-system', 'px', { username: 'u' })] });
    expect(missing.alerts[0]!.controllerEvent!.message).toContain("failed to get proxy URL: secret 'flux-system/px': key 'address' not found");
    run(event(), { alerts: [alert('flux-system', 'a')], providers: [ps], secrets: [secret('flux-system', 'px', { address: 'http://proxy:3128', username: 'u', password: 'p' })] }, { createNotifier: capture });
    expect(proxy).toBe('http://u:p@proxy:3128');
  });

  it('§8.35 headers must be a YAML mapping; scalars become strings', () => {
    let headers: Record<string, string> = {};
    const capture = (_t: string, o: { headers: Record<string, string> }) => {
      headers = o.headers;
      return {};
    };
    const p = provider('flux-system', 'g', { type: 'generic', address: 'https://x', secretRef: { name: 's' } });
    const objs = (h: string) => ({ alerts: [alert('flux-system', 'a', { providerRef: { name: 'g' } })], providers: [p], secrets: [secret('flux-system', 's', { headers: h })] });
    run(event(), objs('X-A: one\nX-N: 2\nX-B: true\n'), { createNotifier: capture });
    expect(headers).toEqual({ 'X-A': 'one', 'X-N': '2', 'X-B': 'true' });
    const bad = run(event(), objs('- a\n- b\n'));
    expect(bad.alerts[0]!.controllerEvent!.message).toContain('failed to read headers from secret:');
  });

  it('§8.36 a partial username/password pair silently discards token, username and password', () => {
    let o: { token: string; username: string; password: string } = { token: '', username: '', password: '' };
    const capture = (_t: string, x: typeof o) => {
      o = x;
      return {};
    };
    const p = provider('flux-system', 'slack', { username: 'spec-user', secretRef: { name: 's' } });
    run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 's', { token: 'tok', password: 'pw' })] }, { createNotifier: capture });
    expect(o).toMatchObject({ token: '', username: 'spec-user', password: '' });
    run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 's', { token: 'tok ', username: 'u', password: 'pw' })] }, { createNotifier: capture });
    expect(o).toMatchObject({ token: 'tok ', username: 'u', password: 'pw' });
  });

  it('§8.37 certSecretRef without cert data is an error, whatever its type', () => {
    const p = provider('flux-system', 'slack', { certSecretRef: { name: 'c' } });
    const r = run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 'c', { foo: 'bar' })] });
    expect(r.alerts[0]!.controllerEvent!.message).toContain(
      "failed to get TLS config: secret 'flux-system/c' must contain either 'ca.crt' or both 'tls.crt' and 'tls.key'",
    );
  });

  it('§8.37 an invalid CA is an error', () => {
    const p = provider('flux-system', 'slack', { certSecretRef: { name: 'c' } });
    const r = run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 'c', { 'ca.crt': 'not a pem' })] });
    expect(r.alerts[0]!.controllerEvent!.message).toContain('failed to get TLS config: failed to parse CA certificate');
  });

  it('§8.37 only one half of a client pair is an error', () => {
    const p = provider('flux-system', 'slack', { certSecretRef: { name: 'c' } });
    const r = run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 'c', { 'tls.crt': 'x' })] });
    expect(r.alerts[0]!.controllerEvent!.message).toContain("secret 'flux-system/c' contains 'tls.crt' but missing 'tls.key'");
  });

  /** Runs one slack alert with a certSecretRef and returns what the notifier factory got for TLS. */
  function tlsWith(data: Record<string, string>) {
    let tls: { ca?: string; cert?: string; key?: string } | undefined;
    const capture = (_t: string, o: { tls?: typeof tls }) => {
      tls = o.tls;
      return {};
    };
    const p = provider('flux-system', 'slack', { certSecretRef: { name: 'c' } });
    const r = run(event(), { alerts: [alert('flux-system', 'a')], providers: [p], secrets: [secret('flux-system', 'c', data)] }, { createNotifier: capture });
    return { r, tls };
  }

  it('§8.37 ca.crt wins over caFile (upstream "cert secret reference in both ca.crt and caFile")', () => {
    const { r, tls } = tlsWith({ 'ca.crt': TEST_CA_PEM, caFile: 'not a pem' });
    expect(r.alerts[0]!.outcome).toBe('dispatched');
    expect(tls?.ca).toBe(TEST_CA_PEM);
  });

  it('§8.37 legacy keys work, with the "using legacy key in secret data" log (upstream "mTLS with legacy keys")', () => {
    const { r, tls } = tlsWith({ caFile: TEST_CA_PEM, certFile: TEST_CLIENT_CERT_PEM, keyFile: TEST_CLIENT_KEY_PEM });
    expect(r.alerts[0]!.outcome).toBe('dispatched');
    expect(tls).toMatchObject({ ca: TEST_CA_PEM, cert: TEST_CLIENT_CERT_PEM, key: TEST_CLIENT_KEY_PEM });
    expect(r.alerts[0]!.logs?.some((l) => l.startsWith('using legacy key in secret data'))).toBe(true);
  });

  it('§8.37 a client pair without a CA is fine (upstream "client cert without CA")', () => {
    const { r, tls } = tlsWith({ 'tls.crt': TEST_CLIENT_CERT_PEM, 'tls.key': TEST_CLIENT_KEY_PEM });
    expect(r.alerts[0]!.outcome).toBe('dispatched');
    expect(tls).toMatchObject({ cert: TEST_CLIENT_CERT_PEM, key: TEST_CLIENT_KEY_PEM });
    expect(tls?.ca).toBeUndefined();
  });

  it('§8.38 certSecretRef wins over TLS data in secretRef, even invalid data, for a git provider', () => {
    let ca: string | undefined;
    const capture = (_t: string, o: { tls?: { ca?: string } }) => {
      ca = o.tls?.ca;
      return {};
    };
    const gh = provider('flux-system', 'gh', { type: 'github', address: 'https://github.com/o/r', secretRef: { name: 's' }, certSecretRef: { name: 'c' } });
    const r = run(event({ severity: 'error' }), {
      alerts: [alert('flux-system', 'a', { providerRef: { name: 'gh' } })],
      providers: [gh],
      secrets: [secret('flux-system', 's', { token: 't', 'ca.crt': 'garbage' }), secret('flux-system', 'c', { 'ca.crt': TEST_CA_PEM })],
    }, { createNotifier: capture });
    expect(r.alerts[0]!.outcome).toBe('dispatched');
    expect(ca).toBe(TEST_CA_PEM);
  });

  it('§8.38 secretRef TLS data is ignored for non-git providers, and an invalid CA there fails a git provider', () => {
    const slackP = provider('flux-system', 'slack', { secretRef: { name: 's' } });
    const s = secret('flux-system', 's', { 'ca.crt': 'garbage', token: 't' });
    expect(run(event(), { alerts: [alert('flux-system', 'a')], providers: [slackP], secrets: [s] }).alerts[0]!.outcome).toBe('dispatched');
    const gh = provider('flux-system', 'gh', { type: 'github', address: 'https://github.com/o/r', secretRef: { name: 's' } });
    const r = run(event({ severity: 'error' }), { alerts: [alert('flux-system', 'a', { providerRef: { name: 'gh' } })], providers: [gh], secrets: [s] });
    expect(r.alerts[0]!.controllerEvent!.message).toContain('failed to get TLS config: failed to parse CA certificate');
  });

  it('§8.39 an unknown provider type fails at notifier construction', async () => {
    const { createNotifierFromRegistry: factory } = await import('../../src/providers/registry.js');
    const p = provider('flux-system', 'x', { type: 'carrier-pigeon' });
    const r = run(event(), { alerts: [alert('flux-system', 'a', { providerRef: { name: 'x' } })], providers: [p] }, { createNotifier: factory });
    expect(r.alerts[0]!.controllerEvent!.message).toBe(
      "failed to dispatch notification for Kustomization/flux-system/podinfo: failed to initialize notifier for provider 'x': failed to initialize notifier: provider carrier-pigeon not supported",
    );
  });

  it('§8.39 telegram needs no address', async () => {
    const { createNotifierFromRegistry: factory } = await import('../../src/providers/registry.js');
    const p = provider('flux-system', 'tg', { type: 'telegram', address: undefined, channel: '-100123', secretRef: { name: 'tg' } });
    const r = run(event(), { alerts: [alert('flux-system', 'a', { providerRef: { name: 'tg' } })], providers: [p], secrets: [secret('flux-system', 'tg', { token: '123:abc' })] }, { createNotifier: factory });
    expect(r.alerts[0]!.outcome).toBe('dispatched');
  });
});
