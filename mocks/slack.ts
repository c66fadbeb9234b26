// Slack: incoming webhooks (hooks.slack.com/services/…) and the Web API chat.postMessage.
// They fail differently: a webhook answers with an HTTP status and a bare error word
// (`invalid_payload`, `no_text`, `channel_not_found`, Slack changelog 2016-05-17), while the Web
// API always answers 200 and puts `{"ok":false,"error":"…"}` in the body.

import { createHash } from 'node:crypto';
import type { HttpHandler } from 'msw';
import type { PreviewColor, PreviewError, SlackAttachment, SlackField, SlackPreview } from '../src/runner/preview-model.js';
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
import type { MockState } from './state.js';

/** Slack's named attachment colours and the hex it draws them in. */
const NAMED: Record<string, { name: string; hex: string }> = {
  good: { name: 'green', hex: '#2eb886' },
  warning: { name: 'yellow', hex: '#daa038' },
  danger: { name: 'red', hex: '#a30200' },
};

export function slackColor(raw: string): PreviewColor {
  const named = NAMED[raw];
  if (named) return { raw, ...named };
  // Slack takes `#rrggbb`; anything else is ignored and the bar is drawn grey.
  return raw.startsWith('#') ? hexColor(raw) : { raw, name: raw };
}

function fieldsOf(v: unknown): SlackField[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((f) => ({
    title: typeof f.title === 'string' ? f.title : '',
    value: typeof f.value === 'string' ? f.value : f.value === undefined || f.value === null ? '' : JSON.stringify(f.value),
    short: f.short === true,
  }));
}

/** The legacy attachments of a Slack-shaped payload (shared with Discord's /slack endpoint). */
export function slackAttachments(v: unknown): SlackAttachment[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((a) => {
    const color = nonEmpty(a, 'color');
    const mrkdwnIn = Array.isArray(a.mrkdwn_in) ? a.mrkdwn_in.filter((x): x is string => typeof x === 'string') : undefined;
    return compact<SlackAttachment>({
      color: color === undefined ? undefined : slackColor(color),
      fallback: nonEmpty(a, 'fallback'),
      authorName: nonEmpty(a, 'author_name'),
      title: nonEmpty(a, 'title'),
      titleLink: nonEmpty(a, 'title_link'),
      pretext: nonEmpty(a, 'pretext'),
      text: nonEmpty(a, 'text'),
      mrkdwnIn,
      fields: fieldsOf(a.fields),
      footer: nonEmpty(a, 'footer'),
    });
  });
}

/** What Slack would show for a payload that passed validation. */
export function slackPreview(payload: Record<string, unknown>, api: SlackPreview['api'], notes: string[] = []): SlackPreview {
  return compact<SlackPreview>({
    kind: 'slack',
    api,
    channel: nonEmpty(payload, 'channel'),
    username: nonEmpty(payload, 'username'),
    icon: nonEmpty(payload, 'icon_url') ?? nonEmpty(payload, 'icon_emoji'),
    text: nonEmpty(payload, 'text'),
    attachments: slackAttachments(payload.attachments),
    notes: notes.length > 0 ? notes : undefined,
  });
}

type Verdict = { ok: true; payload: Record<string, unknown> } | { ok: false; error: string; detail: string };

/** Decodes and checks a message payload the way both Slack surfaces do. */
function checkPayload(req: MockRequest, api: SlackPreview['api']): Verdict {
  let text = req.text;
  // Webhooks also take a form with the JSON in `payload`.
  if (api === 'webhook' && (req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    text = new URLSearchParams(req.text).get('payload') ?? '';
  }
  const parsed = parseJson(text);
  const badJson = api === 'webhook' ? 'invalid_payload' : 'invalid_json';
  if (!parsed.ok) return { ok: false, error: badJson, detail: `the body is not JSON (${parsed.error})` };
  if (!isObject(parsed.value)) {
    return { ok: false, error: api === 'webhook' ? 'invalid_payload' : 'json_not_object', detail: 'the body is JSON but not an object' };
  }
  const p = parsed.value;
  if (p.attachments !== undefined && !Array.isArray(p.attachments)) {
    return { ok: false, error: api === 'webhook' ? 'invalid_payload' : 'invalid_attachments', detail: '`attachments` must be an array' };
  }
  if (Array.isArray(p.attachments) && p.attachments.some((a) => !isObject(a))) {
    return { ok: false, error: api === 'webhook' ? 'invalid_payload' : 'invalid_attachments', detail: 'every attachment must be an object' };
  }
  if (p.blocks !== undefined && !Array.isArray(p.blocks)) {
    return { ok: false, error: 'invalid_blocks', detail: '`blocks` must be an array' };
  }
  const hasText = nonEmpty(p, 'text') !== undefined;
  const hasAttachments = Array.isArray(p.attachments) && p.attachments.length > 0;
  const hasBlocks = Array.isArray(p.blocks) && p.blocks.length > 0;
  if (!hasText && !hasAttachments && !hasBlocks) {
    return { ok: false, error: 'no_text', detail: 'the message has no `text`, no `attachments` and no `blocks`' };
  }
  return { ok: true, payload: p };
}

function rejected(status: number, error: string, detail: string): PreviewError {
  return { service: 'slack', status, error, detail };
}

// ---- incoming webhook -------------------------------------------------------------------------------

const WEBHOOK_PATH = /^\/services\/[^/]+\/[^/]+\/[^/]+\/?$/;

/** HTTP status of each webhook error word (Slack changelog 2016-05-17 and its webhook docs). */
const WEBHOOK_STATUS: Record<string, number> = {
  invalid_payload: 400,
  invalid_blocks: 400,
  no_text: 400,
  no_service: 404,
  channel_not_found: 404,
};

export function slackWebhook(state: MockState, req: MockRequest): MockReply {
  const fail = (error: string, detail: string): MockReply => {
    const status = WEBHOOK_STATUS[error] ?? 400;
    return { ...textReply(status, error, 'text/html'), previewError: rejected(status, error, detail) };
  };
  if (req.method !== 'POST') return textReply(405, 'invalid_method', 'text/html');
  const known = state.config.slack?.webhooks;
  // Only hooks.slack.com has the /services/ shape; a Slack-compatible host of the user's is taken as is.
  if (req.url.hostname === 'hooks.slack.com') {
    if (!WEBHOOK_PATH.test(req.url.pathname)) return fail('no_service', `${req.url.pathname} is not an incoming-webhook path (/services/T…/B…/…)`);
    if (known && !known.includes(req.url.pathname)) return fail('no_service', 'the mock does not know this webhook (slack.webhooks)');
  }
  const v = checkPayload(req, 'webhook');
  if (!v.ok) return fail(v.error, v.detail);
  const notes: string[] = [];
  if (nonEmpty(v.payload, 'channel') !== undefined) {
    notes.push('app incoming webhooks post to the channel chosen when the webhook was created; `channel` in the payload is ignored');
  }
  return { ...textReply(200, 'ok', 'text/html'), preview: slackPreview(v.payload, 'webhook', notes) };
}

// ---- Web API chat.postMessage -----------------------------------------------------------------------------

function channelId(name: string): string {
  return 'C' + createHash('sha1').update(name).digest('hex').slice(0, 10).toUpperCase();
}

function channelKnown(state: MockState, channel: string): boolean {
  const known = state.config.slack?.channels;
  if (!known) return true;
  const bare = channel.replace(/^#/, '');
  return known.some((k) => k.replace(/^#/, '') === bare || k === channel);
}

function tokenOf(req: MockRequest): string | undefined {
  const auth = req.header('authorization');
  if (!auth) return undefined;
  const m = /^Bearer\s+(.*)$/i.exec(auth);
  return m ? m[1]!.trim() : undefined;
}

function tokenValid(state: MockState, token: string): boolean {
  const known = state.config.slack?.tokens;
  return known ? known.includes(token) : token.startsWith('xox');
}

export function slackPostMessage(state: MockState, req: MockRequest): MockReply {
  // Slack warns when a JSON body comes without `charset=utf-8` (the controller sends none).
  const contentType = req.header('content-type') ?? '';
  const warn = contentType.startsWith('application/json') && !/charset=utf-8/i.test(contentType);
  const extra = warn ? { warning: 'missing_charset', response_metadata: { warnings: ['missing_charset'] } } : {};
  const fail = (error: string, detail: string): MockReply => ({
    ...jsonReply(200, { ok: false, error, ...extra }),
    previewError: rejected(200, error, detail),
  });
  const token = tokenOf(req);
  if (token === undefined || token === '') return fail('not_authed', 'no `Authorization: Bearer <token>` header');
  if (!tokenValid(state, token)) {
    return fail('invalid_auth', state.config.slack?.tokens ? 'the token is not one the mock knows (slack.tokens)' : 'Slack tokens start with `xox`');
  }
  const v = checkPayload(req, 'chat.postMessage');
  if (!v.ok) return fail(v.error, v.detail);
  const channel = str(v.payload, 'channel') ?? '';
  if (channel === '') return fail('channel_not_found', '`channel` is empty: the Web API needs a channel (set spec.channel)');
  if (!channelKnown(state, channel)) return fail('channel_not_found', `the mock does not know channel '${channel}' (slack.channels)`);

  const now = state.now().getTime();
  const ts = `${Math.floor(now / 1000)}.${String((now % 1000) * 1000 + (state.newId() % 1000)).padStart(6, '0')}`;
  const notes: string[] = [];
  if (nonEmpty(v.payload, 'username') !== undefined || nonEmpty(v.payload, 'icon_url') !== undefined || nonEmpty(v.payload, 'icon_emoji') !== undefined) {
    notes.push('username and icon overrides apply only when the app has the chat:write.customize scope');
  }
  const id = channelId(channel.replace(/^#/, ''));
  const message = {
    type: 'message',
    subtype: 'bot_message',
    text: str(v.payload, 'text') ?? '',
    ts,
    username: str(v.payload, 'username') ?? '',
    bot_id: 'B0MOCKBOT01',
    ...(Array.isArray(v.payload.attachments)
      ? { attachments: (v.payload.attachments as Array<Record<string, unknown>>).map((a, i) => ({ ...a, id: i + 1 })) }
      : {}),
  };
  return {
    ...jsonReply(200, { ok: true, channel: id, ts, message, ...extra }),
    preview: slackPreview(v.payload, 'chat.postMessage', notes),
  };
}

// ---- handlers ----------------------------------------------------------------------------------------------

function isWebApi(url: URL): boolean {
  return url.protocol === 'https:' && url.hostname === 'slack.com' && url.pathname.startsWith('/api/');
}

export function slackHandlers(ctx: MockContext): HttpHandler[] {
  const { state } = ctx;
  return [
    endpoint(ctx, {
      service: 'slack',
      match: (url) =>
        url.hostname === 'hooks.slack.com' || isWebApi(url) || state.providerFor(url)?.type === 'slack',
      respond: (req) => {
        if (isWebApi(req.url)) {
          if (req.url.pathname === '/api/chat.postMessage') return slackPostMessage(state, req);
          return jsonReply(200, { ok: false, error: 'unknown_method' });
        }
        return slackWebhook(state, req);
      },
    }),
  ];
}
