import { describe, expect, it } from 'vitest';
import { provider, telegramEscape } from '../../src/providers/telegram.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const TOKEN = '123456:ABC-DEF1234ghIkl';
const SAMPLE_BODY =
  '{"chat_id":"-1557265138","text":"*💫 kustomization/podinfo/flux\\\\-system*\\nApplied revision: main@sha1:abc123\\n' +
  '\\\\- *revision*: main@sha1:abc123\\n\\\\- *summary*: Cluster: production\\n","parse_mode":"MarkdownV2"}';

function post(o: Parameters<typeof options>[0], e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options({ token: TOKEN, channel: '-1557265138', ...o })).post(e), replies);
}
const bodyOf = (o: Parameters<typeof options>[0], e = sampleEvent()) => JSON.parse(onlyHttp(post(o, e)).body as string);

describe('telegram (providers §4.12)', () => {
  it('telegram: sample event E body byte for byte, fixed Bot API URL (providers §4.12)', () => {
    const d = post({});
    const req = onlyHttp(d);
    expect(provider.type).toBe('telegram');
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`https://api.telegram.org/bot${TOKEN}/sendMessage`);
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.headers).toEqual([['Content-Type', 'application/json']]);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('telegram: the address is ignored (providers §4.12)', () => {
    expect(onlyHttp(post({ url: 'https://example.com/hook' })).url).toBe(`https://api.telegram.org/bot${TOKEN}/sendMessage`);
  });

  it('telegram: proxy applies, TLS material is ignored (providers §4.12)', () => {
    const req = onlyHttp(post({}));
    expect(req.useProxy).toBe(true);
    expect(req.useTLS).toBe(false);
  });

  it('telegram: channel split at the first colon into chat_id and message_thread_id (providers §4.12)', () => {
    expect(onlyHttp(post({ channel: '-1552289257:1' })).body as string).toMatch(/^\{"chat_id":"-1552289257","message_thread_id":"1","text":/);
    expect(bodyOf({ channel: '@fluxcd' })).toMatchObject({ chat_id: '@fluxcd' });
    expect(bodyOf({ channel: '@fluxcd' })).not.toHaveProperty('message_thread_id');
    expect(bodyOf({ channel: 'chan:thr:x' })).toMatchObject({ chat_id: 'chan', message_thread_id: 'thr:x' });
    expect(bodyOf({ channel: 'chan:' })).not.toHaveProperty('message_thread_id');
  });

  it('telegram: MarkdownV2 escapes the 19 special characters, backslash first (providers §4.12)', () => {
    expect(telegramEscape('\\.-_[]()~>`#+=|{}!*')).toBe('\\\\\\.\\-\\_\\[\\]\\(\\)\\~\\>\\`\\#\\+\\=\\|\\{\\}\\!\\*');
    expect(telegramEscape(`/:@<&'" 💫`)).toBe(`/:@<&'" 💫`);
  });

  it('telegram: metadata keys and values are escaped (telegram_test.go)', () => {
    const text: string = bodyOf({}, sampleEvent({ metadata: { 'kubernetes.io/somekey': 'some.value' } })).text;
    expect(text.split('\n')).toContain('\\- *kubernetes\\.io/somekey*: some\\.value');
  });

  it('telegram: escaped > is also Go-JSON escaped on the wire (providers §3.1)', () => {
    expect(onlyHttp(post({}, sampleEvent({ message: 'a>b' }))).body as string).toContain('\\na\\\\\\u003eb\\n');
  });

  it('telegram: siren emoji for error severity (providers §3.9)', () => {
    expect(bodyOf({}, sampleEvent({ severity: 'error' })).text.startsWith('*\u{1f6a8} kustomization/podinfo/flux\\-system*\n')).toBe(true);
  });

  it('telegram: errors are not wrapped with postMessage failed (providers §4.12)', () => {
    expect(errorText(post({}, sampleEvent(), [reply(400, '{"ok":false,"description":"Bad Request: chat not found"}')]))).toBe(
      'request failed: request failed with status code 400: {"ok":false,"description":"Bad Request: chat not found"}',
    );
  });

  it('telegram: the token is parsed as URL text by url.JoinPath (Go net/url)', () => {
    expect(onlyHttp(post({ token: '1:A?x=1' })).url).toBe('https://api.telegram.org/bot1:A/sendMessage?x=1');
    expect(errorText(post({ token: '1:A%zz' }))).toBe(
      'failed to construct API URL: parse "https://api.telegram.org/bot1:A%zz": invalid URL escape "%zz"',
    );
  });

  it('telegram: empty channel is checked first, then empty token (providers §4.12)', () => {
    expect(thrown(() => provider.create(options({})))).toBe('empty Telegram channel');
    expect(thrown(() => provider.create(options({ token: 't' })))).toBe('empty Telegram channel');
    expect(thrown(() => provider.create(options({ channel: 'c' })))).toBe('empty Telegram token');
  });
});
