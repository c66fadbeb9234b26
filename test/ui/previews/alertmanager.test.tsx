import { describe, expect, it, vi } from 'vitest';
// Truecolor forced before Ink's chalk loads: with a dumb TERM, chalk takes the FORCE_COLOR level
// as is, so every run draws at the same depth (the one where wrapped colour is hardest).
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
  process.env.TERM = 'dumb';
});
import { ANSI, frame, overflowing, painted, plain } from './frame.js';
import { alertmanagerPreview, healthCheckFailed } from './models.js';

describe('Alertmanager preview', () => {
  it('alertmanager: sample E alert at 80 columns', () => {
    const f = frame(alertmanagerPreview(), 80);
    expect(overflowing(f, 80)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('alertmanager: sample E alert at 120 columns', () => {
    const f = frame(alertmanagerPreview(), 120);
    expect(overflowing(f, 120)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('alertmanager: alertname heading, summary moved to the annotations (providers §4.16)', () => {
    const f = plain(frame(alertmanagerPreview(), 80));
    expect(f.split('\n')[1]).toBe('● firing  FluxKustomizationReconciliationsucceeded');
    expect(f).toContain('  summary  Cluster: production');
    expect(f).toContain('  message  Applied revision: main@sha1:abc123');
    expect(f).not.toContain('summary=');
    expect(f).toContain('severity=info');
  });

  it('alertmanager: the zero endsAt is explained as not set', () => {
    expect(plain(frame(alertmanagerPreview(), 80))).toContain('  ends   0001-01-01T00:00:00Z, i.e. not set (resolve timeout applies)');
  });

  it('alertmanager: firing is red; long annotations wrap within 80 columns', () => {
    const f = frame(alertmanagerPreview(healthCheckFailed()), 80);
    expect(f).toContain(painted('● firing', 'red'));
    expect(overflowing(f, 80)).toEqual([]);
    expect(plain(f)).toMatchSnapshot();
  });

  it('alertmanager: NO_COLOR has no escape', () => {
    expect(frame(alertmanagerPreview(), 80, 'on')).toMatch(ANSI);
    expect(frame(alertmanagerPreview(), 80, 'off')).not.toMatch(ANSI);
  });
});
