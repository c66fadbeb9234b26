import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/slack.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const HOOK = 'https://hooks.slack.com/services/T/B/X';
const API = 'https://slack.com/api/chat.postMessage';

const SAMPLE_BODY =
  '{"channel":"general","username":"kustomize-controller","icon_url":"","icon_emoji":"",' +
  '"attachments":[{"fallback":"kustomization/podinfo.flux-system: Applied revision: main@sha1:abc123",' +
  '"color":"good","author_name":"kustomization/podinfo.flux-system","text":"Applied revision: main@sha1:abc123",' +
  '"mrkdwn_in":["text"],"fields":[{"title":"revision","value":"main@sha1:abc123","short":false},' +
  '{"title":"summary","value":"Cluster: production","short":false}]}]}';

function post(o: Parameters<typeof options>[0], e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options(o)).post(e), replies);
}

describe('slack (providers §4.3)', () => {
  it('slack: sample event E body byte for byte, webhook mode (providers §4.3)', () => {
    const d = post({ url: HOOK, channel: 'general' });
    const req = onlyHttp(d);
    expect(req.method).toBe('POST');
    expect(req.url).toBe(HOOK);
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.headers).toEqual([['Content-Type', 'application/json']]);
    expect(req.retry).toBe('retryablehttp');
    expect(req.useProxy).toBe(true);
    expect(req.useTLS).toBe(true);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('slack: type string and transport', () => {
    expect(provider.type).toBe('slack');
    expect(provider.transport).toBe('http');
  });

  it('slack: color is danger for error severity (providers §3.9)', () => {
    const body = JSON.parse(onlyHttp(post({ url: HOOK }, sampleEvent({ severity: 'error' }))).body as string);
    expect(body.attachments[0].color).toBe('danger');
  });

  it('slack: trace severity is coloured like info (providers §3.9)', () => {
    const body = JSON.parse(onlyHttp(post({ url: HOOK }, sampleEvent({ severity: 'trace' }))).body as string);
    expect(body.attachments[0].color).toBe('good');
  });

  it('slack: configured username wins, channel empty when unset (providers §4.3)', () => {
    const body = onlyHttp(post({ url: HOOK, username: 'flux-bot' })).body as string;
    expect(body.startsWith('{"channel":"","username":"flux-bot","icon_url":"","icon_emoji":"","attachments":')).toBe(true);
  });

  it('slack: fallback uses only the first line of the message (providers §4.3)', () => {
    const body = JSON.parse(onlyHttp(post({ url: HOOK }, sampleEvent({ message: 'line one\nline two' }))).body as string);
    expect(body.attachments[0].fallback).toBe('kustomization/podinfo.flux-system: line one');
    expect(body.attachments[0].text).toBe('line one\nline two');
  });

  it('slack: fields is [] (not omitted) without metadata (providers §4.3)', () => {
    const body = onlyHttp(post({ url: HOOK }, sampleEvent({ metadata: undefined }))).body as string;
    expect(body.endsWith('"mrkdwn_in":["text"],"fields":[]}]}')).toBe(true);
  });

  it('slack: metadata fields are sorted by key (providers §3.6)', () => {
    const body = JSON.parse(onlyHttp(post({ url: HOOK }, sampleEvent({ metadata: { zeta: '1', alpha: '2', Beta: '3' } }))).body as string);
    expect(body.attachments[0].fields.map((f: { title: string }) => f.title)).toEqual(['Beta', 'alpha', 'zeta']);
  });

  it('slack: Go JSON escaping of <, > and & (providers §3.1)', () => {
    const body = onlyHttp(post({ url: HOOK }, sampleEvent({ message: '<b>a & b</b>' }))).body as string;
    expect(body).toContain('"text":"\\u003cb\\u003ea \\u0026 b\\u003c/b\\u003e"');
  });

  it('slack: bearer token header when a token is set, in webhook mode too (providers §4.3)', () => {
    const req = onlyHttp(post({ url: HOOK, token: 'xoxb-1' }));
    expect(req.headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer xoxb-1'],
    ]);
  });

  it('slack: webhook mode accepts any 2xx and ignores the body (providers §4.3)', () => {
    expect(post({ url: HOOK }, sampleEvent(), [reply(204, '')]).outcome).toEqual({ sent: true });
    expect(post({ url: HOOK }, sampleEvent(), [reply(200, 'not json')]).outcome).toEqual({ sent: true });
  });

  it('slack: webhook mode non-2xx is wrapped postMessage failed (providers §3.4)', () => {
    const d = post({ url: HOOK }, sampleEvent(), [reply(400, 'invalid_payload')]);
    expect(errorText(d)).toBe('postMessage failed: request failed: request failed with status code 400: invalid_payload');
  });

  it('slack: chat.postMessage with ok:true succeeds (providers §4.3)', () => {
    const d = post({ url: API, token: 'xoxb-1', channel: 'C1' }, sampleEvent(), [reply(200, '{\n  "ok": true\n}')]);
    expect(d.outcome).toEqual({ sent: true });
    expect(onlyHttp(d).headers).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer xoxb-1'],
    ]);
  });

  it('slack: chat.postMessage ok:false gives the Slack error (providers §4.3)', () => {
    const d = post({ url: API, token: 't' }, sampleEvent(), [reply(200, '{"ok":false,"error":"channel_not_found"}')]);
    expect(errorText(d)).toBe('postMessage failed: request failed: Slack responded with error: channel_not_found');
  });

  it('slack: chat.postMessage upstream vector too_many_attachments (slack_test.go)', () => {
    const d = post({ url: API }, sampleEvent(), [reply(200, '{\n  "ok": false,\n  "error": "too_many_attachments"\n}')]);
    expect(errorText(d)).toBe('postMessage failed: request failed: Slack responded with error: too_many_attachments');
  });

  it('slack: chat.postMessage does not check the HTTP status (providers §4.3)', () => {
    expect(post({ url: API }, sampleEvent(), [reply(400, '{"ok":true}')]).outcome).toEqual({ sent: true });
  });

  it('slack: chat.postMessage body that is not JSON (providers §4.3)', () => {
    const d = post({ url: API }, sampleEvent(), [reply(200, '<html></html>')]);
    expect(errorText(d)).toBe(
      "postMessage failed: request failed: unable to unmarshal response body: invalid character '<' looking for beginning of value",
    );
  });

  it('slack: chat.postMessage empty body is EOF, truncated body unexpected EOF (Go json.Decoder)', () => {
    expect(errorText(post({ url: API }, sampleEvent(), [reply(200, '')]))).toBe(
      'postMessage failed: request failed: unable to unmarshal response body: EOF',
    );
    expect(errorText(post({ url: API }, sampleEvent(), [reply(200, '{"ok":tr')]))).toBe(
      'postMessage failed: request failed: unable to unmarshal response body: unexpected EOF',
    );
  });

  it('slack: chat.postMessage syntax errors use the Go scanner texts', () => {
    const text = (body: string) => errorText(post({ url: API }, sampleEvent(), [reply(200, body)]));
    const prefix = 'postMessage failed: request failed: unable to unmarshal response body: ';
    expect(text('{"ok" true}')).toBe(prefix + "invalid character 't' after object key");
    expect(text('{"ok":true "error":""}')).toBe(prefix + `invalid character '"' after object key:value pair`);
    expect(text('{ok:true}')).toBe(prefix + "invalid character 'o' looking for beginning of object key string");
    expect(text('{"ok":trux}')).toBe(prefix + "invalid character 'x' in literal true (expecting 'e')");
  });

  it('slack: chat.postMessage wrong field types (Go UnmarshalTypeError)', () => {
    const text = (body: string) => errorText(post({ url: API }, sampleEvent(), [reply(200, body)]));
    const prefix = 'postMessage failed: request failed: unable to unmarshal response body: ';
    expect(text('{"ok":"yes"}')).toBe(prefix + 'json: cannot unmarshal string into Go struct field .ok of type bool');
    expect(text('{"ok":false,"error":42}')).toBe(prefix + 'json: cannot unmarshal number into Go struct field .error of type string');
    expect(text('[]')).toBe(
      prefix + 'json: cannot unmarshal array into Go value of type struct { Ok bool "json:\\"ok\\""; Error string "json:\\"error\\"" }',
    );
  });

  it('slack: chat.postMessage keys match case-insensitively, null and extra keys ignored (Go json)', () => {
    expect(post({ url: API }, sampleEvent(), [reply(200, '{"OK":true,"warning":"x"}')]).outcome).toEqual({ sent: true });
    expect(errorText(post({ url: API }, sampleEvent(), [reply(200, '{"ok":null,"Error":"invalid_auth"}')]))).toBe(
      'postMessage failed: request failed: Slack responded with error: invalid_auth',
    );
    expect(errorText(post({ url: API }, sampleEvent(), [reply(200, 'null')]))).toBe(
      'postMessage failed: request failed: Slack responded with error: ',
    );
  });

  it('slack: only the exact chat.postMessage address selects the API check (providers §4.3)', () => {
    const d = post({ url: API + '/' }, sampleEvent(), [reply(200, '{"ok":false,"error":"x"}')]);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('slack: invalid address is refused with the constructor text (providers §4.3)', () => {
    expect(thrown(() => provider.create(options({ url: '' })))).toBe(`invalid Slack hook URL : 'parse "": empty url'`);
    expect(thrown(() => provider.create(options({ url: 'hooks.slack.com/services/x' })))).toBe(
      `invalid Slack hook URL hooks.slack.com/services/x: 'parse "hooks.slack.com/services/x": invalid URI for request'`,
    );
  });
});
