// Microsoft Teams (providers §4.6). The URL decides the card once: hosts under
// `.webhook.office.com` are the retired Office 365 connectors and get a MessageCard; every other
// host (Power Automate / Logic Apps workflows) gets an Adaptive Card.

import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { objName, sortedMetadata } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

export type TeamsSchema = 'messageCard' | 'adaptiveCard';

/** Schema for a webhook host: the host is cut at its first `:` (the port) before the suffix test. */
export function teamsSchemaFor(host: string): TeamsSchema {
  return host.split(':')[0]!.endsWith('.webhook.office.com') ? 'messageCard' : 'adaptiveCard';
}

/** The legacy connector card; facts follow the metadata (random upstream, sorted here). */
export function messageCard(e: FluxEvent): Record<string, unknown> {
  const name = objName(e);
  return {
    '@type': 'MessageCard',
    '@context': 'http://schema.org/extensions',
    themeColor: e.severity === 'error' ? 'FF0000' : '0076D7',
    summary: name,
    sections: [
      {
        activityTitle: e.message,
        activitySubtitle: name,
        facts: sortedMetadata(e).map(([k, v]) => ({ name: k, value: v })),
      },
    ],
  };
}

/**
 * A text block with Go's omitempty: empty strings and `wrap: false` are left out. Keys follow the
 * inlined Go structs: type, then text-block fields.
 */
function textBlock(text: string, extra: { size?: string; weight?: string; color?: string }): Record<string, unknown> {
  const block: Record<string, unknown> = { type: 'TextBlock' };
  if (text !== '') block.text = text;
  if (extra.size) block.size = extra.size;
  if (extra.weight) block.weight = extra.weight;
  if (extra.color) block.color = extra.color;
  block.wrap = true;
  return block;
}

/** The Adaptive Card message. Facts: `summary` first when present, then the other keys sorted. */
export function adaptiveCard(e: FluxEvent): Record<string, unknown> {
  const meta = sortedMetadata(e);
  const summary = meta.filter(([k]) => k === 'summary');
  const facts = [...summary, ...meta.filter(([k]) => k !== 'summary')].map(([title, value]) => ({ title, value }));
  const factSet: Record<string, unknown> = { type: 'FactSet' };
  if (facts.length > 0) factSet.facts = facts;
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'Container',
              items: [
                textBlock(objName(e), { size: 'large', weight: 'bolder' }),
                textBlock(e.message, { color: e.severity === 'error' ? 'attention' : undefined }),
                factSet,
              ],
            },
          ],
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}

export const provider: ProviderDefinition = {
  type: 'msteams',
  transport: 'http',
  needs: 'address (Teams workflow or connector webhook URL)',
  create(opts) {
    let host: string;
    try {
      host = parseRequestURI(opts.url).host;
    } catch (err) {
      if (err instanceof GoURLError) throw new NotifierError(`invalid MS Teams webhook URL ${opts.url}: '${err.message}'`);
      throw err;
    }
    const schema = teamsSchemaFor(host);
    return {
      *post(e) {
        const payload = schema === 'messageCard' ? messageCard(e) : adaptiveCard(e);
        yield* send(sharedPost(opts.url, payload));
        return { sent: true };
      },
    };
  },
};
