import { describe, expect, it } from 'vitest';
import { alert, event, object, provider, run } from './build.js';

const slack = provider('flux-system', 'slack');
const outcome = (r: ReturnType<typeof run>, name: string) => {
  const a = r.alerts.find((x) => x.alert === name)!;
  return { outcome: a.outcome, reason: a.reason, a };
};

describe('alert filtering (spec §3)', () => {
  it('§8.1 eventSeverity info matches every severity (error, trace, empty, garbage)', () => {
    for (const sev of ['info', 'error', 'trace', '', 'bogus']) {
      const r = run(event({ severity: sev }), { alerts: [alert('flux-system', 'a', { eventSeverity: 'info' })], providers: [slack] });
      expect(outcome(r, 'flux-system/a').outcome, sev).toBe('dispatched');
    }
  });

  it('§8.1 eventSeverity error matches only error', () => {
    const a = [alert('flux-system', 'a', { eventSeverity: 'error' })];
    expect(outcome(run(event({ severity: 'error' }), { alerts: a, providers: [slack] }), 'flux-system/a').outcome).toBe('dispatched');
    const r = run(event({ severity: 'info' }), { alerts: a, providers: [slack] });
    expect(outcome(r, 'flux-system/a')).toMatchObject({ outcome: 'not-matched', reason: 'no-matching-source' });
    expect(r.alerts[0]!.steps[1]).toMatchObject({ check: 'eventSources[0]', pass: false, rule: '§3.2 B3', deciding: { field: 'severity', want: 'error', got: 'info' } });
  });

  it('§3.2 B3 empty eventSeverity (no API defaulting) passes only an empty event severity', () => {
    const a = [alert('flux-system', 'a', { eventSeverity: '' })];
    expect(outcome(run(event({ severity: '' }), { alerts: a, providers: [slack] }), 'flux-system/a').outcome).toBe('dispatched');
    expect(outcome(run(event({ severity: 'info' }), { alerts: a, providers: [slack] }), 'flux-system/a').outcome).toBe('not-matched');
  });

  it('§8.2 the name wildcard is only the exact string "*"', () => {
    for (const [name, want] of [['*', 'dispatched'], ['podinfo', 'dispatched'], ['pod*', 'not-matched'], ['podinf?', 'not-matched'], ['.*', 'not-matched'], ['PODINFO', 'not-matched']] as const) {
      const r = run(event(), { alerts: [alert('flux-system', 'a', { eventSources: [{ kind: 'Kustomization', name }] })], providers: [slack] });
      expect(outcome(r, 'flux-system/a').outcome, name).toBe(want);
    }
  });

  it('§8.3 an omitted source namespace means the alert namespace, not the event namespace', () => {
    const a = alert('apps', 'a', { eventSources: [{ kind: 'Kustomization', name: '*' }] });
    const r = run(event(), { alerts: [a], providers: [provider('apps', 'slack')] });
    expect(outcome(r, 'apps/a').reason).toBe('no-matching-source');
    expect(r.alerts[0]!.steps[1]!.detail).toContain('defaulted to the alert namespace');
    expect(r.alerts[0]!.steps[1]!.deciding).toEqual({ field: 'namespace', want: 'apps', got: 'flux-system' });
  });

  it('§8.3 an explicit source namespace is never replaced by the alert namespace', () => {
    const a = alert('apps', 'a', { eventSources: [{ kind: 'Kustomization', name: '*', namespace: 'flux-system' }] });
    const r = run(event(), { alerts: [a], providers: [provider('apps', 'slack')] });
    expect(outcome(r, 'apps/a').outcome).toBe('dispatched');
  });

  it('§3.2 B2 a namespace of "*" is a literal string, not a wildcard', () => {
    const a = alert('flux-system', 'a', { eventSources: [{ kind: 'Kustomization', name: '*', namespace: '*' }] });
    expect(outcome(run(event(), { alerts: [a], providers: [slack] }), 'flux-system/a').reason).toBe('no-matching-source');
  });

  it('§8.4 kind must match exactly (case-sensitive)', () => {
    const a = alert('flux-system', 'a', { eventSources: [{ kind: 'kustomization', name: '*' }] });
    const r = run(event(), { alerts: [a], providers: [slack] });
    expect(r.alerts[0]!.steps[1]).toMatchObject({ rule: '§3.2 B2', deciding: { field: 'kind', want: 'kustomization', got: 'Kustomization' } });
  });

  it('§3.2 sources are tried in order and the first match decides; an empty list never matches', () => {
    const a = alert('flux-system', 'a', {
      eventSources: [
        { kind: 'GitRepository', name: '*' },
        { kind: 'Kustomization', name: 'other' },
        { kind: 'Kustomization', name: 'podinfo' },
        { kind: 'Kustomization', name: '*' },
      ],
    });
    const r = run(event(), { alerts: [a], providers: [slack] });
    expect(r.alerts[0]!.steps.filter((s) => s.check.startsWith('eventSources')).map((s) => [s.check, s.pass])).toEqual([
      ['eventSources[0]', false],
      ['eventSources[1]', false],
      ['eventSources[2]', true],
    ]);
    const empty = run(event(), { alerts: [alert('flux-system', 'b', { eventSources: [] })], providers: [slack] });
    expect(empty.alerts[0]).toMatchObject({ outcome: 'not-matched', reason: 'no-matching-source' });
  });

  it('§8.5 matchLabels reads the involved object; an object that cannot be read does not match and records SourceFetchFailed', () => {
    const a = alert('flux-system', 'a', { eventSources: [{ kind: 'Kustomization', name: '*', matchLabels: { team: 'a' } }] });
    const r = run(event(), { alerts: [a], providers: [slack] });
    expect(r.alerts[0]).toMatchObject({ outcome: 'not-matched', reason: 'no-matching-source' });
    expect(r.alerts[0]!.controllerEvents).toEqual([{ reason: 'SourceFetchFailed', message: 'error getting source object Kustomization/flux-system/podinfo' }]);
  });

  it('§8.5 an event without apiVersion can never match a label selector', () => {
    const a = alert('flux-system', 'a', { eventSources: [{ kind: 'Kustomization', name: '*', matchLabels: {} }] });
    const obj = object('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'podinfo', { team: 'a' });
    const e = event();
    delete e.involvedObject.apiVersion;
    const r = run(e, { alerts: [a], providers: [slack], others: [obj] });
    expect(r.alerts[0]!.reason).toBe('no-matching-source');
    expect(r.alerts[0]!.controllerEvents?.[0]?.reason).toBe('SourceFetchFailed');
  });

  it('§8.5 labels that match forward, labels that differ drop', () => {
    const a = alert('flux-system', 'a', { eventSources: [{ kind: 'Kustomization', name: '*', matchLabels: { team: 'a' } }] });
    const yes = object('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'podinfo', { team: 'a', other: 'x' });
    const no = object('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'podinfo', { team: 'b' });
    expect(run(event(), { alerts: [a], providers: [slack], others: [yes] }).alerts[0]!.outcome).toBe('dispatched');
    const r = run(event(), { alerts: [a], providers: [slack], others: [no] });
    expect(r.alerts[0]!.steps[1]).toMatchObject({ rule: '§3.2 B8', pass: false });
    expect(r.alerts[0]!.controllerEvents).toBeUndefined();
  });

  it('§8.6 matchLabels: {} still reads the object and then matches anything', () => {
    const a = alert('flux-system', 'a', { eventSources: [{ kind: 'Kustomization', name: '*', matchLabels: {} }] });
    const obj = object('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'podinfo');
    expect(run(event(), { alerts: [a], providers: [slack], others: [obj] }).alerts[0]!.outcome).toBe('dispatched');
    expect(run(event(), { alerts: [a], providers: [slack] }).alerts[0]!.reason).toBe('no-matching-source');
  });

  it('§8.6 with a specific name, matchLabels still applies', () => {
    const a = alert('flux-system', 'a', { eventSources: [{ kind: 'Kustomization', name: 'podinfo', matchLabels: { team: 'a' } }] });
    const no = object('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'podinfo', { team: 'b' });
    expect(run(event(), { alerts: [a], providers: [slack], others: [no] }).alerts[0]!.reason).toBe('no-matching-source');
  });

  it('§3.2 B7 invalid matchLabels records InvalidConfig with the defaulted namespace, after the object was read', () => {
    const a = alert('flux-system', 'a', { eventSources: [{ kind: 'Kustomization', name: '*', matchLabels: { 'bad key!': 'x' } }] });
    const obj = object('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'podinfo');
    const r = run(event(), { alerts: [a], providers: [slack], others: [obj] });
    expect(r.alerts[0]!.controllerEvents).toEqual([{ reason: 'InvalidConfig', message: 'error using matchLabels from event source Kustomization/flux-system/*' }]);
    // B6 first: with the object missing, SourceFetchFailed wins
    const r2 = run(event(), { alerts: [a], providers: [slack] });
    expect(r2.alerts[0]!.controllerEvents?.map((e) => e.reason)).toEqual(['SourceFetchFailed']);
  });

  it('§8.7 suspended alerts are skipped before anything else', () => {
    const a = alert('flux-system', 'a', { suspend: true, eventSources: [{ kind: 'Kustomization', name: '*', matchLabels: {} }] });
    const r = run(event(), { alerts: [a], providers: [slack] });
    expect(r.alerts[0]).toMatchObject({ outcome: 'not-matched', reason: 'alert-suspended', matched: false });
    expect(r.alerts[0]!.steps).toHaveLength(1);
    expect(r.alerts[0]!.controllerEvents).toBeUndefined();
  });

  it('§8.8 an invalid inclusion regex never includes; alone, the alert never fires; InvalidConfig is recorded', () => {
    const a = alert('flux-system', 'a', { inclusionList: ['(?=Applied)'] });
    const r = run(event(), { alerts: [a], providers: [slack] });
    expect(r.alerts[0]).toMatchObject({ outcome: 'not-matched', reason: 'not-included' });
    expect(r.alerts[0]!.controllerEvents).toEqual([{ reason: 'InvalidConfig', message: 'failed to compile inclusion regex: (?=Applied)' }]);
    const b = alert('flux-system', 'b', { inclusionList: ['(?=x)', 'Applied'] });
    expect(run(event(), { alerts: [b], providers: [slack] }).alerts[0]!.outcome).toBe('dispatched');
  });

  it('§8.9 an invalid exclusion regex never excludes', () => {
    const a = alert('flux-system', 'a', { exclusionList: ['(a)\\1', 'nomatch'] });
    const r = run(event(), { alerts: [a], providers: [slack] });
    expect(r.alerts[0]!.outcome).toBe('dispatched');
    expect(r.alerts[0]!.controllerEvents).toEqual([{ reason: 'InvalidConfig', message: 'failed to compile exclusion regex: (a)\\1' }]);
  });

  it('§8.10 exclusion beats inclusion', () => {
    const a = alert('flux-system', 'a', { inclusionList: ['Applied'], exclusionList: ['abc123'] });
    expect(run(event(), { alerts: [a], providers: [slack] }).alerts[0]).toMatchObject({ outcome: 'not-matched', reason: 'excluded' });
  });

  it('§8.11 regexes are unanchored RE2 searches: ^included does not match "not included"', () => {
    const a = alert('flux-system', 'a', { inclusionList: ['^included'] });
    expect(run(event({ message: 'not included' }), { alerts: [a], providers: [slack] }).alerts[0]!.reason).toBe('not-included');
    expect(run(event({ message: 'included here' }), { alerts: [a], providers: [slack] }).alerts[0]!.outcome).toBe('dispatched');
    const b = alert('flux-system', 'b', { inclusionList: ['revision'] });
    expect(run(event(), { alerts: [b], providers: [slack] }).alerts[0]!.outcome).toBe('dispatched');
  });

  it('§3.4 RE2 syntax that JavaScript lacks works: (?i), \\z, [[:alpha:]], (?P<name>)', () => {
    const cases: Array<[string, string, boolean]> = [
      ['(?i)APPLIED', 'Applied revision', true],
      ['abc123\\z', 'Applied revision: main@sha1:abc123', true],
      ['abc\\z', 'Applied revision: main@sha1:abc123', false],
      ['^[[:alpha:]]+ ', 'Applied revision', true],
      ['(?P<word>revision)', 'Applied revision', true],
    ];
    for (const [re, msg, want] of cases) {
      const r = run(event({ message: msg }), { alerts: [alert('flux-system', 'a', { inclusionList: [re] })], providers: [slack] });
      expect(r.alerts[0]!.outcome === 'dispatched', re).toBe(want);
    }
  });

  it('every loaded alert appears, ordered by namespace then name', () => {
    const r = run(event(), {
      alerts: [alert('z', 'a'), alert('flux-system', 'b'), alert('apps', 'z'), alert('flux-system', 'a')],
      providers: [slack],
    });
    expect(r.alerts.map((a) => a.alert)).toEqual(['apps/z', 'flux-system/a', 'flux-system/b', 'z/a']);
  });
});
