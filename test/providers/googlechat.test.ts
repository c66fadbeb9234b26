import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/googlechat.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const URL = 'https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t';
const SAMPLE_BODY =
  '{"cards":[{"header":{"title":"kustomization/podinfo.flux-system","subtitle":"kustomize-controller","imageUrl":null,"imageStyle":null},' +
  '"sections":[{"header":"","widgets":[{"textParagraph":{"text":"Applied revision: main@sha1:abc123"},"keyValue":null}]},' +
  '{"header":"","widgets":[' +
  '{"textParagraph":null,"keyValue":{"topLabel":"revision","content":"main@sha1:abc123","contentMultiline":false,"bottomLabel":null,"icon":null}},' +
  '{"textParagraph":null,"keyValue":{"topLabel":"summary","content":"Cluster: production","contentMultiline":false,"bottomLabel":null,"icon":null}}' +
  ']}]}]}';

function post(e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options({ url: URL })).post(e), replies);
}

describe('googlechat (providers §4.7)', () => {
  it('googlechat: sample event E body byte for byte (providers §4.7)', () => {
    const d = post();
    const req = onlyHttp(d);
    expect(provider.type).toBe('googlechat');
    expect(req.method).toBe('POST');
    expect(req.url).toBe(URL);
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.headers).toEqual([['Content-Type', 'application/json']]);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('googlechat: error message wrapped in a red font tag, Go-escaped (providers §4.7)', () => {
    const body = onlyHttp(post(sampleEvent({ severity: 'error' }))).body as string;
    expect(body).toContain(
      '{"textParagraph":{"text":"\\u003cfont color=\\"#ff0000\\"\\u003eApplied revision: main@sha1:abc123\\u003c/font\\u003e"},"keyValue":null}',
    );
  });

  it('googlechat: no metadata section without metadata (providers §4.7)', () => {
    const body = onlyHttp(post(sampleEvent({ metadata: {} }))).body as string;
    expect(body.endsWith('"sections":[{"header":"","widgets":[{"textParagraph":{"text":"Applied revision: main@sha1:abc123"},"keyValue":null}]}]}]}')).toBe(true);
  });

  it('googlechat: proxy applies, TLS material is ignored (providers §4.7)', () => {
    const req = onlyHttp(post());
    expect(req.useProxy).toBe(true);
    expect(req.useTLS).toBe(false);
  });

  it('googlechat: non-2xx reply is wrapped postMessage failed (providers §3.4)', () => {
    expect(errorText(post(sampleEvent(), [reply(400, '{"error":{}}')]))).toBe(
      'postMessage failed: request failed: request failed with status code 400: {"error":{}}',
    );
  });

  it('googlechat: invalid address error carries no cause (providers §4.7)', () => {
    expect(thrown(() => provider.create(options({ url: 'chat.googleapis.com' })))).toBe(
      'invalid Google Chat hook URL chat.googleapis.com',
    );
  });
});
