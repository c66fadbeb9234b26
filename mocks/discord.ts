// Discord webhooks: the Slack-compatible endpoint (`…/slack`, what the controller posts to),
// which turns Slack attachments into embeds and answers 200 `ok`, and the native execute
// endpoint (204). Errors are Discord's JSON `{"message","code"}` (10015 unknown webhook, 50027
// invalid token, 50006 empty message, 50035 invalid form body).

import type { HttpHandler } from 'msw';
import type { DiscordPreview, PreviewError, SlackAttachment } from '../src/runner/preview-model.js';
import {
  compact,
  endpoint,
  hexColor,
  isObject,
  jsonReply,
  nonEmpty,
  parseJson,
  str,
  textReply,
  type MockContext,
  type MockReply,
  type MockRequest,
} from './common.js';
import { slackAttachments } from './slack.js';
import type { MockState } from './state.js';

const PATH = /^\/api(?:\/v\d+)?\/webhooks\/([^/]+)\/([^/]+)(\/slack|\/github)?\/?$/;
/** Embed limits Discord enforces (developer docs, "Embed Limits"). */
const MAX_FIELDS = 25;
const MAX_DESCRIPTION = 4096;

function rejected(status: number, error: string, detail: string): PreviewError {
  return { service: 'discord', status, error, detail };
}

function discordError(status: number, message: string, code: number, detail: string, extra: Record<string, unknown> = {}): MockReply {
  return { ...jsonReply(status, { message, code, ...extra }), previewError: rejected(status, message, detail) };
}

/** Discord refuses webhook names containing these words. */
function badUsername(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower.includes('discord')) return 'Username cannot contain "discord"';
  if (lower.includes('clyde')) return 'Username cannot contain "clyde"';
  return undefined;
}

function nativeEmbeds(v: unknown): SlackAttachment[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((e) => {
    const color = typeof e.color === 'number' ? hexColor('#' + e.color.toString(16).padStart(6, '0')) : undefined;
    return compact<SlackAttachment>({
      color,
      authorName: isObject(e.author) ? nonEmpty(e.author, 'name') : undefined,
      title: nonEmpty(e, 'title'),
      titleLink: nonEmpty(e, 'url'),
      text: nonEmpty(e, 'description'),
      fields: Array.isArray(e.fields)
        ? e.fields.filter(isObject).map((f) => ({ title: str(f, 'name') ?? '', value: str(f, 'value') ?? '', short: f.inline === true }))
        : [],
      footer: isObject(e.footer) ? nonEmpty(e.footer, 'text') : undefined,
    });
  });
}

function embedProblem(embeds: SlackAttachment[]): string | undefined {
  for (const [i, e] of embeds.entries()) {
    if (e.fields.length > MAX_FIELDS) return `embed ${i} has ${e.fields.length} fields (at most ${MAX_FIELDS})`;
    if ((e.text ?? '').length > MAX_DESCRIPTION) return `embed ${i} description is longer than ${MAX_DESCRIPTION} characters`;
  }
  return undefined;
}

export function discordRespond(state: MockState, req: MockRequest): MockReply {
  const m = PATH.exec(req.url.pathname);
  if (!m) return discordError(404, '404: Not Found', 0, `${req.url.pathname} is not a webhook path (/api/webhooks/<id>/<token>)`);
  const [, id, token, flavour] = m as unknown as [string, string, string, string | undefined];
  const known = state.config.discord?.webhooks;
  if (!/^\d+$/.test(id) || (known && !known.includes(id))) {
    return discordError(404, 'Unknown Webhook', 10015, known ? 'the mock does not know this webhook id (discord.webhooks)' : 'webhook ids are numbers');
  }
  if (token === '') return discordError(401, 'Invalid Webhook Token', 50027, 'the webhook token is empty');
  if (req.method !== 'POST') return discordError(405, '405: Method Not Allowed', 0, 'webhooks take POST');

  const parsed = parseJson(req.text);
  if (!parsed.ok || !isObject(parsed.value)) {
    return discordError(400, '400: Bad Request', 0, parsed.ok ? 'the body is not a JSON object' : `the body is not JSON (${parsed.error})`);
  }
  const p = parsed.value;
  const username = nonEmpty(p, 'username');
  const nameProblem = username === undefined ? undefined : badUsername(username);
  if (nameProblem) return discordError(400, 'Invalid Form Body', 50035, nameProblem, { errors: { username: { _errors: [{ code: 'USERNAME_INVALID_CONTAINS', message: nameProblem }] } } });

  const slackStyle = flavour === '/slack';
  const embeds = slackStyle ? slackAttachments(p.attachments) : nativeEmbeds(p.embeds);
  const content = slackStyle ? nonEmpty(p, 'text') : nonEmpty(p, 'content');
  if (content === undefined && embeds.length === 0) return discordError(400, 'Cannot send an empty message', 50006, 'no text and no attachments/embeds');
  const problem = embedProblem(embeds);
  if (problem) return discordError(400, 'Invalid Form Body', 50035, problem);

  const notes: string[] = [];
  if (slackStyle && nonEmpty(p, 'channel') !== undefined) notes.push('Discord ignores `channel`: a webhook posts to its own channel');
  const preview = compact<DiscordPreview>({
    kind: 'discord',
    api: slackStyle ? 'slack-compatible' : 'native',
    username,
    content,
    embeds,
    notes: notes.length > 0 ? notes : undefined,
  });
  // The Slack-compatible endpoint answers like Slack; the native one has no body without ?wait=true.
  if (slackStyle) return { ...textReply(200, 'ok', 'text/html; charset=utf-8'), preview };
  return { status: 204, headers: {}, preview };
}

export function isDiscordHost(url: URL): boolean {
  return url.hostname === 'discord.com' || url.hostname === 'discordapp.com' || url.hostname.endsWith('.discord.com');
}

export function discordHandlers(ctx: MockContext): HttpHandler[] {
  const { state } = ctx;
  return [
    endpoint(ctx, {
      service: 'discord',
      match: (url) => isDiscordHost(url) || state.providerFor(url)?.type === 'discord',
      respond: (req) => discordRespond(state, req),
    }),
  ];
}
