import { describe, expect, it } from 'vitest';
import {
  ALERT_SOURCE_KINDS,
  COMMIT_STATUS_EXPR_MESSAGE,
  decodeBase64Strict,
  formatGoDuration,
  OLD_VERSION_WARNING,
  parseGoDuration,
  PROVIDER_TYPES,
  validateAlert,
  validateObjectMeta,
  validateProvider,
  validateSecret,
  assignedUid,
} from '../../src/flux/validate.js';
import type { Issue } from '../../src/flux/validate.js';

const V3 = 'notification.toolkit.fluxcd.io/v1beta3';
const V2 = 'notification.toolkit.fluxcd.io/v1beta2';
const V1 = 'notification.toolkit.fluxcd.io/v1beta1';

function alert(spec: unknown, extra: Record<string, unknown> = {}, apiVersion = V3): Record<string, unknown> {
  return { apiVersion, kind: 'Alert', metadata: { name: 'on-call', namespace: 'flux-system' }, spec, ...extra };
}

function provider(spec: unknown, extra: Record<string, unknown> = {}, apiVersion = V3): Record<string, unknown> {
  return { apiVersion, kind: 'Provider', metadata: { name: 'slack', namespace: 'flux-system' }, spec, ...extra };
}

const okAlertSpec = () => ({ providerRef: { name: 'slack' }, eventSources: [{ kind: 'Kustomization', name: '*' }] });

const errors = (issues: Issue[]) => issues.filter((i) => i.severity === 'error');
const warnings = (issues: Issue[]) => issues.filter((i) => i.severity === 'warning');
const fields = (issues: Issue[]) => issues.map((i) => i.path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '['));

describe('Alert v1beta3 CRD (spec §7.2, §7.3)', () => {
  it('CRD: a valid Alert is accepted with no errors (spec §7.2)', () => {
    const r = validateAlert(alert(okAlertSpec()));
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([]);
    // no uid in the manifest: one is assigned, stable per kind/namespace/name, as the API server would assign one
    expect(r.metadata).toEqual({ name: 'on-call', namespace: 'flux-system', uid: assignedUid('Alert', 'flux-system', 'on-call') });
    expect(r.spec?.providerRef).toEqual({ name: 'slack' });
    expect(r.spec?.eventSources).toEqual([{ kind: 'Kustomization', name: '*' }]);
  });

  it('CRD: Alert spec.providerRef and spec.eventSources are required (spec §7.2)', () => {
    const r = validateAlert(alert({}));
    expect(r.ok).toBe(false);
    expect(fields(errors(r.issues))).toEqual(['spec.eventSources', 'spec.providerRef']);
    expect(errors(r.issues)[0]!.message).toBe('spec.eventSources: Required value');
    expect(errors(r.issues)[0]!.rule).toBe('required');
    expect(errors(r.issues)[1]!.hint).toContain('providerRef.name');
  });

  it('CRD: Alert providerRef.name is required (spec §7.2)', () => {
    const r = validateAlert(alert({ providerRef: {}, eventSources: [] }));
    expect(r.ok).toBe(false);
    expect(errors(r.issues).map((i) => i.message)).toEqual(['spec.providerRef.name: Required value']);
  });

  it('CRD: Alert eventSources may be an empty list (spec §7.2: no minimum length)', () => {
    const r = validateAlert(alert({ providerRef: { name: 'slack' }, eventSources: [] }));
    expect(r.ok).toBe(true);
    expect(r.spec?.eventSources).toEqual([]);
  });

  it('CRD default: Alert eventSeverity defaults to info (spec §7.2, §3.2 B3)', () => {
    const r = validateAlert(alert(okAlertSpec()));
    expect(r.spec?.eventSeverity).toBe('info');
    expect((r.stored.spec as Record<string, unknown>).eventSeverity).toBe('info');
  });

  it('CRD default: eventSeverity: null is pruned, then defaulted to info (API server null pruning)', () => {
    const r = validateAlert(alert({ ...okAlertSpec(), eventSeverity: null }));
    expect(r.ok).toBe(true);
    expect(r.spec?.eventSeverity).toBe('info');
  });

  it('CRD: a null required field is pruned and then reported as missing', () => {
    const r = validateAlert(alert({ providerRef: { name: 'slack' }, eventSources: null }));
    expect(errors(r.issues).map((i) => i.message)).toEqual(['spec.eventSources: Required value']);
  });

  it('CRD enum: Alert eventSeverity is info or error; "warning" is rejected (spec §7.2)', () => {
    expect(validateAlert(alert({ ...okAlertSpec(), eventSeverity: 'error' })).spec?.eventSeverity).toBe('error');
    const r = validateAlert(alert({ ...okAlertSpec(), eventSeverity: 'warning' }));
    expect(r.ok).toBe(false);
    expect(errors(r.issues)).toEqual([{
      severity: 'error', path: ['spec', 'eventSeverity'], rule: 'enum',
      message: 'spec.eventSeverity: Unsupported value: "warning": supported values: "info", "error"',
      hint: 'use one of: info, error',
    }]);
  });

  it('CRD enum: eventSeverity is case-sensitive and the hint suggests the right case', () => {
    const r = validateAlert(alert({ ...okAlertSpec(), eventSeverity: 'Error' }));
    expect(errors(r.issues)[0]!.hint).toBe('did you mean "error"?');
  });

  it('CRD enum: eventSources[].kind accepts the 12 kinds of spec §7.3', () => {
    expect([...ALERT_SOURCE_KINDS]).toEqual([
      'Bucket', 'GitRepository', 'Kustomization', 'HelmRelease', 'HelmChart', 'HelmRepository',
      'ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation', 'OCIRepository', 'ArtifactGenerator',
      'ExternalArtifact',
    ]);
    const r = validateAlert(alert({ providerRef: { name: 'p' }, eventSources: ALERT_SOURCE_KINDS.map((kind) => ({ kind, name: '*' })) }));
    expect(r.ok).toBe(true);
  });

  it('CRD enum: eventSources[].kind rejects other kinds, with a spelling hint (spec §7.3)', () => {
    const r = validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'GitRepository', name: 'a' }, { kind: 'Kustomisation', name: 'x' }] }));
    expect(r.ok).toBe(false);
    const [e] = errors(r.issues);
    expect(fields([e!])).toEqual(['spec.eventSources[1].kind']);
    expect(e!.message).toMatch(/^spec\.eventSources\[1\]\.kind: Unsupported value: "Kustomisation": supported values: "Bucket", /);
    expect(e!.hint).toBe('did you mean "Kustomization"?');
    const cm = validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'ConfigMap', name: 'x' }] }));
    expect(cm.ok).toBe(false);
  });

  it('CRD: eventSources[].kind and name are required (spec §7.3)', () => {
    const r = validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ namespace: 'apps' }] }));
    expect(fields(errors(r.issues))).toEqual(['spec.eventSources[0].kind', 'spec.eventSources[0].name']);
  });

  it('CRD length: eventSources[].name is 1–253 characters (spec §7.3)', () => {
    const withName = (name: string) => validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'Bucket', name }] }));
    expect(withName('a'.repeat(253)).ok).toBe(true);
    const long = withName('a'.repeat(254));
    expect(errors(long.issues).map((i) => [i.rule, i.message])).toEqual([['maxLength', 'spec.eventSources[0].name: Too long: may not be more than 253 bytes']]);
    const empty = withName('');
    expect(errors(empty.issues).map((i) => [i.rule, i.message])).toEqual([['minLength', 'spec.eventSources[0].name: Invalid value: "": spec.eventSources[0].name in body should be at least 1 chars long']]);
  });

  it('CRD length: eventSources[].namespace is 1–253 characters (spec §7.3)', () => {
    const withNs = (namespace: string) => validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'Bucket', name: 'b', namespace }] }));
    expect(withNs('n'.repeat(253)).ok).toBe(true);
    expect(withNs('n'.repeat(254)).ok).toBe(false);
    expect(withNs('').ok).toBe(false);
  });

  it('CRD: matchLabels {} stays present and empty, absent stays absent (spec §3.2 B5)', () => {
    const r = validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'Bucket', name: '*', matchLabels: {} }, { kind: 'Bucket', name: 'x' }] }));
    expect(r.spec?.eventSources[0]!.matchLabels).toEqual({});
    expect(r.spec?.eventSources[1]!.matchLabels).toBeUndefined();
    expect(Object.hasOwn(r.spec!.eventSources[1]!, 'matchLabels')).toBe(false);
  });

  it('CRD: matchLabels is a string map; matchLabels with a specific name is accepted (spec §7.3)', () => {
    const ok = validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'Bucket', name: 'x', matchLabels: { team: 'a' } }] }));
    expect(ok.ok).toBe(true);
    expect(ok.spec?.eventSources[0]!.matchLabels).toEqual({ team: 'a' });
    const bad = validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'Bucket', name: '*', matchLabels: { enabled: true } }] }));
    expect(errors(bad.issues).map((i) => i.message)).toEqual([
      'spec.eventSources[0].matchLabels.enabled: Invalid value: "boolean": spec.eventSources[0].matchLabels.enabled in body must be of type string: "boolean"',
    ]);
    expect(errors(bad.issues)[0]!.hint).toBe('quote the value: "true"');
  });

  it('CRD: eventSources[].apiVersion is accepted and kept (spec §7.3: ignored by matching)', () => {
    const r = validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', name: 'x' }] }));
    expect(r.spec?.eventSources[0]!.apiVersion).toBe('source.toolkit.fluxcd.io/v1');
  });

  it('CRD length: Alert summary is at most 255 characters (spec §7.2)', () => {
    expect(validateAlert(alert({ ...okAlertSpec(), summary: 's'.repeat(255) })).ok).toBe(true);
    // OpenAPI counts characters, not bytes: 255 two-byte characters are fine.
    expect(validateAlert(alert({ ...okAlertSpec(), summary: 'é'.repeat(255) })).ok).toBe(true);
    const r = validateAlert(alert({ ...okAlertSpec(), summary: 's'.repeat(256) }));
    expect(errors(r.issues).map((i) => [i.rule, i.message])).toEqual([['maxLength', 'spec.summary: Too long: may not be more than 255 bytes']]);
    expect(errors(r.issues)[0]!.hint).toContain('eventMetadata');
  });

  it('CRD type: Alert suspend must be a boolean; a quoted "true" is rejected with a hint', () => {
    const r = validateAlert(alert({ ...okAlertSpec(), suspend: 'true' }));
    expect(errors(r.issues)).toEqual([{
      severity: 'error', path: ['spec', 'suspend'], rule: 'type',
      message: 'spec.suspend: Invalid value: "string": spec.suspend in body must be of type boolean: "string"',
      hint: 'remove the quotes: true',
    }]);
    expect(validateAlert(alert({ ...okAlertSpec(), suspend: true })).spec?.suspend).toBe(true);
  });

  it('Go zero value: an absent suspend reads as false (spec §7.2 default false)', () => {
    expect(validateAlert(alert(okAlertSpec())).spec?.suspend).toBe(false);
  });

  it('CRD: inclusionList and exclusionList regexes are not validated (spec §7.2)', () => {
    const r = validateAlert(alert({ ...okAlertSpec(), inclusionList: ['(unclosed', '^ok$'], exclusionList: ['a(?=b)'] }));
    expect(r.ok).toBe(true);
    expect(r.spec?.inclusionList).toEqual(['(unclosed', '^ok$']);
    expect(r.spec?.exclusionList).toEqual(['a(?=b)']);
  });

  it('CRD type: eventMetadata is a map of strings (spec §7.2)', () => {
    expect(validateAlert(alert({ ...okAlertSpec(), eventMetadata: { env: 'prod' } })).spec?.eventMetadata).toEqual({ env: 'prod' });
    expect(validateAlert(alert({ ...okAlertSpec(), eventMetadata: { replicas: 3 } })).ok).toBe(false);
    expect(validateAlert(alert({ ...okAlertSpec(), eventMetadata: ['a'] })).ok).toBe(false);
  });

  it('CRD pruning: unknown fields are dropped with a warning naming the field', () => {
    const r = validateAlert(alert({ ...okAlertSpec(), eventsources: [], severity: 'error' }, { extra: 1 }));
    expect(r.ok).toBe(true);
    expect(warnings(r.issues).map((i) => [i.rule, i.message, i.hint])).toEqual([
      ['unknown-field', 'unknown field "spec.eventsources"', 'did you mean "eventSources"?'],
      ['unknown-field', 'unknown field "spec.severity"', 'remove it: the API server drops unknown fields (kubectl apply --validate=strict rejects the object)'],
      ['unknown-field', 'unknown field "extra"', 'remove it: the API server drops unknown fields (kubectl apply --validate=strict rejects the object)'],
    ]);
    expect(r.stored).not.toHaveProperty('extra');
    expect(r.stored.spec).not.toHaveProperty('severity');
    expect(r.spec?.eventSeverity).toBe('info');
  });

  it('CRD pruning: unknown fields inside eventSources items are dropped', () => {
    const r = validateAlert(alert({ providerRef: { name: 'p', namespace: 'x' }, eventSources: [{ kind: 'Bucket', name: 'b', labels: { a: 'b' } }] }));
    expect(r.ok).toBe(true);
    expect(warnings(r.issues).map((i) => i.message)).toEqual([
      'unknown field "spec.providerRef.namespace"',
      'unknown field "spec.eventSources[0].labels"',
    ]);
    expect(r.spec?.providerRef).toEqual({ name: 'p' });
  });

  it('CRD pruning: v1beta3 has no status, so status is an unknown field (spec §7.1)', () => {
    const r = validateAlert(alert(okAlertSpec(), { status: { observedGeneration: 1 } }));
    expect(r.ok).toBe(true);
    expect(warnings(r.issues).map((i) => i.message)).toEqual(['unknown field "status"']);
  });

  it('CRD type: spec must be an object', () => {
    const r = validateAlert(alert(['a']));
    expect(errors(r.issues).map((i) => i.message)).toEqual(['spec: Invalid value: "array": spec in body must be of type object: "array"']);
  });

  it('API server: an Alert without spec is stored; it warns that it matches nothing', () => {
    const r = validateAlert({ apiVersion: V3, kind: 'Alert', metadata: { name: 'a', namespace: 'n' } });
    expect(r.ok).toBe(true);
    expect(warnings(r.issues).map((i) => i.rule)).toEqual(['no-spec']);
    expect(r.spec).toEqual({ providerRef: { name: '' }, eventSeverity: '', eventSources: [], suspend: false });
  });

  it('served versions: notification.toolkit.fluxcd.io/v1 Alert is not served (spec §7.1)', () => {
    const r = validateAlert(alert(okAlertSpec(), {}, 'notification.toolkit.fluxcd.io/v1'));
    expect(r.ok).toBe(false);
    expect(errors(r.issues)).toEqual([{
      severity: 'error', path: ['apiVersion'], rule: 'served-versions',
      message: 'no matches for kind "Alert" in version "notification.toolkit.fluxcd.io/v1"',
      hint: 'use apiVersion: notification.toolkit.fluxcd.io/v1beta3',
    }]);
  });

  it('CEL object: the alert map is the Go view (omitempty zero values absent, spec §6.8)', () => {
    const r = validateAlert(alert({ ...okAlertSpec(), summary: '', suspend: false, inclusionList: [], eventSources: [{ kind: 'Bucket', name: '*', matchLabels: {}, namespace: 'apps' }] }));
    expect(r.object).toEqual({
      apiVersion: V3,
      kind: 'Alert',
      metadata: { name: 'on-call', namespace: 'flux-system', uid: assignedUid('Alert', 'flux-system', 'on-call') },
      spec: {
        providerRef: { name: 'slack' },
        eventSeverity: 'info',
        eventSources: [{ kind: 'Bucket', name: '*', namespace: 'apps' }],
      },
    });
  });
});

describe('Provider v1beta3 CRD (spec §7.4, §7.5)', () => {
  it('CRD enum: Provider type is one of the 34 types of spec §7.5', () => {
    expect([...PROVIDER_TYPES]).toEqual([
      'slack', 'discord', 'msteams', 'rocket', 'generic', 'generic-hmac', 'github', 'gitlab', 'gitea',
      'giteapullrequestcomment', 'bitbucketserver', 'bitbucket', 'azuredevops', 'googlechat',
      'googlepubsub', 'webex', 'sentry', 'azureeventhub', 'telegram', 'lark', 'matrix', 'opsgenie',
      'alertmanager', 'grafana', 'githubdispatch', 'githubpullrequestcomment',
      'gitlabmergerequestcomment', 'pagerduty', 'datadog', 'nats', 'zulip', 'otel', 'zoom',
      'incident.io',
    ]);
    expect(PROVIDER_TYPES).toHaveLength(34);
    for (const type of PROVIDER_TYPES) expect(validateProvider(provider({ type })).ok, type).toBe(true);
  });

  it('CRD enum: "forwarder" is not a Provider type (spec §7.5)', () => {
    const r = validateProvider(provider({ type: 'forwarder' }));
    expect(r.ok).toBe(false);
    expect(errors(r.issues)[0]!.message).toMatch(/^spec\.type: Unsupported value: "forwarder": supported values: "slack", "discord", /);
  });

  it('CRD enum: a near-miss type gets a suggestion', () => {
    expect(errors(validateProvider(provider({ type: 'MSTeams' })).issues)[0]!.hint).toBe('did you mean "msteams"?');
    expect(errors(validateProvider(provider({ type: 'github-dispatch' })).issues)[0]!.hint).toBe('did you mean "githubdispatch"?');
  });

  it('CRD: Provider spec.type is required (spec §7.4)', () => {
    const r = validateProvider(provider({ channel: 'x' }));
    expect(errors(r.issues).map((i) => i.message)).toEqual(['spec.type: Required value']);
  });

  it('CRD: Provider timeout pattern rejects hours (spec §7.4)', () => {
    const r = validateProvider(provider({ type: 'slack', timeout: '1h' }));
    expect(r.ok).toBe(false);
    expect(errors(r.issues)).toEqual([{
      severity: 'error', path: ['spec', 'timeout'], rule: 'pattern',
      message: `spec.timeout: Invalid value: "1h": spec.timeout in body should match '^([0-9]+(\\.[0-9]+)?(ms|s|m))+$'`,
      hint: 'use ms, s or m units, e.g. 30s or 1m30s; hours are not accepted (write 60m)',
    }]);
  });

  it('§8.43 CRD: Provider timeout pattern accepts ms, s, m, fractions and 0s (spec §7.4)', () => {
    for (const timeout of ['0s', '15s', '500ms', '1m30s', '1.5s', '2m', '1m0.5s']) {
      expect(validateProvider(provider({ type: 'slack', timeout })).ok, timeout).toBe(true);
    }
    for (const timeout of ['30', '1 m', '-1s', '1.s', 's', '', '1h30m', '1us']) {
      expect(validateProvider(provider({ type: 'slack', timeout })).ok, timeout).toBe(false);
    }
  });

  it('CRD: Provider interval pattern accepts hours (spec §7.4)', () => {
    expect(validateProvider(provider({ type: 'slack', interval: '1h' })).ok).toBe(true);
    expect(validateProvider(provider({ type: 'slack', interval: '1h30m' })).ok).toBe(true);
    const r = validateProvider(provider({ type: 'slack', interval: '1d' }));
    expect(errors(r.issues)[0]!.message).toBe(`spec.interval: Invalid value: "1d": spec.interval in body should match '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$'`);
  });

  it('CRD length: Provider channel, username and address are at most 2048 characters (spec §7.4)', () => {
    for (const field of ['channel', 'username', 'address']) {
      expect(validateProvider(provider({ type: 'generic', [field]: 'x'.repeat(2048) })).ok, field).toBe(true);
      const r = validateProvider(provider({ type: 'generic', [field]: 'x'.repeat(2049) }));
      expect(errors(r.issues).map((i) => i.message)).toEqual([`spec.${field}: Too long: may not be more than 2048 bytes`]);
    }
  });

  it('CRD: Provider proxy pattern ^(http|https)://.*$ and max length 2048 (spec §7.4)', () => {
    expect(validateProvider(provider({ type: 'slack', proxy: 'http://proxy:3128' })).ok).toBe(true);
    expect(validateProvider(provider({ type: 'slack', proxy: 'https://proxy' })).ok).toBe(true);
    const socks = validateProvider(provider({ type: 'slack', proxy: 'socks5://proxy:1080' }));
    expect(errors(socks.issues)[0]!.message).toBe(`spec.proxy: Invalid value: "socks5://proxy:1080": spec.proxy in body should match '^(http|https)://.*$'`);
    // Go's "." stops at a newline and "$" is the end of text.
    expect(validateProvider(provider({ type: 'slack', proxy: 'http://a\nb' })).ok).toBe(false);
    expect(validateProvider(provider({ type: 'slack', proxy: `http://${'p'.repeat(2041)}` })).ok).toBe(true);
    expect(validateProvider(provider({ type: 'slack', proxy: `http://${'p'.repeat(2042)}` })).ok).toBe(false);
  });

  it('CRD: secretRef, certSecretRef and proxySecretRef need a name (spec §7.4)', () => {
    for (const ref of ['secretRef', 'certSecretRef', 'proxySecretRef']) {
      const r = validateProvider(provider({ type: 'slack', [ref]: {} }));
      expect(errors(r.issues).map((i) => i.message), ref).toEqual([`spec.${ref}.name: Required value`]);
    }
    const ok = validateProvider(provider({ type: 'slack', secretRef: { name: 's' }, certSecretRef: { name: 'c' }, proxySecretRef: { name: 'p' } }));
    expect(ok.spec).toMatchObject({ secretRef: { name: 's' }, certSecretRef: { name: 'c' }, proxySecretRef: { name: 'p' } });
  });

  it('CRD CEL rule: commitStatusExpr is rejected on non-commit-status types with the exact message (spec §7.4)', () => {
    expect(COMMIT_STATUS_EXPR_MESSAGE).toBe(
      "spec.commitStatusExpr is only supported for the 'github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops' provider types",
    );
    const r = validateProvider(provider({ type: 'slack', commitStatusExpr: "'x'" }));
    expect(r.ok).toBe(false);
    expect(errors(r.issues)).toEqual([{
      severity: 'error', path: ['spec'], rule: 'cel',
      message: `spec: Invalid value: "object": ${COMMIT_STATUS_EXPR_MESSAGE}`,
      hint: 'remove spec.commitStatusExpr, or use one of the types github, gitlab, gitea, bitbucketserver, bitbucket, azuredevops',
    }]);
  });

  it('CRD CEL rule: an empty commitStatusExpr still counts as present (spec §7.4 has())', () => {
    expect(validateProvider(provider({ type: 'generic', commitStatusExpr: '' })).ok).toBe(false);
  });

  it('CRD CEL rule: the six commit-status types accept commitStatusExpr (spec §7.4)', () => {
    for (const type of ['github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops']) {
      const r = validateProvider(provider({ type, commitStatusExpr: "event.involvedObject.name + '/x'" }));
      expect(r.ok, type).toBe(true);
      expect(r.spec?.commitStatusExpr).toBe("event.involvedObject.name + '/x'");
    }
    // The comment types are not commit-status types.
    expect(validateProvider(provider({ type: 'githubpullrequestcomment', commitStatusExpr: "'x'" })).ok).toBe(false);
  });

  it('CRD: serviceAccountName is accepted as a string (spec §7.4)', () => {
    expect(validateProvider(provider({ type: 'azureeventhub', serviceAccountName: 'sa' })).spec?.serviceAccountName).toBe('sa');
  });

  it('CRD type: Provider suspend must be a boolean; absent reads as false (spec §7.4)', () => {
    expect(validateProvider(provider({ type: 'slack' })).spec?.suspend).toBe(false);
    expect(validateProvider(provider({ type: 'slack', suspend: true })).spec?.suspend).toBe(true);
    expect(validateProvider(provider({ type: 'slack', suspend: 'yes' })).ok).toBe(false);
  });

  it('CRD type: a number where a string is expected is rejected with a quoting hint', () => {
    const r = validateProvider(provider({ type: 'slack', channel: 12345 }));
    expect(errors(r.issues)).toEqual([{
      severity: 'error', path: ['spec', 'channel'], rule: 'type',
      message: 'spec.channel: Invalid value: "integer": spec.channel in body must be of type string: "integer"',
      hint: 'quote the value: "12345"',
    }]);
  });

  it('CEL object: the provider map is the Go view, durations re-encoded by time.Duration (spec §6.8)', () => {
    const r = validateProvider(provider({ type: 'github', timeout: '90s', interval: '60m', address: '', suspend: false, secretRef: { name: 'tok' } }, { metadata: { name: 'gh', namespace: 'ns', uid: '0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a' } }));
    expect(r.object).toEqual({
      apiVersion: V3,
      kind: 'Provider',
      metadata: { name: 'gh', namespace: 'ns', uid: '0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a' },
      spec: { type: 'github', interval: '1h0m0s', timeout: '1m30s', secretRef: { name: 'tok' } },
    });
    // The typed spec keeps the text as written.
    expect(r.spec?.timeout).toBe('90s');
    expect(r.metadata?.uid).toBe('0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a');
  });
});

describe('older API versions (spec §7.1)', () => {
  it('§8.44 conversion: a v1beta2 Provider is converted with the v1.9 warning (spec §7.1)', () => {
    const r = validateProvider(provider({ type: 'slack', channel: 'c' }, {}, V2));
    expect(r.ok).toBe(true);
    expect(r.version).toBe('v1beta2');
    expect(OLD_VERSION_WARNING).toBe('v1.9 serves only v1beta3: this manifest would be rejected by the cluster; converted for simulation');
    expect(warnings(r.issues).map((i) => [i.rule, i.message])).toEqual([['served-versions', OLD_VERSION_WARNING]]);
    expect(r.object.apiVersion).toBe(V3);
    expect(r.stored.apiVersion).toBe(V3);
    expect(r.spec).toEqual({ type: 'slack', channel: 'c', suspend: false });
  });

  it('conversion: the v1beta2 Provider type enum lacks the 8 newer types (spec §7.1)', () => {
    for (const type of ['githubpullrequestcomment', 'gitlabmergerequestcomment', 'giteapullrequestcomment', 'nats', 'zulip', 'otel', 'zoom', 'incident.io']) {
      const r = validateProvider(provider({ type }, {}, V2));
      expect(r.ok, type).toBe(false);
      expect(errors(r.issues)[0]!.hint, type).toBe(`type "${type}" is newer than this API version: change apiVersion to ${V3}`);
    }
    for (const type of ['gitea', 'bitbucketserver', 'googlepubsub', 'pagerduty', 'datadog', 'githubdispatch']) {
      expect(validateProvider(provider({ type }, {}, V2)).ok, type).toBe(true);
    }
  });

  it('conversion: v1beta2 has no proxySecretRef, serviceAccountName or commitStatusExpr; they are pruned (spec §7.1)', () => {
    const r = validateProvider(provider({ type: 'github', proxySecretRef: { name: 'p' }, serviceAccountName: 'sa', commitStatusExpr: "'x'" }, {}, V2));
    expect(r.ok).toBe(true);
    const unknown = warnings(r.issues).filter((i) => i.rule === 'unknown-field');
    expect(unknown.map((i) => i.message)).toEqual([
      'unknown field "spec.proxySecretRef"',
      'unknown field "spec.serviceAccountName"',
      'unknown field "spec.commitStatusExpr"',
    ]);
    expect(unknown[2]!.hint).toBe(`this field exists in v1beta3 only: change apiVersion to ${V3}`);
    expect(r.spec).toEqual({ type: 'github', suspend: false });
  });

  it('conversion: v1beta2 keeps the same validation as v1beta3 for shared fields (timeout, proxy, lengths)', () => {
    expect(validateProvider(provider({ type: 'slack', timeout: '1h' }, {}, V2)).ok).toBe(false);
    expect(validateProvider(provider({ type: 'slack', address: 'x'.repeat(2049) }, {}, V2)).ok).toBe(false);
    expect(validateProvider(provider({ type: 'slack', interval: '1h' }, {}, V2)).ok).toBe(true);
  });

  it('conversion: a v1beta2 status is ignored (status subresource), not reported as unknown', () => {
    const r = validateAlert(alert(okAlertSpec(), { status: { observedGeneration: 2, conditions: [] } }, V2));
    expect(r.ok).toBe(true);
    expect(r.issues.map((i) => i.rule)).toEqual(['served-versions', 'status-subresource']);
    expect(r.stored).not.toHaveProperty('status');
  });

  it('conversion: a v1beta2 Alert has the v1beta3 fields and defaults (eventSeverity info, spec §7.1)', () => {
    const r = validateAlert(alert({ ...okAlertSpec(), inclusionList: ['a'], eventMetadata: { k: 'v' }, summary: 's' }, {}, V2));
    expect(r.ok).toBe(true);
    expect(r.spec).toEqual({
      providerRef: { name: 'slack' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }],
      inclusionList: ['a'], eventMetadata: { k: 'v' }, summary: 's', suspend: false,
    });
  });

  it('conversion: v1beta1 Alert has no inclusionList or eventMetadata (v1.6.0 CRD)', () => {
    const r = validateAlert(alert({ ...okAlertSpec(), inclusionList: ['a'], eventMetadata: { k: 'v' } }, {}, V1));
    expect(r.ok).toBe(true);
    expect(warnings(r.issues).filter((i) => i.rule === 'unknown-field').map((i) => [i.message, i.hint])).toEqual([
      ['unknown field "spec.inclusionList"', `this field exists in v1beta2, v1beta3 only: change apiVersion to ${V3}`],
      ['unknown field "spec.eventMetadata"', `this field exists in v1beta2, v1beta3 only: change apiVersion to ${V3}`],
    ]);
    expect(r.spec?.inclusionList).toBeUndefined();
    expect(r.spec?.eventSeverity).toBe('info');
  });

  it('conversion: v1beta1 eventSources kinds lack ArtifactGenerator and ExternalArtifact (v1.6.0 CRD)', () => {
    const r = validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'ExternalArtifact', name: 'x' }] }, {}, V1));
    expect(r.ok).toBe(false);
    expect(errors(r.issues)[0]!.hint).toBe(`kind "ExternalArtifact" is newer than this API version: change apiVersion to ${V3}`);
    expect(validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'OCIRepository', name: 'x' }] }, {}, V1)).ok).toBe(true);
  });

  it('conversion: v1beta1 eventSources name and namespace are at most 53 characters (v1.6.0 CRD)', () => {
    expect(validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'Bucket', name: 'a'.repeat(53) }] }, {}, V1)).ok).toBe(true);
    expect(validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'Bucket', name: 'a'.repeat(54) }] }, {}, V1)).ok).toBe(false);
    expect(validateAlert(alert({ providerRef: { name: 'p' }, eventSources: [{ kind: 'Bucket', name: 'b', namespace: 'n'.repeat(54) }] }, {}, V1)).ok).toBe(false);
  });

  it('conversion: a v1beta1 summary has no length limit, but v1beta3 would reject it (warning)', () => {
    const r = validateAlert(alert({ ...okAlertSpec(), summary: 's'.repeat(300) }, {}, V1));
    expect(r.ok).toBe(true);
    const later = warnings(r.issues).filter((i) => i.rule === 'maxLength');
    expect(later.map((i) => i.message)).toEqual(['as v1beta3: spec.summary: Too long: may not be more than 255 bytes']);
    expect(r.spec?.summary).toHaveLength(300);
  });

  it('conversion: v1beta1 Provider address and proxy must start with http(s):// (v1.6.0 CRD)', () => {
    const r = validateProvider(provider({ type: 'slack', address: 'hooks.slack.com/x' }, {}, V1));
    expect(errors(r.issues).map((i) => i.message)).toEqual([`spec.address: Invalid value: "hooks.slack.com/x": spec.address in body should match '^(http|https)://'`]);
    expect(validateProvider(provider({ type: 'slack', address: 'https://hooks.slack.com/x' }, {}, V1)).ok).toBe(true);
    expect(validateProvider(provider({ type: 'slack', proxy: 'proxy:3128' }, {}, V1)).ok).toBe(false);
  });

  it('conversion: v1beta1 Provider types lack gitea, bitbucketserver, googlepubsub, pagerduty, datadog (v1.6.0 CRD)', () => {
    for (const type of ['gitea', 'bitbucketserver', 'googlepubsub', 'pagerduty', 'datadog', 'nats']) {
      expect(validateProvider(provider({ type }, {}, V1)).ok, type).toBe(false);
    }
    expect(validateProvider(provider({ type: 'githubdispatch' }, {}, V1)).ok).toBe(true);
  });

  it('conversion: v1beta1 Provider has no interval field (pruned)', () => {
    const r = validateProvider(provider({ type: 'slack', interval: '5m' }, {}, V1));
    expect(r.ok).toBe(true);
    expect(warnings(r.issues).map((i) => i.message)).toContain('unknown field "spec.interval"');
    expect(r.spec?.interval).toBeUndefined();
  });
});

describe('ObjectMeta (API server name and label rules)', () => {
  const meta = (m: unknown) => validateObjectMeta(m, { namespaced: true, nameRule: 'dns-subdomain' });

  it('metadata.name must be a lowercase RFC 1123 subdomain (spec §7.1)', () => {
    expect(meta({ name: 'my.provider-1', namespace: 'ns' }).meta?.name).toBe('my.provider-1');
    const r = meta({ name: 'My_Provider', namespace: 'ns' });
    expect(r.meta).toBeUndefined();
    expect(r.issues[0]!.message).toBe(
      "metadata.name: Invalid value: \"My_Provider\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
    expect(r.issues[0]!.hint).toBe("use lowercase letters, digits, '-' and '.', e.g. \"my-provider\"");
    expect(meta({ name: '-a', namespace: 'ns' }).meta).toBeUndefined();
    expect(meta({ name: 'a.', namespace: 'ns' }).meta).toBeUndefined();
  });

  it('metadata.name is at most 253 characters (DNS subdomain)', () => {
    expect(meta({ name: 'a'.repeat(253), namespace: 'ns' }).meta).toBeDefined();
    const r = meta({ name: 'a'.repeat(254), namespace: 'ns' });
    expect(r.issues.map((i) => i.message)).toEqual([`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`]);
  });

  it('metadata.name is required; generateName does not work with apply', () => {
    expect(meta({ namespace: 'ns' }).issues.map((i) => i.message)).toEqual(['metadata.name: Required value: name or generateName is required']);
    expect(meta({ generateName: 'x-', namespace: 'ns' }).issues.map((i) => i.message)).toEqual(['metadata.name: Required value: kubectl apply does not support generateName']);
    expect(meta(undefined).meta).toBeUndefined();
  });

  it('metadata.namespace must be a DNS label (at most 63 characters)', () => {
    expect(meta({ name: 'a', namespace: 'flux-system' }).meta?.namespace).toBe('flux-system');
    expect(meta({ name: 'a', namespace: 'Flux' }).meta).toBeUndefined();
    expect(meta({ name: 'a', namespace: 'a.b' }).meta).toBeUndefined();
    expect(meta({ name: 'a', namespace: 'n'.repeat(64) }).meta).toBeUndefined();
  });

  it('metadata.labels: keys are qualified names, values are label values, all strings', () => {
    const ok = meta({ name: 'a', namespace: 'n', labels: { 'app.kubernetes.io/name': 'podinfo', team: '' } });
    expect(ok.meta?.labels).toEqual({ 'app.kubernetes.io/name': 'podinfo', team: '' });
    expect(meta({ name: 'a', namespace: 'n', labels: { 'bad key': 'x' } }).meta).toBeUndefined();
    expect(meta({ name: 'a', namespace: 'n', labels: { 'Example.com/x': 'x' } }).meta).toBeUndefined();
    expect(meta({ name: 'a', namespace: 'n', labels: { a: 'has space' } }).meta).toBeUndefined();
    expect(meta({ name: 'a', namespace: 'n', labels: { a: 'v'.repeat(64) } }).meta).toBeUndefined();
    const notString = meta({ name: 'a', namespace: 'n', labels: { enabled: true } });
    expect(notString.issues.map((i) => i.rule)).toEqual(['type']);
  });

  it('metadata.annotations: keys are qualified names; values are free text', () => {
    const r = meta({ name: 'a', namespace: 'n', annotations: { 'event.toolkit.fluxcd.io/commit': 'x y z', note: 'any text: here' } });
    expect(r.meta?.annotations).toEqual({ 'event.toolkit.fluxcd.io/commit': 'x y z', note: 'any text: here' });
    expect(meta({ name: 'a', namespace: 'n', annotations: { 'a/b/c': 'x' } }).meta).toBeUndefined();
  });

  it('metadata: unknown fields are dropped with a warning; server fields are kept', () => {
    const r = meta({ name: 'a', namespace: 'n', uid: 'u-1', resourceVersion: '5', generation: 2, lables: { a: 'b' } });
    expect(r.meta).toEqual({ name: 'a', namespace: 'n', uid: 'u-1', resourceVersion: '5', generation: 2 });
    expect(r.issues.map((i) => [i.severity, i.message, i.hint])).toEqual([['warning', 'unknown field "metadata.lables"', 'did you mean "labels"?']]);
    expect(r.stored).not.toHaveProperty('lables');
  });

  it('map keys such as __proto__ are stored as data (eventMetadata has no key rules)', () => {
    const r = validateAlert(alert({ ...okAlertSpec(), eventMetadata: JSON.parse('{"__proto__": "x", "constructor": "y"}') }));
    expect(r.ok).toBe(true);
    expect(Object.keys(r.spec!.eventMetadata!)).toEqual(['__proto__', 'constructor']);
    expect(r.spec!.eventMetadata!['__proto__']).toBe('x');
    expect(Object.keys((r.stored.spec as { eventMetadata: object }).eventMetadata)).toEqual(['__proto__', 'constructor']);
  });
});

describe('Secrets (core/v1)', () => {
  const secret = (body: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, ...body });

  it('Secret: data is base64-decoded to bytes', () => {
    const r = validateSecret(secret({ data: { token: 'c2VjcmV0', bin: '/wA=' } }));
    expect(r.ok).toBe(true);
    expect(r.data.token!.toString()).toBe('secret');
    expect([...r.data.bin!]).toEqual([0xff, 0x00]);
  });

  it('Secret: stringData is merged into data and wins over the same key', () => {
    const r = validateSecret(secret({ data: { token: 'ZnJvbS1kYXRh', user: 'YWRtaW4=' }, stringData: { token: 'from-stringData' } }));
    expect(Object.fromEntries(Object.entries(r.data).map(([k, v]) => [k, v.toString()]))).toEqual({ token: 'from-stringData', user: 'admin' });
    // Stored like the API server: only data, base64.
    expect(r.object.data).toEqual({ token: Buffer.from('from-stringData').toString('base64'), user: 'YWRtaW4=' });
    expect(r.object).not.toHaveProperty('stringData');
  });

  it('Secret: invalid base64 is an error naming the key (Go encoding/json []byte rules)', () => {
    const r = validateSecret(secret({ data: { token: 'not base64!' } }));
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual([{
      severity: 'error', path: ['data', 'token'], rule: 'base64',
      message: 'data[token]: illegal base64 data at input byte 3',
      hint: "encode the value with base64 (e.g. echo -n 'value' | base64), or put the plain text under stringData.token",
    }]);
  });

  it('Secret: base64 padding is required, newlines are ignored, URL-safe characters are not', () => {
    expect(decodeBase64Strict('YWJjZA')).toEqual({ error: 'illegal base64 data at input byte 4' });
    expect(decodeBase64Strict('YWJjZA==')).toEqual({ value: Buffer.from('abcd') });
    expect(decodeBase64Strict('YWJj\nZA==\n')).toEqual({ value: Buffer.from('abcd') });
    expect(decodeBase64Strict('')).toEqual({ value: Buffer.alloc(0) });
    expect('error' in decodeBase64Strict('_-8=')).toBe(true);
    expect('error' in decodeBase64Strict('YQ==YQ==')).toBe(true);
  });

  it('Secret: data and stringData values must be strings', () => {
    const r = validateSecret(secret({ stringData: { port: 8080 } }));
    expect(r.issues.map((i) => [i.rule, i.message])).toEqual([['type', 'stringData.port: Invalid value: "integer": stringData.port in body must be of type string: "integer"']]);
  });

  it('Secret: type defaults to Opaque', () => {
    expect(validateSecret(secret({})).type).toBe('Opaque');
    expect(validateSecret(secret({ type: 'kubernetes.io/basic-auth', stringData: { username: 'u' } })).type).toBe('kubernetes.io/basic-auth');
  });

  it('Secret: typed secrets need their keys (tls.crt/tls.key, basic-auth username or password)', () => {
    const tls = validateSecret(secret({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c' } }));
    expect(tls.issues.map((i) => i.message)).toEqual(['data[tls.key]: Required value']);
    expect(validateSecret(secret({ type: 'kubernetes.io/basic-auth', stringData: { password: 'p' } })).ok).toBe(true);
    expect(validateSecret(secret({ type: 'kubernetes.io/basic-auth', stringData: { token: 't' } })).ok).toBe(false);
  });

  it('Secret: data keys must be valid config keys', () => {
    expect(validateSecret(secret({ stringData: { 'ca.crt': 'x', 'tls_key-1': 'y' } })).ok).toBe(true);
    expect(validateSecret(secret({ stringData: { 'a/b': 'x' } })).ok).toBe(false);
    expect(validateSecret(secret({ stringData: { '..': 'x' } })).ok).toBe(false);
  });

  it('Secret: unknown top-level fields are dropped with a warning', () => {
    const r = validateSecret(secret({ strinData: { a: 'b' } }));
    expect(r.ok).toBe(true);
    expect(r.issues.map((i) => [i.message, i.hint])).toEqual([['unknown field "strinData"', 'did you mean "stringData"?']]);
  });
});

describe('Go durations (metav1.Duration)', () => {
  it('time.Duration.String formats like Go', () => {
    const f = (s: string) => formatGoDuration(parseGoDuration(s)!);
    expect(f('90s')).toBe('1m30s');
    expect(f('60m')).toBe('1h0m0s');
    expect(f('1h')).toBe('1h0m0s');
    expect(f('1.5s')).toBe('1.5s');
    expect(f('500ms')).toBe('500ms');
    expect(f('1.5ms')).toBe('1.5ms');
    expect(f('0s')).toBe('0s');
    expect(f('0.5m')).toBe('30s');
    expect(f('15s')).toBe('15s');
    expect(f('1m0.5s')).toBe('1m0.5s');
    expect(formatGoDuration(1500n)).toBe('1.5µs');
    expect(formatGoDuration(7n)).toBe('7ns');
  });

  it('time.ParseDuration rejects what Go rejects (no unit, overflow)', () => {
    expect(parseGoDuration('10')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
    expect(parseGoDuration('0')).toBe(0n);
    expect(parseGoDuration('1d')).toBeUndefined();
    expect(parseGoDuration('9999999999999999999m')).toBeUndefined();
    expect(parseGoDuration('2562047h')).toBe(2562047n * 3_600_000_000_000n);
    expect(parseGoDuration('2562048h')).toBeUndefined();
  });
});
