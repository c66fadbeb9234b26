import { assignedUid } from '../../src/flux/validate.js';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, loadManifests, loadManifestText } from '../../src/flux/manifests.js';
import type { Diagnostic, ManifestSet } from '../../src/flux/manifests.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));
const fx = (name: string) => join(FIXTURES, name);

const ids = (set: ManifestSet) => ({
  alerts: set.alerts.map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
  providers: set.providers.map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
  secrets: set.secrets.map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
  others: set.others.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`),
});
const bySeverity = (set: ManifestSet, s: Diagnostic['severity']) => set.diagnostics.filter((d) => d.severity === s);

const tmpDirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'fnt-manifests-'));
  tmpDirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});

describe('loading files (design: -f takes files or directories)', () => {
  it('multi-document YAML: every document is loaded with its document index and line', async () => {
    const set = await loadManifests([fx('multi.yaml')]);
    expect(ids(set)).toEqual({ alerts: ['default/on-call'], providers: ['flux-system/slack'], secrets: ['flux-system/slack-url'], others: [] });
    // Line 1 is a comment; document 1 is empty (`---` twice) and still counts.
    expect(set.providers[0]!.source).toEqual({ file: fx('multi.yaml'), doc: 0, line: 2 });
    expect(set.alerts[0]!.source).toEqual({ file: fx('multi.yaml'), doc: 2, line: 14 });
    expect(set.secrets[0]!.source).toEqual({ file: fx('multi.yaml'), doc: 3, line: 25 });
    expect(bySeverity(set, 'error')).toEqual([]);
  });

  it('namespace default: an object without metadata.namespace goes to "default", with an info diagnostic', async () => {
    const set = await loadManifests([fx('multi.yaml')]);
    expect(set.alerts[0]!.metadata.namespace).toBe('default');
    expect(set.diagnostics).toEqual([{
      severity: 'info', file: fx('multi.yaml'), doc: 2, line: 16, rule: 'namespace-default', object: 'Alert/default/on-call',
      message: 'no metadata.namespace: using "default", as kubectl apply does without -n',
      hint: 'set metadata.namespace to place the object explicitly',
    }]);
  });

  it('namespace default: the default namespace can be chosen (kubectl apply -n)', () => {
    const set = loadManifestText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', 'cm.yaml', { namespace: 'apps' });
    expect(ids(set).others).toEqual(['ConfigMap/apps/x']);
  });

  it('namespace default: cluster-scoped kinds get no namespace', () => {
    const set = loadManifestText('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n  labels:\n    team: a\n', 'ns.yaml');
    expect(set.others.map((o) => [o.kind, o.metadata.namespace, o.metadata.name, o.metadata.labels])).toEqual([['Namespace', '', 'apps', { team: 'a' }]]);
    expect(set.diagnostics).toEqual([]);
  });

  it('invalid YAML is an error with file, line and column; valid documents of the file still load', async () => {
    const set = await loadManifests([fx('invalid.yaml')]);
    // invalid.yaml line 10 starts with a tab.
    expect(set.diagnostics).toEqual([{
      severity: 'error', file: fx('invalid.yaml'), line: 10, column: 1, doc: 1, rule: 'yaml',
      message: 'invalid YAML: Tabs are not allowed as indentation', hint: 'indent with spaces, not tabs',
    }]);
    expect(ids(set).others).toEqual(['ConfigMap/apps/ok']);
    expect(formatDiagnostic(set.diagnostics[0]!)).toBe(`${fx('invalid.yaml')}:10:1: error: invalid YAML: Tabs are not allowed as indentation (hint: indent with spaces, not tabs)`);
  });

  it('invalid YAML: duplicate keys and unclosed flow collections point at their line', () => {
    const dup = loadManifestText('apiVersion: v1\nkind: ConfigMap\nkind: Secret\n', 'dup.yaml');
    expect(dup.diagnostics.map((d) => [d.line, d.column, d.rule, d.message])).toEqual([[3, 1, 'yaml', 'invalid YAML: Map keys must be unique']]);
    const flow = loadManifestText('a: 1\nb: [1, 2\n', 'flow.yaml');
    expect(flow.diagnostics).toHaveLength(1);
    expect(flow.diagnostics[0]!.severity).toBe('error');
    expect(flow.diagnostics[0]!.line).toBe(3);
  });

  it('kind: List: items are loaded with their item index and line', async () => {
    const set = await loadManifests([fx('list.yaml')]);
    expect(ids(set)).toEqual({ alerts: ['apps/teams-errors', 'apps/from-typed-list'], providers: ['apps/teams'], secrets: [], others: [] });
    expect(set.providers[0]!.source).toEqual({ file: fx('list.yaml'), doc: 0, line: 4, item: 0 });
    expect(set.alerts[0]!.source).toEqual({ file: fx('list.yaml'), doc: 0, line: 11, item: 1 });
    expect(set.alerts[0]!.spec.eventSeverity).toBe('error');
    expect(set.diagnostics).toEqual([]);
  });

  it('typed lists (AlertList): items without kind/apiVersion take them from the list', async () => {
    const set = await loadManifests([fx('list.yaml')]);
    const typed = set.alerts[1]!;
    expect(typed.apiVersion).toBe('notification.toolkit.fluxcd.io/v1beta3');
    expect(typed.source).toEqual({ file: fx('list.yaml'), doc: 1, line: 27, item: 0 });
    expect(typed.spec.eventSources).toEqual([{ kind: 'GitRepository', name: 'podinfo' }]);
  });

  it('kind: List items need their own kind; errors name the item', () => {
    const set = loadManifestText('apiVersion: v1\nkind: List\nitems:\n  - metadata:\n      name: x\n  - 42\n', 'l.yaml');
    expect(set.diagnostics.map((d) => [d.line, d.item, d.rule, d.message])).toEqual([
      [4, 0, 'type-meta', 'error validating data: [apiVersion not set, kind not set]'],
      [6, 1, 'type-meta', 'List item 1 is not an object'],
    ]);
  });

  it('JSON files are read (with line numbers)', async () => {
    const set = await loadManifests([fx('objects.json')]);
    expect(ids(set).providers).toEqual(['flux-system/github-status']);
    const p = set.providers[0]!;
    expect(p.source).toEqual({ file: fx('objects.json'), doc: 0, line: 1 });
    expect(p.spec.commitStatusExpr).toBe("event.involvedObject.kind + '/' + event.involvedObject.name");
    expect(p.object.spec).toMatchObject({ timeout: '1m30s' });
  });

  it('directories are walked recursively in lexical order, .yaml/.yml/.json only; kustomization files are skipped', async () => {
    const set = await loadManifests([fx('tree')]);
    const files = [...set.providers, ...set.secrets, ...set.others].map((o) => o.source.file).sort();
    expect(files).toEqual([fx('tree/a/y.json'), fx('tree/a/z.yml'), fx('tree/b.yaml')]);
    expect(ids(set)).toEqual({ alerts: [], providers: ['flux-system/generic'], secrets: ['flux-system/token'], others: ['Kustomization/flux-system/apps'] });
    expect(set.others[0]!.metadata.labels).toEqual({ team: 'platform' });
    // README.md is not read; kustomization.yaml is recognised.
    expect(set.diagnostics.map((d) => [d.severity, d.file, d.rule])).toEqual([['info', fx('tree/kustomization.yaml'), 'kustomize']]);
  });

  it('directories: the walk order is deterministic (a/ before b.yaml; duplicates resolved by that order)', async () => {
    const dir = await tmp();
    await mkdir(join(dir, 'b'));
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: ns\n  labels:\n    v: "${v}"\n`;
    await writeFile(join(dir, 'c.yaml'), cm('c'));
    await writeFile(join(dir, 'b', 'z.yml'), cm('bz'));
    await writeFile(join(dir, 'a.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ns', labels: { v: 'a' } } }));
    const set = await loadManifests([dir]);
    expect(set.others).toHaveLength(1);
    expect(set.others[0]!.metadata.labels).toEqual({ v: 'c' });
    expect(set.diagnostics.map((d) => d.rule)).toEqual(['duplicate', 'duplicate']);
    expect(set.diagnostics[1]!.message).toBe(`duplicate ConfigMap/ns/x: also defined at ${join(dir, 'b', 'z.yml')}:1 (document 1); the last definition wins`);
  });

  it('directories: symlink loops are not followed twice', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'p.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: ns}\n');
    await symlink(dir, join(dir, 'loop'));
    const set = await loadManifests([dir]);
    expect(set.others).toHaveLength(1);
    expect(set.diagnostics).toEqual([]);
  });

  it('bad input: a missing file is a diagnostic naming it, not an exception', async () => {
    const missing = fx('does-not-exist.yaml');
    const set = await loadManifests([missing, fx('objects.json')]);
    expect(set.diagnostics).toEqual([{
      severity: 'error', file: missing, rule: 'read',
      message: `cannot read ${missing}: no such file or directory`, hint: 'check the path given to -f',
    }]);
    expect(ids(set).providers).toEqual(['flux-system/github-status']);
  });

  it('bad input: a directory without manifests gives a warning', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'notes.txt'), 'hello');
    const set = await loadManifests([dir]);
    expect(set.diagnostics.map((d) => [d.severity, d.file, d.message])).toEqual([['warning', dir, `${dir}: no .yaml, .yml, .json files in this directory`]]);
  });

  it('bad input: a file named explicitly is read whatever its extension (kubectl -f)', async () => {
    const set = await loadManifests([fx('tree/README.md')]);
    expect(set.diagnostics.map((d) => [d.severity, d.rule, d.message])).toEqual([['error', 'type-meta', 'error validating data: [apiVersion not set, kind not set]']]);
  });

  it('bad input: a document that is not a mapping is an error', () => {
    const set = loadManifestText('- a\n- b\n---\njust text\n', 'x.yaml');
    expect(set.diagnostics.map((d) => [d.doc, d.line, d.message])).toEqual([
      [0, 1, 'document is a list, not an object'],
      [1, 4, 'document is a string, not an object'],
    ]);
  });

  it('bad input: missing apiVersion or kind is an error', () => {
    const set = loadManifestText('kind: Alert\nmetadata:\n  name: a\n---\napiVersion: v1\nmetadata:\n  name: b\n', 'x.yaml');
    expect(set.diagnostics.map((d) => [d.doc, d.message])).toEqual([
      [0, 'error validating data: [apiVersion not set]'],
      [1, 'error validating data: [kind not set]'],
    ]);
  });

  it('empty files and comment-only documents load nothing, silently', () => {
    expect(loadManifestText('', 'e.yaml')).toEqual({ alerts: [], providers: [], secrets: [], others: [], diagnostics: [] });
    expect(loadManifestText('# nothing\n---\n', 'e.yaml').diagnostics).toEqual([]);
  });

  it('a UTF-8 byte order mark is ignored', () => {
    const set = loadManifestText('\uFEFFapiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: ns}\n', 'bom.yaml');
    expect(ids(set).others).toEqual(['ConfigMap/ns/x']);
  });

  it('anchors, aliases and merge keys are resolved', () => {
    const set = loadManifestText([
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: x', '  namespace: ns',
      '  labels: &l', '    team: a', '  annotations:', '    <<: *l', '    extra: b',
    ].join('\n'), 'a.yaml');
    expect(set.others[0]!.metadata.annotations).toEqual({ team: 'a', extra: 'b' });
  });

  it('YAML 1.1 booleans (on/off/yes/no) are strings, with a warning that kubectl reads them as booleans', () => {
    const set = loadManifestText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: ns\n  labels:\n    enabled: on\n    quoted: "yes"\n', 'b.yaml');
    expect(set.others[0]!.metadata.labels).toEqual({ enabled: 'on', quoted: 'yes' });
    expect(set.diagnostics.map((d) => [d.severity, d.line, d.rule, d.hint])).toEqual([['warning', 7, 'yaml-1.1', 'quote it: "on"']]);
  });
});

describe('validation while loading (spec §7)', () => {
  it('objects failing CRD validation are left out, with an error naming file, document, object, field, rule and a hint', async () => {
    const set = await loadManifests([fx('invalid-objects.yaml')]);
    expect(ids(set)).toEqual({ alerts: [], providers: [], secrets: [], others: [] });
    const errs = bySeverity(set, 'error');
    expect(errs.map((d) => [d.doc, d.line, d.object, d.field, d.rule])).toEqual([
      [0, 8, 'Provider/flux-system/slow', 'spec.timeout', 'pattern'],
      [1, 13, 'Alert/flux-system/Bad_Name', 'metadata.name', 'dns-subdomain'],
      [2, 25, 'Provider/flux-system/chat', 'spec', 'cel'],
    ]);
    expect(errs[0]).toEqual({
      severity: 'error', file: fx('invalid-objects.yaml'), line: 8, doc: 0, object: 'Provider/flux-system/slow', field: 'spec.timeout', rule: 'pattern',
      message: `The Provider "slow" is invalid: spec.timeout: Invalid value: "1h": spec.timeout in body should match '^([0-9]+(\\.[0-9]+)?(ms|s|m))+$'`,
      hint: 'use ms, s or m units, e.g. 30s or 1m30s; hours are not accepted (write 60m)',
    });
    expect(errs[2]!.message).toBe(`The Provider "chat" is invalid: spec: Invalid value: "object": spec.commitStatusExpr is only supported for the 'github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops' provider types`);
    for (const e of errs) expect(e.hint).toBeTruthy();
  });

  it('pruning while loading: the warning points at the unknown field line', () => {
    const set = loadManifestText([
      'apiVersion: notification.toolkit.fluxcd.io/v1beta3', 'kind: Provider', 'metadata:', '  name: p', '  namespace: ns',
      'spec:', '  type: slack', '  chanel: alerts',
    ].join('\n'), 'p.yaml');
    expect(ids(set).providers).toEqual(['ns/p']);
    expect(set.diagnostics).toEqual([{
      severity: 'warning', file: 'p.yaml', line: 8, doc: 0, object: 'Provider/ns/p', field: 'spec.chanel', rule: 'unknown-field',
      message: 'unknown field "spec.chanel"', hint: 'did you mean "channel"?',
    }]);
    expect(set.providers[0]!.spec.channel).toBeUndefined();
  });

  it('defaults while loading: eventSeverity info is in the typed spec and the CEL object', async () => {
    const set = await loadManifests([fx('multi.yaml')]);
    const a = set.alerts[0]!;
    expect(a.spec.eventSeverity).toBe('info');
    expect(a.object).toEqual({
      apiVersion: 'notification.toolkit.fluxcd.io/v1beta3', kind: 'Alert',
      metadata: { name: 'on-call', namespace: 'default', uid: assignedUid('Alert', 'default', 'on-call') },
      spec: { providerRef: { name: 'slack' }, eventSeverity: 'info', eventSources: [{ kind: 'Kustomization', name: '*' }] },
    });
  });

  it('§8.44 older versions: v1beta1/v1beta2 are converted with a warning; types v1beta2 lacks are rejected (spec §7.1)', async () => {
    const set = await loadManifests([fx('old-versions.yaml')]);
    expect(ids(set)).toEqual({ alerts: ['flux-system/legacy'], providers: ['flux-system/legacy-slack'], secrets: [], others: [] });
    const conv = set.diagnostics.filter((d) => d.rule === 'served-versions');
    expect(conv.map((d) => [d.severity, d.doc, d.line, d.object, d.message])).toEqual([
      ['warning', 0, 1, 'Alert/flux-system/legacy', 'v1.9 serves only v1beta3: this manifest would be rejected by the cluster; converted for simulation'],
      ['warning', 1, 18, 'Provider/flux-system/legacy-slack', 'v1.9 serves only v1beta3: this manifest would be rejected by the cluster; converted for simulation'],
      ['warning', 2, 28, 'Provider/flux-system/legacy-nats', 'v1.9 serves only v1beta3: this manifest would be rejected by the cluster; converted for simulation'],
    ]);
    const legacy = set.alerts[0]!;
    expect(legacy.apiVersion).toBe('notification.toolkit.fluxcd.io/v1beta1');
    expect(legacy.object.apiVersion).toBe('notification.toolkit.fluxcd.io/v1beta3');
    expect(legacy.spec.inclusionList).toBeUndefined(); // v1beta1 has no inclusionList: pruned
    expect(legacy.spec.summary).toBe('Production cluster');
    expect(set.providers[0]!.spec).toEqual({ type: 'slack', interval: '1h', suspend: false });
    const nats = bySeverity(set, 'error');
    expect(nats.map((d) => [d.object, d.field, d.rule, d.hint])).toEqual([
      ['Provider/flux-system/legacy-nats', 'spec.type', 'enum', 'type "nats" is newer than this API version: change apiVersion to notification.toolkit.fluxcd.io/v1beta3'],
    ]);
  });

  it('Secrets: stringData wins over data; data is decoded to bytes', async () => {
    const set = await loadManifests([fx('secrets.yaml')]);
    expect(ids(set).secrets).toEqual(['flux-system/mixed']);
    const s = set.secrets[0]!;
    expect(Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, v.toString('utf8')]))).toEqual({
      token: 'from-stringData', username: 'admin', password: 's3cr3t',
    });
    expect(Buffer.isBuffer(s.data.token)).toBe(true);
    expect(s.type).toBe('Opaque');
  });

  it('Secrets: invalid base64 rejects the Secret with an error naming the key and its line', async () => {
    const set = await loadManifests([fx('secrets.yaml')]);
    expect(bySeverity(set, 'error')).toEqual([{
      severity: 'error', file: fx('secrets.yaml'), line: 20, doc: 1, object: 'Secret/flux-system/broken', field: 'data.address', rule: 'base64',
      message: 'The Secret "broken" is invalid: data[address]: illegal base64 data at input byte 24',
      hint: "encode the value with base64 (e.g. echo -n 'value' | base64), or put the plain text under stringData.address",
    }]);
  });

  it('duplicates (same kind/namespace/name): the last wins, with a warning pointing at the earlier one', async () => {
    const set = await loadManifests([fx('duplicates.yaml')]);
    expect(set.providers.map((p) => p.spec.channel)).toEqual(['second']);
    expect(set.diagnostics).toEqual([{
      severity: 'warning', file: fx('duplicates.yaml'), line: 13, doc: 1, object: 'Provider/flux-system/slack', rule: 'duplicate',
      message: `duplicate Provider/flux-system/slack: also defined at ${fx('duplicates.yaml')}:1 (document 1); the last definition wins`,
      hint: 'remove or rename one of them',
    }]);
  });

  it('duplicates: the same name in another namespace or of another kind is not a duplicate', () => {
    const set = loadManifestText([
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: a}',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: b}',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: x, namespace: a}',
    ].join('\n---\n'), 'x.yaml');
    expect(ids(set)).toEqual({ alerts: [], providers: [], secrets: ['a/x'], others: ['ConfigMap/a/x', 'ConfigMap/b/x'] });
    expect(set.diagnostics).toEqual([]);
  });

  it('duplicates: a rejected later copy does not replace a valid earlier one (the apply of the copy fails)', () => {
    const set = loadManifestText([
      'apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Provider\nmetadata: {name: p, namespace: ns}\nspec: {type: slack}',
      'apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Provider\nmetadata: {name: p, namespace: ns}\nspec: {type: slak}',
    ].join('\n---\n'), 'x.yaml');
    expect(set.providers.map((p) => p.spec.type)).toEqual(['slack']);
    expect(set.diagnostics.map((d) => [d.severity, d.rule, d.hint])).toEqual([['error', 'enum', 'did you mean "slack"?']]);
  });

  it('other objects: kept for their labels; invalid labels reject them (API server ObjectMeta rules)', () => {
    const set = loadManifestText([
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: podinfo\n  namespace: apps\n  labels:\n    tier: frontend',
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: bad\n  namespace: apps\n  labels:\n    tier: front end',
    ].join('\n---\n'), 'o.yaml');
    expect(set.others.map((o) => [o.kind, o.apiVersion, o.metadata.labels])).toEqual([['GitRepository', 'source.toolkit.fluxcd.io/v1', { tier: 'frontend' }]]);
    expect(set.others[0]!.object).toMatchObject({ kind: 'GitRepository', metadata: { name: 'podinfo', namespace: 'apps' } });
    expect(set.diagnostics.map((d) => [d.severity, d.doc, d.line, d.field, d.rule])).toEqual([['error', 1, 15, 'metadata.labels.tier', 'label-value']]);
  });

  it('unserved notification versions are rejected with the API server message (spec §7.1)', () => {
    const set = loadManifestText('apiVersion: notification.toolkit.fluxcd.io/v1\nkind: Alert\nmetadata: {name: a, namespace: ns}\nspec: {}\n', 'v1.yaml');
    expect(set.alerts).toEqual([]);
    expect(set.diagnostics.map((d) => [d.severity, d.line, d.field, d.message])).toEqual([
      ['error', 1, 'apiVersion', 'no matches for kind "Alert" in version "notification.toolkit.fluxcd.io/v1"'],
    ]);
  });

  it('formatDiagnostic without a line names the document', () => {
    expect(formatDiagnostic({ severity: 'warning', file: 'f.yaml', doc: 2, item: 1, object: 'Alert/n/a', message: 'm', hint: 'h' }))
      .toBe('f.yaml (document 3, item 1): warning: Alert/n/a: m (hint: h)');
  });
});
