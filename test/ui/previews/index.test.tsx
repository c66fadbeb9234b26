import { describe, expect, it, vi } from 'vitest';
// Truecolor forced before Ink's chalk loads: with a dumb TERM, chalk takes the FORCE_COLOR level
// as is, so every run draws at the same depth (the one where wrapped colour is hardest).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
  process.env.TERM = 'dumb';
});
import type { Preview, PreviewError } from '../../../src/runner/preview-model.js';
import { namedColor } from '../../../src/ui/previews/color.js';
import { colorEnabled } from '../../../src/ui/previews/index.js';
import { terminalSafe } from '../../../src/ui/previews/styled.js';
import { ANSI, frame, overflowing, painted, plain } from './frame.js';
import {
  alertmanagerPreview,
  discordPreview,
  genericPreview,
  githubPreview,
  gitlabPreview,
  googleChatPreview,
  slackWebhook,
  teamsAdaptive,
  teamsMessageCard,
} from './models.js';

/** What the Slack mock answers for a chat.postMessage to a channel that does not exist. */
const SLACK_REJECTED: PreviewError = {
  service: 'slack',
  status: 200,
  error: 'channel_not_found',
  detail: "chat.postMessage answered ok:false: channel 'C0123ALERTS' does not exist or the app is not a member of it",
};

describe('PreviewView', () => {
  it('preview: dispatches on kind to the service view (first line names the service)', () => {
    const firstLine = (p: Preview) => plain(frame(p, 80)).split('\n')[0];
    expect(firstLine(slackWebhook())).toMatch(/^Slack · /);
    expect(firstLine(teamsAdaptive())).toMatch(/^Microsoft Teams · Adaptive Card/);
    expect(firstLine(teamsMessageCard())).toMatch(/^Microsoft Teams · MessageCard/);
    expect(firstLine(githubPreview())).toMatch(/^GitHub · /);
    expect(firstLine(gitlabPreview())).toMatch(/^GitLab · /);
    expect(firstLine(discordPreview())).toMatch(/^Discord · /);
    expect(firstLine(googleChatPreview())).toMatch(/^Google Chat · /);
    expect(firstLine(alertmanagerPreview())).toMatch(/^Alertmanager · /);
    expect(firstLine(genericPreview())).toMatch(/^Webhook · /);
  });

  it('preview: undefined shows that nothing was received', () => {
    expect(plain(frame(undefined, 80))).toBe('No preview: nothing was received for this delivery.');
  });

  it('preview: PreviewError at 80 and 120 columns shows the service, status, error and detail', () => {
    const f80 = frame(SLACK_REJECTED, 80);
    expect(overflowing(f80, 80)).toEqual([]);
    expect(plain(f80)).toMatchSnapshot();
    const f120 = frame(SLACK_REJECTED, 120);
    expect(overflowing(f120, 120)).toEqual([]);
    expect(plain(f120)).toMatchSnapshot();
    expect(plain(f80).split('\n')[0]).toBe('✗ Slack rejected the request — HTTP 200 channel_not_found');
  });

  it('preview: PreviewError draws ✗ and the error text in red; NO_COLOR has no escape', () => {
    expect(frame(SLACK_REJECTED, 80)).toContain(painted(' channel_not_found', 'red'));
    expect(frame(SLACK_REJECTED, 80, 'off')).not.toMatch(ANSI);
  });

  it('preview: an unknown kind (newer NDJSON) shows its data instead of failing', () => {
    const f = plain(frame({ kind: 'pagerduty', summary: 'x' } as unknown as Preview, 80));
    expect(f).toContain("No view for preview kind 'pagerduty'; its data:");
    expect(f).toContain('"summary": "x"');
  });

  it('preview: notes are listed under every preview', () => {
    const p = { ...slackWebhook(), notes: ['app webhooks ignore the channel in the payload'] };
    expect(plain(frame(p, 80))).toContain('\nnote: app webhooks ignore the channel in the payload');
  });

  it('preview: every kind stays within 80 columns and has no escape under NO_COLOR', () => {
    const all: Preview[] = [
      slackWebhook(),
      teamsAdaptive(),
      teamsMessageCard(),
      githubPreview(),
      gitlabPreview(),
      discordPreview(),
      googleChatPreview(),
      alertmanagerPreview(),
      genericPreview(undefined, true),
    ];
    for (const p of all) {
      const f = frame(p, 80, 'off');
      expect(overflowing(f, 80), p.kind).toEqual([]);
      expect(f, p.kind).not.toMatch(ANSI);
    }
  });
});

describe('colour switch', () => {
  it('colour: NO_COLOR set to a non-empty value turns colour off; unset or empty leaves it on (no-color.org)', () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: 'false' })).toBe(false);
  });

  it('colour: payload hex colours map to the nearest named colour for text (Slack, Teams, MessageCard values)', () => {
    expect(namedColor('#2eb886')).toBe('green');
    expect(namedColor('#a30200')).toBe('red');
    expect(namedColor('#daa038')).toBe('yellow');
    expect(namedColor('#c4314b')).toBe('red');
    expect(namedColor('0076D7')).toBe('blue');
    expect(namedColor('#ffffff')).toBe('white');
    expect(namedColor('#808080')).toBe('gray');
    expect(namedColor('good')).toBeUndefined();
  });

  it('colour: payload control characters become control pictures, tabs two spaces', () => {
    expect(terminalSafe('a\u001b[2Jb\tc\r\nd\u0007\u007f\u009b')).toBe('a␛[2Jb  c\nd␇␡\ufffd');
  });
});
