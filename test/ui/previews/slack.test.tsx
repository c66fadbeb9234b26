import { describe, expect, it, vi } from 'vitest';
// Truecolor forced before Ink's chalk loads: with a dumb TERM, chalk takes the FORCE_COLOR level
// as is, so every run draws at the same depth (the one where wrapped colour is hardest).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
  process.env.TERM = 'dumb';
});
import { sampleEvent } from '../../providers/drive.js';
import { ANSI, frame, overflowing, painted, plain } from './frame.js';
import { healthCheckFailed, slackPostMessage, slackWebhook } from './models.js';

describe('Slack preview', () => {
  it('slack: sample E through an incoming webhook at 80 columns', () => {
    const f = frame(slackWebhook(), 80);
    expect(overflowing(f, 80)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('slack: sample E through an incoming webhook at 120 columns', () => {
    const f = frame(slackWebhook(), 120);
    expect(overflowing(f, 120)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('slack: chat.postMessage shows the API, the channel and the configured username', () => {
    const f = plain(frame(slackPostMessage(), 80));
    expect(f).toContain('Slack · chat.postMessage · channel C0123ALERTS');
    expect(f).toContain('flux-bot APP');
    expect(f).toMatchSnapshot();
  });

  it('slack: author line, text and fields as `key: value` beside the bar', () => {
    const lines = plain(frame(slackWebhook(), 80)).split('\n');
    expect(lines).toContain('┃ kustomization/podinfo.flux-system');
    expect(lines).toContain('┃ Applied revision: main@sha1:abc123');
    expect(lines).toContain('┃ revision: main@sha1:abc123');
    expect(lines).toContain('┃ summary: Cluster: production');
  });

  it('slack: the bar is drawn in Slack green for info (color good)', () => {
    expect(frame(slackWebhook(), 80)).toContain(painted('┃', '#2eb886'));
  });

  it('slack: the bar is drawn in Slack red for error (color danger)', () => {
    const f = frame(slackWebhook(sampleEvent({ severity: 'error' })), 80);
    expect(f).toContain(painted('┃', '#a30200'));
    expect(f).not.toContain(painted('┃', '#2eb886'));
  });

  it('slack: long text wraps inside 80 columns, every wrapped line keeps the bar', () => {
    const f = plain(frame(slackPostMessage(healthCheckFailed()), 80));
    expect(overflowing(f, 80)).toEqual([]);
    const barred = f.split('\n').filter((l) => l.startsWith('┃ '));
    // The message's 2 lines become 6 at this width, plus the author line and 2 fields.
    expect(barred.length).toBe(9);
    expect(f).toMatchSnapshot();
  });

  it('slack: NO_COLOR (ColorProvider off) has no escape, the bar becomes `|` naming the colour', () => {
    const coloured = frame(slackWebhook(healthCheckFailed()), 80, 'on');
    const f = frame(slackWebhook(healthCheckFailed()), 80, 'off');
    expect(coloured).toMatch(ANSI);
    expect(f).not.toMatch(ANSI);
    const lines = f.split('\n');
    expect(lines[2]).toBe('| color: red (danger)');
    expect(lines.slice(2).every((l) => l.startsWith('| '))).toBe(true);
    expect(f).toMatchSnapshot();
  });

  it('slack: NO_COLOR in the environment turns colour off without a provider', () => {
    vi.stubEnv('NO_COLOR', '1');
    try {
      const f = frame(slackWebhook(), 80, 'env');
      expect(f).not.toMatch(ANSI);
      expect(f).toContain('| color: green (good)');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('slack: an empty NO_COLOR does not turn colour off (no-color.org)', () => {
    vi.stubEnv('NO_COLOR', '');
    try {
      expect(frame(slackWebhook(), 80, 'env')).toMatch(ANSI);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("slack: an empty webhook channel is shown as the webhook's own channel", () => {
    const p = slackWebhook();
    delete p.channel;
    expect(plain(frame(p, 80))).toContain("Slack · incoming webhook · webhook's own channel");
  });

  it('slack: escape sequences in the payload are shown as control pictures, not sent to the terminal', () => {
    const f = frame(slackWebhook(sampleEvent({ message: 'red \u001b[31malert\u001b[0m\rdone' })), 80, 'off');
    expect(f).not.toMatch(ANSI);
    expect(f).toContain('red ␛[31malert␛[0m␍done');
  });
});
