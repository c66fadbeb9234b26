// lint findings, rule by rule. Manifests are YAML strings run through the loader, so each case
// sees what `lint -f` sees; expected texts come from the spec (notification-controller.md,
// providers.md) and the NC/pkg messages it quotes.

import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/flux/catalog.js';
import { lintManifests, type Finding } from '../../src/flux/lint.js';
import { loadManifestText, type ManifestSet } from '../../src/flux/manifests.js';
import { OLD_VERSION_WARNING } from '../../src/flux/validate.js';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import { alert as builtAlert, provider as builtProvider } from './build.js';
import { TEST_CA_PEM } from './tls-fixtures.js';

const V3 = 'notification.toolkit.fluxcd.io/v1beta3';

/** Flow-style YAML documents; `spec` is the text inside the braces. */
const prov = (name: string, spec: string, ns = 'flux-system', apiVersion = V3) =>
  `apiVersion: ${apiVersion}\nkind: Provider\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {${spec}}`;
const alrt = (name: string, spec: string, ns = 'flux-system', apiVersion = V3) =>
  `apiVersion: ${apiVersion}\nkind: Alert\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {${spec}}`;
const sec = (name: string, stringData: Record<string, string>, ns = 'flux-system') =>
  `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: ${ns}}\nstringData: ${JSON.stringify(stringData)}`;

const SLACK = prov('slack', 'type: slack, address: "https://hooks.slack.com/services/T/B/X"');
const KS_ALL = 'eventSources: [{kind: Kustomization, name: "*"}]';
const toSlack = (name: string, rest = KS_ALL) => alrt(name, `providerRef: {name: slack}, ${rest}`);

function lintSet(set: ManifestSet, catalog = new Catalog(set)): Finding[] {
  return lintManifests(set, catalog, createNotifierFromRegistry);
}
const lint = (...docs: string[]) => lintSet(loadManifestText(docs.join('\n---\n'), 'm.yaml'));
const rule = (fs: Finding[], r: string) => fs.filter((f) => f.rule === r);

// A CA that parses, so only the rule under test fires.
const CA_PEM = TEST_CA_PEM;

describe('lint: a clean set', () => {
  it('lint: a valid Alert → Provider with its Secret gives no findings', () => {
    const fs = lint(
      prov('hook', 'type: generic-hmac, address: "https://hooks.example.com/flux", secretRef: {name: hmac}'),
      sec('hmac', { token: 'k3y' }),
      alrt('a', `providerRef: {name: hook}, ${KS_ALL}, inclusionList: ["(?i)stored artifact", "(?P<rev>main@sha1:[0-9a-f]+)"]`),
    );
    expect(fs).toEqual([]);
  });
});

describe('lint missing-provider (spec §4.2 step 2, §8.13)', () => {
  it('lint missing-provider: a providerRef is looked up in the Alert namespace only; a same-named Provider elsewhere does not count', () => {
    const fs = lint(SLACK, alrt('a', `providerRef: {name: slack}, ${KS_ALL}`, 'apps'));
    expect(rule(fs, 'missing-provider')).toEqual([expect.objectContaining({
      severity: 'error', file: 'm.yaml', line: 6, object: 'Alert/apps/a', field: 'spec.providerRef.name',
      message: 'Provider apps/slack is not among the manifests: every matched event fails with "failed to read provider"',
      fix: "create the Provider in the Alert's namespace (providers are never looked up elsewhere)",
    })]);
  });
});

describe('lint missing-secret (spec §6: Secrets are read from the Provider namespace)', () => {
  it('lint missing-secret: a missing secretRef fails every dispatch with NC\'s "failed to get secret" text, reported once', () => {
    const fs = lint(prov('slack', 'type: slack, secretRef: {name: slack-url}'), sec('slack-url', { address: 'https://hooks.slack.com/x' }, 'other'));
    expect(fs).toEqual([{
      severity: 'error', file: 'm.yaml', line: 1, object: 'Provider/flux-system/slack', field: 'spec.secretRef.name', rule: 'missing-secret',
      message: 'Secret flux-system/slack-url is not among the manifests; every dispatch fails: failed to get secret \'flux-system/slack-url\': secrets "slack-url" not found',
      fix: "create the Secret in namespace flux-system (Secrets are always read from the Provider's namespace)",
    }]);
  });

  it('lint missing-secret: certSecretRef and proxySecretRef are checked too, each under its own field', () => {
    const fs = lint(prov('slack', 'type: slack, address: "https://hooks.slack.com/x", certSecretRef: {name: ca}, proxySecretRef: {name: proxy}'));
    expect(rule(fs, 'missing-secret').map((f) => f.field)).toEqual(['spec.certSecretRef.name', 'spec.proxySecretRef.name']);
    expect(rule(fs, 'notifier-init')).toEqual([]);
  });

  it('lint missing-secret: a suspended Provider is never read, so its missing Secret is not an error (spec §4.2 step 3, §8.14)', () => {
    const fs = lint(prov('slack', 'type: slack, suspend: true, secretRef: {name: gone}'));
    expect(fs).toEqual([]);
  });
});

describe('lint notifier-init (spec §4.2 step 10, §6.9: the controller\'s own construction)', () => {
  it('lint notifier-init: generic-hmac without a token gives "HMAC key is empty"', () => {
    const fs = lint(prov('hook', 'type: generic-hmac, address: "https://hooks.example.com/flux"'));
    expect(fs).toEqual([expect.objectContaining({
      severity: 'error', object: 'Provider/flux-system/hook', field: 'spec', rule: 'notifier-init',
      message: "every dispatch fails: failed to initialize notifier for provider 'hook': failed to initialize notifier: HMAC key is empty",
    })]);
    expect(fs[0]!.fix).toContain('generic-hmac');
  });

  it('lint notifier-init: slack with no address fails url.ParseRequestURI("") (providers §4.3 factory errors)', () => {
    const fs = lint(prov('slack', 'type: slack'));
    expect(rule(fs, 'notifier-init').map((f) => f.message)).toEqual([
      "every dispatch fails: failed to initialize notifier for provider 'slack': failed to initialize notifier: invalid Slack hook URL : 'parse \"\": empty url'",
    ]);
  });

  it('lint notifier-init: a generic address that is neither absolute nor a path is refused (spec §6.9)', () => {
    const fs = lint(prov('hook', 'type: generic, address: "not a url"'));
    expect(rule(fs, 'notifier-init').map((f) => f.message)).toEqual([
      "every dispatch fails: failed to initialize notifier for provider 'hook': failed to initialize notifier: invalid hook URL not a url: parse \"not a url\": invalid URI for request",
    ]);
  });

  it('lint notifier-init: a bad Secret (headers not a mapping) reports the option error, with a Secret fix (spec §8.35)', () => {
    const fs = lint(prov('hook', 'type: generic, address: "https://x.example/h", secretRef: {name: h}'), sec('h', { headers: '- a\n- b\n' }));
    const init = rule(fs, 'notifier-init');
    expect(init).toHaveLength(1);
    expect(init[0]!.message).toMatch(/^every dispatch fails: failed to initialize notifier for provider 'hook': failed to read headers from secret: /);
    expect(init[0]!.fix).toBe('fix the referenced Secret');
  });

  it('lint notifier-init: telegram needs no address (spec §8.39)', () => {
    expect(lint(prov('tg', 'type: telegram, channel: "-100123", secretRef: {name: tg}'), sec('tg', { token: '123:abc' }))).toEqual([]);
  });

  it('lint notifier-init: a change-request Provider without metadata.uid is built as the cluster would, with its assigned UID (spec §6.9)', () => {
    // The API server gives every object a UID; the constructors' "provider UID cannot be empty"
    // can never happen in a cluster.
    const fs = lint(prov('pr', 'type: githubpullrequestcomment, address: "https://github.com/org/repo", secretRef: {name: gh}'), sec('gh', { token: 't' }));
    expect(rule(fs, 'notifier-init')).toEqual([]);
  });
});

describe('lint auth-discarded (spec §6.2 silent auth loss, §8.36)', () => {
  it('lint auth-discarded: username without password drops the Secret token, username and password for slack, silently', () => {
    const fs = lint(prov('slack', 'type: slack, secretRef: {name: s}'), sec('s', { address: 'https://slack.com/api/chat.postMessage', token: 'xoxb-1', username: 'bot' }));
    expect(fs).toEqual([expect.objectContaining({ severity: 'warning', object: 'Provider/flux-system/slack', field: 'spec.secretRef', rule: 'auth-discarded' })]);
    expect(fs[0]!.message).toContain("secret 'flux-system/s': malformed basic auth - has 'username' but missing 'password'");
    expect(fs[0]!.message).toContain('token, username and password from this secret are silently ignored');
    expect(fs[0]!.fix).toContain('both username and password');
  });

  it('lint auth-discarded: for a commit-status provider the same Secret is an error through the TLS path instead', () => {
    const fs = lint(prov('gh', 'type: github, address: "https://github.com/org/repo", secretRef: {name: s}'), sec('s', { token: 't', username: 'bot' }));
    expect(rule(fs, 'auth-discarded')).toEqual([]);
    expect(rule(fs, 'notifier-init').map((f) => f.message)).toEqual([
      "every dispatch fails: failed to initialize notifier for provider 'gh': failed to get TLS config: secret 'flux-system/s': malformed basic auth - has 'username' but missing 'password'",
    ]);
  });
});

describe('lint tls-in-secretref (spec §6.3, §8.38)', () => {
  it('lint tls-in-secretref: ca.crt in secretRef is ignored for a non-commit-status type', () => {
    const fs = lint(prov('slack', 'type: slack, secretRef: {name: s}'), sec('s', { address: 'https://hooks.slack.com/x', 'ca.crt': CA_PEM }));
    expect(fs).toEqual([expect.objectContaining({
      severity: 'warning', field: 'spec.secretRef', rule: 'tls-in-secretref',
      message: 'TLS keys in spec.secretRef are ignored for slack (only commit-status providers read them)',
      fix: 'reference the TLS Secret with spec.certSecretRef',
    })]);
  });

  it('lint tls-in-secretref: the legacy key caFile counts as TLS data too (spec §6.2)', () => {
    const fs = lint(prov('slack', 'type: slack, secretRef: {name: s}'), sec('s', { address: 'https://hooks.slack.com/x', caFile: CA_PEM }));
    expect(rule(fs, 'tls-in-secretref')).toHaveLength(1);
  });

  it('lint tls-in-secretref: commit-status providers do read secretRef TLS data, so no warning', () => {
    const fs = lint(prov('gh', 'type: github, address: "https://github.com/org/repo", secretRef: {name: s}'), sec('s', { token: 't', 'ca.crt': CA_PEM }));
    expect(fs).toEqual([]);
  });
});

describe('lint invalid-regex (spec §3.3–3.4, §8.8–8.9: RE2, InvalidConfig)', () => {
  it('lint invalid-regex: lookahead does not compile under RE2; the fix names the JavaScript-only syntax', () => {
    const fs = lint(SLACK, toSlack('a', `${KS_ALL}, inclusionList: ["(?=deploy)", "ready"]`));
    const f = rule(fs, 'invalid-regex');
    expect(f).toEqual([expect.objectContaining({ severity: 'error', object: 'Alert/flux-system/a', field: 'spec.inclusionList[0]' })]);
    expect(f[0]!.message).toMatch(/^"\(\?=deploy\)" does not compile under RE2 \(.+\); NC skips it on every event and records InvalidConfig$/);
    expect(f[0]!.fix).toMatch(/^lookaround .* RE2 has none; rewrite without it$/);
    expect(rule(fs, 'never-matches')).toEqual([]); // "ready" still compiles
  });

  it('lint invalid-regex: negative lookbehind is named as lookaround too', () => {
    const f = rule(lint(SLACK, toSlack('a', `${KS_ALL}, inclusionList: ["(?<!test-)deploy"]`)), 'invalid-regex');
    expect(f[0]!.fix).toMatch(/^lookaround/);
  });

  it('lint invalid-regex: a backreference in the exclusion list never excludes', () => {
    const f = rule(lint(SLACK, toSlack('a', `${KS_ALL}, exclusionList: ['(a)\\1']`)), 'invalid-regex');
    expect(f).toEqual([expect.objectContaining({ field: 'spec.exclusionList[0]' })]);
    expect(f[0]!.message).toMatch(/, so it never excludes$/);
    expect(f[0]!.fix).toBe('backreferences (\\1 …) are not supported by RE2; rewrite without it');
  });

  it('lint invalid-regex: a named backreference \\k<name> is named as such', () => {
    const f = rule(lint(SLACK, toSlack('a', `${KS_ALL}, inclusionList: ['(?P<w>x)\\k<w>', ok]`)), 'invalid-regex');
    expect(f[0]!.fix).toMatch(/^named backreferences/);
  });

  it('lint invalid-regex: other RE2 errors get the generic fix', () => {
    const f = rule(lint(SLACK, toSlack('a', `${KS_ALL}, inclusionList: ["[unclosed", ok]`)), 'invalid-regex');
    expect(f[0]!.fix).toBe('fix the expression (Go RE2 syntax)');
  });
});

describe('lint never-matches (spec §3.2, §7.2, §8.2–8.4, §8.8, §8.10)', () => {
  it('lint never-matches: an empty eventSources list matches nothing (valid for the CRD)', () => {
    expect(rule(lint(SLACK, toSlack('a', 'eventSources: []')), 'never-matches')).toEqual([
      expect.objectContaining({ severity: 'error', field: 'spec.eventSources', message: 'eventSources is empty: the alert never matches' }),
    ]);
  });

  it('lint never-matches: a glob in a name is compared literally; only the exact "*" is a wildcard (§8.2)', () => {
    const fs = lint(SLACK, toSlack('a', 'eventSources: [{kind: Kustomization, name: "apps-*"}, {kind: HelmRelease, name: "*"}]'));
    expect(rule(fs, 'never-matches')).toEqual([expect.objectContaining({ field: 'spec.eventSources[0].name' })]);
    expect(rule(fs, 'never-matches')[0]!.message).toContain('only the exact string "*" is a wildcard');
  });

  it('lint never-matches: namespace "*" is a literal namespace name, not a wildcard (§8.3–8.4)', () => {
    const fs = lint(SLACK, toSlack('a', 'eventSources: [{kind: Kustomization, name: "*", namespace: "*"}]'));
    expect(rule(fs, 'never-matches')).toEqual([expect.objectContaining({
      field: 'spec.eventSources[0].namespace', message: 'there is no namespace wildcard: "*" is a literal namespace name and never matches',
    })]);
    // Not also a cross-namespace note telling the user to move the Alert into "*".
    expect(rule(fs, 'cross-namespace')).toEqual([]);
  });

  it('lint never-matches: an exclusion of ".*" (or "") excludes every message, so the alert never fires (§8.10)', () => {
    const fs = lint(SLACK, toSlack('a', `${KS_ALL}, exclusionList: ["^Dependencies", ".*", ""]`));
    expect(rule(fs, 'never-matches').map((f) => [f.field, f.message])).toEqual([
      ['spec.exclusionList[1]', '".*" matches every message: the alert can never fire'],
      ['spec.exclusionList[2]', '"" matches every message: the alert can never fire'],
    ]);
  });

  it('lint never-matches: when no inclusion expression compiles, the alert never fires (§8.8)', () => {
    const fs = lint(SLACK, toSlack('a', `${KS_ALL}, inclusionList: ["(?=a)", "(b)\\\\1"]`));
    expect(rule(fs, 'invalid-regex')).toHaveLength(2);
    expect(rule(fs, 'never-matches')).toEqual([expect.objectContaining({
      field: 'spec.inclusionList', message: 'no inclusion expression compiles: the alert can never fire',
    })]);
  });
});

describe('lint source-kind (spec §7.3: the kind enum is case-sensitive)', () => {
  it('lint source-kind: a mis-cased "kustomization" is rejected by the CRD enum while loading, with a case hint', () => {
    const fs = lint(SLACK, toSlack('a', 'eventSources: [{kind: kustomization, name: "*"}]'));
    expect(fs).toEqual([expect.objectContaining({
      severity: 'error', object: 'Alert/flux-system/a', field: 'spec.eventSources[0].kind', rule: 'enum', fix: 'did you mean "Kustomization"?',
    })]);
    expect(fs[0]!.message).toMatch(/^The Alert "a" is invalid: spec\.eventSources\[0\]\.kind: Unsupported value: "kustomization"/);
  });

  it('lint source-kind: a stored Alert with a mis-cased or unknown kind is reported by lint itself', () => {
    // Objects that did not come through the loader (a cluster read) get the same check.
    const a = builtAlert('flux-system', 'a', { eventSources: [{ kind: 'kustomization', name: '*' }, { kind: 'Deployment', name: '*' }] });
    const p = builtProvider('flux-system', 'slack');
    const set: ManifestSet = { alerts: [a], providers: [p], secrets: [], others: [], diagnostics: [] };
    const fs = rule(lintSet(set), 'source-kind');
    expect(fs.map((f) => [f.field, f.message, f.fix])).toEqual([
      ['spec.eventSources[0].kind', '"kustomization" is not a Flux source kind (kinds are case-sensitive)', 'write Kustomization'],
      ['spec.eventSources[1].kind', '"Deployment" is not a Flux source kind',
        'use one of Bucket, GitRepository, Kustomization, HelmRelease, HelmChart, HelmRepository, ImageRepository, ImagePolicy, ImageUpdateAutomation, OCIRepository, ArtifactGenerator, ExternalArtifact'],
    ]);
  });
});

describe('lint invalid-selector (spec §4.3 InvalidConfig, §7.3: matchLabels is not validated by the CRD)', () => {
  it('lint invalid-selector: an invalid label key or value makes the entry never match', () => {
    const fs = lint(SLACK, toSlack('a', 'eventSources: [{kind: Kustomization, name: "*", matchLabels: {"my team": platform}}, {kind: HelmRelease, name: "*", matchLabels: {team: "a b"}}]'));
    const f = rule(fs, 'invalid-selector');
    expect(f.map((x) => x.field)).toEqual(['spec.eventSources[0].matchLabels', 'spec.eventSources[1].matchLabels']);
    expect(f[0]!.message).toMatch(/^invalid label selector \(key "my team": .*\): the entry never matches and NC records InvalidConfig$/);
    expect(f[1]!.message).toContain('value "a b" of "team"');
  });

  it('lint invalid-selector: valid prefixed keys and an empty value are fine', () => {
    const fs = lint(SLACK, toSlack('a', 'eventSources: [{kind: Kustomization, name: "*", matchLabels: {"app.kubernetes.io/part-of": flux, tier: ""}}]'));
    expect(fs).toEqual([]);
  });
});

describe('lint commit-status-source (providers: commit-status types need a git commit revision)', () => {
  const GH = [prov('gh', 'type: github, address: "https://github.com/org/repo", secretRef: {name: gh}'), sec('gh', { token: 't' })];
  it('lint commit-status-source: a HelmRepository or OCIRepository source has no git commit for a github provider', () => {
    const fs = lint(...GH, alrt('a', 'providerRef: {name: gh}, eventSources: [{kind: Kustomization, name: apps}, {kind: HelmRepository, name: "*"}, {kind: OCIRepository, name: "*"}]'));
    expect(rule(fs, 'commit-status-source').map((f) => [f.severity, f.field])).toEqual([
      ['warning', 'spec.eventSources[1].kind'],
      ['warning', 'spec.eventSources[2].kind'],
    ]);
    expect(rule(fs, 'commit-status-source')[0]!.message).toContain('missing revision metadata');
  });

  it('lint commit-status-source: the same sources on a slack provider are fine', () => {
    expect(lint(SLACK, toSlack('a', 'eventSources: [{kind: HelmRepository, name: "*"}]'))).toEqual([]);
  });
});

describe('lint change-request (spec §4.2 step 6)', () => {
  it('lint change-request: PR/MR comment providers only get events whose object carries the change_request annotation', () => {
    const fs = lint(
      prov('pr', 'type: gitlabmergerequestcomment, address: "https://gitlab.com/org/repo", secretRef: {name: gl}'), sec('gl', { token: 't' }),
      alrt('a', `providerRef: {name: pr}, ${KS_ALL}`),
    );
    expect(fs).toEqual([expect.objectContaining({
      severity: 'info', object: 'Alert/flux-system/a', field: 'spec.providerRef.name', rule: 'change-request',
      message: 'gitlabmergerequestcomment only receives events whose object carries the annotation event.toolkit.fluxcd.io/change_request',
    })]);
  });
});

describe('lint duplicate-alert (two alerts post the same event to one provider)', () => {
  it('lint duplicate-alert: "*" and a name of the same kind overlap; the later alert carries the warning', () => {
    const fs = lint(SLACK, toSlack('b', 'eventSources: [{kind: Kustomization, name: podinfo}]'), toSlack('a'));
    expect(rule(fs, 'duplicate-alert')).toEqual([expect.objectContaining({
      severity: 'warning', object: 'Alert/flux-system/b', field: 'spec.eventSources',
      message: 'overlaps Alert/flux-system/a (Kustomization/*) and sends to the same Provider flux-system/slack: matching events are posted twice',
    })]);
  });

  it('lint duplicate-alert: eventSeverity does not separate them, since info also matches errors (§8.1); only errors go twice', () => {
    const fs = lint(SLACK, toSlack('a'), toSlack('b', `eventSeverity: error, ${KS_ALL}`));
    const d = rule(fs, 'duplicate-alert');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toMatch(/matching error events are posted twice$/);
    expect(d[0]!.fix).not.toMatch(/separate them with eventSeverity/);
  });

  it('lint duplicate-alert: inclusion lists, other providers, other namespaces, labels and suspended alerts are not duplicates', () => {
    const other = prov('teams', 'type: msteams, address: "https://example.webhook.office.com/x"');
    const fs = lint(
      SLACK, other,
      toSlack('a'),
      toSlack('b', `${KS_ALL}, inclusionList: ["^Health"]`),
      alrt('c', `providerRef: {name: teams}, ${KS_ALL}`),
      toSlack('d', 'eventSources: [{kind: Kustomization, name: "*", namespace: apps}]'),
      toSlack('e', 'eventSources: [{kind: Kustomization, name: "*", matchLabels: {team: x}}]'),
      toSlack('f', `suspend: true, ${KS_ALL}`),
    );
    expect(rule(fs, 'duplicate-alert')).toEqual([]);
  });
});

describe('lint deprecations (spec §5.2 layer 3, §6.1 step 7)', () => {
  it('lint deprecated-summary: spec.summary logs a deprecation on every dispatch; use eventMetadata.summary', () => {
    expect(rule(lint(SLACK, toSlack('a', `${KS_ALL}, summary: "prod"`)), 'deprecated-summary')).toEqual([expect.objectContaining({
      severity: 'warning', field: 'spec.summary', fix: 'use spec.eventMetadata.summary',
    })]);
  });

  it('lint deprecated-proxy: spec.proxy logs an error-level warning; use proxySecretRef', () => {
    const fs = lint(prov('slack', 'type: slack, address: "https://hooks.slack.com/x", proxy: "http://proxy:3128"'));
    expect(fs).toEqual([expect.objectContaining({
      severity: 'warning', field: 'spec.proxy', rule: 'deprecated-proxy',
      fix: 'move the URL to a Secret key `address` and reference it with spec.proxySecretRef',
    })]);
  });
});

describe('lint suspension (spec §3.1, §4.2 step 3)', () => {
  it('lint provider-suspended: an Alert on a suspended Provider has every matched event dropped silently', () => {
    const fs = lint(prov('slack', 'type: slack, suspend: true'), toSlack('a'));
    expect(fs).toEqual([expect.objectContaining({
      severity: 'warning', object: 'Alert/flux-system/a', field: 'spec.providerRef.name', rule: 'provider-suspended',
      message: 'Provider/flux-system/slack is suspended: every matched event is dropped silently',
    })]);
  });

  it('lint alert-suspended: a suspended Alert is an info finding with a fix', () => {
    expect(lint(SLACK, toSlack('a', `suspend: true, ${KS_ALL}`))).toEqual([expect.objectContaining({
      severity: 'info', field: 'spec.suspend', rule: 'alert-suspended', fix: 'set spec.suspend to false to use it, or delete the Alert',
    })]);
  });
});

describe('lint and the loader (spec §7.1)', () => {
  it('lint served-versions: v1beta2 and v1beta1 objects are converted with the loader warning, never an error (§7.1 MUST warn, §8.44)', () => {
    const fs = lint(
      prov('slack', 'type: slack, address: "https://hooks.slack.com/x"', 'flux-system', 'notification.toolkit.fluxcd.io/v1beta2'),
      alrt('a', `providerRef: {name: slack}, ${KS_ALL}`, 'flux-system', 'notification.toolkit.fluxcd.io/v1beta1'),
    );
    expect(fs.map((f) => [f.severity, f.object, f.rule, f.message, f.fix])).toEqual([
      ['warning', 'Provider/flux-system/slack', 'served-versions', OLD_VERSION_WARNING, `change apiVersion to ${V3}`],
      ['warning', 'Alert/flux-system/a', 'served-versions', OLD_VERSION_WARNING, `change apiVersion to ${V3}`],
    ]);
  });

  it('lint: info-level loader notes (namespace defaulting) are not findings', () => {
    const fs = lint(`apiVersion: ${V3}\nkind: Provider\nmetadata: {name: slack}\nspec: {type: slack, address: "https://hooks.slack.com/x"}`);
    expect(fs).toEqual([]);
  });

  it('lint: findings are ordered errors, then warnings, then info; each names file, line, object, field and a fix', () => {
    const fs = lint(
      prov('slack', 'type: slack, address: "https://hooks.slack.com/x", proxy: "http://p:3128"'),
      toSlack('a', `suspend: true, ${KS_ALL}`),
      toSlack('b', 'eventSources: []'),
    );
    expect(fs.map((f) => [f.severity, f.rule])).toEqual([
      ['error', 'never-matches'],
      ['warning', 'deprecated-proxy'],
      ['info', 'alert-suspended'],
    ]);
    for (const f of fs) {
      expect(f.file).toBe('m.yaml');
      expect(f.line).toBeGreaterThan(0);
      expect(f.object).toMatch(/^(Alert|Provider)\/flux-system\/\w+$/);
      expect(f.field).toMatch(/^spec\./);
      expect(f.fix, f.rule).toBeTruthy();
    }
  });
});
