import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const demo = 'fixtures/demo/manifests';
const events = (await import('node:fs')).readFileSync('fixtures/demo/events.ndjson', 'utf8').trim().split('\n');
function eventFile(i: number): string {
  const p = join(tmpdir(), `fnt-event-${process.pid}-${i}.json`);
  writeFileSync(p, events[i]!);
  return p;
}

describe('explain command (design.md contract)', () => {
  it('-o json has event, alerts with alert/provider/providerType/matched/outcome/reason/steps, ordered by namespace then name', async () => {
    const r = await cli('explain', '-f', demo, '--event', eventFile(4), '-o', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc.event)).toEqual(['involvedObject', 'severity', 'timestamp', 'message', 'reason', 'metadata', 'reportingController', 'reportingInstance']);
    expect(doc.event.metadata).toEqual({ 'kustomize.toolkit.fluxcd.io/revision': 'main@sha1:3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39' });
    expect(doc.alerts.map((a: { alert: string }) => a.alert)).toEqual([
      'apps/podinfo-releases', 'flux-system/audit', 'flux-system/commit-status', 'flux-system/deployments', 'flux-system/legacy-alerts', 'flux-system/on-call',
    ]);
    const onCall = doc.alerts.find((a: { alert: string }) => a.alert === 'flux-system/on-call');
    expect(onCall).toMatchObject({ provider: 'flux-system/slack', providerType: 'slack', matched: true, outcome: 'dispatched', reason: 'ok' });
    expect(onCall.metadata).toEqual({ cluster: 'prod-eu-1', revision: 'main@sha1:3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39' });
    expect(onCall.steps[0]).toEqual({ check: 'suspend', pass: true, rule: '§3.1', detail: 'spec.suspend is false' });
    const legacy = doc.alerts.find((a: { alert: string }) => a.alert === 'flux-system/legacy-alerts');
    expect(legacy).toMatchObject({ matched: false, outcome: 'not-matched', reason: 'alert-suspended' });
  });

  it('text output has one line per alert with ✓/✗ per step and the deciding value marked', async () => {
    const r = await cli('explain', '-f', demo, '--event', eventFile(4));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ flux-system/on-call → flux-system/slack (slack)  dispatched');
    expect(r.stdout).toMatch(/labels\.team: wanted platform, got »apps«/);
  });

  it('--no-cross-namespace-refs blocks the cross-namespace HelmRelease source of on-call', async () => {
    const r = await cli('explain', '-f', demo, '--event', eventFile(5), '-o', 'json', '--no-cross-namespace-refs');
    const doc = JSON.parse(r.stdout);
    expect(doc.alerts.find((a: { alert: string }) => a.alert === 'flux-system/on-call')).toMatchObject({ outcome: 'dropped', reason: 'cross-namespace-blocked' });
    expect(doc.event.metadata).toEqual({ 'helm.toolkit.fluxcd.io/revision': '6.7.1', 'helm.toolkit.fluxcd.io/token': 'b3a1c2d4' });
  });
});

describe('bad input exits 2 with one clear line (no stack trace)', () => {
  const expectBad = (r: { code: number; stderr: string }, pattern: RegExp) => {
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };
  it('unknown flag', async () => expectBad(await cli('explain', '--bogus'), /^error: Unknown option '--bogus'/));
  it('unknown command', async () => expectBad(await cli('frobnicate'), /^error: unknown command "frobnicate"/));
  it('missing manifest file', async () => expectBad(await cli('explain', '-f', 'nope.yaml', '--event', eventFile(0)), /nope\.yaml/));
  it('missing event file', async () => expectBad(await cli('explain', '-f', demo, '--event', 'nope.json'), /cannot read event file nope\.json: no such file/));
  it('invalid YAML names file:line:column', async () => expectBad(await cli('explain', '-f', 'test/fixtures/cli/bad-yaml.yaml', '--event', eventFile(0)), /bad-yaml\.yaml:\d+(:\d+)?/));
  it('an event that is not JSON', async () => expectBad(await cli('explain', '-f', demo, '--event', 'test/fixtures/cli/not-json.json'), /not JSON/));
  it('an event with no involvedObject', async () => expectBad(await cli('explain', '-f', demo, '--event', 'test/fixtures/cli/no-object.json'), /has no involvedObject/));
  it('an unknown provider type (rejected by the CRD enum, as the API server would)', async () =>
    expectBad(await cli('explain', '-f', 'test/fixtures/cli/unknown-type.yaml', '--event', eventFile(0)), /carrier-pigeon/));
  it('an unknown output format', async () => expectBad(await cli('explain', '-f', demo, '--event', eventFile(0), '-o', 'yaml'), /unknown output format "yaml"/));
  it('--debug shows the stack', async () => {
    const r = await cli('explain', '-f', demo, '--event', 'nope.json', '--debug');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});
