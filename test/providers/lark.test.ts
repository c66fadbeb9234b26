import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/lark.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const URL = 'https://open.feishu.cn/open-apis/bot/v2/hook/abc';
const SAMPLE_BODY =
  '{"msg_type":"interactive","card":{"config":{"wide_screen_mode":true},"header":{"title":{"tag":"plain_text",' +
  '"content":"💫 kustomization/podinfo.flux-system"},"template":"turquoise"},"elements":[{"tag":"div","text":{"tag":"lark_md",' +
  '"content":"**Applied revision: main@sha1:abc123**\\n\\nrevision: main@sha1:abc123\\nsummary: Cluster: production\\n"}}]}}';

function post(e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options({ url: URL })).post(e), replies);
}

describe('lark (providers §4.13)', () => {
  it('lark: sample event E body byte for byte (providers §4.13)', () => {
    const d = post();
    const req = onlyHttp(d);
    expect(provider.type).toBe('lark');
    expect(req.method).toBe('POST');
    expect(req.url).toBe(URL);
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.headers).toEqual([['Content-Type', 'application/json']]);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('lark: siren emoji and red template for error severity (providers §3.9)', () => {
    const body = JSON.parse(onlyHttp(post(sampleEvent({ severity: 'error' }))).body as string);
    expect(body.card.header).toEqual({ title: { tag: 'plain_text', content: '\u{1f6a8} kustomization/podinfo.flux-system' }, template: 'red' });
  });

  it('lark: no proxy and no TLS options (providers §4.13)', () => {
    const req = onlyHttp(post());
    expect(req.useProxy).toBe(false);
    expect(req.useTLS).toBe(false);
  });

  it('lark: without metadata the content is only the bold message (providers §4.13)', () => {
    const body = JSON.parse(onlyHttp(post(sampleEvent({ metadata: undefined }))).body as string);
    expect(body.card.elements[0].text.content).toBe('**Applied revision: main@sha1:abc123**\n\n');
  });

  it('lark: errors are returned unwrapped (lark.go returns the sender error as is)', () => {
    expect(errorText(post(sampleEvent(), [reply(400, 'bad')]))).toBe('request failed: request failed with status code 400: bad');
  });

  it('lark: invalid address error says Slack and has no cause (providers §4.13)', () => {
    expect(thrown(() => provider.create(options({ url: 'open.feishu.cn' })))).toBe('invalid Slack hook URL open.feishu.cn');
  });
});
