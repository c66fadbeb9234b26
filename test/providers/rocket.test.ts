import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/rocket.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const URL = 'https://rocket.example.com/hooks/abc/def';
const SAMPLE_BODY =
  '{"channel":"","username":"","icon_url":"","icon_emoji":"","attachments":[{"fallback":"","color":"#0076D7",' +
  '"author_name":"kustomization/podinfo.flux-system","text":"Applied revision: main@sha1:abc123","mrkdwn_in":["text"],' +
  '"fields":[{"title":"revision","value":"main@sha1:abc123","short":false},' +
  '{"title":"summary","value":"Cluster: production","short":false}]}]}';

function post(o: Parameters<typeof options>[0], e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options({ url: URL, ...o })).post(e), replies);
}

describe('rocket (providers §4.5)', () => {
  it('rocket: sample event E body byte for byte (providers §4.5)', () => {
    const d = post({});
    const req = onlyHttp(d);
    expect(provider.type).toBe('rocket');
    expect(req.method).toBe('POST');
    expect(req.url).toBe(URL);
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.headers).toEqual([['Content-Type', 'application/json']]);
    expect(req.useProxy).toBe(true);
    expect(req.useTLS).toBe(true);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('rocket: color is #FF0000 for error severity (providers §3.9)', () => {
    const body = onlyHttp(post({}, sampleEvent({ severity: 'error' }))).body as string;
    expect(body).toContain('"color":"#FF0000"');
  });

  it('rocket: channel and username are used as configured, without fallback (providers §4.5)', () => {
    const body = onlyHttp(post({ channel: '#flux', username: 'bot' })).body as string;
    expect(body.startsWith('{"channel":"#flux","username":"bot","icon_url":"","icon_emoji":"",')).toBe(true);
  });

  it('rocket: non-2xx reply is wrapped postMessage failed (providers §3.4)', () => {
    expect(errorText(post({}, sampleEvent(), [reply(400, 'bad')]))).toBe(
      'postMessage failed: request failed: request failed with status code 400: bad',
    );
  });

  it('rocket: invalid address is refused with the constructor text (providers §4.5)', () => {
    expect(thrown(() => provider.create(options({ url: 'rocket' })))).toBe(
      `invalid Rocket hook URL rocket: 'parse "rocket": invalid URI for request'`,
    );
  });
});
