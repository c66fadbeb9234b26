// generic and generic-hmac to a receiver of the user's (providers §4.1, §4.2): the mock captures
// the Provider address it was given, previews the event it received, and checks the HMAC
// signature against the key it is told. The signature and the body are the spec's values.

import { describe, expect, it } from 'vitest';
import { mockSuite, only, sampleEvent } from './helpers.js';

const RECEIVER = 'https://audit.acme.example/flux';
const HMAC_RECEIVER = 'https://hooks.acme.example/flux/signed';
/** The exact wire bytes of E (providers §1.3). */
const E_WIRE =
  '{"involvedObject":{"kind":"Kustomization","namespace":"flux-system","name":"podinfo","uid":"7d0cdc51-ddcf-4743-b223-83ca5c699632","apiVersion":"kustomize.toolkit.fluxcd.io/v1","resourceVersion":"123456"},"severity":"info","timestamp":"2025-06-01T12:00:00Z","message":"Applied revision: main@sha1:abc123","reason":"ReconciliationSucceeded","metadata":{"revision":"main@sha1:abc123","summary":"Cluster: production"},"reportingController":"kustomize-controller","reportingInstance":"kustomize-controller-5f6b8d9c7d-x2x4z"}';
const SIGNATURE = 'sha256=051b9113127783fdf15c34d8125a6221ce80579d88abc10806e8d4a761061f31';

describe('generic mock', () => {
  const s = mockSuite(() => ({}), {
    providerAddresses: [
      { address: RECEIVER, type: 'generic' },
      { address: HMAC_RECEIVER, type: 'generic-hmac' },
    ],
  });

  it('generic: a Provider address is captured, answered 200, and the preview shows the event received (providers §4.1)', async () => {
    const r = await s.post('generic', { url: RECEIVER, headers: { 'X-Api-Key': 'secret-value' } });
    expect(r.error).toBeUndefined();
    const e = only(s.last());
    expect(e.service).toBe('generic');
    expect(e.status).toBe(200);
    expect(e.body).toBe(E_WIRE);
    expect(e.preview).toMatchObject({
      kind: 'generic',
      service: 'generic',
      method: 'POST',
      url: RECEIVER,
      json: JSON.parse(E_WIRE),
    });
    if (e.preview?.kind !== 'generic') return;
    expect(e.preview.headers['Content-Type']).toBe('application/json');
    expect(e.preview.headers['Gotk-Component']).toBe('kustomize-controller');
    // A credential-looking header is masked in the preview (the outbox keeps the bytes).
    expect(e.preview.headers['X-Api-Key']).toBe('*****');
    expect(e.headers['X-Api-Key']).toBe('secret-value');
    expect(e.preview.signatureValid).toBeUndefined();
  });

  it('generic-hmac: with the key told, X-Signature sha256=051b91… verifies over the exact body (providers §4.2 sample)', async () => {
    s.state.setHmacKey(HMAC_RECEIVER, 'my-hmac-key');
    const r = await s.post('generic-hmac', { url: HMAC_RECEIVER, token: 'my-hmac-key' });
    expect(r.error).toBeUndefined();
    const e = only(s.last());
    expect(e.headers['X-Signature']).toBe(SIGNATURE);
    expect(e.preview).toMatchObject({ kind: 'generic', service: 'generic-hmac', signatureValid: true, signatureAlgorithm: 'sha256' });
  });

  it('generic-hmac: a signature made with another key is refused with 401 and shows signatureValid false', async () => {
    s.state.setHmacKey('hooks.acme.example', 'the-receivers-key');
    const r = await s.post('generic-hmac', { url: HMAC_RECEIVER, token: 'my-hmac-key' });
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 401: invalid signature');
    const e = only(s.last());
    expect(e.preview).toMatchObject({ signatureValid: false });
    expect(e.previewError).toMatchObject({ status: 401, error: 'invalid signature' });
  });

  it('generic-hmac: without a key the signature is not checked, and the preview says so', async () => {
    const r = await s.post('generic-hmac', { url: HMAC_RECEIVER, token: 'my-hmac-key' });
    expect(r.error).toBeUndefined();
    const p = only(s.last()).preview;
    if (p?.kind !== 'generic') throw new Error('no generic preview');
    expect(p.signatureValid).toBeUndefined();
    expect(p.notes).toEqual(['the mock does not know the HMAC key for this address: signature not checked']);
  });

  it('generic: an error event is captured as sent (the body is the event, severity error)', async () => {
    await s.post('generic', { url: RECEIVER }, sampleEvent({ severity: 'error' }));
    const p = only(s.last()).preview;
    if (p?.kind !== 'generic') throw new Error('no generic preview');
    expect((p.json as { severity: string }).severity).toBe('error');
  });
});
