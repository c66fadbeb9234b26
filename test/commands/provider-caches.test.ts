// The process-wide provider caches seen from the commands: replay (and receive, the TUI) keep one
// set for the run, as notification-controller keeps its token cache and azure-devops-go-api its
// route map for the life of the process; each render is a first event. Expected behaviour:
// NC v1.9.3 main.go / github_helpers.go (token cache), fluxcd/pkg auth githubapp GetToken,
// azure-devops-go-api v6.0.1 client.go getResourceLocation.

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const SHA = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

function scenario(provider: string, secretData: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fnt-caches-'));
  writeFileSync(
    join(dir, 'manifests.yaml'),
    `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: status, namespace: flux-system, uid: 0c9c2e41-1111-2222-3333-444455556666}
spec:
${provider}
  secretRef: {name: status}
---
apiVersion: v1
kind: Secret
metadata: {name: status, namespace: flux-system}
stringData:
${secretData}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: status, namespace: flux-system}
spec:
  providerRef: {name: status}
  eventSources: [{kind: Kustomization, name: '*'}]
`,
  );
  const ev = (minute: number, reason: string, message: string) =>
    JSON.stringify({
      involvedObject: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps', apiVersion: 'kustomize.toolkit.fluxcd.io/v1' },
      severity: 'info',
      timestamp: `2025-06-01T12:0${minute}:00Z`,
      message,
      reason,
      reportingController: 'kustomize-controller',
      metadata: { 'event.toolkit.fluxcd.io/commit': SHA, 'event.toolkit.fluxcd.io/revision': `main@sha1:${SHA}` },
    });
  writeFileSync(join(dir, 'events.ndjson'), [ev(0, 'ReconciliationSucceeded', 'Reconciliation finished'), ev(5, 'HealthCheckSucceeded', 'Health check passed')].join('\n') + '\n');
  writeFileSync(join(dir, 'event.json'), ev(0, 'ReconciliationSucceeded', 'Reconciliation finished'));
  return dir;
}

const GITHUB_APP = () =>
  scenario(
    '  type: github\n  address: https://github.com/acme/fleet-infra',
    `  githubAppID: "123"\n  githubAppInstallationID: "456"\n  githubAppPrivateKey: |\n${PEM.trim().split('\n').map((l) => '    ' + l).join('\n')}`,
  );

const AZURE_DEVOPS = () => scenario('  type: azuredevops\n  address: https://dev.azure.com/acme/fleet/_git/fleet-infra', '  token: azdo-pat-secret-value');

type Line = { deliveries: Array<{ ok: boolean; requests: Array<{ method: string; url: string }> }> };
const parse = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
const requestsOf = (l: Line) => l.deliveries.flatMap((d) => d.requests.map((r) => `${r.method} ${r.url}`));

describe('provider caches across events', () => {
  it('replay: two events for one GitHub App provider exchange the installation token once, and the token never shows', async () => {
    const dir = GITHUB_APP();
    const r = await cli('replay', '-f', join(dir, 'manifests.yaml'), '--events', join(dir, 'events.ndjson'), '-o', 'ndjson');
    expect(r.code).toBe(0);
    const [first, second] = parse(r.stdout);
    const exchange = 'POST https://api.github.com/app/installations/456/access_tokens';
    expect(requestsOf(first!)).toContain(exchange);
    expect(second!.deliveries.every((d) => d.ok)).toBe(true);
    expect(requestsOf(second!)).not.toContain(exchange);
    expect(requestsOf(second!)[0]).toBe(`GET https://api.github.com/repos/acme/fleet-infra/commits/${SHA}/statuses?per_page=50`);
    // The mock issues ghs_mock<installation id>.
    expect(r.stdout).not.toContain('ghs_mock456');
  });

  it('replay: Azure DevOps route discovery (OPTIONS <org>/_apis) happens on the first event only', async () => {
    const dir = AZURE_DEVOPS();
    const r = await cli('replay', '-f', join(dir, 'manifests.yaml'), '--events', join(dir, 'events.ndjson'), '-o', 'ndjson');
    expect(r.code).toBe(0);
    const [first, second] = parse(r.stdout);
    expect(requestsOf(first!).map((q) => q.split(' ')[0])).toEqual(['OPTIONS', 'GET', 'POST']);
    expect(requestsOf(second!).map((q) => q.split(' ')[0])).toEqual(['GET', 'POST']);
    expect(r.stdout).not.toContain('azdo-pat-secret-value');
  });

  it('render: every render is a first event (the exchange shows each time) and the text output says the caches start empty', async () => {
    const dir = GITHUB_APP();
    for (let i = 0; i < 2; i++) {
      const r = await cli('render', '-f', join(dir, 'manifests.yaml'), '--event', join(dir, 'event.json'), '-o', 'json');
      expect(r.code).toBe(0);
      const [entry] = JSON.parse(r.stdout) as Array<{ requests: Array<{ url: string }> }>;
      expect(entry!.requests.map((q) => q.url)[0]).toBe('https://api.github.com/app/installations/456/access_tokens');
      expect(r.stdout).not.toContain('ghs_16C7e42F292c6912E7710c838347Ae178B4a');
    }
    const text = await cli('render', '-f', join(dir, 'manifests.yaml'), '--event', join(dir, 'event.json'), '-o', 'text');
    expect(text.stdout).toContain("caches start empty, as on a controller's first event");
    const slack = await cli('render', '-f', 'fixtures/demo/manifests', '--event', join(dir, 'event.json'), '-o', 'text');
    expect(slack.stdout).not.toContain('caches start empty');
  });

  it('masking: the Azure DevOps PAT never shows, not even Base64-encoded in the Basic header; the App JWT shows as "Bearer *****"', async () => {
    const azdo = AZURE_DEVOPS();
    const r = await cli('render', '-f', join(azdo, 'manifests.yaml'), '--event', join(azdo, 'event.json'), '-o', 'json');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(Buffer.from(':azdo-pat-secret-value').toString('base64'));
    const [entry] = JSON.parse(r.stdout) as Array<{ requests: Array<{ headers: Record<string, string> }> }>;
    expect(entry!.requests.map((q) => q.headers.Authorization)).toEqual(['Basic *****', 'Basic *****', 'Basic *****']);

    const app = GITHUB_APP();
    const g = await cli('render', '-f', join(app, 'manifests.yaml'), '--event', join(app, 'event.json'), '-o', 'json');
    const [ge] = JSON.parse(g.stdout) as Array<{ requests: Array<{ headers: Record<string, string> }> }>;
    expect(ge!.requests[0]!.headers.Authorization).toBe('Bearer *****');
    expect(g.stdout).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
    // --show-secrets shows them as sent
    const shown = await cli('render', '-f', join(app, 'manifests.yaml'), '--event', join(app, 'event.json'), '-o', 'json', '--show-secrets');
    expect(shown.stdout).toMatch(/"Bearer eyJ[A-Za-z0-9_-]+\.eyJ/);
  });
});
