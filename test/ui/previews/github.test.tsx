import { describe, expect, it, vi } from 'vitest';
// Truecolor forced before Ink's chalk loads: with a dumb TERM, chalk takes the FORCE_COLOR level
// as is, so every run draws at the same depth (the one where wrapped colour is hardest).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
  process.env.TERM = 'dumb';
});
import type { GitHubStatusPreview } from '../../../src/runner/preview-model.js';
import { ANSI, frame, overflowing, painted, plain } from './frame.js';
import { githubPreview, STATUS_ID, variantG, type StatusSeed } from './models.js';

/** A second cluster's Provider (other UID) and CI, on the same commit before this alert. */
const EXISTING: StatusSeed[] = [
  { state: 'failure', context: 'kustomization/podinfo/9f8e7d6c', description: 'health check failed', createdAt: '2025-06-01T11:59:00Z' },
  {
    state: 'pending',
    context: 'ci/build',
    description: 'Build queued',
    targetUrl: 'https://ci.example.com/stefanprodan/podinfo/builds/1234',
    createdAt: '2025-06-01T11:50:00Z',
  },
  { state: 'error', context: 'ci/lint', description: 'runner lost', createdAt: '2025-06-01T11:49:00Z' },
];

describe('GitHub commit status preview', () => {
  it('github: Variant G posted status and the checks list at 80 columns', () => {
    const f = frame(githubPreview({ existing: EXISTING }), 80);
    expect(overflowing(f, 80)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('github: Variant G posted status and the checks list at 120 columns', () => {
    const f = frame(githubPreview({ existing: EXISTING }), 120);
    expect(overflowing(f, 120)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('github: posted status shows ✓, the context, the description (providers §4.22: success, reconciliation succeeded)', () => {
    const lines = plain(frame(githubPreview(), 80)).split('\n');
    const at = lines.indexOf('Posted status');
    expect(lines[at + 1]).toBe(`✓ ${STATUS_ID} — reconciliation succeeded`);
    expect(lines[at + 2]).toBe('  success');
  });

  it('github: ✓ success is green, ✗ failure and error are red, ● pending is yellow', () => {
    const f = frame(githubPreview({ existing: EXISTING }), 80);
    expect(f).toContain(painted('✓', 'green'));
    expect(f).toContain(painted('✗', 'red'));
    expect(f).toContain(painted('●', 'yellow'));
    const failures = plain(f).split('\n').filter((l) => l.startsWith('✗ '));
    expect(failures).toEqual(['✗ kustomization/podinfo/9f8e7d6c — health check failed', '✗ ci/lint — runner lost']);
  });

  it('github: the context is bold, the target URL is listed under its status', () => {
    const f = frame(githubPreview({ existing: EXISTING }), 80);
    expect(f).toContain(painted('ci/build', undefined, { bold: true }));
    const lines = plain(f).split('\n');
    const build = lines.findIndex((l) => l.startsWith('● ci/build'));
    expect(lines[build + 1]).toBe('  pending · 2025-06-01T11:50:00Z');
    expect(lines[build + 2]).toBe('  https://ci.example.com/stefanprodan/podinfo/builds/1234');
  });

  it("github: an error event posts ✗ failure (providers §4.22: error → failure)", () => {
    const f = plain(frame(githubPreview({ event: variantG({ severity: 'error', reason: 'HealthCheckFailed' }) }), 80));
    expect(f).toContain(`✗ ${STATUS_ID} — health check failed\n  failure`);
  });

  it("github: the checks list marks this alert's context and counts contexts and statuses", () => {
    const f = plain(frame(githubPreview({ existing: EXISTING }), 80));
    expect(f).toContain('Checks on abc123d · 4 contexts · 4 statuses posted in total');
    expect(f).toContain('  success · 2025-06-01T12:00:03Z · ◀ this alert');
  });

  it('github: a dedupe skip (only the list was read) says that nothing was posted', () => {
    const same: StatusSeed = { state: 'success', context: STATUS_ID, description: 'reconciliation succeeded', createdAt: '2025-06-01T11:59:30Z' };
    const p = githubPreview({ existing: [same, ...EXISTING] });
    expect(p.operation).toBe('list');
    const f = plain(frame(p, 80));
    expect(f).toContain('No status posted — the statuses were only read: a dedupe skip.');
    expect(f).not.toContain('Posted status');
    expect(f).not.toContain('◀ this alert');
    expect(f).toMatchSnapshot();
  });

  it('github: a context collision (another cluster wrote this context) shows in the notes', () => {
    const other: StatusSeed = { state: 'failure', context: STATUS_ID, description: 'health check failed', createdAt: '2025-06-01T11:59:30Z' };
    const f = plain(frame(githubPreview({ existing: [other, ...EXISTING] }), 80));
    expect(f).toContain(`note: replaces failure 'health check failed' of context\n'${STATUS_ID}'`);
    // The combined view keeps only the newest status of the context: this alert's.
    expect(f.split('\n').filter((l) => l.startsWith(`✓ ${STATUS_ID}`) || l.startsWith(`✗ ${STATUS_ID}`))).toHaveLength(2);
    expect(f).toMatchSnapshot();
  });

  it('github: NO_COLOR has no escape and keeps the ✓ ✗ ● glyphs', () => {
    expect(frame(githubPreview({ existing: EXISTING }), 80, 'on')).toMatch(ANSI);
    const f = frame(githubPreview({ existing: EXISTING }), 80, 'off');
    expect(f).not.toMatch(ANSI);
    const glyphs = f.split('\n').map((l) => l[0]).filter((c) => c === '✓' || c === '✗' || c === '●');
    expect(glyphs).toEqual(['✓', '✓', '✗', '●', '✗']);
  });

  it('github: an unknown state is shown with ? rather than as success', () => {
    const p: GitHubStatusPreview = { ...githubPreview(), state: 'succeeded' };
    expect(plain(frame(p, 80))).toContain(`? ${STATUS_ID} — reconciliation succeeded\n  succeeded`);
  });
});
