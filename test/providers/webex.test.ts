import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/webex.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const URL = 'https://webexapis.com/v1/messages';
const ROOM = 'Y2lzY29zcGFyazovL3VzL1JPT00vYWJj';
const SAMPLE_BODY =
  `{"roomId":"${ROOM}","markdown":"✅ **kustomization/podinfo.flux-system**\\nApplied revision: main@sha1:abc123\\n` +
  '\\u003e**revision**: main@sha1:abc123\\n\\u003e**summary**: Cluster: production\\n"}';

function post(o: Parameters<typeof options>[0], e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options({ url: URL, ...o })).post(e), replies);
}

describe('webex (providers §4.9)', () => {
  it('webex: sample event E body byte for byte with bearer token (providers §4.9)', () => {
    const d = post({ channel: ROOM, token: 'bot-token' });
    const req = onlyHttp(d);
    expect(provider.type).toBe('webex');
    expect(req.method).toBe('POST');
    expect(req.url).toBe(URL);
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer bot-token'],
    ]);
    expect(req.useProxy).toBe(true);
    expect(req.useTLS).toBe(true);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('webex: Authorization is sent even with an empty token (providers §4.9)', () => {
    expect(onlyHttp(post({ channel: ROOM })).headers).toContainEqual(['Authorization', 'Bearer ']);
  });

  it('webex: roomId omitted when the channel is empty (providers §4.9)', () => {
    expect((onlyHttp(post({})).body as string).startsWith('{"markdown":"')).toBe(true);
  });

  it('webex: bomb emoji for error severity (providers §3.9)', () => {
    const body = JSON.parse(onlyHttp(post({ channel: ROOM }, sampleEvent({ severity: 'error' }))).body as string);
    expect(body.markdown.startsWith('\u{1f4a3} **kustomization/podinfo.flux-system**\n')).toBe(true);
  });

  it('webex: without metadata the markdown ends after the message (providers §4.9)', () => {
    const body = JSON.parse(onlyHttp(post({ channel: ROOM }, sampleEvent({ metadata: undefined }))).body as string);
    expect(body.markdown).toBe('\u2705 **kustomization/podinfo.flux-system**\nApplied revision: main@sha1:abc123\n');
  });

  it('webex: non-2xx reply is wrapped postMessage failed (providers §3.4)', () => {
    expect(errorText(post({ channel: ROOM }, sampleEvent(), [reply(401, '{"message":"unauthorized"}')]))).toBe(
      'postMessage failed: request failed: request failed with status code 401: {"message":"unauthorized"}',
    );
  });

  it('webex: invalid address is refused with the constructor text (providers §4.9)', () => {
    expect(thrown(() => provider.create(options({ url: 'webexapis.com' })))).toBe(
      `invalid Webex hook URL webexapis.com: 'parse "webexapis.com": invalid URI for request'`,
    );
  });
});
