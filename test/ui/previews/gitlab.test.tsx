import { describe, expect, it, vi } from 'vitest';
// Truecolor forced before Ink's chalk loads: with a dumb TERM, chalk takes the FORCE_COLOR level
// as is, so every run draws at the same depth (the one where wrapped colour is hardest).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
  process.env.TERM = 'dumb';
});
import { ANSI, frame, overflowing, painted, plain } from './frame.js';
import { gitlabPreview, STATUS_ID, variantG, type StatusSeed } from './models.js';

const EXISTING: StatusSeed[] = [
  { state: 'running', context: 'test', description: 'pipeline #812', targetUrl: 'https://gitlab.com/stefanprodan/podinfo/-/pipelines/812', createdAt: '2025-06-01T11:55:00Z' },
  { state: 'canceled', context: 'deploy-preview', createdAt: '2025-06-01T11:40:00Z' },
];

describe('GitLab commit status preview', () => {
  it('gitlab: Variant G posted status and the statuses at 80 columns', () => {
    const f = frame(gitlabPreview({ existing: EXISTING }), 80);
    expect(overflowing(f, 80)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('gitlab: Variant G posted status and the statuses at 120 columns', () => {
    const f = frame(gitlabPreview({ existing: EXISTING }), 120);
    expect(overflowing(f, 120)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('gitlab: the project path, short SHA and the posted ✓ success (providers §4.25)', () => {
    const lines = plain(frame(gitlabPreview(), 80)).split('\n');
    expect(lines[0]).toBe('GitLab · stefanprodan/podinfo · commit abc123d');
    expect(lines).toContain(`✓ ${STATUS_ID} — reconciliation succeeded`);
  });

  it('gitlab: an error event posts ✗ failed in red (providers §4.25: error → failed)', () => {
    const f = frame(gitlabPreview({ event: variantG({ severity: 'error', reason: 'HealthCheckFailed' }) }), 80);
    expect(f).toContain(painted('✗', 'red'));
    expect(plain(f)).toContain(`✗ ${STATUS_ID} — health check failed\n  failed`);
  });

  it('gitlab: running is a blue ●, canceled a grey ○', () => {
    const f = frame(gitlabPreview({ existing: EXISTING }), 80);
    expect(f).toContain(painted('●', 'blue'));
    expect(f).toContain(painted('○', 'gray'));
  });

  it('gitlab: a dedupe skip shows the latest status of the name it compared against', () => {
    const same: StatusSeed = { state: 'success', context: STATUS_ID, description: 'reconciliation succeeded', createdAt: '2025-06-01T11:58:00Z' };
    const p = gitlabPreview({ existing: [same, ...EXISTING] });
    expect(p.operation).toBe('list');
    const f = plain(frame(p, 80));
    expect(f).toContain(
      'No status posted — the statuses were only read: a dedupe skip.\n' +
        'The latest status of this name, which it matched:\n' +
        `✓ ${STATUS_ID} — reconciliation succeeded\n  success\n`,
    );
    expect(f).toMatchSnapshot();
  });

  it('gitlab: NO_COLOR has no escape and keeps the glyphs', () => {
    expect(frame(gitlabPreview({ existing: EXISTING }), 80, 'on')).toMatch(ANSI);
    const f = frame(gitlabPreview({ existing: EXISTING }), 80, 'off');
    expect(f).not.toMatch(ANSI);
    expect(f.split('\n').map((l) => l[0]).filter((c) => '✓✗●○'.includes(c ?? 'x'))).toEqual(['✓', '✓', '●', '○']);
  });
});
