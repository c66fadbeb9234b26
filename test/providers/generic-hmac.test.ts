import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/generic-hmac.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent } from './drive.js';

const URL = 'https://hooks.example.com/flux';

function post(o: Parameters<typeof options>[0], e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options(o)).post(e), replies);
}

const header = (headers: Array<[string, string]>, name: string) => headers.find(([k]) => k === name)?.[1];

// forwarder_test.go's event (testEvent() with the timestamp 1664520029) and its expected body (providers §4.2).
const UPSTREAM_EVENT = sampleEvent({
  involvedObject: { kind: 'GitRepository', namespace: 'gitops-system', name: 'webapp' },
  severity: 'info',
  timestamp: '2022-09-30T06:40:29Z',
  message: 'message',
  reason: 'reason',
  metadata: { test: 'metadata' },
  reportingController: 'source-controller',
  reportingInstance: 'source-controller-xyz',
});
const UPSTREAM_BODY =
  '{"involvedObject":{"kind":"GitRepository","namespace":"gitops-system","name":"webapp"},"severity":"info","timestamp":"2022-09-30T06:40:29Z","message":"message","reason":"reason","metadata":{"test":"metadata"},"reportingController":"source-controller","reportingInstance":"source-controller-xyz"}';

describe('generic-hmac (providers §4.2)', () => {
  it('generic-hmac: sample E signed with my-hmac-key gives the conformance signature (providers §1.3, §5)', () => {
    const req = onlyHttp(post({ url: URL, token: 'my-hmac-key' }));
    expect(provider.type).toBe('generic-hmac');
    expect(Buffer.byteLength(req.body as string)).toBe(519);
    expect(header(req.headers, 'X-Signature')).toBe('sha256=051b9113127783fdf15c34d8125a6221ce80579d88abc10806e8d4a761061f31');
  });

  it('generic-hmac: upstream forwarder test vector (providers §4.2, §5)', () => {
    const req = onlyHttp(post({ url: URL, token: '7152fed34dd6149a7c75a276c510da27cb6f82b0' }, UPSTREAM_EVENT));
    expect(req.body).toBe(UPSTREAM_BODY);
    expect(header(req.headers, 'X-Signature')).toBe('sha256=65b018549b1254e7226d1c08f9567ee45bc9de0fc4e7b1a40253f9a018b08be7');
  });

  it('generic-hmac: X-Signature is set last and overrides a Secret header of the same name (providers §4.2)', () => {
    const req = onlyHttp(
      post({ url: URL, token: 'my-hmac-key', headers: { Authorization: 'token', 'x-signature': 'should be overwritten' } }),
    );
    expect(req.headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Gotk-Component', 'kustomize-controller'],
      ['Authorization', 'token'],
      ['X-Signature', 'sha256=051b9113127783fdf15c34d8125a6221ce80579d88abc10806e8d4a761061f31'],
    ]);
  });

  it('generic-hmac: the token is the key verbatim, not trimmed (providers §2.9, §4.2)', () => {
    const req = onlyHttp(post({ url: URL, token: 'my-hmac-key\n' }));
    const expected = 'sha256=' + createHmac('sha256', 'my-hmac-key\n').update(req.body as string).digest('hex');
    expect(header(req.headers, 'X-Signature')).toBe(expected);
    expect(expected).not.toBe('sha256=051b9113127783fdf15c34d8125a6221ce80579d88abc10806e8d4a761061f31');
  });

  it('generic-hmac: the key is the Secret token bytes, even when they are not valid UTF-8 (notification-controller §6.10)', () => {
    const raw = Buffer.from([0xff, 0x6b, 0x65, 0x79]);
    const req = onlyHttp(post({ url: URL, token: raw.toString('utf8'), secretData: { token: raw } }));
    const expected = 'sha256=' + createHmac('sha256', raw).update(req.body as string).digest('hex');
    expect(header(req.headers, 'X-Signature')).toBe(expected);
  });

  it('generic-hmac: a Secret token that was not applied (credential parse failure) gives no key (providers §2.9)', () => {
    expect(() => provider.create(options({ url: URL, token: '', secretData: { token: Buffer.from('k') } }))).toThrow(
      'HMAC key is empty',
    );
  });

  it('generic-hmac: an empty token fails with HMAC key is empty (notification-controller §6.9)', () => {
    expect(() => provider.create(options({ url: URL, token: '' }))).toThrow('HMAC key is empty');
  });

  it('generic-hmac: the address is checked before the key (providers §4.2)', () => {
    expect(() => provider.create(options({ url: 'not a url', token: '' }))).toThrow(
      'invalid hook URL not a url: parse "not a url": invalid URI for request',
    );
  });

  it('generic-hmac: a refused reply fails like generic (providers §4.1)', () => {
    const d = post({ url: URL, token: 'k' }, sampleEvent(), [reply(401, 'nope')]);
    expect(errorText(d)).toBe('postMessage failed: request failed: request failed with status code 401: nope');
  });
});
