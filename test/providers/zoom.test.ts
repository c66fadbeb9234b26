import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/zoom.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const HOOK = 'https://integrations.zoom.us/chat/webhooks/incomingwebhook/xxxx';
const SAMPLE_BODY =
  '{"content":{"head":{"text":"kustomization/podinfo.flux-system","sub_head":{"text":"info"}},"body":[' +
  '{"type":"message","text":"Applied revision: main@sha1:abc123"},{"type":"fields","items":[' +
  '{"key":"revision","value":"main@sha1:abc123"},{"key":"summary","value":"Cluster: production"}]}]}}';

function post(o: Parameters<typeof options>[0], e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options({ url: HOOK, token: 'verif-token', ...o })).post(e), replies);
}
const urlFor = (url: string) => onlyHttp(post({ url })).url;

describe('zoom (providers §4.34)', () => {
  it('zoom: sample event E body byte for byte with ?format=full (providers §4.34)', () => {
    const d = post({});
    const req = onlyHttp(d);
    expect(provider.type).toBe('zoom');
    expect(req.method).toBe('POST');
    expect(req.url).toBe(HOOK + '?format=full');
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'verif-token'],
    ]);
    expect(req.useProxy).toBe(true);
    expect(req.useTLS).toBe(true);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('zoom: a non-empty format parameter is kept (zoom_test.go)', () => {
    expect(urlFor(HOOK + '?format=message')).toBe(HOOK + '?format=message');
  });

  it('zoom: an empty format is replaced and the query re-encoded sorted (providers §4.34, §3.2)', () => {
    expect(urlFor(HOOK + '?format=')).toBe(HOOK + '?format=full');
    expect(urlFor(HOOK + '?b=2&a=x%7Ey')).toBe(HOOK + '?a=x~y&b=2&format=full');
  });

  it('zoom: sub_head carries the severity string (providers §3.9)', () => {
    const body = JSON.parse(onlyHttp(post({}, sampleEvent({ severity: 'error' }))).body as string);
    expect(body.content.head.sub_head).toEqual({ text: 'error' });
  });

  it('zoom: no fields item without metadata, empty message text omitted (providers §4.34)', () => {
    const body = onlyHttp(post({}, sampleEvent({ metadata: undefined, message: '' }))).body as string;
    expect(body).toBe('{"content":{"head":{"text":"kustomization/podinfo.flux-system","sub_head":{"text":"info"}},"body":[{"type":"message"}]}}');
  });

  it('zoom: non-2xx reply is wrapped postMessage failed (providers §3.4)', () => {
    expect(errorText(post({}, sampleEvent(), [reply(401, 'Unauthorized')]))).toBe(
      'postMessage failed: request failed: request failed with status code 401: Unauthorized',
    );
  });

  it('zoom: invalid URL and empty token are refused, URL first (zoom_test.go)', () => {
    expect(thrown(() => provider.create(options({ url: 'invalid-url', token: 'token' })))).toBe(
      `invalid Zoom incoming webhook URL invalid-url: 'parse "invalid-url": invalid URI for request'`,
    );
    expect(thrown(() => provider.create(options({ url: 'invalid-url' })))).toBe(
      `invalid Zoom incoming webhook URL invalid-url: 'parse "invalid-url": invalid URI for request'`,
    );
    expect(thrown(() => provider.create(options({ url: HOOK })))).toBe('empty Zoom verification token');
  });
});
