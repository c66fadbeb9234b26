// The Google Chat mock fed with what the googlechat provider sends for sample E (providers §4.7),
// then with payloads the Chat API refuses.

import { describe, expect, it } from 'vitest';
import { mockSuite, only, sampleEvent } from './helpers.js';

const HOOK = 'https://chat.googleapis.com/v1/spaces/AAAA1234/messages?key=api-key&token=space-token';

describe('googlechat mock', () => {
  const s = mockSuite();

  it('googlechat: the card is answered 200 with the created message and previewed header and widgets (providers §4.7)', async () => {
    const r = await s.post('googlechat', { url: HOOK });
    expect(r.error).toBeUndefined();
    const e = only(s.last());
    expect(e.status).toBe(200);
    expect(JSON.parse(e.responseBody)).toMatchObject({ sender: { type: 'BOT' }, space: { name: 'spaces/AAAA1234' } });
    expect(e.preview).toEqual({
      kind: 'googlechat',
      title: 'kustomization/podinfo.flux-system',
      subtitle: 'kustomize-controller',
      sections: [
        { widgets: [{ text: 'Applied revision: main@sha1:abc123' }] },
        {
          widgets: [
            { topLabel: 'revision', content: 'main@sha1:abc123' },
            { topLabel: 'summary', content: 'Cluster: production' },
          ],
        },
      ],
      notes: ['cards (v1) is deprecated by Google Chat in favour of cardsV2'],
    });
  });

  it('googlechat: an error event shows the message wrapped in <font color="#ff0000"> (providers §4.7)', async () => {
    await s.post('googlechat', { url: HOOK }, sampleEvent({ severity: 'error', metadata: {} }));
    const p = only(s.last()).preview;
    if (p?.kind !== 'googlechat') throw new Error('no googlechat preview');
    expect(p.sections).toEqual([{ widgets: [{ text: '<font color="#ff0000">Applied revision: main@sha1:abc123</font>' }] }]);
  });

  it('googlechat: an unknown top-level field is 400 INVALID_ARGUMENT (the API parses a Message)', async () => {
    const r = await s.postRaw(HOOK, '{"text":"hi","colour":"red"}');
    expect(r.error).toMatch(/^postMessage failed: request failed: request failed with status code 400: .*INVALID_ARGUMENT/);
    expect(only(s.last()).previewError).toMatchObject({ service: 'googlechat', status: 400 });
    expect(only(s.last()).previewError!.error).toContain('Unknown name "colour"');
  });

  it('googlechat: an empty message is refused with 400', async () => {
    const r = await s.postRaw(HOOK, '{}');
    expect(r.error).toMatch(/status code 400: .*Message cannot be empty/);
  });

  it('googlechat: a webhook URL without its key is refused with 403 PERMISSION_DENIED', async () => {
    const r = await s.post('googlechat', { url: 'https://chat.googleapis.com/v1/spaces/AAAA1234/messages?token=space-token' });
    expect(r.error).toMatch(/status code 403: .*PERMISSION_DENIED/);
  });
});
