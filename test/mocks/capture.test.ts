// The capture endpoint (every HTTP provider type without a dedicated mock) and the whole set: in
// mock mode every HTTP provider type of the registry must complete a delivery through the
// transport with msw answering, and nothing may be left unhandled.

import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/registry.js';
import type { NotifierOptions } from '../../src/providers/types.js';
import type { FluxEvent } from '../../src/flux/types.js';
import { mockSuite, only, PROVIDER_UID, sampleEvent, SHA, STATUS_ID, variantG } from './helpers.js';

/** Variant C of providers §1.4: a change request comment. */
const variantC = (): FluxEvent => sampleEvent({ metadata: { change_request: '42', revision: 'main@sha1:abc123', summary: 'Cluster: production' } });

interface Case {
  opts: Partial<NotifierOptions>;
  event?: FluxEvent;
  /** The service the outbox names for the final request. */
  service: string;
}

const git = { token: 'tok', commitStatus: STATUS_ID, providerUID: PROVIDER_UID };

/** One working configuration per HTTP provider type, with the service that should answer it. */
const CASES: Record<string, Case> = {
  slack: { opts: { url: 'https://hooks.slack.com/services/T1/B1/x' }, service: 'slack' },
  discord: { opts: { url: 'https://discord.com/api/webhooks/1/t' }, service: 'discord' },
  msteams: { opts: { url: 'https://prod-1.westeurope.logic.azure.com/workflows/1/triggers/manual/paths/invoke?sig=x' }, service: 'msteams' },
  rocket: { opts: { url: 'https://chat.acme.example/hooks/abc/def' }, service: 'rocket' },
  generic: { opts: { url: 'https://audit.acme.example/flux' }, service: 'generic' },
  'generic-hmac': { opts: { url: 'https://audit.acme.example/signed', token: 'k' }, service: 'generic-hmac' },
  github: { opts: { url: 'https://github.com/org/repo', ...git }, event: variantG(), service: 'github' },
  gitlab: { opts: { url: 'https://gitlab.com/org/repo', ...git }, event: variantG(), service: 'gitlab' },
  gitea: { opts: { url: 'https://gitea.com/org/repo', ...git }, event: variantG(), service: 'gitea' },
  giteapullrequestcomment: { opts: { url: 'https://codeberg.org/org/repo', ...git }, event: variantC(), service: 'gitea' },
  bitbucketserver: { opts: { url: 'https://bitbucket.acme.example/scm/proj/repo.git', ...git }, event: variantG(), service: 'bitbucketserver' },
  bitbucket: { opts: { url: 'https://bitbucket.org/ws/repo', ...git, token: 'user:app-password' }, event: variantG(), service: 'bitbucket' },
  azuredevops: { opts: { url: 'https://dev.azure.com/org/proj/_git/repo', ...git }, event: variantG(), service: 'azuredevops' },
  googlechat: { opts: { url: 'https://chat.googleapis.com/v1/spaces/A/messages?key=k&token=t' }, service: 'googlechat' },
  webex: { opts: { url: 'https://webexapis.com/v1/messages', channel: 'room', token: 'tok' }, service: 'webex' },
  sentry: { opts: { url: 'https://publickey@o123.ingest.sentry.io/456' }, service: 'sentry' },
  telegram: { opts: { token: '123456:ABCdef', channel: '@flux' }, service: 'telegram' },
  lark: { opts: { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc' }, service: 'lark' },
  matrix: { opts: { url: 'https://matrix.org', channel: '!room:matrix.org', token: 'tok' }, service: 'matrix' },
  opsgenie: { opts: { url: 'https://api.opsgenie.com/v2/alerts', token: 'tok' }, service: 'opsgenie' },
  alertmanager: { opts: { url: 'https://am.acme.example/api/v2/alerts' }, service: 'alertmanager' },
  grafana: { opts: { url: 'https://grafana.acme.example/api/annotations', token: 'tok' }, service: 'grafana' },
  githubdispatch: { opts: { url: 'https://github.com/org/repo', token: 'tok' }, service: 'github' },
  githubpullrequestcomment: { opts: { url: 'https://github.com/org/repo', ...git }, event: variantC(), service: 'github' },
  gitlabmergerequestcomment: { opts: { url: 'https://gitlab.com/org/repo', ...git }, event: variantC(), service: 'gitlab' },
  pagerduty: { opts: { url: 'https://events.pagerduty.com', channel: 'routing-key' }, service: 'pagerduty' },
  datadog: { opts: { url: 'https://api.datadoghq.eu', token: 'dd-api-key' }, service: 'datadog' },
  zulip: { opts: { url: 'https://acme.zulipchat.com', channel: 'flux/alerts', username: 'bot@acme', password: 'key' }, service: 'zulip' },
  otel: {
    opts: { url: 'http://collector.monitoring.example:4318/v1/traces', alert: { name: 'podinfo-alerts', namespace: 'flux-system', uid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' } },
    service: 'otel',
  },
  zoom: { opts: { url: 'https://integrations.zoom.us/chat/webhooks/incomingwebhook/abc', token: 'tok' }, service: 'zoom' },
  'incident.io': { opts: { url: 'https://api.incident.io/v2/alert_events/http/abc', token: 'tok' }, service: 'incident.io' },
};

/** What the runner does: tell the mock the loaded Providers' addresses and types. */
const ADDRESSES = Object.entries(CASES)
  .filter(([, c]) => c.opts.url)
  .map(([type, c]) => ({ address: c.opts.url!, type }));

describe('capture and every HTTP provider type', () => {
  const s = mockSuite(() => ({}), { providerAddresses: ADDRESSES });

  it('capture: telegram is answered like the Bot API, and the preview masks the bot token in the URL', async () => {
    const r = await s.post('telegram', { token: '123456:ABCdef', channel: '@flux' });
    expect(r.error).toBeUndefined();
    const e = only(s.last());
    expect(e.url).toBe('https://api.telegram.org/bot123456:ABCdef/sendMessage');
    expect(JSON.parse(e.responseBody)).toMatchObject({ ok: true, result: { chat: { id: '@flux' } } });
    expect(e.preview).toMatchObject({
      kind: 'generic',
      service: 'telegram',
      method: 'POST',
      url: 'https://api.telegram.org/bot*****/sendMessage',
      headers: { 'Content-Type': 'application/json' },
      notes: ['captured: this mock does not check the payload'],
    });
    if (e.preview?.kind !== 'generic') return;
    expect(e.preview.json).toMatchObject({ chat_id: '@flux', parse_mode: 'MarkdownV2' });
  });

  it('capture: credentials in headers are masked in the preview, scheme kept', async () => {
    await s.post('opsgenie', { url: 'https://api.opsgenie.com/v2/alerts', token: 'og-secret' });
    const p = only(s.last()).preview;
    if (p?.kind !== 'generic') throw new Error('no generic preview');
    expect(p.headers.Authorization).toBe('GenieKey *****');
    expect(JSON.stringify(p)).not.toContain('og-secret');
  });

  it('capture: a form-encoded body (zulip) is shown decoded', async () => {
    await s.post('zulip', CASES.zulip!.opts);
    const p = only(s.last()).preview;
    if (p?.kind !== 'generic') throw new Error('no generic preview');
    expect(p.json).toMatchObject({ type: 'stream', to: 'flux', topic: 'alerts' });
    expect(p.notes).toContain('form-encoded body, shown decoded');
  });

  it('capture: the case table covers every HTTP provider type of the registry', () => {
    const http = [...PROVIDERS.values()].filter((d) => d.transport === 'http').map((d) => d.type).sort();
    expect(Object.keys(CASES).sort()).toEqual(http);
  });

  for (const [type, c] of Object.entries(CASES)) {
    it(`mock mode: ${type} completes a delivery answered by the ${c.service} mock`, async () => {
      const r = await s.post(type, c.opts, c.event ?? sampleEvent());
      expect(r.error).toBeUndefined();
      expect(r.outcome?.sent).toBe(true);
      const entries = s.last();
      expect(entries.length).toBeGreaterThan(0);
      const final = entries[entries.length - 1]!;
      expect(final.service).toBe(c.service);
      expect(final.status).toBeLessThan(300);
      expect(final.preview).toBeDefined();
      expect(final.previewError).toBeUndefined();
    });
  }

  it('capture: the commit SHA of Variant G reaches the git providers (sanity for the table)', async () => {
    await s.post('gitea', CASES.gitea!.opts, variantG());
    expect(s.last().some((e) => e.url.includes(SHA))).toBe(true);
  });
});
