import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/generic.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, SAMPLE_EVENT_WIRE } from './drive.js';

// providers §1.3: the exact wire bytes of E (519 bytes).
const E_WIRE = SAMPLE_EVENT_WIRE;

const URL = 'https://hooks.example.com/flux?team=platform';

function post(o: Parameters<typeof options>[0], e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options(o)).post(e), replies);
}

describe('generic (providers §4.1)', () => {
  it('generic: sample event E is sent as its exact 519 wire bytes (providers §1.3, §4.1)', () => {
    const d = post({ url: URL });
    const req = onlyHttp(d);
    expect(provider.type).toBe('generic');
    expect(req.method).toBe('POST');
    expect(req.body).toBe(E_WIRE);
    expect(Buffer.byteLength(req.body as string)).toBe(519);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('generic: the address is used unchanged, query string kept (providers §4.1)', () => {
    expect(onlyHttp(post({ url: URL })).url).toBe(URL);
  });

  it('generic: headers are Content-Type then Gotk-Component with the reporting controller (notification-controller §6.10)', () => {
    expect(onlyHttp(post({ url: URL })).headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Gotk-Component', 'kustomize-controller'],
    ]);
  });

  it('generic: Secret headers come after, canonicalised, and can override Gotk-Component and Content-Type (providers §3.3, §4.1)', () => {
    const req = onlyHttp(
      post({ url: URL, headers: { Authorization: 'token', 'x-api-key': 'k', 'gotk-component': 'mine', 'content-type': 'text/plain' } }),
    );
    expect(req.headers).toEqual([
      ['Authorization', 'token'],
      ['X-Api-Key', 'k'],
      ['Gotk-Component', 'mine'],
      ['Content-Type', 'text/plain'],
    ]);
  });

  it('generic: no X-Signature and no basic auth even with credentials (notification-controller §6.10)', () => {
    const req = onlyHttp(post({ url: URL, token: 'secret', username: 'u', password: 'p' }));
    expect(req.headers.map(([k]) => k)).toEqual(['Content-Type', 'Gotk-Component']);
  });

  it('generic: metadata keys sort by bytes and an event without metadata omits the field (providers §3.1)', () => {
    const withMeta = onlyHttp(post({ url: URL }, sampleEvent({ metadata: { zeta: '1', Alpha: '2', '10': '3' } }))).body as string;
    expect(withMeta).toContain('"metadata":{"10":"3","Alpha":"2","zeta":"1"}');
    const without = onlyHttp(post({ url: URL }, sampleEvent({ metadata: undefined }))).body as string;
    expect(without).not.toContain('metadata');
    expect(without).toContain('"reason":"ReconciliationSucceeded","reportingController":"kustomize-controller"');
  });

  it('generic: <, > and & in the message are escaped as Go does (providers §3.1)', () => {
    const body = onlyHttp(post({ url: URL }, sampleEvent({ message: 'a<b>&c' }))).body as string;
    expect(body).toContain('"message":"a\\u003cb\\u003e\\u0026c"');
  });

  it('generic: shared sender with retries, proxy and TLS (providers §3.4, §7)', () => {
    const req = onlyHttp(post({ url: URL }));
    expect(req.retry).toBe('retryablehttp');
    expect(req.useProxy).toBe(true);
    expect(req.useTLS).toBe(true);
  });

  it('generic: any 2xx is success, including 204 (providers §3.4)', () => {
    expect(post({ url: URL }, sampleEvent(), [reply(204)]).outcome).toEqual({ sent: true });
  });

  it('generic: a non-2xx reply fails with postMessage failed: request failed: … (providers §3.4, §4.1)', () => {
    const d = post({ url: URL }, sampleEvent(), [reply(400, 'bad payload')]);
    expect(errorText(d)).toBe('postMessage failed: request failed: request failed with status code 400: bad payload');
  });

  it('generic: an address must pass url.ParseRequestURI (notification-controller §6.9)', () => {
    expect(() => provider.create(options({ url: '' }))).toThrow('invalid hook URL : parse "": empty url');
    expect(() => provider.create(options({ url: 'not a url' }))).toThrow(
      'invalid hook URL not a url: parse "not a url": invalid URI for request',
    );
    expect(() => provider.create(options({ url: 'http://[::1' }))).toThrow(
      `invalid hook URL http://[::1: parse "http://[::1": missing ']' in host`,
    );
  });

  it('generic: a bare absolute path passes construction (notification-controller §6.9)', () => {
    expect(onlyHttp(post({ url: '/hooks/flux' })).url).toBe('/hooks/flux');
  });
});
