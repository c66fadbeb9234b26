// healthyReply: every provider type of the registry, driven to completion with the replies of a
// healthy, empty service. Expected request sequences come from the providers spec (§4.x samples,
// §1.3 sample E, §1.4 Variants G and C); expected reply statuses from the services' API docs and
// the spec's "Response" lines (e.g. Opsgenie 202, GitHub dispatch 204, Bitbucket 404 = none).

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { FluxEvent } from '../../src/flux/types.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import { canonicalHeaderKey } from '../../src/providers/sender.js';
import { NotifierInitError } from '../../src/providers/git-common.js';
import type { HttpReply, NotifierOptions, PlannedHttpRequest, PlannedRequest } from '../../src/providers/types.js';
import { healthyReply } from '../../src/runner/healthy-replies.js';
import { drive, errorText, options, reply, sampleEvent, type Driven } from '../providers/drive.js';

const SHA = 'abc123def4567890abc123def4567890abc123de';
const UID = '0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a';
/** Default commit status ID of the sample (providers §2.8). */
const STATUS_ID = 'kustomization/podinfo/0c9c2e41';
/** SHA-1 of STATUS_ID: the Bitbucket key (providers §1.3). */
const BB_KEY = 'dfbdde19098ffc25b398f33cc01d36690866ac7b';
const ALERT = { name: 'podinfo-alerts', namespace: 'flux-system', uid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' };

/** Variant G (providers §1.4): a commit-status update with a full SHA-1. */
const variantG = (): FluxEvent =>
  sampleEvent({ metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' } });
/** Variant C (providers §1.4): a change-request comment for PR/MR 42. */
const variantC = (): FluxEvent =>
  sampleEvent({ metadata: { change_request: '42', revision: 'main@sha1:abc123', summary: 'Cluster: production' } });

const EVENTS = { E: () => sampleEvent(), G: variantG, C: variantC };

interface Case {
  /** Row label (the type, plus the mode when a type has two). */
  name: string;
  type: string;
  opts: Partial<NotifierOptions> & { alert?: typeof ALERT };
  event: keyof typeof EVENTS;
  /** `[preflight ]METHOD URL` per HTTP request, `<transport> <target>` per message. */
  sequence: string[];
  /** Status of the healthy reply each request gets. */
  statuses: number[];
}

const GH = 'https://api.github.com/repos/stefanprodan/podinfo';
const GL = 'https://gitlab.com/api/v4/projects/stefanprodan%2Fpodinfo';
const GT = 'https://gitea.example.com/api/v1';
const BBS = `https://bitbucket.example.com:7990/rest/api/latest/projects/PROJ/repos/podinfo/commits/${SHA}/builds`;
const BBC = `https://api.bitbucket.org/2.0/repositories/stefanprodan/podinfo/commit/${SHA}/statuses/build`;
const ADO = `https://dev.azure.com/myorg/MyProject/_apis/git/repositories/podinfo/commits/${SHA}/statuses`;
const TEAMS_WORKFLOW =
  'https://prod-00.westeurope.logic.azure.com:443/workflows/0a1b2c/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s1g';
const SAS = 'Endpoint=sb://flux-events.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=a2V5;EntityPath=flux';

const CASES: Case[] = [
  // --- shared sender (providers §3.4) and the other single-request notifiers, sample E ---
  { name: 'slack (incoming webhook)', type: 'slack', event: 'E', opts: { url: 'https://hooks.slack.com/services/T/B/X' }, sequence: ['POST https://hooks.slack.com/services/T/B/X'], statuses: [200] },
  { name: 'slack (chat.postMessage)', type: 'slack', event: 'E', opts: { url: 'https://slack.com/api/chat.postMessage', token: 'xoxb-token', channel: 'general' }, sequence: ['POST https://slack.com/api/chat.postMessage'], statuses: [200] },
  { name: 'discord', type: 'discord', event: 'E', opts: { url: 'https://discord.com/api/webhooks/123/abc' }, sequence: ['POST https://discord.com/api/webhooks/123/abc/slack'], statuses: [200] },
  { name: 'msteams (workflow)', type: 'msteams', event: 'E', opts: { url: TEAMS_WORKFLOW }, sequence: [`POST ${TEAMS_WORKFLOW}`], statuses: [202] },
  { name: 'msteams (connector)', type: 'msteams', event: 'E', opts: { url: 'https://acme.webhook.office.com/webhookb2/x' }, sequence: ['POST https://acme.webhook.office.com/webhookb2/x'], statuses: [200] },
  { name: 'rocket', type: 'rocket', event: 'E', opts: { url: 'https://rocket.example.com/hooks/abc/def' }, sequence: ['POST https://rocket.example.com/hooks/abc/def'], statuses: [200] },
  { name: 'generic', type: 'generic', event: 'E', opts: { url: 'https://receiver.example.com/flux' }, sequence: ['POST https://receiver.example.com/flux'], statuses: [200] },
  { name: 'generic-hmac', type: 'generic-hmac', event: 'E', opts: { url: 'https://receiver.example.com/flux', token: 'my-hmac-key' }, sequence: ['POST https://receiver.example.com/flux'], statuses: [200] },
  { name: 'googlechat', type: 'googlechat', event: 'E', opts: { url: 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k&token=t' }, sequence: ['POST https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k&token=t'], statuses: [200] },
  { name: 'webex', type: 'webex', event: 'E', opts: { url: 'https://webexapis.com/v1/messages', channel: 'Y2lzY29zcGFyazovL3VzL1JPT00vYWJj', token: 'bot-token' }, sequence: ['POST https://webexapis.com/v1/messages'], statuses: [200] },
  { name: 'sentry', type: 'sentry', event: 'E', opts: { url: 'https://public@o0.ingest.sentry.io/0' }, sequence: ['POST https://o0.ingest.sentry.io/api/0/envelope/'], statuses: [200] },
  { name: 'telegram', type: 'telegram', event: 'E', opts: { token: '123456:ABC-DEF', channel: '-1001234567890' }, sequence: ['POST https://api.telegram.org/bot123456:ABC-DEF/sendMessage'], statuses: [200] },
  { name: 'lark', type: 'lark', event: 'E', opts: { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc' }, sequence: ['POST https://open.feishu.cn/open-apis/bot/v2/hook/abc'], statuses: [200] },
  {
    name: 'matrix', type: 'matrix', event: 'E', opts: { url: 'https://matrix.org', channel: '!jezptmDwEeLapMLjOc:matrix.org', token: 'syt_token' },
    sequence: ['PUT https://matrix.org/_matrix/client/r0/rooms/!jezptmDwEeLapMLjOc:matrix.org/send/m.room.message/742c20ce32e4f9900f8d51e099fac62797b9cd5e'], statuses: [200],
  },
  { name: 'opsgenie', type: 'opsgenie', event: 'E', opts: { url: 'https://api.opsgenie.com/v2/alerts', token: 'genie-key', providerUID: UID }, sequence: ['POST https://api.opsgenie.com/v2/alerts'], statuses: [202] },
  { name: 'alertmanager', type: 'alertmanager', event: 'E', opts: { url: 'https://alertmanager.example.com/api/v2/alerts' }, sequence: ['POST https://alertmanager.example.com/api/v2/alerts'], statuses: [200] },
  { name: 'grafana', type: 'grafana', event: 'E', opts: { url: 'https://grafana.example.com/api/annotations', token: 'glsa_token' }, sequence: ['POST https://grafana.example.com/api/annotations'], statuses: [200] },
  {
    name: 'pagerduty', type: 'pagerduty', event: 'E', opts: { url: 'https://events.pagerduty.com', channel: 'routing-key' },
    sequence: ['POST https://events.pagerduty.com/v2/enqueue', 'POST https://events.pagerduty.com/v2/change/enqueue'], statuses: [202, 202],
  },
  { name: 'datadog', type: 'datadog', event: 'E', opts: { url: 'https://api.datadoghq.com', token: 'dd-api-key' }, sequence: ['POST https://api.datadoghq.com/api/v1/events'], statuses: [202] },
  { name: 'zulip', type: 'zulip', event: 'E', opts: { url: 'https://my-org.zulipchat.com', channel: 'general/alerts', username: 'flux-bot@my-org.zulipchat.com', password: 'api-key' }, sequence: ['POST https://my-org.zulipchat.com/api/v1/messages'], statuses: [200] },
  { name: 'otel', type: 'otel', event: 'E', opts: { url: 'http://otel-collector.example:4318/v1/traces', alert: ALERT }, sequence: ['POST http://otel-collector.example:4318/v1/traces'], statuses: [200] },
  { name: 'zoom', type: 'zoom', event: 'E', opts: { url: 'https://integrations.zoom.us/chat/webhooks/incomingwebhook/xxxx', token: 'verification-token' }, sequence: ['POST https://integrations.zoom.us/chat/webhooks/incomingwebhook/xxxx?format=full'], statuses: [200] },
  {
    name: 'incident.io', type: 'incident.io', event: 'E', opts: { url: 'https://api.incident.io/v2/alert_events/http/01GW2G3V0S59R238FAHPDS1R66', token: 'inc-token' },
    sequence: ['POST https://api.incident.io/v2/alert_events/http/01GW2G3V0S59R238FAHPDS1R66'], statuses: [202],
  },
  { name: 'githubdispatch', type: 'githubdispatch', event: 'E', opts: { url: 'https://github.com/stefanprodan/podinfo', token: 'ghp_token' }, sequence: [`POST ${GH}/dispatches`], statuses: [204] },
  // --- messages that do not travel over HTTP ---
  { name: 'nats', type: 'nats', event: 'E', opts: { url: 'nats://nats.example:4222', channel: 'flux.events' }, sequence: ['nats nats://nats.example:4222 subject flux.events'], statuses: [200] },
  { name: 'googlepubsub', type: 'googlepubsub', event: 'E', opts: { url: 'my-project', channel: 'flux-events' }, sequence: ['googlepubsub projects/my-project/topics/flux-events'], statuses: [200] },
  { name: 'azureeventhub', type: 'azureeventhub', event: 'E', opts: { url: SAS }, sequence: ['azureeventhub amqps://flux-events.servicebus.windows.net/flux'], statuses: [200] },
  // --- commit-status providers, Variant G ---
  {
    name: 'github', type: 'github', event: 'G', opts: { url: 'https://github.com/stefanprodan/podinfo', token: 'ghp_token', commitStatus: STATUS_ID },
    sequence: [`preflight GET ${GH}/commits/${SHA}/statuses?per_page=50`, `POST ${GH}/statuses/${SHA}`], statuses: [200, 201],
  },
  {
    name: 'gitlab', type: 'gitlab', event: 'G', opts: { url: 'https://gitlab.com/stefanprodan/podinfo', token: 'glpat-token', commitStatus: STATUS_ID },
    sequence: [`preflight GET ${GL}/repository/commits/${SHA}/statuses?name=kustomization%2Fpodinfo%2F0c9c2e41`, `POST ${GL}/statuses/${SHA}`], statuses: [200, 201],
  },
  {
    name: 'gitea', type: 'gitea', event: 'G', opts: { url: 'https://gitea.example.com/stefanprodan/podinfo', token: 'gitea-token', commitStatus: STATUS_ID },
    sequence: [`preflight GET ${GT}/version`, `preflight GET ${GT}/repos/stefanprodan/podinfo/commits/${SHA}/statuses?limit=50&page=1`, `POST ${GT}/repos/stefanprodan/podinfo/statuses/${SHA}`],
    statuses: [200, 200, 201],
  },
  {
    name: 'bitbucketserver', type: 'bitbucketserver', event: 'G', opts: { url: 'https://bitbucket.example.com:7990/scm/PROJ/podinfo.git', token: 'bbs-token', commitStatus: STATUS_ID },
    sequence: [`preflight GET ${BBS}?key=${BB_KEY}`, `POST ${BBS}`], statuses: [404, 204],
  },
  {
    name: 'bitbucket', type: 'bitbucket', event: 'G', opts: { url: 'https://bitbucket.org/stefanprodan/podinfo', token: 'flux-bot:app-password', commitStatus: STATUS_ID },
    sequence: [`preflight GET ${BBC}/${BB_KEY}`, `POST ${BBC}`], statuses: [404, 201],
  },
  {
    name: 'azuredevops', type: 'azuredevops', event: 'G', opts: { url: 'https://dev.azure.com/MyOrg/MyProject/_git/podinfo', token: 'ado-pat', commitStatus: STATUS_ID },
    sequence: ['preflight OPTIONS https://dev.azure.com/myorg/_apis', `preflight GET ${ADO}`, `POST ${ADO}`], statuses: [200, 200, 201],
  },
  // --- change-request comments, Variant C ---
  {
    name: 'githubpullrequestcomment', type: 'githubpullrequestcomment', event: 'C', opts: { url: 'https://github.com/stefanprodan/podinfo', token: 'ghp_token', providerUID: UID },
    sequence: ['preflight GET https://api.github.com/user', `preflight GET ${GH}/issues/42/comments?direction=asc&per_page=100&sort=created`, `POST ${GH}/issues/42/comments`],
    statuses: [200, 200, 201],
  },
  {
    name: 'gitlabmergerequestcomment', type: 'gitlabmergerequestcomment', event: 'C', opts: { url: 'https://gitlab.com/stefanprodan/podinfo', token: 'glpat-token', providerUID: UID },
    sequence: ['preflight GET https://gitlab.com/api/v4/user', `preflight GET ${GL}/merge_requests/42/notes?order_by=created_at&per_page=100&sort=asc`, `POST ${GL}/merge_requests/42/notes`],
    statuses: [200, 200, 201],
  },
  {
    name: 'giteapullrequestcomment', type: 'giteapullrequestcomment', event: 'C', opts: { url: 'https://gitea.example.com/stefanprodan/podinfo', token: 'gitea-token', providerUID: UID },
    sequence: [`preflight GET ${GT}/version`, `preflight GET ${GT}/user`, `preflight GET ${GT}/repos/stefanprodan/podinfo/issues/42/comments?limit=100&page=1`, `POST ${GT}/repos/stefanprodan/podinfo/issues/42/comments`],
    statuses: [200, 200, 200, 201],
  },
];

function summary(r: PlannedRequest): string {
  if (r.kind === 'message') return `${r.transport} ${r.target}`;
  return `${r.preflight ? 'preflight ' : ''}${r.method} ${r.url}`;
}

function run(c: Pick<Case, 'type' | 'opts' | 'event'>, replyFor: (req: PlannedRequest, i: number) => HttpReply = healthyReply): Driven {
  const def = PROVIDERS.get(c.type);
  if (!def) throw new Error(`no provider ${c.type}`);
  return drive(def.create(options(c.opts)).post(EVENTS[c.event]()), replyFor);
}

/** healthyReply, except for request `at`, which gets `wrong`. */
const failingAt = (at: number, wrong: HttpReply) => (req: PlannedRequest, i: number) => (i === at ? wrong : healthyReply(req));

const http = (r: PlannedRequest | undefined): PlannedHttpRequest => {
  if (r?.kind !== 'http') throw new Error('expected an HTTP request');
  return r;
};
const header = (r: PlannedRequest | undefined, name: string) => http(r).headers.find(([k]) => k === name)?.[1];

describe('healthyReply: every registry type completes against a healthy, empty service', () => {
  test('healthyReply: the table covers all 34 provider types of the registry (spec §7.5)', () => {
    expect(new Set(CASES.map((c) => c.type))).toEqual(new Set(PROVIDERS.keys()));
    expect(PROVIDERS.size).toBe(34);
  });

  for (const c of CASES) {
    test(`healthyReply: ${c.name} sends ${c.sequence.length} request(s) in the documented order and ends sent`, () => {
      const d = run(c);
      expect(d.error).toBeUndefined();
      expect(d.outcome?.sent).toBe(true);
      expect(d.requests.map(summary)).toEqual(c.sequence);
      expect(d.requests.map((r) => healthyReply(r).status)).toEqual(c.statuses);
    });
  }

  test('healthyReply: only sentry adds a note, its documented fire-and-forget (providers §4.10)', () => {
    for (const c of CASES) {
      const note = run(c).outcome?.note;
      if (c.type === 'sentry') expect(note).toMatch(/^fire-and-forget/);
      else expect(note, c.name).toBeUndefined();
    }
  });

  test('healthyReply: reply header names are in Go canonical form', () => {
    for (const c of CASES) {
      for (const r of run(c).requests) {
        for (const name of Object.keys(healthyReply(r).headers)) expect(canonicalHeaderKey(name), c.name).toBe(name);
      }
    }
  });

  test('healthyReply: the same request always gets the same reply (no clock, no randomness)', () => {
    for (const c of CASES) {
      for (const r of run(c).requests) expect(healthyReply(r)).toEqual(healthyReply(r));
    }
  });
});

describe('healthyReply: reply bodies are those of the real services', () => {
  const replies = (name: string) => {
    const c = CASES.find((x) => x.name === name)!;
    return run(c).requests.map(healthyReply);
  };
  const body = (r: HttpReply | undefined) => JSON.parse(r!.body) as Record<string, unknown>;

  test('healthyReply: a PlannedMessage is delivered: {status: 200, headers: {}, body: ""}', () => {
    expect(healthyReply({ kind: 'message', transport: 'nats', target: 'nats://x subject y', payload: null })).toEqual({ status: 200, headers: {}, body: '' });
  });

  test('healthyReply: an unknown request gets 200 with body {}', () => {
    const req: PlannedHttpRequest = { kind: 'http', method: 'DELETE', url: 'https://unknown.example/x', headers: [], retry: 'none', useProxy: false, useTLS: false };
    expect(healthyReply(req)).toEqual({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' });
  });

  test('healthyReply: github lists no statuses ([]) and echoes the created status (201)', () => {
    const [list, create] = replies('github');
    expect(list!.body).toBe('[]');
    expect(body(create)).toMatchObject({ state: 'success', description: 'reconciliation succeeded', context: STATUS_ID, creator: { login: 'flux-bot' } });
  });

  test('healthyReply: github GET /user is the flux-bot account; no comments yet; comment created', () => {
    const [user, list, create] = replies('githubpullrequestcomment');
    expect(body(user)).toMatchObject({ login: 'flux-bot', id: 1 });
    expect(list!.body).toBe('[]');
    expect(body(create)).toMatchObject({ id: 1, user: { login: 'flux-bot' } });
    expect(String(body(create).body)).toContain('<!-- flux-pr-comment-key:');
  });

  test('healthyReply: githubdispatch gets 204 No Content (providers §4.23)', () => {
    expect(replies('githubdispatch')).toEqual([{ status: 204, headers: {}, body: '' }]);
  });

  test('healthyReply: gitea probe reports version 1.22.0, then empty lists and created objects', () => {
    const [version, list, create] = replies('gitea');
    expect(body(version)).toEqual({ version: '1.22.0' });
    expect(list!.body).toBe('[]');
    expect(body(create)).toMatchObject({ status: 'success', context: STATUS_ID, description: 'reconciliation succeeded' });
    const [, user, comments, comment] = replies('giteapullrequestcomment');
    expect(body(user)).toMatchObject({ id: 1, login: 'flux-bot' });
    expect(comments!.body).toBe('[]');
    expect(comment!.status).toBe(201);
  });

  test('healthyReply: gitlab lists no statuses and echoes the created one; /user is flux-bot', () => {
    const [list, create] = replies('gitlab');
    expect(list!.body).toBe('[]');
    expect(body(create)).toMatchObject({ sha: SHA, status: 'success', name: STATUS_ID, description: 'reconciliation succeeded' });
    const [user, notes, note] = replies('gitlabmergerequestcomment');
    expect(body(user)).toMatchObject({ id: 1, username: 'flux-bot' });
    expect(notes!.body).toBe('[]');
    expect(body(note)).toMatchObject({ noteable_type: 'MergeRequest', noteable_iid: 42, author: { username: 'flux-bot' } });
  });

  test('healthyReply: azuredevops discovery lists the statuses location, then an empty collection', () => {
    const [options_, list, create] = replies('azuredevops');
    const loc = (body(options_).value as Array<Record<string, unknown>>)[0];
    expect(loc).toMatchObject({ id: '428dd4fb-fda5-4722-af02-9313b80305da', area: 'git', resourceName: 'statuses' });
    expect(body(list)).toEqual({ count: 0, value: [] });
    expect(body(create)).toMatchObject({ state: 'succeeded', context: { name: STATUS_ID, genre: 'fluxcd:Cluster: production' } });
  });

  test('healthyReply: azuredevops requests negotiate api-version 6.0 from the discovery reply (providers §4.31)', () => {
    const d = run(CASES.find((c) => c.type === 'azuredevops')!);
    expect(header(d.requests[1], 'Accept')).toBe('application/json;api-version=6.0');
    expect(header(d.requests[2], 'Accept')).toBe('application/json;api-version=6.0');
  });

  test('healthyReply: slack chat.postMessage answers {"ok":true,"channel":…,"ts":…}; webhooks answer ok', () => {
    expect(body(replies('slack (chat.postMessage)')[0])).toMatchObject({ ok: true, channel: 'C0123456789', ts: expect.any(String) });
    expect(replies('slack (incoming webhook)')[0]!.body).toBe('ok');
    // Discord's Slack-compatible endpoint emulates Slack's answer (providers §4.4: 200 `ok`).
    expect(replies('discord')[0]!.body).toBe('ok');
  });

  test('healthyReply: msteams workflow accepts with 202 and no body; the old connector answered 1', () => {
    expect(replies('msteams (workflow)')).toEqual([{ status: 202, headers: {}, body: '' }]);
    expect(replies('msteams (connector)')[0]!.body).toBe('1');
  });

  test('healthyReply: per-service success bodies', () => {
    expect(body(replies('rocket')[0])).toEqual({ success: true });
    expect(body(replies('telegram')[0])).toMatchObject({ ok: true, result: { chat: { id: -1001234567890 } } });
    expect(body(replies('lark')[0])).toEqual({ code: 0, data: {}, msg: 'success' });
    expect(body(replies('matrix')[0])).toHaveProperty('event_id');
    expect(body(replies('opsgenie')[0])).toMatchObject({ result: 'Request will be processed' });
    expect(replies('alertmanager')[0]!.body).toBe('');
    expect(body(replies('grafana')[0])).toMatchObject({ message: 'Annotation added' });
    const [alert, change] = replies('pagerduty');
    expect(body(alert)).toEqual({ status: 'success', message: 'Event processed', dedup_key: '7d0cdc51-ddcf-4743-b223-83ca5c699632' });
    expect(body(change)).toEqual({ status: 'success', message: 'Change event processed' });
    expect(body(replies('datadog')[0])).toMatchObject({ status: 'ok', event: { title: 'Events from the Kustomization podinfo/flux-system' } });
    expect(body(replies('zulip')[0])).toMatchObject({ result: 'success' });
    expect(body(replies('incident.io')[0])).toEqual({ deduplication_key: '7d0cdc51-ddcf-4743-b223-83ca5c699632', message: 'Event accepted for processing', status: 'success' });
    expect(body(replies('webex')[0])).toMatchObject({ roomId: 'Y2lzY29zcGFyazovL3VzL1JPT00vYWJj' });
    expect(body(replies('googlechat')[0])).toMatchObject({ name: expect.stringMatching(/^spaces\/AAAA\/messages\//) });
    expect(body(replies('sentry')[0])).toHaveProperty('id');
    expect(replies('otel')[0]).toEqual({ status: 200, headers: { 'Content-Type': 'application/x-protobuf' }, body: '' });
  });
});

describe('healthyReply: GitHub App token exchange', () => {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const app = (o: Record<string, string>) => Object.fromEntries(Object.entries({ githubAppID: '123', githubAppPrivateKey: pem, ...o }).map(([k, v]) => [k, Buffer.from(v)]));

  test('healthyReply: github with an App installation ID: token exchange (preflight), then the status; the issued token is used', () => {
    const d = run({ type: 'github', event: 'G', opts: { url: 'https://github.com/stefanprodan/podinfo', commitStatus: STATUS_ID, secretData: app({ githubAppInstallationID: '456' }) } });
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests.map(summary)).toEqual([
      'preflight POST https://api.github.com/app/installations/456/access_tokens',
      `preflight GET ${GH}/commits/${SHA}/statuses?per_page=50`,
      `POST ${GH}/statuses/${SHA}`,
    ]);
    const token = (JSON.parse(healthyReply(d.requests[0]!).body) as { token: string; expires_at: string }).token;
    expect(token).toMatch(/^ghs_/);
    expect(header(d.requests[1], 'Authorization')).toBe(`Bearer ${token}`);
  });

  test('healthyReply: an App installation token expires one hour after the request (the JWT is issued 30 s before it)', () => {
    const d = run({ type: 'github', event: 'G', opts: { url: 'https://github.com/stefanprodan/podinfo', commitStatus: STATUS_ID, secretData: app({ githubAppInstallationID: '456' }) } });
    const exchange = d.requests[0] as PlannedHttpRequest;
    const jwt = header(exchange, 'Authorization')!.replace('Bearer ', '');
    const iat = (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { iat: number }).iat;
    const expires = (JSON.parse(healthyReply(exchange).body) as { expires_at: string }).expires_at;
    expect(expires).toBe(new Date((iat + 30 + 3600) * 1000).toISOString().replace('.000Z', 'Z'));
    expect(expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('healthyReply: githubpullrequestcomment with an App owner: app slug, org installation, token, then comments as <slug>[bot]', () => {
    const d = run({ type: 'githubpullrequestcomment', event: 'C', opts: { url: 'https://github.com/stefanprodan/podinfo', providerUID: UID, secretData: app({ githubAppInstallationOwner: 'stefanprodan' }) } });
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests.map(summary)).toEqual([
      'preflight GET https://api.github.com/app',
      'preflight GET https://api.github.com/orgs/stefanprodan/installation',
      'preflight POST https://api.github.com/app/installations/12345678/access_tokens',
      `preflight GET ${GH}/issues/42/comments?direction=asc&per_page=100&sort=created`,
      `POST ${GH}/issues/42/comments`,
    ]);
    // The App id of the JWT comes back in the app object, as GitHub does.
    expect(JSON.parse(healthyReply(d.requests[0]!).body)).toMatchObject({ id: 123, slug: 'flux-bot' });
  });
});

describe('healthyReply: a wrong reply produces the module error (the replies are read)', () => {
  const find = (name: string) => CASES.find((c) => c.name === name)!;
  const BAD_CREDENTIALS = reply(401, '{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}', { 'Content-Type': 'application/json; charset=utf-8' });

  test('healthyReply: github family: 401 on the status list → could not list commit statuses (providers §4.22)', () => {
    const d = run(find('github'), failingAt(0, BAD_CREDENTIALS));
    expect(errorText(d)).toBe(`could not list commit statuses: GET ${GH}/commits/${SHA}/statuses?per_page=50: 401 Bad credentials []`);
  });

  test('healthyReply: github family: 401 on GET /user → failed to get authenticated user info, an init error (providers §4.24)', () => {
    const d = run(find('githubpullrequestcomment'), failingAt(0, BAD_CREDENTIALS));
    expect(d.error).toBeInstanceOf(NotifierInitError);
    expect(errorText(d)).toBe('failed to get authenticated user info: GET https://api.github.com/user: 401 Bad credentials []');
  });

  test('healthyReply: github family: an existing identical status makes github skip the write (providers §4.22)', () => {
    const existing = reply(200, JSON.stringify([{ state: 'success', description: 'reconciliation succeeded', context: STATUS_ID }]));
    const d = run(find('github'), failingAt(0, existing));
    expect(d.requests).toHaveLength(1);
    expect(d.outcome?.sent).toBe(false);
  });

  test('healthyReply: gitea: a server older than 1.11.0 fails the version probe (providers §4.27)', () => {
    const d = run(find('gitea'), failingAt(0, reply(200, '{"version":"1.10.0"}')));
    expect(errorText(d)).toBe('failed creating Gitea client: gitea server at https://gitea.example.com is older than 1.11.0');
  });

  test('healthyReply: gitea: 401 on the version probe → failed creating Gitea client (providers §4.27)', () => {
    const d = run(find('gitea'), failingAt(0, reply(401, '{"message":"token is required","url":"https://gitea.example.com/api/swagger"}')));
    expect(errorText(d)).toBe('failed creating Gitea client: token is required');
  });

  test('healthyReply: gitlab: 401 on the status list → unable to list commit status (providers §4.25)', () => {
    const d = run(find('gitlab'), failingAt(0, reply(401, '{"message":"401 Unauthorized"}')));
    expect(errorText(d)).toBe(`unable to list commit status: GET https://gitlab.com/api/v4/projects/stefanprodan/podinfo/repository/commits/${SHA}/statuses: 401 {message: 401 Unauthorized}`);
  });

  test('healthyReply: gitlab: an empty body on note creation fails the decode (EOF)', () => {
    const d = run(find('gitlabmergerequestcomment'), failingAt(2, reply(201, '')));
    expect(errorText(d)).toBe('failed to create merge request note: EOF');
  });

  test('healthyReply: bitbucket: 401 on the status lookup → could not get commit status (providers §4.30)', () => {
    const d = run(find('bitbucket'), failingAt(0, reply(401, '')));
    expect(errorText(d)).toBe('could not get commit status: 401 Unauthorized');
  });

  test('healthyReply: bitbucketserver: 401 on the lookup → could not get existing commit status (providers §4.29)', () => {
    const d = run(find('bitbucketserver'), failingAt(0, reply(401, '')));
    expect(errorText(d)).toBe('could not get existing commit status: failed api call to check duplicate commit status: 401 - Unauthorized');
  });

  test('healthyReply: azuredevops: a discovery without the statuses location fails (providers §4.31)', () => {
    const d = run(find('azuredevops'), failingAt(0, reply(200, '{"count":0,"value":[]}')));
    expect(errorText(d)).toBe('could not list commit statuses: API resource location 428dd4fb-fda5-4722-af02-9313b80305da is not registered on https://dev.azure.com/myorg.');
  });

  test('healthyReply: azuredevops: 401 with no body on discovery → could not list commit statuses', () => {
    const d = run(find('azuredevops'), failingAt(0, reply(401, '')));
    expect(errorText(d)).toBe('could not list commit statuses: Request returned status: 401 Unauthorized');
  });

  test('healthyReply: shared sender: 401 → postMessage failed: request failed: request failed with status code (providers §3.4)', () => {
    const d = run(find('slack (incoming webhook)'), failingAt(0, reply(401, 'invalid_token')));
    expect(errorText(d)).toBe('postMessage failed: request failed: request failed with status code 401: invalid_token');
  });

  test('healthyReply: slack chat.postMessage: ok false → Slack responded with error (providers §4.3)', () => {
    const d = run(find('slack (chat.postMessage)'), failingAt(0, reply(200, '{"ok":false,"error":"invalid_auth"}')));
    expect(errorText(d)).toBe('postMessage failed: request failed: Slack responded with error: invalid_auth');
  });

  test('healthyReply: datadog: 403 → failed to post event to DataDog (providers §4.19)', () => {
    const d = run(find('datadog'), failingAt(0, reply(403, '{"errors":["Forbidden"]}')));
    expect(errorText(d)).toBe('failed to post event to DataDog: 403 Forbidden');
  });

  test('healthyReply: messages: a failed NATS publish → error publishing event to subject (providers §4.20)', () => {
    const d = run(find('nats'), failingAt(0, reply(500, 'nats: timeout', { stage: 'publish' })));
    expect(errorText(d)).toBe('error publishing event to subject flux.events: error publishing message to server: nats: timeout');
  });

  test('healthyReply: sentry and otel: a wrong reply still succeeds, as upstream only logs it (providers §4.10, §4.33)', () => {
    expect(run(find('sentry'), failingAt(0, reply(401, ''))).outcome?.sent).toBe(true);
    expect(run(find('otel'), failingAt(0, reply(503, ''))).outcome?.sent).toBe(true);
  });
});
