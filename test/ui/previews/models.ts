// Preview models for the preview tests, built from what the real notifiers send for the spec's
// sample event E (providers §1.3) and Variant G (§1.4): each builder is driven, its request body
// parsed, and read back into the model the way a mock endpoint reads a wire body. The mapping
// here is test scaffolding standing in for the mock endpoints, not the app's parser.

import { createHmac } from 'node:crypto';
import type { FluxEvent } from '../../../src/flux/types.js';
import { provider as alertmanager } from '../../../src/providers/alertmanager.js';
import { provider as discord } from '../../../src/providers/discord.js';
import { provider as generic } from '../../../src/providers/generic.js';
import { provider as genericHmac } from '../../../src/providers/generic-hmac.js';
import { provider as github } from '../../../src/providers/github.js';
import { provider as gitlab } from '../../../src/providers/gitlab.js';
import { provider as googlechat } from '../../../src/providers/googlechat.js';
import { provider as msteams } from '../../../src/providers/msteams.js';
import { provider as slack } from '../../../src/providers/slack.js';
import type { PlannedHttpRequest } from '../../../src/providers/types.js';
import type {
  AlertmanagerPreview,
  CommitStatusEntry,
  DiscordPreview,
  GenericPreview,
  GitHubStatusPreview,
  GitLabStatusPreview,
  GoogleChatPreview,
  PreviewColor,
  SlackAttachment,
  SlackPreview,
  TeamsAdaptivePreview,
  TeamsMessageCardPreview,
  TeamsTextBlock,
} from '../../../src/runner/preview-model.js';
import { drive, options, reply, sampleEvent } from '../../providers/drive.js';

// Wire bodies are read field by field, as a mock endpoint does; a loose type keeps that short.
type Json = any;

export const SHA = 'abc123def4567890abc123def4567890abc123de';
export const STATUS_ID = 'kustomization/podinfo/0c9c2e41';

/** Variant G (providers §1.4): the commit-status marker and a full SHA-1 revision. */
export function variantG(o: Partial<FluxEvent> = {}): FluxEvent {
  return sampleEvent({ metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' }, ...o });
}

/** A realistic failure: kustomize-controller's health check timeout, long enough to wrap. */
export function healthCheckFailed(): FluxEvent {
  return sampleEvent({
    severity: 'error',
    reason: 'HealthCheckFailed',
    message:
      "Health check failed after 5m0.042s: timeout waiting for: [Deployment/podinfo/podinfo status: 'InProgress', " +
      "HelmRelease/podinfo/redis status: 'Failed']\nrevision main@sha1:abc123 could not be applied; see " +
      'https://grafana.example.com/d/flux-cluster/flux-cluster-stats?orgId=1&var-namespace=flux-system&var-kind=Kustomization',
    metadata: { revision: 'main@sha1:abc123', summary: 'Cluster: production (eu-west-1, the primary serving cluster)' },
  });
}

function requests(type: { create: typeof slack.create }, o: Parameters<typeof options>[0], e: FluxEvent, replies = [reply()]) {
  const d = drive(type.create(options(o)).post(e), replies);
  if (d.error !== undefined) throw d.error;
  return d.requests as PlannedHttpRequest[];
}

function lastJson(reqs: PlannedHttpRequest[]): Json {
  return JSON.parse(reqs[reqs.length - 1]!.body as string);
}

// ---- colours as each service names them ------------------------------------------------------

const SLACK_COLORS: Record<string, [string, string]> = {
  good: ['green', '#2eb886'],
  warning: ['yellow', '#daa038'],
  danger: ['red', '#a30200'],
};

export function slackColor(raw: string): PreviewColor {
  const named = SLACK_COLORS[raw];
  if (named) return { raw, name: named[0], hex: named[1] };
  if (/^#?[0-9a-f]{6}$/i.test(raw)) return { raw, name: raw, hex: raw.startsWith('#') ? raw : `#${raw}` };
  return { raw, name: raw };
}

const TEAMS_COLORS: Record<string, [string, string]> = {
  attention: ['red', '#c4314b'],
  good: ['green', '#237b4b'],
  warning: ['yellow', '#c19c00'],
  accent: ['blue', '#6264a7'],
};

function teamsColor(raw: string | undefined): PreviewColor | undefined {
  if (raw === undefined || raw.toLowerCase() === 'default') return undefined;
  const named = TEAMS_COLORS[raw.toLowerCase()];
  return named ? { raw, name: named[0], hex: named[1] } : { raw, name: raw };
}

function themeColor(raw: string | undefined): PreviewColor | undefined {
  if (raw === undefined) return undefined;
  const names: Record<string, string> = { FF0000: 'red', '0076D7': 'blue' };
  return { raw, name: names[raw.toUpperCase()] ?? `#${raw}`, hex: `#${raw}` };
}

// ---- Slack and Discord ----------------------------------------------------------------------

function attachments(list: Json[] | undefined): SlackAttachment[] {
  return (list ?? []).map((a: Json) => {
    const out: SlackAttachment = { fields: (a.fields ?? []).map((f: Json) => ({ title: f.title, value: f.value, short: f.short })) };
    if (a.color) out.color = slackColor(a.color);
    if (a.fallback) out.fallback = a.fallback;
    if (a.author_name) out.authorName = a.author_name;
    if (a.title) out.title = a.title;
    if (a.title_link) out.titleLink = a.title_link;
    if (a.pretext) out.pretext = a.pretext;
    if (a.text) out.text = a.text;
    if (a.mrkdwn_in) out.mrkdwnIn = a.mrkdwn_in;
    if (a.footer) out.footer = a.footer;
    return out;
  });
}

export function slackFromBody(body: Json, api: SlackPreview['api']): SlackPreview {
  const p: SlackPreview = { kind: 'slack', api, attachments: attachments(body.attachments) };
  if (body.channel) p.channel = body.channel;
  if (body.username) p.username = body.username;
  if (body.icon_url || body.icon_emoji) p.icon = body.icon_url || body.icon_emoji;
  if (body.text) p.text = body.text;
  return p;
}

/** Slack, incoming webhook, channel `general`, sample E (or `e`). */
export function slackWebhook(e: FluxEvent = sampleEvent()): SlackPreview {
  const reqs = requests(slack, { url: 'https://hooks.slack.com/services/T0/B0/XXXX', channel: 'general' }, e);
  return slackFromBody(lastJson(reqs), 'webhook');
}

/** Slack Web API with a bot token and a configured username. */
export function slackPostMessage(e: FluxEvent = sampleEvent()): SlackPreview {
  const reqs = requests(
    slack,
    { url: 'https://slack.com/api/chat.postMessage', token: 'xoxb-1', channel: 'C0123ALERTS', username: 'flux-bot' },
    e,
    [reply(200, '{"ok":true}')],
  );
  return slackFromBody(lastJson(reqs), 'chat.postMessage');
}

export function discordPreview(e: FluxEvent = sampleEvent()): DiscordPreview {
  const body = lastJson(requests(discord, { url: 'https://discord.com/api/webhooks/123/abc' }, e));
  const p: DiscordPreview = { kind: 'discord', api: 'slack-compatible', embeds: attachments(body.attachments) };
  if (body.username) p.username = body.username;
  if (body.text) p.content = body.text;
  return p;
}

// ---- Teams ----------------------------------------------------------------------------------

function walkAdaptive(items: Json[], blocks: TeamsTextBlock[], facts: Array<{ name: string; value: string }>) {
  for (const it of items ?? []) {
    if (it.type === 'Container') walkAdaptive(it.items, blocks, facts);
    else if (it.type === 'TextBlock') {
      const b: TeamsTextBlock = { text: it.text ?? '' };
      if (it.size) b.size = it.size;
      if (it.weight) b.weight = it.weight;
      const c = teamsColor(it.color);
      if (c) b.color = c;
      if (it.wrap !== undefined) b.wrap = it.wrap;
      blocks.push(b);
    } else if (it.type === 'FactSet') for (const f of it.facts ?? []) facts.push({ name: f.title, value: f.value });
  }
}

export function teamsAdaptiveFromBody(body: Json): TeamsAdaptivePreview {
  const card = body.attachments[0].content;
  const blocks: TeamsTextBlock[] = [];
  const facts: Array<{ name: string; value: string }> = [];
  walkAdaptive(card.body, blocks, facts);
  const p: TeamsAdaptivePreview = { kind: 'teams-adaptive', version: card.version, blocks, facts };
  if (blocks[0]) {
    p.title = blocks[0].text;
    if (blocks[0].color) p.titleColor = blocks[0].color;
  }
  if (card.msteams?.width) p.width = card.msteams.width;
  return p;
}

/** Teams through a Workflows (Power Automate) webhook: the Adaptive Card. */
export function teamsAdaptive(e: FluxEvent = sampleEvent()): TeamsAdaptivePreview {
  const url = 'https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x';
  return teamsAdaptiveFromBody(lastJson(requests(msteams, { url }, e)));
}

/** Teams through a legacy Office 365 connector: the MessageCard. */
export function teamsMessageCard(e: FluxEvent = sampleEvent()): TeamsMessageCardPreview {
  const body = lastJson(requests(msteams, { url: 'https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi' }, e));
  const p: TeamsMessageCardPreview = {
    kind: 'teams-messagecard',
    notes: ['Microsoft is retiring Office 365 connectors (webhook.office.com); a Workflows URL gets an Adaptive Card instead'],
    sections: (body.sections ?? []).map((s: Json) => {
      const out: TeamsMessageCardPreview['sections'][number] = { facts: (s.facts ?? []).map((f: Json) => ({ name: f.name, value: f.value })) };
      if (s.activityTitle) out.activityTitle = s.activityTitle;
      if (s.activitySubtitle) out.activitySubtitle = s.activitySubtitle;
      if (s.text) out.text = s.text;
      return out;
    }),
  };
  const c = themeColor(body.themeColor);
  if (c) p.themeColor = c;
  if (body.summary) p.summary = body.summary;
  if (body.title) p.title = body.title;
  if (body.text) p.text = body.text;
  return p;
}

// ---- GitHub and GitLab ----------------------------------------------------------------------

export interface StatusSeed {
  state: string;
  context: string;
  description?: string;
  targetUrl?: string;
  createdAt: string;
}

const POSTED_AT = '2025-06-01T12:00:03Z';

/** The newest status of each context, newest first (history is newest first). */
function newestPerContext(history: StatusSeed[]): CommitStatusEntry[] {
  const seen = new Set<string>();
  const out: CommitStatusEntry[] = [];
  history.forEach((s, i) => {
    if (seen.has(s.context)) return;
    seen.add(s.context);
    const e: CommitStatusEntry = { id: history.length - i, state: s.state, context: s.context, createdAt: s.createdAt };
    if (s.description) e.description = s.description;
    if (s.targetUrl) e.targetUrl = s.targetUrl;
    out.push(e);
  });
  return out;
}

/** What a forge mock notes about a new status against the newest one of its context. */
function replaceNote(previous: StatusSeed | undefined, mine: StatusSeed): string[] {
  if (!previous) return [];
  if (previous.state === mine.state && (previous.description ?? '') === (mine.description ?? '')) {
    return [`identical to the newest status of context '${mine.context}' (a dedupe would have skipped it)`];
  }
  return [`replaces ${previous.state} '${previous.description ?? ''}' of context '${mine.context}'`];
}

/**
 * GitHub for Variant G. `existing` is what the commit already carries, newest first, as the API
 * lists it; the notifier reads it and posts (operation `create`) or, finding its own status
 * already there, stops after the read (operation `list`, a dedupe skip).
 */
export function githubPreview(opts: { existing?: StatusSeed[]; event?: FluxEvent } = {}): GitHubStatusPreview {
  const existing = opts.existing ?? [];
  const listBody = JSON.stringify(existing.map((s, i) => ({ id: 100 + i, state: s.state, description: s.description ?? null, context: s.context })));
  const reqs = requests(
    github,
    { url: 'https://github.com/stefanprodan/podinfo', token: 'ghp_x', commitStatus: STATUS_ID },
    opts.event ?? variantG(),
    [reply(200, listBody), reply(201, '{}')],
  );
  const base = { kind: 'github-status' as const, owner: 'stefanprodan', repo: 'podinfo' };
  const post = reqs.find((r) => r.method === 'POST');
  if (!post) {
    const newest = existing[0];
    const p: GitHubStatusPreview = {
      ...base,
      operation: 'list',
      sha: reqs[0]!.url.split('/commits/')[1]!.split('/')[0]!,
      state: newest?.state ?? '',
      context: newest?.context ?? '',
      all: newestPerContext(existing),
      postedCount: existing.length,
    };
    if (newest?.description) p.description = newest.description;
    return p;
  }
  const body = JSON.parse(post.body as string);
  const mine: StatusSeed = { state: body.state, context: body.context, description: body.description, createdAt: POSTED_AT };
  const history = [mine, ...existing];
  const p: GitHubStatusPreview = {
    ...base,
    operation: 'create',
    sha: post.url.split('/').pop()!,
    state: body.state,
    context: body.context,
    all: newestPerContext(history),
    postedCount: history.length,
  };
  if (body.description) p.description = body.description;
  const notes = replaceNote(existing.find((s) => s.context === mine.context), mine);
  if (notes.length > 0) p.notes = notes;
  return p;
}

export function gitlabPreview(opts: { existing?: StatusSeed[]; event?: FluxEvent } = {}): GitLabStatusPreview {
  const existing = opts.existing ?? [];
  const listBody = JSON.stringify(
    existing.filter((s) => s.context === STATUS_ID).map((s, i) => ({ id: 100 + i, sha: SHA, status: s.state, name: s.context, description: s.description ?? null })),
  );
  const reqs = requests(
    gitlab,
    { url: 'https://gitlab.com/stefanprodan/podinfo', token: 'glpat-x', commitStatus: STATUS_ID },
    opts.event ?? variantG(),
    [reply(200, listBody), reply(201, '{"id":1}')],
  );
  const post = reqs.find((r) => r.method === 'POST');
  if (!post) {
    const latest = existing.find((s) => s.context === STATUS_ID);
    const p: GitLabStatusPreview = {
      kind: 'gitlab-status',
      operation: 'list',
      project: 'stefanprodan/podinfo',
      sha: SHA,
      state: latest?.state ?? '',
      name: latest?.context ?? STATUS_ID,
      all: newestPerContext(existing),
    };
    if (latest?.description) p.description = latest.description;
    return p;
  }
  const body = JSON.parse(post.body as string);
  const mine: StatusSeed = { state: body.state, context: body.name, description: body.description, createdAt: POSTED_AT };
  const p: GitLabStatusPreview = {
    kind: 'gitlab-status',
    operation: 'create',
    project: 'stefanprodan/podinfo',
    sha: post.url.split('/').pop()!,
    state: body.state,
    name: body.name,
    all: newestPerContext([mine, ...existing]),
  };
  if (body.description) p.description = body.description;
  return p;
}

// ---- Google Chat, Alertmanager, generic -----------------------------------------------------

export function googleChatPreview(e: FluxEvent = sampleEvent()): GoogleChatPreview {
  const body = lastJson(requests(googlechat, { url: 'https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t' }, e));
  const card = body.cards[0];
  const p: GoogleChatPreview = {
    kind: 'googlechat',
    sections: card.sections.map((s: Json) => {
      const sec: GoogleChatPreview['sections'][number] = {
        widgets: s.widgets.map((w: Json) =>
          w.textParagraph ? { text: w.textParagraph.text } : { topLabel: w.keyValue.topLabel, content: w.keyValue.content },
        ),
      };
      if (s.header) sec.header = s.header;
      return sec;
    }),
  };
  if (card.header?.title) p.title = card.header.title;
  if (card.header?.subtitle) p.subtitle = card.header.subtitle;
  return p;
}

export function alertmanagerPreview(e: FluxEvent = sampleEvent()): AlertmanagerPreview {
  const body = lastJson(requests(alertmanager, { url: 'https://alertmanager.example.com/api/v2/alerts' }, e));
  return {
    kind: 'alertmanager',
    alerts: body.map((a: Json) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
    })),
  };
}

const HMAC_KEY = 'my-hmac-key';

export function genericPreview(e: FluxEvent = sampleEvent(), hmac = false): GenericPreview {
  const url = 'https://hooks.example.com/flux';
  const reqs = hmac
    ? requests(genericHmac, { url, token: HMAC_KEY, headers: { 'X-Team': 'platform' } }, e)
    : requests(generic, { url, headers: { 'X-Team': 'platform' } }, e);
  const req = reqs[0]!;
  const p: GenericPreview = {
    kind: 'generic',
    service: hmac ? 'generic-hmac' : 'generic',
    method: req.method,
    url: req.url,
    headers: Object.fromEntries(req.headers),
    json: JSON.parse(req.body as string),
  };
  const sig = req.headers.find(([k]) => k === 'X-Signature')?.[1];
  if (sig) {
    // What the mock does: recompute the HMAC of the received bytes with the key it was told.
    const [algorithm, hex] = sig.split('=');
    p.signatureAlgorithm = algorithm!;
    p.signatureValid = createHmac(algorithm!, HMAC_KEY).update(req.body as string).digest('hex') === hex;
  }
  return p;
}
