// `lint` through the CLI: exit codes (design "Exit codes", lint help text), text and JSON output.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), `fnt-lint-${process.pid}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const V3 = 'notification.toolkit.fluxcd.io/v1beta3';

// One error (generic-hmac without a token: "HMAC key is empty", spec §6.9) and one warning
// (spec.summary is deprecated, spec §5.2).
const withError = file('error.yaml', `apiVersion: ${V3}
kind: Provider
metadata: {name: hook, namespace: flux-system}
spec: {type: generic-hmac, address: "https://hooks.example.com/flux"}
---
apiVersion: ${V3}
kind: Alert
metadata: {name: on-call, namespace: flux-system}
spec:
  providerRef: {name: hook}
  summary: prod
  eventSources: [{kind: Kustomization, name: "*"}]
`);

// Warnings only: a v1beta2 Provider (spec §7.1: accepted with a warning) and spec.proxy.
const warningsOnly = file('warnings.yaml', `apiVersion: notification.toolkit.fluxcd.io/v1beta2
kind: Provider
metadata: {name: slack, namespace: flux-system}
spec: {type: slack, address: "https://hooks.slack.com/services/T/B/X", proxy: "http://proxy:3128"}
`);

const clean = file('tree/clean/manifests.yaml', `apiVersion: ${V3}
kind: Provider
metadata: {name: slack, namespace: flux-system}
spec: {type: slack, address: "https://hooks.slack.com/services/T/B/X"}
---
apiVersion: ${V3}
kind: Alert
metadata: {name: on-call, namespace: flux-system}
spec:
  providerRef: {name: slack}
  eventSources: [{kind: Kustomization, name: "*"}]
`);

describe('lint command: exit codes (design: 0 no errors, 1 errors found, 2 bad input)', () => {
  it('lint: exits 1 when any finding is an error, and prints each finding with file:line, object, field, message, fix and rule', async () => {
    const r = await cli('lint', '-f', withError);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      `${withError}:1: error [notifier-init] Provider/flux-system/hook spec: every dispatch fails: failed to initialize notifier for provider 'hook': failed to initialize notifier: HMAC key is empty`,
    );
    expect(r.stdout).toContain(`${withError}:6: warning [deprecated-summary] Alert/flux-system/on-call spec.summary: spec.summary is deprecated`);
    expect(r.stdout).toContain('    fix: use spec.eventMetadata.summary');
    expect(r.stdout).toContain('[notifier-init]');
    expect(r.stdout).toContain('[deprecated-summary]');
    // Errors come before warnings.
    expect(r.stdout.indexOf('[notifier-init]')).toBeLessThan(r.stdout.indexOf('[deprecated-summary]'));
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 alert(s), 1 provider(s), 0 secret(s): 1 error(s), 1 other finding(s)');
  });

  it('lint: exits 0 when there are only warnings (a v1beta2 object is converted with a warning, spec §7.1)', async () => {
    const r = await cli('lint', '-f', warningsOnly);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('v1.9 serves only v1beta3: this manifest would be rejected by the cluster; converted for simulation');
    expect(r.stdout).toContain('[served-versions]');
    expect(r.stdout).toContain('[deprecated-proxy]');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 alert(s), 1 provider(s), 0 secret(s): 0 error(s), 2 other finding(s)');
  });

  it('lint: exits 0 with no findings for a clean directory (walked recursively)', async () => {
    const r = await cli('lint', '-f', join(dir, 'tree'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1 alert(s), 1 provider(s), 0 secret(s): 0 error(s), 0 other finding(s)\n');
  });

  it('lint: several -f paths are linted together (an Alert in one file, its Provider in another)', async () => {
    const alertOnly = file('split/alert.yaml', `apiVersion: ${V3}
kind: Alert
metadata: {name: a, namespace: flux-system}
spec: {providerRef: {name: slack}, eventSources: [{kind: GitRepository, name: flux-system}]}
`);
    expect((await cli('lint', '-f', alertOnly)).code).toBe(1); // missing-provider alone
    expect((await cli('lint', '-f', alertOnly, '-f', clean)).code).toBe(0);
  });

  it('lint -o json: {findings, errors, warnings}; each finding has severity, file, line, object, field, message, fix, rule', async () => {
    const r = await cli('lint', '-f', withError, '-o', 'json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.errors).toBe(1);
    expect(doc.warnings).toBe(1);
    expect(doc.findings).toEqual([
      expect.objectContaining({
        severity: 'error', file: withError, line: 1, object: 'Provider/flux-system/hook', field: 'spec', rule: 'notifier-init',
        message: "every dispatch fails: failed to initialize notifier for provider 'hook': failed to initialize notifier: HMAC key is empty",
      }),
      expect.objectContaining({
        severity: 'warning', file: withError, line: 6, object: 'Alert/flux-system/on-call', field: 'spec.summary', rule: 'deprecated-summary',
        fix: 'use spec.eventMetadata.summary',
      }),
    ]);
    for (const f of doc.findings) expect(typeof f.fix).toBe('string');
  });

  it('lint -o json: warnings only still exit 0', async () => {
    const r = await cli('lint', '-f', warningsOnly, '-o', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ errors: 0, warnings: 2 });
  });
});

describe('lint command: bad input exits 2 with one clear line (no stack trace)', () => {
  const expectBad = (r: { code: number; stdout: string; stderr: string }, pattern: RegExp) => {
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  };
  it('lint: an unreadable path', async () => expectBad(await cli('lint', '-f', join(dir, 'nope.yaml')), /^error: .*nope\.yaml.*no such file or directory/));
  it('lint: an unreadable path next to a readable one still exits 2', async () =>
    expectBad(await cli('lint', '-f', clean, '-f', join(dir, 'nope.yaml')), /nope\.yaml/));
  it('lint: no -f at all', async () => expectBad(await cli('lint'), /^error: no manifests given\n {2}try: pass -f PATH/));
  it('lint: an unknown output format', async () => expectBad(await cli('lint', '-f', clean, '-o', 'yaml'), /unknown output format "yaml"/));
});
