import { describe, expect, it, vi } from 'vitest';
// Truecolor forced before Ink's chalk loads: with a dumb TERM, chalk takes the FORCE_COLOR level
// as is, so every run draws at the same depth (the one where wrapped colour is hardest).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
  process.env.TERM = 'dumb';
});
import type { TeamsAdaptivePreview } from '../../../src/runner/preview-model.js';
import { ANSI, cardLines, frame, opening, overflowing, painted, plain } from './frame.js';
import { healthCheckFailed, teamsAdaptive, teamsMessageCard } from './models.js';

/** Column where each fact's value starts (after the name column and its gap). */
function valueColumns(f: string, names: string[], values: string[]): number[] {
  return plain(f)
    .split('\n')
    .filter((l) => names.some((n) => l.startsWith(`│ ${n}  `)))
    .map((l) => Math.min(...values.map((v) => l.indexOf(v)).filter((i) => i >= 0)));
}

describe('Teams Adaptive Card preview', () => {
  it('teams: sample E Adaptive Card at 80 columns', () => {
    const f = frame(teamsAdaptive(), 80);
    expect(overflowing(f, 80)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('teams: sample E Adaptive Card at 120 columns', () => {
    const f = frame(teamsAdaptive(), 120);
    expect(overflowing(f, 120)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('teams: heading in bold, FactSet as two aligned columns with summary first (providers §4.6)', () => {
    const f = frame(teamsAdaptive(), 80);
    expect(f).toContain(painted('kustomization/podinfo.flux-system', undefined, { bold: true }));
    const lines = plain(f).split('\n');
    const facts = lines.filter((l) => l.startsWith('│ summary') || l.startsWith('│ revision'));
    expect(facts.map((l) => l.trimEnd())).toEqual([
      '│ summary   Cluster: production                                                │'.trimEnd(),
      '│ revision  main@sha1:abc123                                                   │'.trimEnd(),
    ]);
    expect(new Set(valueColumns(f, ['summary', 'revision'], ['Cluster', 'main@'])).size).toBe(1);
  });

  it('teams: the message of an error event is drawn in the attention colour (red) on every wrapped line', () => {
    const f = frame(teamsAdaptive(healthCheckFailed()), 80);
    // Card lines: the title, then the message's 6 wrapped lines.
    const message = cardLines(f).slice(1, 7);
    expect(plain(message[0]!)).toMatch(/^│ Health check failed after 5m0\.042s/);
    expect(plain(message[5]!)).toMatch(/^│ mespace=flux-system&var-kind=Kustomization/);
    for (const line of message) expect(line).toContain(opening('red'));
    // An info card has no coloured text at all (no foreground colour code).
    expect(frame(teamsAdaptive(), 80)).not.toMatch(/\u001b\[3\d/);
  });

  it('teams: long text wraps inside the card at 80 columns, facts stay aligned', () => {
    const f = frame(teamsAdaptive(healthCheckFailed()), 80);
    expect(overflowing(f, 80)).toEqual([]);
    expect(new Set(valueColumns(f, ['summary', 'revision'], ['Cluster', 'main@'])).size).toBe(1);
    expect(plain(f)).toMatchSnapshot();
  });

  it('teams: a TextBlock without wrap: true is cut with an ellipsis, as Teams does', () => {
    const p: TeamsAdaptivePreview = teamsAdaptive(healthCheckFailed());
    p.blocks = p.blocks.map((b) => ({ text: b.text }));
    const lines = plain(frame(p, 80)).split('\n');
    const cut = lines.find((l) => l.startsWith('│ Health check failed'));
    expect(cut).toMatch(/…\s*│$/);
    expect(lines.some((l) => l.includes('HelmRelease/podinfo/redis'))).toBe(false);
  });

  it('teams: NO_COLOR has no escape and names the attention colour in words', () => {
    expect(frame(teamsAdaptive(healthCheckFailed()), 80, 'on')).toMatch(ANSI);
    const f = frame(teamsAdaptive(healthCheckFailed()), 80, 'off');
    expect(f).not.toMatch(ANSI);
    expect(f).toContain('[red (attention)]');
    expect(f).toMatchSnapshot();
  });
});

describe('Teams MessageCard preview', () => {
  it('teams: sample E MessageCard (Office 365 connector) at 80 columns', () => {
    const f = frame(teamsMessageCard(), 80);
    expect(overflowing(f, 80)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('teams: sample E MessageCard at 120 columns', () => {
    const f = frame(teamsMessageCard(), 120);
    expect(overflowing(f, 120)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('teams: the theme colour (0076D7 info, FF0000 error) colours the top edge of the card', () => {
    const top = (f: string) => f.split('\n')[1]!;
    const info = top(frame(teamsMessageCard(), 80));
    expect(info).toBe(painted(plain(info), '#0076D7'));
    const error = top(frame(teamsMessageCard(healthCheckFailed()), 80));
    expect(error).toBe(painted(plain(error), '#FF0000'));
  });

  it('teams: section activity title, subtitle and facts, then the notification summary', () => {
    const lines = plain(frame(teamsMessageCard(), 80)).split('\n').map((l) => l.trimEnd());
    expect(lines[0]).toBe('Microsoft Teams · MessageCard (Office 365 connector) · theme blue (0076D7)');
    expect(lines[2]).toMatch(/^│ Applied revision: main@sha1:abc123 +│$/);
    expect(lines[3]).toMatch(/^│ kustomization\/podinfo\.flux-system +│$/);
    expect(lines).toContain('notification summary: kustomization/podinfo.flux-system');
  });

  it('teams: MessageCard under NO_COLOR has no escape and keeps the theme named in the header', () => {
    const f = frame(teamsMessageCard(healthCheckFailed()), 80, 'off');
    expect(f).not.toMatch(ANSI);
    expect(f.split('\n')[0]).toBe('Microsoft Teams · MessageCard (Office 365 connector) · theme red (FF0000)');
  });
});
