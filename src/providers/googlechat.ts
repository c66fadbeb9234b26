// Google Chat (providers §4.7): a "cards v1" card. Go's nil pointers appear as `null`, and each
// widget carries both of its keys with the unused one null.

import type { FluxEvent } from '../flux/types.js';
import { GoURLError, parseRequestURI } from './gourl.js';
import { send, sharedPost } from './sender.js';
import { objName, sortedMetadata } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

export function googleChatPayload(e: FluxEvent): Record<string, unknown> {
  const text = e.severity === 'error' ? `<font color="#ff0000">${e.message}</font>` : e.message;
  const sections: unknown[] = [{ header: '', widgets: [{ textParagraph: { text }, keyValue: null }] }];
  const meta = sortedMetadata(e);
  if (meta.length > 0) {
    sections.push({
      header: '',
      widgets: meta.map(([k, v]) => ({
        textParagraph: null,
        keyValue: { topLabel: k, content: v, contentMultiline: false, bottomLabel: null, icon: null },
      })),
    });
  }
  return {
    cards: [
      {
        header: { title: objName(e), subtitle: e.reportingController, imageUrl: null, imageStyle: null },
        sections,
      },
    ],
  };
}

export const provider: ProviderDefinition = {
  type: 'googlechat',
  transport: 'http',
  needs: 'address (Google Chat space webhook URL)',
  create(opts) {
    try {
      parseRequestURI(opts.url);
    } catch (err) {
      // The upstream text carries no cause.
      if (err instanceof GoURLError) throw new NotifierError(`invalid Google Chat hook URL ${opts.url}`);
      throw err;
    }
    return {
      *post(e) {
        // Google Chat never applies the Provider's CA / client certificate.
        yield* send(sharedPost(opts.url, googleChatPayload(e), { useTLS: false }));
        return { sent: true };
      },
    };
  },
};
