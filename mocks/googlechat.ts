// Google Chat incoming webhooks (chat.googleapis.com/v1/spaces/<space>/messages?key=…&token=…).
// The API parses the body as a protobuf Message: an unknown field is a 400 INVALID_ARGUMENT, an
// empty message is refused, and success returns the created Message.

import type { HttpHandler } from 'msw';
import type { GoogleChatPreview, GoogleChatWidget, PreviewError } from '../src/runner/preview-model.js';
import {
  compact,
  endpoint,
  isObject,
  jsonReply,
  nonEmpty,
  parseJson,
  str,
  type MockContext,
  type MockReply,
  type MockRequest,
} from './common.js';
import type { MockState } from './state.js';

/** Top-level fields of the Chat API Message resource (v1); anything else is rejected. */
const MESSAGE_FIELDS = new Set([
  'name', 'sender', 'createTime', 'lastUpdateTime', 'deleteTime', 'text', 'formattedText', 'cards', 'cardsV2',
  'annotations', 'thread', 'space', 'fallbackText', 'actionResponse', 'argumentText', 'slashCommand', 'attachment',
  'matchedUrl', 'threadReply', 'clientAssignedMessageId', 'emojiReactionSummaries', 'privateMessageViewer',
  'deletionMetadata', 'quotedMessageMetadata', 'attachedGifs', 'accessoryWidgets',
]);

const PATH = /^\/v1\/spaces\/([^/]+)\/messages$/;

function rejected(status: number, error: string, detail: string): PreviewError {
  return { service: 'googlechat', status, error, detail };
}

function googleError(status: number, grpc: string, message: string, detail: string): MockReply {
  return { ...jsonReply(status, { error: { code: status, message, status: grpc } }), previewError: rejected(status, `${grpc}: ${message}`, detail) };
}

function widgetsOf(v: unknown): GoogleChatWidget[] {
  if (!Array.isArray(v)) return [];
  const out: GoogleChatWidget[] = [];
  for (const w of v) {
    if (!isObject(w)) continue;
    if (isObject(w.textParagraph)) out.push({ text: str(w.textParagraph, 'text') ?? '' });
    // cards v1 keyValue, cardsV2 decoratedText.
    if (isObject(w.keyValue)) out.push(compact<GoogleChatWidget>({ topLabel: nonEmpty(w.keyValue, 'topLabel'), content: str(w.keyValue, 'content') ?? '' }));
    if (isObject(w.decoratedText)) out.push(compact<GoogleChatWidget>({ topLabel: nonEmpty(w.decoratedText, 'topLabel'), content: str(w.decoratedText, 'text') ?? '' }));
  }
  return out;
}

/** The first card of a message (cards v1 or cardsV2). */
export function googleChatPreview(p: Record<string, unknown>): GoogleChatPreview {
  let card: Record<string, unknown> | undefined;
  const notes: string[] = [];
  if (Array.isArray(p.cards) && isObject(p.cards[0])) {
    card = p.cards[0];
    notes.push('cards (v1) is deprecated by Google Chat in favour of cardsV2');
  } else if (Array.isArray(p.cardsV2) && isObject(p.cardsV2[0]) && isObject(p.cardsV2[0].card)) {
    card = p.cardsV2[0].card;
  }
  const header = card && isObject(card.header) ? card.header : undefined;
  const sections = card && Array.isArray(card.sections)
    ? card.sections.filter(isObject).map((s) => compact({ header: nonEmpty(s, 'header'), widgets: widgetsOf(s.widgets) }))
    : [];
  return compact<GoogleChatPreview>({
    kind: 'googlechat',
    text: nonEmpty(p, 'text'),
    title: header ? nonEmpty(header, 'title') : undefined,
    subtitle: header ? nonEmpty(header, 'subtitle') : undefined,
    sections,
    notes: notes.length > 0 ? notes : undefined,
  });
}

export function googleChatRespond(state: MockState, req: MockRequest): MockReply {
  const m = PATH.exec(req.url.pathname);
  if (!m) return googleError(404, 'NOT_FOUND', 'Requested entity was not found.', `${req.url.pathname} is not /v1/spaces/<space>/messages`);
  const space = decodeURIComponent(m[1]!);
  if (req.method !== 'POST') return googleError(405, 'METHOD_NOT_ALLOWED', `Method ${req.method} not allowed.`, 'webhooks take POST');
  if (!req.url.searchParams.get('key')) {
    return googleError(403, 'PERMISSION_DENIED', 'The request is missing a valid API key.', 'the URL has no `key` query parameter');
  }
  if (!req.url.searchParams.get('token')) {
    return googleError(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential.', 'the URL has no `token` query parameter');
  }
  const parsed = parseJson(req.text);
  if (!parsed.ok) return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.', `the body is not JSON (${parsed.error})`);
  if (!isObject(parsed.value)) {
    return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Root element must be a message.', 'the body is not a JSON object');
  }
  const p = parsed.value;
  const unknown = Object.keys(p).find((k) => !MESSAGE_FIELDS.has(k));
  if (unknown !== undefined) {
    return googleError(400, 'INVALID_ARGUMENT', `Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`, `\`${unknown}\` is not a field of a Chat message`);
  }
  const hasCards = (Array.isArray(p.cards) && p.cards.length > 0) || (Array.isArray(p.cardsV2) && p.cardsV2.length > 0);
  if (nonEmpty(p, 'text') === undefined && !hasCards) {
    return googleError(400, 'INVALID_ARGUMENT', 'Message cannot be empty. Discarding empty message.', 'no text and no cards');
  }
  const id = `mock${state.newId()}`;
  const createTime = state.now().toISOString();
  const message = {
    name: `spaces/${space}/messages/${id}.${id}`,
    sender: { name: 'users/000000000000000000001', displayName: 'Flux', type: 'BOT' },
    createTime,
    ...(p.text !== undefined ? { text: p.text } : {}),
    ...(p.cards !== undefined ? { cards: p.cards } : {}),
    ...(p.cardsV2 !== undefined ? { cardsV2: p.cardsV2 } : {}),
    thread: { name: `spaces/${space}/threads/${id}` },
    space: { name: `spaces/${space}`, type: 'ROOM', spaceType: 'SPACE' },
  };
  return { ...jsonReply(200, message), preview: googleChatPreview(p) };
}

export function googleChatHandlers(ctx: MockContext): HttpHandler[] {
  const { state } = ctx;
  return [
    endpoint(ctx, {
      service: 'googlechat',
      match: (url) => url.hostname === 'chat.googleapis.com' || state.providerFor(url)?.type === 'googlechat',
      respond: (req) => googleChatRespond(state, req),
    }),
  ];
}
