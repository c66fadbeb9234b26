// The Alertmanager mock fed with what the alertmanager provider sends for sample E (providers
// §4.16), then with bodies the v2 API refuses.

import { describe, expect, it } from 'vitest';
import { mockSuite, only } from './helpers.js';

const AM = 'https://alertmanager.monitoring.example/api/v2/alerts';

describe('alertmanager mock', () => {
  const s = mockSuite();

  it('alertmanager: the alert array is answered 200 with no body and previewed label by label (providers §4.16)', async () => {
    const r = await s.post('alertmanager', { url: AM, token: 'am-token' });
    expect(r.error).toBeUndefined();
    const e = only(s.last());
    expect(e.service).toBe('alertmanager');
    expect(e.status).toBe(200);
    expect(e.responseBody).toBe('');
    expect(e.headers.Authorization).toBe('Bearer am-token');
    expect(e.preview).toEqual({
      kind: 'alertmanager',
      alerts: [
        {
          status: 'firing',
          labels: {
            alertname: 'FluxKustomizationReconciliationsucceeded',
            kind: 'Kustomization',
            name: 'podinfo',
            namespace: 'flux-system',
            reason: 'ReconciliationSucceeded',
            reportingcontroller: 'kustomize-controller',
            revision: 'main@sha1:abc123',
            severity: 'info',
          },
          annotations: { message: 'Applied revision: main@sha1:abc123', summary: 'Cluster: production' },
          startsAt: '2025-06-01T12:00:00Z',
          endsAt: '0001-01-01T00:00:00Z',
        },
      ],
      notes: [
        '`status` is not a field of PostableAlert: Alertmanager ignores it',
        'endsAt is the zero time: Alertmanager treats it as unset and resolves the alert after resolve_timeout unless it is sent again',
      ],
    });
  });

  it('alertmanager: a body that is not an array is 400 from the body binder', async () => {
    const r = await s.postRaw(AM, '{"labels":{"a":"b"}}');
    expect(r.error).toBe(
      'postMessage failed: request failed: request failed with status code 400: {"code":400,"message":"parsing alerts body from \\"\\" failed, because json: cannot unmarshal object into Go value of type models.PostableAlerts"}',
    );
  });

  it('alertmanager: an alert without labels is 422 code 602 "0.labels in body is required"', async () => {
    const r = await s.postRaw(AM, '[{"annotations":{"message":"x"}}]');
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 422: {"code":602,"message":"0.labels in body is required"}');
    expect(only(s.last()).previewError).toMatchObject({ service: 'alertmanager', status: 422 });
  });

  it('alertmanager: an alert with an empty label set is 400 "at least one label pair required"', async () => {
    const r = await s.postRaw(AM, '[{"labels":{}}]');
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 400: "at least one label pair required"');
  });
});
