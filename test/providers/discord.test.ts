import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/discord.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const SAMPLE_BODY =
  '{"channel":"","username":"kustomize-controller","icon_url":"","icon_emoji":"","attachments":[{"fallback":"",' +
  '"color":"good","author_name":"kustomization/podinfo.flux-system","text":"Applied revision: main@sha1:abc123",' +
  '"mrkdwn_in":["text"],"fields":[{"title":"revision","value":"main@sha1:abc123","short":false},' +
  '{"title":"summary","value":"Cluster: production","short":false}]}]}';

function post(o: Parameters<typeof options>[0], e = sampleEvent(), replies = [reply()]) {
  return drive(provider.create(options(o)).post(e), replies);
}

const urlFor = (url: string) => onlyHttp(post({ url })).url;

describe('discord (providers §4.4)', () => {
  it('discord: sample event E body byte for byte and /slack endpoint (providers §4.4)', () => {
    const d = post({ url: 'https://discord.com/api/webhooks/123/abc' });
    const req = onlyHttp(d);
    expect(provider.type).toBe('discord');
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://discord.com/api/webhooks/123/abc/slack');
    expect(req.body).toBe(SAMPLE_BODY);
    expect(req.headers).toEqual([['Content-Type', 'application/json']]);
    expect(req.retry).toBe('retryablehttp');
    expect(d.outcome).toEqual({ sent: true });
  });

  it('discord: an address already ending in /slack is kept (providers §4.4)', () => {
    expect(urlFor('https://discord.com/api/webhooks/123/abc/slack')).toBe('https://discord.com/api/webhooks/123/abc/slack');
  });

  it('discord: path.Join cleans a trailing slash and double slashes (providers §4.4)', () => {
    expect(urlFor('https://discord.com/api/webhooks/123/abc/')).toBe('https://discord.com/api/webhooks/123/abc/slack');
    expect(urlFor('https://discord.com/api//webhooks/123/abc')).toBe('https://discord.com/api/webhooks/123/abc/slack');
  });

  it('discord: query string is kept and /slack joins the path (providers §4.4)', () => {
    expect(urlFor('https://discord.com/api/webhooks/123/abc?wait=true')).toBe(
      'https://discord.com/api/webhooks/123/abc/slack?wait=true',
    );
    expect(urlFor('https://discord.com/api/webhooks/123/abc/slack?wait=true')).toBe(
      'https://discord.com/api/webhooks/123/abc/slack/slack?wait=true',
    );
  });

  it('discord: channel and fallback are always empty, username falls back to the controller (providers §4.4)', () => {
    const body = JSON.parse(onlyHttp(post({ url: 'https://discord.com/api/webhooks/1/a', channel: 'general' })).body as string);
    expect(body.channel).toBe('');
    expect(body.attachments[0].fallback).toBe('');
    expect(body.username).toBe('kustomize-controller');
    const named = JSON.parse(onlyHttp(post({ url: 'https://discord.com/api/webhooks/1/a', username: 'flux' })).body as string);
    expect(named.username).toBe('flux');
  });

  it('discord: color is danger for error severity (providers §3.9)', () => {
    const body = JSON.parse(onlyHttp(post({ url: 'https://discord.com/api/webhooks/1/a' }, sampleEvent({ severity: 'error' }))).body as string);
    expect(body.attachments[0].color).toBe('danger');
  });

  it('discord: TLS material is never applied, proxy is (providers §4.4)', () => {
    const req = onlyHttp(post({ url: 'https://discord.com/api/webhooks/1/a' }));
    expect(req.useTLS).toBe(false);
    expect(req.useProxy).toBe(true);
  });

  it('discord: non-2xx reply is wrapped postMessage failed (providers §3.4)', () => {
    const d = post({ url: 'https://discord.com/api/webhooks/1/a' }, sampleEvent(), [reply(404, '{"message": "Unknown Webhook", "code": 10015}')]);
    expect(errorText(d)).toBe(
      'postMessage failed: request failed: request failed with status code 404: {"message": "Unknown Webhook", "code": 10015}',
    );
  });

  it('discord: invalid address is refused with the constructor text (providers §4.4)', () => {
    expect(thrown(() => provider.create(options({ url: 'discord.com/api/webhooks' })))).toBe(
      `invalid Discord hook URL discord.com/api/webhooks: 'parse "discord.com/api/webhooks": invalid URI for request'`,
    );
    expect(thrown(() => provider.create(options({ url: '' })))).toBe(`invalid Discord hook URL : 'parse "": empty url'`);
  });
});
