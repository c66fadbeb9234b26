// The Teams mock fed with what msteams sends for sample E (providers §4.6): an Adaptive Card to a
// workflow URL, a MessageCard to a legacy connector; then wrong payloads.

import { describe, expect, it } from 'vitest';
import { mockSuite, only, sampleEvent } from './helpers.js';

const WORKFLOW =
  'https://prod-28.northeurope.logic.azure.com:443/workflows/0123abcd/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s1gnature';
const POWER_PLATFORM =
  'https://default0123.45.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s1gnature';
const CONNECTOR = 'https://acme.webhook.office.com/webhookb2/1234@5678/IncomingWebhook/abcd/ef01';
const OBJ = 'kustomization/podinfo.flux-system';
const MESSAGE = 'Applied revision: main@sha1:abc123';

describe('teams mock', () => {
  const s = mockSuite();

  it('msteams: a workflow URL gets the Adaptive Card, answers 202, and the preview lists blocks and facts with summary first (providers §4.6)', async () => {
    const r = await s.post('msteams', { url: WORKFLOW });
    expect(r.error).toBeUndefined();
    expect(r.outcome).toEqual({ sent: true });
    const e = only(s.last());
    expect(e.service).toBe('msteams');
    expect(e.status).toBe(202);
    expect(e.responseBody).toBe('');
    expect(e.preview).toEqual({
      kind: 'teams-adaptive',
      version: '1.4',
      title: OBJ,
      blocks: [
        { text: OBJ, size: 'large', weight: 'bolder', wrap: true },
        { text: MESSAGE, wrap: true },
      ],
      facts: [
        { name: 'summary', value: 'Cluster: production' },
        { name: 'revision', value: 'main@sha1:abc123' },
      ],
      width: 'Full',
    });
  });

  it('msteams: an error event colours the message block "attention" (red) (providers §4.6 message block)', async () => {
    await s.post('msteams', { url: POWER_PLATFORM }, sampleEvent({ severity: 'error' }));
    const p = only(s.last()).preview;
    expect(p?.kind).toBe('teams-adaptive');
    if (p?.kind !== 'teams-adaptive') return;
    expect(p.blocks[1]).toEqual({ text: MESSAGE, color: { raw: 'attention', name: 'red', hex: '#d13438' }, wrap: true });
    // The title block has no colour.
    expect(p.titleColor).toBeUndefined();
  });

  it('msteams: a *.webhook.office.com URL gets the MessageCard, answers 200 "1", themeColor 0076D7 (providers §4.6 legacy)', async () => {
    const r = await s.post('msteams', { url: CONNECTOR });
    expect(r.error).toBeUndefined();
    const e = only(s.last());
    expect(e.status).toBe(200);
    expect(e.responseBody).toBe('1');
    expect(e.preview).toMatchObject({
      kind: 'teams-messagecard',
      themeColor: { raw: '0076D7', name: 'blue', hex: '#0076d7' },
      summary: OBJ,
      sections: [
        {
          activityTitle: MESSAGE,
          activitySubtitle: OBJ,
          facts: [
            { name: 'revision', value: 'main@sha1:abc123' },
            { name: 'summary', value: 'Cluster: production' },
          ],
        },
      ],
    });
  });

  it('msteams: an error MessageCard has themeColor FF0000, drawn red (providers §4.6 legacy)', async () => {
    await s.post('msteams', { url: CONNECTOR }, sampleEvent({ severity: 'error' }));
    const p = only(s.last()).preview;
    expect(p).toMatchObject({ kind: 'teams-messagecard', themeColor: { raw: 'FF0000', name: 'red', hex: '#ff0000' } });
  });

  it('msteams: a connector refuses a card without summary or text with 400 "Summary or Text is required."', async () => {
    const r = await s.postRaw(CONNECTOR, '{"@type":"MessageCard","sections":[]}');
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 400: Summary or Text is required.');
    expect(only(s.last()).previewError).toMatchObject({ service: 'msteams', status: 400, error: 'Summary or Text is required.' });
  });

  it('msteams: a connector refuses a body that is not JSON with 400', async () => {
    const r = await s.postRaw(CONNECTOR, 'not json');
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 400: Bad payload received by generic incoming webhook.');
  });

  it('msteams: a workflow accepts any JSON with 202, but a message without an Adaptive Card shows as a preview error', async () => {
    const r = await s.postRaw(WORKFLOW, '{"text":"hello"}');
    // The trigger accepted it: the controller sees success.
    expect(r.error).toBeUndefined();
    const e = only(s.last());
    expect(e.status).toBe(202);
    expect(e.preview).toBeUndefined();
    expect(e.previewError).toMatchObject({ service: 'msteams', status: 202 });
    expect(e.previewError!.detail).toMatch(/no `attachments`/);
  });

  it('msteams: a workflow attachment that is not an Adaptive Card shows as a preview error', async () => {
    await s.postRaw(WORKFLOW, '{"type":"message","attachments":[{"contentType":"text/plain","content":"x"}]}');
    expect(only(s.last()).previewError!.detail).toMatch(/contentType is not application\/vnd\.microsoft\.card\.adaptive/);
  });

  it('msteams: a workflow URL without its sig parameter is refused with 401', async () => {
    const r = await s.post('msteams', { url: WORKFLOW.replace('&sig=s1gnature', '') });
    expect(r.error).toMatch(/^postMessage failed: request failed: request failed with status code 401: \{"error":\{"code":"DirectApiAuthorizationRequired"/);
  });
});
