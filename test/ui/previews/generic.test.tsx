import { describe, expect, it, vi } from 'vitest';
// Truecolor forced before Ink's chalk loads: with a dumb TERM, chalk takes the FORCE_COLOR level
// as is, so every run draws at the same depth (the one where wrapped colour is hardest).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
  process.env.TERM = 'dumb';
});
import type { GenericPreview } from '../../../src/runner/preview-model.js';
import { sampleEvent } from '../../providers/drive.js';
import { ANSI, frame, overflowing, painted, plain } from './frame.js';
import { genericPreview } from './models.js';

describe('generic preview', () => {
  it('generic: sample E forwarded at 80 columns', () => {
    const f = frame(genericPreview(), 80);
    expect(overflowing(f, 80)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('generic: sample E forwarded with HMAC at 120 columns', () => {
    const f = frame(genericPreview(sampleEvent(), true), 120);
    expect(overflowing(f, 120)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('generic: the request line and the headers in the order sent (providers §4.1)', () => {
    const lines = plain(frame(genericPreview(), 80)).split('\n');
    expect(lines.slice(1, 5)).toEqual([
      'POST https://hooks.example.com/flux',
      'Content-Type: application/json',
      'Gotk-Component: kustomize-controller',
      'X-Team: platform',
    ]);
  });

  it('generic: the JSON body is indented, key order as sent', () => {
    const f = plain(frame(genericPreview(), 80));
    expect(f).toContain('{\n  "involvedObject": {\n    "kind": "Kustomization",');
    expect(f.indexOf('"severity"')).toBeLessThan(f.indexOf('"reportingInstance"'));
  });

  it('generic-hmac: a signature matching the body gets a green ✓ (providers §1.3 HMAC of E)', () => {
    const f = frame(genericPreview(sampleEvent(), true), 120);
    expect(plain(f)).toContain('X-Signature: sha256=051b9113127783fdf15c34d8125a6221ce80579d88abc10806e8d4a761061f31');
    expect(plain(f)).toContain('✓ signature matches the body (HMAC sha256)');
    expect(f).toContain(painted('✓ ', 'green'));
  });

  it('generic-hmac: a mismatching signature gets a red ✗', () => {
    const p: GenericPreview = { ...genericPreview(sampleEvent(), true), signatureValid: false };
    const f = frame(p, 80);
    expect(plain(f)).toContain('✗ signature does not match the body (HMAC sha256)');
    expect(f).toContain(painted('✗ ', 'red'));
  });

  it('generic: a non-JSON body is shown as text', () => {
    const p: GenericPreview = { kind: 'generic', service: 'telegram', method: 'POST', url: 'https://api.telegram.org/bot*****/sendMessage', headers: {}, text: 'chat_id=-100&text=hello' };
    const lines = plain(frame(p, 80)).split('\n');
    expect(lines[0]).toBe('telegram · request as received');
    expect(lines).toContain('chat_id=-100&text=hello');
  });

  it('generic: NO_COLOR has no escape', () => {
    expect(frame(genericPreview(sampleEvent(), true), 80, 'on')).toMatch(ANSI);
    expect(frame(genericPreview(sampleEvent(), true), 80, 'off')).not.toMatch(ANSI);
  });
});
