// Microsoft Teams: Workflows (Power Automate / Logic Apps) webhook URLs, which take an Adaptive
// Card message and answer 202 before the flow runs, and the legacy Office 365 connector
// (*.webhook.office.com), which takes a MessageCard and answers 200 with the body `1`.
// A workflow accepts any JSON: a card the flow cannot post only fails later, inside the flow,
// so that shows as a preview error on a 202.

import type { HttpHandler } from 'msw';
import type {
  PreviewColor,
  PreviewError,
  TeamsAdaptivePreview,
  TeamsFact,
  TeamsMessageCardPreview,
  TeamsMessageCardSection,
  TeamsTextBlock,
} from '../src/runner/preview-model.js';
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

/**
 * Adaptive Card colour names as Teams draws them in its light theme (approximate: the exact
 * values come from the host's theme, not from the card).
 */
const ADAPTIVE_COLORS: Record<string, { name: string; hex: string }> = {
  attention: { name: 'red', hex: '#d13438' },
  good: { name: 'green', hex: '#237b4b' },
  warning: { name: 'yellow', hex: '#986f0b' },
  accent: { name: 'blue', hex: '#6264a7' },
  dark: { name: 'black', hex: '#242424' },
  light: { name: 'white', hex: '#ffffff' },
};

export function adaptiveColor(raw: string): PreviewColor {
  const c = ADAPTIVE_COLORS[raw.toLowerCase()];
  return c ? { raw, ...c } : { raw, name: raw };
}

/** Teams renders Adaptive Cards up to this schema version. */
const MAX_TEAMS_CARD_VERSION = 1.5;

const ADAPTIVE_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

interface Walked {
  blocks: TeamsTextBlock[];
  facts: TeamsFact[];
}

/** Collects text blocks and facts in reading order, through containers and columns. */
function walk(elements: unknown, out: Walked): void {
  if (!Array.isArray(elements)) return;
  for (const el of elements) {
    if (!isObject(el)) continue;
    const type = str(el, 'type');
    if (type === 'TextBlock') {
      const color = nonEmpty(el, 'color');
      out.blocks.push(
        compact<TeamsTextBlock>({
          text: str(el, 'text') ?? '',
          size: nonEmpty(el, 'size'),
          weight: nonEmpty(el, 'weight'),
          color: color === undefined ? undefined : adaptiveColor(color),
          wrap: typeof el.wrap === 'boolean' ? el.wrap : undefined,
        }),
      );
    } else if (type === 'FactSet') {
      if (Array.isArray(el.facts)) {
        for (const f of el.facts) if (isObject(f)) out.facts.push({ name: str(f, 'title') ?? '', value: str(f, 'value') ?? '' });
      }
    } else if (type === 'Container') {
      walk(el.items, out);
    } else if (type === 'ColumnSet' && Array.isArray(el.columns)) {
      for (const c of el.columns) if (isObject(c)) walk(c.items, out);
    }
  }
}

type CardResult = { ok: true; preview: TeamsAdaptivePreview } | { ok: false; error: string; detail: string };

/** What Teams would post for a workflow message: the first Adaptive Card attachment. */
export function adaptivePreview(payload: unknown): CardResult {
  if (!isObject(payload)) return { ok: false, error: 'InvalidTemplate', detail: 'the message is not a JSON object' };
  if (!Array.isArray(payload.attachments) || payload.attachments.length === 0) {
    return { ok: false, error: 'InvalidTemplate', detail: 'the message has no `attachments`: the flow has no card to post' };
  }
  const att = payload.attachments[0];
  if (!isObject(att) || str(att, 'contentType') !== ADAPTIVE_CONTENT_TYPE) {
    return { ok: false, error: 'InvalidTemplate', detail: `the first attachment's contentType is not ${ADAPTIVE_CONTENT_TYPE}` };
  }
  const content = att.content;
  if (!isObject(content) || str(content, 'type') !== 'AdaptiveCard') {
    return { ok: false, error: 'InvalidTemplate', detail: 'the attachment content is not an object of type AdaptiveCard' };
  }
  const out: Walked = { blocks: [], facts: [] };
  walk(content.body, out);
  const notes: string[] = [];
  const version = str(content, 'version');
  if (version !== undefined && Number(version) > MAX_TEAMS_CARD_VERSION) {
    notes.push(`Teams renders Adaptive Cards up to version ${MAX_TEAMS_CARD_VERSION}; this card says ${version}`);
  }
  const first = out.blocks[0];
  const width = isObject(content.msteams) ? nonEmpty(content.msteams, 'width') : undefined;
  return {
    ok: true,
    preview: compact<TeamsAdaptivePreview>({
      kind: 'teams-adaptive',
      version,
      title: first?.text,
      titleColor: first?.color,
      blocks: out.blocks,
      facts: out.facts,
      width,
      notes: notes.length > 0 ? notes : undefined,
    }),
  };
}

export function messageCardPreview(p: Record<string, unknown>): TeamsMessageCardPreview {
  const theme = nonEmpty(p, 'themeColor');
  const sections: TeamsMessageCardSection[] = Array.isArray(p.sections)
    ? p.sections.filter(isObject).map((s) =>
        compact<TeamsMessageCardSection>({
          activityTitle: nonEmpty(s, 'activityTitle'),
          activitySubtitle: nonEmpty(s, 'activitySubtitle'),
          text: nonEmpty(s, 'text'),
          facts: Array.isArray(s.facts)
            ? s.facts.filter(isObject).map((f) => ({ name: str(f, 'name') ?? '', value: str(f, 'value') ?? '' }))
            : [],
        }),
      )
    : [];
  return compact<TeamsMessageCardPreview>({
    kind: 'teams-messagecard',
    themeColor: theme === undefined ? undefined : hexColor(theme),
    summary: nonEmpty(p, 'summary'),
    title: nonEmpty(p, 'title'),
    text: nonEmpty(p, 'text'),
    sections,
    notes: ['Microsoft is retiring Office 365 connectors (webhook.office.com); a Workflows URL gets an Adaptive Card instead'],
  });
}

function rejected(status: number, error: string, detail: string): PreviewError {
  return { service: 'msteams', status, error, detail };
}

// ---- workflow webhook ------------------------------------------------------------------------------------

function azureError(status: number, code: string, message: string, detail: string): MockReply {
  return { ...jsonReply(status, { error: { code, message } }), previewError: rejected(status, code, detail) };
}

export function teamsWorkflow(req: MockRequest): MockReply {
  if (req.method !== 'POST') {
    return azureError(405, 'MethodNotAllowed', `The HTTP method '${req.method}' is not allowed for this trigger.`, 'workflow triggers take POST');
  }
  // Workflow URLs carry their shared-access signature in the query; without it the call is refused.
  // (A host of the user's own, e.g. a relay, is not held to that.)
  if (isWorkflowHost(req.url) && !req.url.searchParams.get('sig')) {
    return azureError(
      401,
      'DirectApiAuthorizationRequired',
      'The request must be authenticated only by Shared Access scheme.',
      'the URL has no `sig` query parameter: copy the whole workflow URL, query included',
    );
  }
  const parsed = parseJson(req.text);
  if (!parsed.ok) {
    return azureError(
      400,
      'InvalidRequestContent',
      `The request content is not valid and could not be deserialized: '${parsed.error}'.`,
      `the body is not JSON (${parsed.error})`,
    );
  }
  const card = adaptivePreview(parsed.value);
  const accepted: MockReply = { status: 202, headers: {}, body: '' };
  if (!card.ok) {
    // Accepted by the trigger; the flow run fails afterwards and nothing appears in Teams.
    return { ...accepted, previewError: rejected(202, card.error, `accepted, but the flow cannot post it: ${card.detail}`) };
  }
  return { ...accepted, preview: card.preview };
}

// ---- legacy connector ------------------------------------------------------------------------------------------

export function teamsConnector(req: MockRequest): MockReply {
  const bad = (text: string, detail: string): MockReply => ({ ...textReply(400, text), previewError: rejected(400, text, detail) });
  if (req.method !== 'POST') return textReply(405, 'Method Not Allowed');
  const parsed = parseJson(req.text);
  if (!parsed.ok || !isObject(parsed.value)) {
    return bad('Bad payload received by generic incoming webhook.', parsed.ok ? 'the body is not a JSON object' : `the body is not JSON (${parsed.error})`);
  }
  const p = parsed.value;
  // Connectors also take an Adaptive Card message.
  if (str(p, 'type') === 'message' && Array.isArray(p.attachments)) {
    const card = adaptivePreview(p);
    if (!card.ok) return bad('Bad payload received by generic incoming webhook.', card.detail);
    return { ...textReply(200, '1'), preview: card.preview };
  }
  if (nonEmpty(p, 'summary') === undefined && nonEmpty(p, 'text') === undefined) {
    return bad('Summary or Text is required.', 'a MessageCard needs `summary` or `text`');
  }
  return { ...textReply(200, '1'), preview: messageCardPreview(p) };
}

// ---- handlers -------------------------------------------------------------------------------------------------------

export function isConnectorHost(url: URL): boolean {
  return url.hostname.endsWith('.webhook.office.com');
}

export function isWorkflowHost(url: URL): boolean {
  const h = url.hostname;
  return h.endsWith('.logic.azure.com') || h.endsWith('.environment.api.powerplatform.com');
}

export function teamsHandlers(ctx: MockContext): HttpHandler[] {
  const { state } = ctx;
  return [
    endpoint(ctx, {
      service: 'msteams',
      match: (url) => isConnectorHost(url) || isWorkflowHost(url) || state.providerFor(url)?.type === 'msteams',
      // The body decides nothing here: the URL picks the endpoint, as it picks the card upstream.
      respond: (req) => (isConnectorHost(req.url) ? teamsConnector(req) : teamsWorkflow(req)),
    }),
  ];
}
