// The Discord mock fed with what the discord provider sends for sample E (providers §4.4): the
// Slack-compatible endpoint, then Discord's documented rejections.

import { describe, expect, it } from 'vitest';
import { mockSuite, only, sampleEvent } from './helpers.js';

const HOOK = 'https://discord.com/api/webhooks/112233445566778899/tok-en_123';
const OBJ = 'kustomization/podinfo.flux-system';

describe('discord mock', () => {
  const s = mockSuite(() => ({ discord: { webhooks: ['112233445566778899'] } }));

  it('discord: the provider posts to <address>/slack; the mock answers 200 "ok" and previews the embed (providers §4.4)', async () => {
    const r = await s.post('discord', { url: HOOK });
    expect(r.error).toBeUndefined();
    const e = only(s.last());
    expect(e.url).toBe(`${HOOK}/slack`);
    expect(e.status).toBe(200);
    expect(e.responseBody).toBe('ok');
    expect(e.preview).toEqual({
      kind: 'discord',
      api: 'slack-compatible',
      username: 'kustomize-controller',
      embeds: [
        {
          color: { raw: 'good', name: 'green', hex: '#2eb886' },
          authorName: OBJ,
          text: 'Applied revision: main@sha1:abc123',
          mrkdwnIn: ['text'],
          fields: [
            { title: 'revision', value: 'main@sha1:abc123', short: false },
            { title: 'summary', value: 'Cluster: production', short: false },
          ],
        },
      ],
    });
  });

  it('discord: an error event is coloured danger (providers §4.4 color good/danger)', async () => {
    await s.post('discord', { url: HOOK }, sampleEvent({ severity: 'error' }));
    const p = only(s.last()).preview;
    if (p?.kind !== 'discord') throw new Error('no discord preview');
    expect(p.embeds[0]!.color).toEqual({ raw: 'danger', name: 'red', hex: '#a30200' });
  });

  it('discord: a username containing "discord" is refused with 400 Invalid Form Body (code 50035)', async () => {
    const r = await s.post('discord', { url: HOOK, username: 'Discord Flux' });
    expect(r.error).toMatch(/^postMessage failed: request failed: request failed with status code 400: \{"message":"Invalid Form Body","code":50035/);
    expect(only(s.last()).previewError).toMatchObject({ service: 'discord', status: 400, error: 'Invalid Form Body' });
  });

  it('discord: a webhook id the mock does not know is 404 Unknown Webhook (code 10015)', async () => {
    const r = await s.post('discord', { url: 'https://discord.com/api/webhooks/999/abc' });
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 404: {"message":"Unknown Webhook","code":10015}');
  });

  it('discord: a message with neither text nor attachments is 400 Cannot send an empty message (code 50006)', async () => {
    const r = await s.postRaw(`${HOOK}/slack`, '{"username":"flux","attachments":[]}');
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 400: {"message":"Cannot send an empty message","code":50006}');
  });
});
