import { describe, expect, it, vi } from 'vitest';
// Truecolor forced before Ink's chalk loads: with a dumb TERM, chalk takes the FORCE_COLOR level
// as is, so every run draws at the same depth (the one where wrapped colour is hardest).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
  process.env.TERM = 'dumb';
});
import { sampleEvent } from '../../providers/drive.js';
import { ANSI, frame, overflowing, painted, plain } from './frame.js';
import { discordPreview, healthCheckFailed } from './models.js';

describe('Discord preview', () => {
  it('discord: sample E embed at 80 columns', () => {
    const f = frame(discordPreview(), 80);
    expect(overflowing(f, 80)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('discord: sample E embed at 120 columns', () => {
    const f = frame(discordPreview(), 120);
    expect(overflowing(f, 120)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('discord: username defaults to the reporting controller (providers §4.4), embed bar green for info', () => {
    const f = frame(discordPreview(), 80);
    expect(plain(f).split('\n').slice(0, 2)).toEqual(['Discord · Slack-compatible webhook', 'kustomize-controller BOT']);
    expect(f).toContain(painted('┃', '#2eb886'));
  });

  it('discord: embed bar red for error, long text wrapped within 80 columns', () => {
    const f = frame(discordPreview(healthCheckFailed()), 80);
    expect(f).toContain(painted('┃', '#a30200'));
    expect(overflowing(f, 80)).toEqual([]);
  });

  it('discord: NO_COLOR has no escape, the embed bar is `|` with the colour named', () => {
    expect(frame(discordPreview(sampleEvent({ severity: 'error' })), 80, 'on')).toMatch(ANSI);
    const f = frame(discordPreview(sampleEvent({ severity: 'error' })), 80, 'off');
    expect(f).not.toMatch(ANSI);
    expect(f.split('\n')[2]).toBe('| color: red (danger)');
  });
});
