import { describe, expect, it } from 'vitest';
import { commitStatusFor, defaultCommitStatus } from '../../src/flux/commit-status.js';
import { stringMap } from '../../src/flux/types.js';
import { alert, event, provider } from './build.js';

const gh = (expr?: string) => provider('flux-system', 'gh', { type: 'github', address: 'https://github.com/o/r', ...(expr !== undefined ? { commitStatusExpr: expr } : {}) });
const notification = () => event({ metadata: stringMap([['revision', 'main@sha1:abc123'], ['summary', 'prod']]) });

describe('commit status id (spec §6.8)', () => {
  it('§8.40 the default is lower(kind/name/<first UID segment>)', () => {
    expect(defaultCommitStatus('0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a', event({ involvedObject: { kind: 'Kustomization', name: 'gitops-system' } }))).toBe('kustomization/gitops-system/0c9c2e41');
    expect(defaultCommitStatus('NODASH', event({ involvedObject: { kind: 'Kustomization', name: 'PodInfo' } }))).toBe('kustomization/podinfo/nodash');
    expect(defaultCommitStatus('', event())).toBe('kustomization/podinfo/');
  });

  it('§8.40 non-git types get no id', () => {
    expect(commitStatusFor(provider('flux-system', 's'), notification(), alert('flux-system', 'a'))).toEqual({ ok: true, id: '', source: 'none' });
  });

  it('§8.41 a CEL result is used verbatim (not lowercased)', () => {
    const r = commitStatusFor(gh("event.involvedObject.kind + '/' + event.metadata.summary.upperAscii() + '/' + provider.metadata.uid"), notification(), alert('flux-system', 'a'));
    expect(r).toEqual({ ok: true, id: 'Kustomization/PROD/0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a', source: 'expression' });
  });

  it('§8.41 a bare struct field is rejected as dyn', () => {
    const r = commitStatusFor(gh('event.involvedObject.name'), notification(), alert('flux-system', 'a'));
    expect(r).toEqual({ ok: false, error: 'failed to evaluate the spec.commitStatusExpr CEL expression for the event: failed to compile expression: CEL expression output type mismatch: expected string, got dyn' });
  });

  it('§8.41 a boolean expression is rejected', () => {
    const r = commitStatusFor(gh("event.severity == 'info'"), notification(), alert('flux-system', 'a'));
    expect(r.ok === false && r.error.endsWith('CEL expression output type mismatch: expected string, got bool')).toBe(true);
  });

  it('§8.41 an undeclared variable is a compile error', () => {
    const r = commitStatusFor(gh("notification.name + ''"), notification(), alert('flux-system', 'a'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain("undeclared reference to 'notification' (in container '')");
  });

  it('§8.41 a missing map key is an evaluation error (no such key)', () => {
    const r = commitStatusFor(gh("event.metadata.notfound + ''"), notification(), alert('flux-system', 'a'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe(
      "failed to evaluate the spec.commitStatusExpr CEL expression for the event: failed to evaluate the CEL expression 'event.metadata.notfound + ''': no such key: notfound",
    );
  });

  it('§6.8 string(...), lowerAscii() and format give a string type', () => {
    for (const expr of ['string(event.involvedObject.name)', 'event.involvedObject.name.lowerAscii()', "'%s/%s'.format([event.involvedObject.kind, event.involvedObject.name])"]) {
      expect(commitStatusFor(gh(expr), notification(), alert('flux-system', 'a')).ok, expr).toBe(true);
    }
  });

  it('§6.8 fields left out of the JSON are absent in the event map (empty uid)', () => {
    const e = notification();
    delete e.involvedObject.uid;
    const r = commitStatusFor(gh("event.involvedObject.uid + ''"), e, alert('flux-system', 'a'));
    expect(r.ok).toBe(false);
  });

  it('§6.8 an empty expression means the default id', () => {
    expect(commitStatusFor(gh(''), notification(), alert('flux-system', 'a'))).toEqual({ ok: true, id: 'kustomization/podinfo/0c9c2e41', source: 'default' });
  });
});

describe('commit status id with the full CEL environment (spec §6.8)', () => {
  const withEnv = (env?: string, other: [string, string][] = [['revision', 'main@sha1:abc123']]) =>
    event({ involvedObject: { kind: 'Kustomization', name: 'gitops-system' }, metadata: stringMap([...other, ...(env ? [['environment', env] as [string, string]] : [])]) });

  it('§6.8 CEL optional: first().value() of the provider UID (NC TestCreateCommitStatus)', () => {
    const expr = "event.involvedObject.kind + '/' + event.involvedObject.name + '/' + event.metadata.environment + '/' + provider.metadata.uid.split('-').first().value()";
    expect(commitStatusFor(gh(expr), withEnv('production'), alert('flux-system', 'a'))).toEqual({ ok: true, id: 'Kustomization/gitops-system/production/0c9c2e41', source: 'expression' });
  });

  it('§6.8 CEL optional: event.metadata.?environment.orValue(...) falls back when the key is missing', () => {
    const expr = "event.involvedObject.name + '/' + event.metadata.?environment.orValue('default')";
    expect(commitStatusFor(gh(expr), withEnv('production'), alert('flux-system', 'a'))).toEqual({ ok: true, id: 'gitops-system/production', source: 'expression' });
    expect(commitStatusFor(gh(expr), withEnv(), alert('flux-system', 'a'))).toEqual({ ok: true, id: 'gitops-system/default', source: 'expression' });
  });

  it('§6.8 CEL optional: empty metadata is absent from the event map, so only event.?metadata survives it', () => {
    const noMetadata = withEnv(undefined, []);
    expect(commitStatusFor(gh("event.involvedObject.name + '/' + event.?metadata.environment.orValue('default')"), noMetadata, alert('flux-system', 'a'))).toEqual({
      ok: true,
      id: 'gitops-system/default',
      source: 'expression',
    });
    const r = commitStatusFor(gh("event.involvedObject.name + '/' + event.metadata.?environment.orValue('default')"), noMetadata, alert('flux-system', 'a'));
    expect(!r.ok && r.error.endsWith(': no such key: metadata')).toBe(true);
  });

  it('§6.8 CEL sets and base64 in a commit status id', () => {
    const expr = "(sets.contains(['Kustomization', 'HelmRelease'], [event.involvedObject.kind]) ? 'flux' : 'other') + '/' + base64.encode(bytes(event.involvedObject.name))";
    expect(commitStatusFor(gh(expr), withEnv(), alert('flux-system', 'a'))).toEqual({ ok: true, id: 'flux/Z2l0b3BzLXN5c3RlbQ==', source: 'expression' });
  });

  it('§6.8 CEL output type: an optional result is rejected with the wrapped compile error', () => {
    const r = commitStatusFor(gh("provider.metadata.uid.split('-').first()"), withEnv(), alert('flux-system', 'a'));
    expect(r).toEqual({
      ok: false,
      error: 'failed to evaluate the spec.commitStatusExpr CEL expression for the event: failed to compile expression: CEL expression output type mismatch: expected string, got optional_type(string)',
    });
  });

  it('§6.8 CEL optional: value() of an empty optional fails at evaluation', () => {
    const r = commitStatusFor(gh("event.metadata.?environment.value() + ''"), withEnv(), alert('flux-system', 'a'));
    expect(r).toEqual({
      ok: false,
      error: "failed to evaluate the spec.commitStatusExpr CEL expression for the event: failed to evaluate the CEL expression 'event.metadata.?environment.value() + ''': optional.none() dereference",
    });
  });
});
