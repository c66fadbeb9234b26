// The Slack mock fed with what the slack provider sends for sample E (providers §1.3, §4.3),
// then with wrong payloads, then with injected faults. Expected previews restate the spec's
// payload; expected errors are Slack's documented words and the controller's texts (§3.4, §4.3).

import { describe, expect, it } from 'vitest';
import { mockSuite, only, sampleEvent } from './helpers.js';

const HOOK = 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXX';
const API = 'https://slack.com/api/chat.postMessage';
const OBJ = 'kustomization/podinfo.flux-system';
const MESSAGE = 'Applied revision: main@sha1:abc123';
const FIELDS = [
  { title: 'revision', value: 'main@sha1:abc123', short: false },
  { title: 'summary', value: 'Cluster: production', short: false },
];

describe('slack mock', () => {
  const s = mockSuite(() => ({ slack: { channels: ['general'], tokens: ['xoxb-good-token'] } }));

  it('slack: an incoming webhook answers 200 "ok" and previews the attachment field by field (providers §4.3)', async () => {
    const r = await s.post('slack', { url: HOOK, channel: 'general' });
    expect(r.error).toBeUndefined();
    expect(r.outcome).toEqual({ sent: true });
    const e = only(s.last());
    expect(e.service).toBe('slack');
    expect(e.status).toBe(200);
    expect(e.responseBody).toBe('ok');
    expect(e.preview).toEqual({
      kind: 'slack',
      api: 'webhook',
      channel: 'general',
      username: 'kustomize-controller',
      attachments: [
        {
          color: { raw: 'good', name: 'green', hex: '#2eb886' },
          fallback: `${OBJ}: ${MESSAGE}`,
          authorName: OBJ,
          text: MESSAGE,
          mrkdwnIn: ['text'],
          fields: FIELDS,
        },
      ],
      notes: ['app incoming webhooks post to the channel chosen when the webhook was created; `channel` in the payload is ignored'],
    });
  });

  it('slack: an error event is drawn with the danger colour, red #a30200 (providers §4.3 color)', async () => {
    await s.post('slack', { url: HOOK }, sampleEvent({ severity: 'error' }));
    const p = only(s.last()).preview;
    expect(p?.kind).toBe('slack');
    if (p?.kind !== 'slack') return;
    expect(p.attachments[0]!.color).toEqual({ raw: 'danger', name: 'red', hex: '#a30200' });
    // No channel configured: the payload carries "" and the preview has none.
    expect(p.channel).toBeUndefined();
  });

  it('slack: chat.postMessage answers {"ok":true,...} with the channel id and ts, and previews the message', async () => {
    const r = await s.post('slack', { url: API, channel: 'general', token: 'xoxb-good-token' });
    expect(r.error).toBeUndefined();
    const e = only(s.last());
    expect(e.headers.Authorization).toBe('Bearer xoxb-good-token');
    expect(e.status).toBe(200);
    const body = JSON.parse(e.responseBody);
    expect(body.ok).toBe(true);
    expect(body.channel).toMatch(/^C[0-9A-F]{10}$/);
    expect(body.ts).toMatch(/^\d+\.\d{6}$/);
    // The controller sends application/json without a charset: Slack warns about it.
    expect(body.warning).toBe('missing_charset');
    expect(e.preview).toMatchObject({ kind: 'slack', api: 'chat.postMessage', channel: 'general', username: 'kustomize-controller' });
  });

  it('slack: chat.postMessage to a channel the mock does not know gives ok:false channel_not_found, HTTP 200 (providers §4.3 response)', async () => {
    const r = await s.post('slack', { url: API, channel: 'random', token: 'xoxb-good-token' });
    expect(r.error).toBe('postMessage failed: request failed: Slack responded with error: channel_not_found');
    const e = only(s.last());
    expect(e.status).toBe(200);
    expect(JSON.parse(e.responseBody)).toMatchObject({ ok: false, error: 'channel_not_found' });
    expect(e.preview).toBeUndefined();
    expect(e.previewError).toMatchObject({ service: 'slack', status: 200, error: 'channel_not_found' });
  });

  it('slack: chat.postMessage without a channel is channel_not_found too (the Web API needs spec.channel)', async () => {
    const r = await s.post('slack', { url: API, token: 'xoxb-good-token' });
    expect(r.error).toBe('postMessage failed: request failed: Slack responded with error: channel_not_found');
  });

  it('slack: chat.postMessage with a token the mock does not know gives invalid_auth', async () => {
    const r = await s.post('slack', { url: API, channel: 'general', token: 'xoxb-wrong' });
    expect(r.error).toBe('postMessage failed: request failed: Slack responded with error: invalid_auth');
    expect(only(s.last()).previewError).toMatchObject({ status: 200, error: 'invalid_auth' });
  });

  it('slack: chat.postMessage without a token gives not_authed', async () => {
    const r = await s.post('slack', { url: API, channel: 'general' });
    expect(r.error).toBe('postMessage failed: request failed: Slack responded with error: not_authed');
  });

  it('slack: a webhook body that is not JSON is refused with 400 invalid_payload (Slack changelog 2016-05-17)', async () => {
    const r = await s.postRaw(HOOK, '{"attachments": [');
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 400: invalid_payload');
    const e = only(s.last());
    expect(e.status).toBe(400);
    expect(e.previewError).toMatchObject({ service: 'slack', status: 400, error: 'invalid_payload' });
    expect(e.preview).toBeUndefined();
  });

  it('slack: attachments that are not an array are invalid_payload for a webhook', async () => {
    const r = await s.postRaw(HOOK, '{"attachments":{"text":"x"}}');
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 400: invalid_payload');
  });

  it('slack: a message with no text, attachments or blocks is refused with 400 no_text', async () => {
    const r = await s.postRaw(HOOK, '{"channel":"general","attachments":[]}');
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 400: no_text');
  });

  it('slack: a webhook path that is not /services/T/B/X is 404 no_service', async () => {
    const r = await s.post('slack', { url: 'https://hooks.slack.com/triggers/abc' });
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 404: no_service');
  });

  it('slack: fault injection 500 then 200 shows the retry after 2s (providers §3.4 back-off)', async () => {
    s.state.injectFault({ target: 'hooks.slack.com', fault: '500', count: 1 });
    const r = await s.post('slack', { url: HOOK });
    expect(r.error).toBeUndefined();
    expect(r.outcome).toEqual({ sent: true });
    expect(r.exchanges).toHaveLength(1);
    expect(r.exchanges[0]!.attempts).toBe(2);
    expect(r.exchanges[0]!.log.map((a) => a.status)).toEqual([500, 200]);
    expect(s.clock.sleeps).toEqual([2000]);
    const [first, second] = s.last();
    expect(first).toMatchObject({ status: 500, fault: '500', responseBody: 'Internal Server Error' });
    expect(first!.preview).toBeUndefined();
    expect(second).toMatchObject({ status: 200, responseBody: 'ok' });
    expect(second!.fault).toBeUndefined();
    expect(second!.preview?.kind).toBe('slack');
  });

  it('slack: an injected 429 with Retry-After 3 makes the client wait 3s instead of 2s (providers §3.4 Retry-After)', async () => {
    s.state.injectFault({ target: 'slack', fault: '429', count: 1, retryAfterSeconds: 3 });
    const r = await s.post('slack', { url: HOOK });
    expect(r.error).toBeUndefined();
    expect(s.clock.sleeps).toEqual([3000]);
    expect(s.last().map((e) => e.status)).toEqual([429, 200]);
  });

  it('slack: a 500 on every attempt: 4 attempts at t=0,2,6,14s, then the 15s timeout ends the back-off (providers §3.4)', async () => {
    s.state.injectFault({ target: 'slack', fault: '500' });
    const r = await s.post('slack', { url: HOOK });
    expect(r.error).toBe('postMessage failed: failed to execute request: context deadline exceeded');
    expect(s.clock.sleeps.slice(0, 3)).toEqual([2000, 4000, 8000]);
    expect(s.last().map((e) => e.status)).toEqual([500, 500, 500, 500]);
  });
});

describe('slack mock: timeouts', () => {
  const s = mockSuite();

  it('slack: a timeout fault holds the request until the provider timeout; the outbox shows it unanswered', async () => {
    s.state.injectFault({ target: 'hooks.slack.com', fault: 'timeout', count: 1 });
    const started = Date.now();
    // Real clock: the deadline aborts the held fetch.
    const r = await s.post('slack', { url: HOOK }, sampleEvent(), { timeoutMs: 300, clock: {} });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.error).toMatch(/context deadline exceeded/);
    const e = s.last()[0]!;
    expect(e).toMatchObject({ status: 0, fault: 'timeout' });
  });
});
