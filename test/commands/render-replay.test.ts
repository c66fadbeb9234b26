import { writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const demo = 'fixtures/demo/manifests';
const lines = readFileSync('fixtures/demo/events.ndjson', 'utf8').trim().split('\n');
function eventFile(i: number): string {
  const p = join(tmpdir(), `fnt-render-${process.pid}-${i}.json`);
  writeFileSync(p, lines[i]!);
  return p;
}

describe('render (design.md render contract)', () => {
  it('one entry per dispatched alert, in explain order, with method/url/headers/body/bodyText and preflight', async () => {
    const r = await cli('render', '-f', demo, '--event', eventFile(4), '-o', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.map((e: { alert: string }) => e.alert)).toEqual(['flux-system/commit-status', 'flux-system/on-call']);
    const gh = doc[0];
    expect(gh).toMatchObject({ provider: 'flux-system/github-status', type: 'github' });
    expect(gh.requests[0]).toMatchObject({ method: 'GET', preflight: true, url: 'https://api.github.com/repos/acme/fleet-infra/commits/3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39/statuses?per_page=50' });
    expect(gh.requests[1].bodyText).toBe('{"state":"failure","description":"health check failed","context":"kustomization/apps/0c9c2e41"}\n');
    expect(gh.requests[1].body).toEqual({ state: 'failure', description: 'health check failed', context: 'kustomization/apps/0c9c2e41' });
    expect(gh.requests[1].preflight).toBeUndefined();
  });

  it('secrets are masked unless --show-secrets: tokens and webhook URLs from Secrets', async () => {
    const masked = await cli('render', '-f', demo, '--event', eventFile(4), '-o', 'json');
    expect(masked.stdout).not.toContain('ghp_demoTokenForMockMode');
    expect(masked.stdout).not.toContain('XXXXdemoXXXXtoken');
    expect(masked.stdout).toContain('"Authorization": "Bearer *****"');
    expect(masked.stdout).toContain('"url": "https://hooks.slack.com/*****"');
    const shown = await cli('render', '-f', demo, '--event', eventFile(4), '-o', 'json', '--show-secrets');
    expect(shown.stdout).toContain('Bearer ghp_demoTokenForMockMode000000000000000');
    expect(shown.stdout).toContain('https://hooks.slack.com/services/T0DEMO/B0DEMO/XXXXdemoXXXXtoken');
  });

  it('generic-hmac: X-Signature is the HMAC-SHA256 of bodyText keyed by the secret token', async () => {
    const r = await cli('render', '-f', demo, '--event', eventFile(0), '-o', 'json', '--show-secrets');
    const [audit] = JSON.parse(r.stdout);
    const req = audit.requests[0];
    expect(req.headers['X-Signature']).toBe('sha256=' + createHmac('sha256', 'demo-hmac-key').update(req.bodyText).digest('hex'));
    expect(req.headers['X-Audit-Source']).toBe('flux-notify-tui-demo');
    expect(req.headers['Gotk-Component']).toBe('source-controller');
  });

  it('a provider that sends nothing for the event gives requests: [] and a note (github skips Progressing)', async () => {
    const ev = JSON.parse(lines[1]!);
    ev.involvedObject.name = 'apps';
    ev.metadata['event.toolkit.fluxcd.io/commit'] = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
    const p = join(tmpdir(), `fnt-render-progressing-${process.pid}.json`);
    writeFileSync(p, JSON.stringify(ev));
    const r = await cli('render', '-f', demo, '--event', p, '-o', 'json');
    const gh = JSON.parse(r.stdout).find((e: { type: string }) => e.type === 'github');
    expect(gh.requests).toEqual([]);
    expect(gh.note).toMatch(/Progressing/);
  });

  it('opens no socket: rendering with no network succeeds (fetch is never called)', async () => {
    const original = globalThis.fetch;
    let called = 0;
    globalThis.fetch = (async () => {
      called++;
      throw new Error('no network in render');
    }) as typeof fetch;
    try {
      const r = await cli('render', '-f', demo, '--event', eventFile(11), '-o', 'json');
      expect(r.code).toBe(0);
      expect(called).toBe(0);
    } finally {
      globalThis.fetch = original;
    }
  });
});

describe('replay', () => {
  it('one NDJSON line per event with index, event, rateLimited, alerts and deliveries', async () => {
    const r = await cli('replay', '--events', 'fixtures/demo');
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(lines.length);
    expect(out.map((l) => l.index)).toEqual(lines.map((_, i) => i));
    expect(out[6].rateLimited).toBe(true);
    expect(out[6].deliveries).toEqual([]);
    expect(out[4].deliveries.map((d: { provider: string; outcome: string; ok: boolean; mode: string }) => [d.provider, d.outcome, d.ok, d.mode])).toEqual([
      ['flux-system/github-status', 'delivered', true, 'mock'],
      ['flux-system/slack', 'delivered', true, 'mock'],
    ]);
  });

  it('mock mode: deliveries carry the preview the mock parsed from the bytes it received', async () => {
    const r = await cli('replay', '--events', 'fixtures/demo');
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const slack = out[4].deliveries.find((d: { type: string }) => d.type === 'slack');
    expect(slack.preview.kind).toBe('slack');
    expect(slack.preview.channel).toBe('platform-alerts');
    expect(slack.preview.attachments[0].color).toMatchObject({ raw: 'danger', name: 'red' });
    const gh = out[4].deliveries.find((d: { type: string }) => d.type === 'github');
    expect(gh.preview).toMatchObject({ kind: 'github-status', owner: 'acme', repo: 'fleet-infra', state: 'failure', context: 'kustomization/apps/0c9c2e41' });
    const hmac = out[0].deliveries[0];
    expect(hmac.preview).toMatchObject({ kind: 'generic', signatureValid: true });
    expect(out[1].deliveries[0].preview.kind).toBe('teams-messagecard');
  });

  it('--mock-fault makes a mock answer 500 once: the retrying client tries again (2 s later) and delivers', async () => {
    const p = join(tmpdir(), `fnt-fault-${process.pid}.ndjson`);
    writeFileSync(p, `${lines[4]}\n`);
    const r = await cli('replay', '-f', demo, '--events', p, '--mock-fault', 'slack=500:1');
    expect(r.code).toBe(0);
    const [line] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const slack = line.deliveries.find((d: { type: string }) => d.type === 'slack');
    expect(slack).toMatchObject({ outcome: 'delivered', status: 200, attempts: [2] });
    const gh = line.deliveries.find((d: { type: string }) => d.type === 'github');
    expect(gh.attempts).toEqual([1, 1]);
    const bad = await cli('replay', '-f', demo, '--events', p, '--mock-fault', 'slack=418');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid --mock-fault "slack=418"');
  });

  it('--rate-limit off lets the duplicate through (labelled as not upstream)', async () => {
    const r = await cli('replay', '--events', 'fixtures/demo', '--rate-limit', 'off');
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out[6].rateLimited).toBe(false);
  });

  it('bad lines are reported with their line number, the rest is processed, exit 2', async () => {
    const p = join(tmpdir(), `fnt-replay-bad-${process.pid}.ndjson`);
    writeFileSync(p, `${lines[0]}\nnot json\n${lines[4]}\n`);
    const r = await cli('replay', '-f', demo, '--events', p);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:2: skipped: .*not JSON/);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(3);
    expect(out[1]).toMatchObject({ line: 2 });
  });

  it('an unreadable events path is bad input', async () => {
    const r = await cli('replay', '--events', 'nope/none.ndjson', '-f', demo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read events from nope\/none\.ndjson: no such file or directory/);
  });
});
