import { describe, expect, it } from 'vitest';
import { provider, teamsSchemaFor } from '../../src/providers/msteams.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent, thrown } from './drive.js';

const WORKFLOW = 'https://prod-28.northeurope.logic.azure.com:443/workflows/xxx/triggers/manual/paths/invoke';
const CONNECTOR = 'https://xxx.webhook.office.com/webhookb2/abc';

const ADAPTIVE_BODY =
  '{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{' +
  '"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4","body":[' +
  '{"type":"Container","items":[' +
  '{"type":"TextBlock","text":"kustomization/podinfo.flux-system","size":"large","weight":"bolder","wrap":true},' +
  '{"type":"TextBlock","text":"Applied revision: main@sha1:abc123","wrap":true},' +
  '{"type":"FactSet","facts":[{"title":"summary","value":"Cluster: production"},{"title":"revision","value":"main@sha1:abc123"}]}' +
  ']}],"msteams":{"width":"Full"}}}]}';

const MESSAGE_CARD_BODY =
  '{"@type":"MessageCard","@context":"http://schema.org/extensions","themeColor":"0076D7",' +
  '"summary":"kustomization/podinfo.flux-system","sections":[{"activityTitle":"Applied revision: main@sha1:abc123",' +
  '"activitySubtitle":"kustomization/podinfo.flux-system","facts":[{"name":"revision","value":"main@sha1:abc123"},' +
  '{"name":"summary","value":"Cluster: production"}]}]}';

function post(url: string, e = sampleEvent(), replies = [reply(202)]) {
  return drive(provider.create(options({ url })).post(e), replies);
}
const bodyOf = (url: string, e = sampleEvent()) => onlyHttp(post(url, e)).body as string;

describe('msteams (providers §4.6)', () => {
  it('msteams: sample event E as Adaptive Card byte for byte (providers §4.6)', () => {
    const d = post(WORKFLOW);
    const req = onlyHttp(d);
    expect(provider.type).toBe('msteams');
    expect(req.method).toBe('POST');
    expect(req.url).toBe(WORKFLOW);
    expect(req.body).toBe(ADAPTIVE_BODY);
    expect(req.headers).toEqual([['Content-Type', 'application/json']]);
    expect(req.useProxy).toBe(true);
    expect(req.useTLS).toBe(true);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('msteams: sample event E as legacy MessageCard byte for byte (providers §4.6)', () => {
    expect(bodyOf(CONNECTOR)).toBe(MESSAGE_CARD_BODY);
  });

  it('msteams: schema selection by host suffix .webhook.office.com (teams_test.go)', () => {
    expect(teamsSchemaFor('xxx.webhook.office.com')).toBe('messageCard');
    expect(teamsSchemaFor('xxx.webhook.office.com:443')).toBe('messageCard');
    expect(teamsSchemaFor('xxx-webhook.office.com')).toBe('adaptiveCard');
    expect(teamsSchemaFor('prod-28.northeurope.logic.azure.com:443')).toBe('adaptiveCard');
    expect(bodyOf('https://xxx.webhook.office.com:443/x').startsWith('{"@type":"MessageCard"')).toBe(true);
    expect(bodyOf('https://xxx-webhook.office.com/x').startsWith('{"type":"message"')).toBe(true);
  });

  it('msteams: Adaptive Card message block gets color attention on error (providers §3.9)', () => {
    expect(bodyOf(WORKFLOW, sampleEvent({ severity: 'error' }))).toContain(
      '{"type":"TextBlock","text":"Applied revision: main@sha1:abc123","color":"attention","wrap":true}',
    );
  });

  it('msteams: Adaptive Card facts put summary first, then keys sorted (providers §4.6)', () => {
    const body = JSON.parse(bodyOf(WORKFLOW, sampleEvent({ metadata: { zeta: 'z', summary: 's', alpha: 'a', Beta: 'b' } })));
    const facts = body.attachments[0].content.body[0].items[2].facts;
    expect(facts.map((f: { title: string }) => f.title)).toEqual(['summary', 'Beta', 'alpha', 'zeta']);
  });

  it('msteams: Adaptive Card omits empty facts and empty text (omitempty, providers §4.6)', () => {
    const body = bodyOf(WORKFLOW, sampleEvent({ metadata: undefined, message: '' }));
    expect(body).toContain('{"type":"TextBlock","wrap":true},{"type":"FactSet"}]');
  });

  it('msteams: MessageCard themeColor FF0000 on error and facts [] without metadata (providers §4.6)', () => {
    const body = bodyOf(CONNECTOR, sampleEvent({ severity: 'error', metadata: {} }));
    expect(body).toContain('"themeColor":"FF0000"');
    expect(body).toContain('"facts":[]');
  });

  it('msteams: non-2xx reply is wrapped postMessage failed (providers §3.4)', () => {
    expect(errorText(post(WORKFLOW, sampleEvent(), [reply(400, 'Bad payload')]))).toBe(
      'postMessage failed: request failed: request failed with status code 400: Bad payload',
    );
  });

  it('msteams: invalid address is refused with the constructor text (providers §4.6)', () => {
    expect(thrown(() => provider.create(options({ url: 'teams' })))).toBe(
      `invalid MS Teams webhook URL teams: 'parse "teams": invalid URI for request'`,
    );
  });
});
