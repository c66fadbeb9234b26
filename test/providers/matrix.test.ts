import { describe, expect, it } from 'vitest';
import { matrixTxnId, provider } from '../../src/providers/matrix.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const ROOM = '!jezptmDwEeLapMLjOc:matrix.org';
const SAMPLE_URL =
  'https://matrix.org/_matrix/client/r0/rooms/!jezptmDwEeLapMLjOc:matrix.org/send/m.room.message/742c20ce32e4f9900f8d51e099fac62797b9cd5e';
const SAMPLE_BODY =
  '{"body":"💫 kustomization/podinfo.flux-system\\nApplied revision: main@sha1:abc123\\n- revision: main@sha1:abc123\\n' +
  '- summary: Cluster: production\\n","msgtype":"m.text"}';

function post(o: Parameters<typeof options>[0], e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options({ url: 'https://matrix.org', channel: ROOM, token: 'syt_abc', ...o })).post(e), replies);
}

describe('matrix (providers §4.14)', () => {
  it('matrix: sample event E as PUT with SHA-1 transaction id, body byte for byte (providers §4.14)', () => {
    const d = post({});
    const req = onlyHttp(d);
    expect(provider.type).toBe('matrix');
    expect(req.method).toBe('PUT');
    expect(req.url).toBe(SAMPLE_URL);
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer syt_abc'],
    ]);
    expect(req.retry).toBe('retryablehttp');
    expect(d.outcome).toEqual({ sent: true });
  });

  it('matrix: transaction id is the SHA-1 of the event JSON (matrix_test.go vector)', () => {
    const e = {
      involvedObject: {},
      severity: 'info',
      timestamp: '2021-08-24T16:18:00Z',
      message: 'update successful',
      reason: 'update sucesful',
      reportingController: '',
    };
    expect(matrixTxnId(e)).toBe('37d91b4f6a1e44c6a38273b0a0fd408fade7b0f5');
    expect(matrixTxnId(sampleEvent())).toBe('742c20ce32e4f9900f8d51e099fac62797b9cd5e');
  });

  it('matrix: TLS applies, the proxy option does not (providers §4.14)', () => {
    const req = onlyHttp(post({}));
    expect(req.useTLS).toBe(true);
    expect(req.useProxy).toBe(false);
  });

  it('matrix: URL is plain concatenation, a trailing slash gives // (providers §4.14)', () => {
    expect(onlyHttp(post({ url: 'https://matrix.org/' })).url.startsWith('https://matrix.org//_matrix/client/r0/rooms/!jez')).toBe(true);
  });

  it('matrix: Authorization is sent even with an empty token (providers §4.14)', () => {
    expect(onlyHttp(post({ token: '' })).headers).toContainEqual(['Authorization', 'Bearer ']);
  });

  it('matrix: siren emoji for error severity (providers §3.9)', () => {
    const body = JSON.parse(onlyHttp(post({}, sampleEvent({ severity: 'error' }))).body as string);
    expect(body.body.startsWith('\u{1f6a8} kustomization/podinfo.flux-system\n')).toBe(true);
  });

  it('matrix: non-2xx reply is wrapped postMessage failed (providers §3.4)', () => {
    expect(errorText(post({}, sampleEvent(), [reply(403, '{"errcode":"M_FORBIDDEN"}')]))).toBe(
      'postMessage failed: request failed: request failed with status code 403: {"errcode":"M_FORBIDDEN"}',
    );
  });

  it('matrix: invalid homeserver URL is refused with the constructor text (providers §4.14)', () => {
    expect(thrown(() => provider.create(options({ url: 'matrix.org' })))).toBe(
      `invalid Matrix homeserver URL matrix.org: 'parse "matrix.org": invalid URI for request'`,
    );
  });
});
