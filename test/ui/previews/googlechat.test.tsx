import { describe, expect, it, vi } from 'vitest';
// Truecolor forced before Ink's chalk loads: with a dumb TERM, chalk takes the FORCE_COLOR level
// as is, so every run draws at the same depth (the one where wrapped colour is hardest).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
  process.env.TERM = 'dumb';
});
import { parseChatHtml } from '../../../src/ui/previews/chat-html.js';
import { ANSI, cardLines, frame, opening, overflowing, painted, plain } from './frame.js';
import { googleChatPreview, healthCheckFailed } from './models.js';

describe('Google Chat preview', () => {
  it('googlechat: sample E card at 80 columns', () => {
    const f = frame(googleChatPreview(), 80);
    expect(overflowing(f, 80)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('googlechat: sample E card at 120 columns', () => {
    const f = frame(googleChatPreview(), 120);
    expect(overflowing(f, 120)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('googlechat: header title objName and subtitle the controller, key-values aligned (providers §4.7)', () => {
    const lines = plain(frame(googleChatPreview(), 80)).split('\n').map((l) => l.replace(/\s+│$/, ''));
    expect(lines.slice(2, 4)).toEqual(['│ kustomization/podinfo.flux-system', '│ kustomize-controller']);
    expect(lines).toContain('│ revision  main@sha1:abc123');
    expect(lines).toContain('│ summary   Cluster: production');
  });

  it('googlechat: an error message is drawn red from its <font color="#ff0000"> (providers §4.7)', () => {
    const f = frame(googleChatPreview(healthCheckFailed()), 80);
    // Card lines: title, subtitle, a blank line, then the message's 6 wrapped lines.
    const message = cardLines(f).slice(3, 9);
    expect(plain(message[0]!)).toMatch(/^│ Health check failed after 5m0\.042s/);
    expect(plain(message[5]!)).toMatch(/^│ mespace=flux-system&var-kind=Kustomization/);
    for (const line of message) expect(line).toContain(opening('red'));
    expect(plain(f)).not.toContain('<font');
    expect(overflowing(f, 80)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('googlechat: NO_COLOR has no escape and names the font colour', () => {
    expect(frame(googleChatPreview(healthCheckFailed()), 80, 'on')).toMatch(ANSI);
    const f = frame(googleChatPreview(healthCheckFailed()), 80, 'off');
    expect(f).not.toMatch(ANSI);
    expect(f).toContain('var-kind=Kustomization [#ff0000]');
  });

  it('googlechat: text formatting <b>, <i>, <br>, <a href> and entities; other tags stay literal', () => {
    expect(parseChatHtml('<b>bold</b> &amp; <i>it</i><br>next <a href="https://x.example">link</a> <table>')).toEqual([
      { bold: true, text: 'bold' },
      { text: ' & ' },
      { italic: true, text: 'it' },
      { text: '\n' },
      { text: 'next ' },
      { href: 'https://x.example', text: 'link' },
      { text: ' <table>' },
    ]);
    expect(parseChatHtml('<font color="#ff0000">a <b>b</b></font>c')).toEqual([
      { color: '#ff0000', text: 'a ' },
      { color: '#ff0000', bold: true, text: 'b' },
      { text: 'c' },
    ]);
  });
});
