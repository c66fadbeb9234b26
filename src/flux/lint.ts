// Static findings on a set of manifests: what would fail, never match, or surprise, with the
// fix. Notifier construction is tried for every Provider with the controller's own checks, so
// a missing secret, key, address or token is reported with the message NC would log.

import type { Catalog } from './catalog.js';
import { defaultCommitStatus } from './commit-status.js';
import type { NotifierFactory } from './dispatch.js';
import type { Diagnostic, ManifestSet } from './manifests.js';
import { assembleNotifierOptions, OptionsError } from './notifier-options.js';
import { isChangeRequestProvider, isCommitStatusProvider } from './provider-classes.js';
import { compileRE2, jsOnlySyntax } from './regex.js';
import { selectorError } from './labels.js';
import { ALERT_SOURCE_KINDS } from './validate.js';
import type { Alert, Provider } from './types.js';

export interface Finding {
  severity: 'error' | 'warning' | 'info';
  file: string;
  line?: number;
  object: string;
  field?: string;
  message: string;
  fix?: string;
  rule: string;
}

/** Source kinds whose revisions are not git commits (OCI digests, chart versions, image tags). */
const NON_COMMIT_KINDS = new Set(['HelmRepository', 'HelmChart', 'ImageRepository', 'ImagePolicy', 'Bucket', 'OCIRepository', 'ExternalArtifact']);

const objName = (o: Alert | Provider) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;

function at(o: Alert | Provider, f: Omit<Finding, 'file' | 'line' | 'object'>): Finding {
  const out: Finding = { file: o.source.file, object: objName(o), ...f };
  if (o.source.line !== undefined) out.line = o.source.line;
  return out;
}

function fromDiagnostic(d: Diagnostic): Finding {
  const f: Finding = { severity: d.severity, file: d.file, object: d.object ?? '', message: d.message, rule: d.rule ?? 'manifest' };
  if (d.line !== undefined) f.line = d.line;
  if (d.field) f.field = d.field;
  if (d.hint) f.fix = d.hint;
  return f;
}

/** Stands in for the UID the API server assigns on create; manifests rarely carry one. */
const PLACEHOLDER_UID = '00000000-0000-0000-0000-000000000000';

/** TLS keys of spec.secretRef, standard and legacy (spec §6.2). */
const SECRET_TLS_KEYS = ['ca.crt', 'caFile', 'tls.crt', 'certFile', 'tls.key', 'keyFile'];

function lintProvider(p: Provider, catalog: Catalog, createNotifier: NotifierFactory, out: Finding[]) {
  const s = p.spec;
  if (s.proxy) out.push(at(p, { severity: 'warning', field: 'spec.proxy', rule: 'deprecated-proxy', message: 'spec.proxy is deprecated: NC logs an error-level warning on every dispatch', fix: 'move the URL to a Secret key `address` and reference it with spec.proxySecretRef' }));
  // A suspended provider drops events before its Secrets are read (spec §4.2 step 3), so
  // nothing below can fail while it stays suspended.
  if (s.suspend) return;
  for (const [field, ref] of [['spec.secretRef', s.secretRef], ['spec.certSecretRef', s.certSecretRef], ['spec.proxySecretRef', s.proxySecretRef]] as const) {
    if (ref && !catalog.secret(p.metadata.namespace, ref.name)) {
      out.push(at(p, { severity: 'error', field: `${field}.name`, rule: 'missing-secret', message: `Secret ${p.metadata.namespace}/${ref.name} is not among the manifests; every dispatch fails: failed to get secret '${p.metadata.namespace}/${ref.name}': secrets "${ref.name}" not found`, fix: `create the Secret in namespace ${p.metadata.namespace} (Secrets are always read from the Provider's namespace)` }));
    }
  }
  // Without a UID the change-request constructors would refuse, which never happens in a cluster.
  const stored = p.metadata.uid ? p : { ...p, metadata: { ...p.metadata, uid: PLACEHOLDER_UID } };
  // Try the controller's own construction path with a representative commit status id.
  const cs = isCommitStatusProvider(s.type) ? defaultCommitStatus(stored.metadata.uid ?? '', { involvedObject: { kind: 'Kustomization', name: 'example' }, severity: 'info', timestamp: null, message: '', reason: '', reportingController: '' }) : '';
  try {
    const assembled = assembleNotifierOptions(stored, cs, catalog.secret);
    if (assembled.origins.authDiscarded) {
      out.push(at(p, { severity: 'warning', field: 'spec.secretRef', rule: 'auth-discarded', message: assembled.origins.authDiscarded, fix: 'give both username and password (or neither), and valid TLS data' }));
    }
    if (assembled.origins.tls === undefined && s.certSecretRef === undefined && !isCommitStatusProvider(s.type) && s.secretRef) {
      const sec = catalog.secret(p.metadata.namespace, s.secretRef.name);
      if (sec && SECRET_TLS_KEYS.some((k) => k in sec.data)) {
        out.push(at(p, { severity: 'warning', field: 'spec.secretRef', rule: 'tls-in-secretref', message: `TLS keys in spec.secretRef are ignored for ${s.type} (only commit-status providers read them)`, fix: 'reference the TLS Secret with spec.certSecretRef' }));
      }
    }
    try {
      createNotifier(s.type, assembled.options);
    } catch (e) {
      out.push(at(p, { severity: 'error', field: 'spec', rule: 'notifier-init', message: `every dispatch fails: failed to initialize notifier for provider '${p.metadata.name}': failed to initialize notifier: ${(e as Error).message}`, fix: `give the Provider what type ${s.type} needs (see the README's "Provider types" table: address, channel, token…)` }));
    }
  } catch (e) {
    if (!(e instanceof OptionsError)) throw e;
    if (!/failed to get secret/.test(e.message)) {
      out.push(at(p, { severity: 'error', field: 'spec', rule: 'notifier-init', message: `every dispatch fails: failed to initialize notifier for provider '${p.metadata.name}': ${e.message}`, fix: 'fix the referenced Secret' }));
    }
  }
}

function regexFindings(a: Alert, list: 'inclusionList' | 'exclusionList', out: Finding[]) {
  const exps = a.spec[list] ?? [];
  let valid = 0;
  exps.forEach((exp, i) => {
    const c = compileRE2(exp);
    if (c.ok) {
      valid++;
      if (list === 'exclusionList' && (exp === '' || exp === '.*' || exp === '^' || exp === '$')) {
        out.push(at(a, { severity: 'error', field: `spec.exclusionList[${i}]`, rule: 'never-matches', message: `${JSON.stringify(exp)} matches every message: the alert can never fire`, fix: 'narrow the expression or remove it' }));
      }
      return;
    }
    const js = jsOnlySyntax(exp);
    out.push(at(a, {
      severity: 'error', field: `spec.${list}[${i}]`, rule: 'invalid-regex',
      message: `${JSON.stringify(exp)} does not compile under RE2 (${c.error}); NC skips it on every event and records InvalidConfig${list === 'exclusionList' ? ', so it never excludes' : ''}`,
      fix: js ? `${js}; rewrite without it` : 'fix the expression (Go RE2 syntax)',
    }));
  });
  if (list === 'inclusionList' && exps.length > 0 && valid === 0) {
    out.push(at(a, { severity: 'error', field: 'spec.inclusionList', rule: 'never-matches', message: 'no inclusion expression compiles: the alert can never fire', fix: 'fix the expressions, or remove spec.inclusionList to let every message through' }));
  }
}

function lintAlert(a: Alert, catalog: Catalog, out: Finding[]) {
  const p = catalog.provider(a.metadata.namespace, a.spec.providerRef.name);
  if (!p) {
    out.push(at(a, { severity: 'error', field: 'spec.providerRef.name', rule: 'missing-provider', message: `Provider ${a.metadata.namespace}/${a.spec.providerRef.name} is not among the manifests: every matched event fails with "failed to read provider"`, fix: 'create the Provider in the Alert\'s namespace (providers are never looked up elsewhere)' }));
  } else if (p.spec.suspend) {
    out.push(at(a, { severity: 'warning', field: 'spec.providerRef.name', rule: 'provider-suspended', message: `${objName(p)} is suspended: every matched event is dropped silently`, fix: 'set the Provider spec.suspend to false' }));
  }
  if (a.spec.suspend) out.push(at(a, { severity: 'info', field: 'spec.suspend', rule: 'alert-suspended', message: 'the alert is suspended: it matches nothing', fix: 'set spec.suspend to false to use it, or delete the Alert' }));
  if (a.spec.summary) out.push(at(a, { severity: 'warning', field: 'spec.summary', rule: 'deprecated-summary', message: 'spec.summary is deprecated (NC logs a warning on every dispatch)', fix: 'use spec.eventMetadata.summary' }));
  if (a.spec.eventSources.length === 0) out.push(at(a, { severity: 'error', field: 'spec.eventSources', rule: 'never-matches', message: 'eventSources is empty: the alert never matches', fix: 'add at least one source' }));
  a.spec.eventSources.forEach((src, i) => {
    const f = `spec.eventSources[${i}]`;
    if (!(ALERT_SOURCE_KINDS as readonly string[]).includes(src.kind)) {
      const right = (ALERT_SOURCE_KINDS as readonly string[]).find((k) => k.toLowerCase() === src.kind.toLowerCase());
      out.push(at(a, { severity: 'error', field: `${f}.kind`, rule: 'source-kind', message: `${JSON.stringify(src.kind)} is not a Flux source kind${right ? ' (kinds are case-sensitive)' : ''}`, fix: right ? `write ${right}` : `use one of ${ALERT_SOURCE_KINDS.join(', ')}` }));
    }
    if (src.name !== '*' && /[*?[\]]/.test(src.name)) {
      out.push(at(a, { severity: 'error', field: `${f}.name`, rule: 'never-matches', message: `${JSON.stringify(src.name)} is compared literally (only the exact string "*" is a wildcard), and no object can have that name`, fix: 'use "*" with matchLabels, or the exact name' }));
    }
    if (src.namespace === '*') {
      out.push(at(a, { severity: 'error', field: `${f}.namespace`, rule: 'never-matches', message: 'there is no namespace wildcard: "*" is a literal namespace name and never matches', fix: 'list each namespace in its own source entry' }));
    }
    if (src.matchLabels) {
      const err = selectorError(src.matchLabels);
      if (err) out.push(at(a, { severity: 'error', field: `${f}.matchLabels`, rule: 'invalid-selector', message: `invalid label selector (${err}): the entry never matches and NC records InvalidConfig`, fix: 'use valid label keys and values' }));
    }
    // "*" is reported above as never matching; moving the Alert there would make no sense.
    if (src.namespace && src.namespace !== '*' && src.namespace !== a.metadata.namespace) {
      out.push(at(a, { severity: 'info', field: `${f}.namespace`, rule: 'cross-namespace', message: `selects events from namespace ${src.namespace}: blocked when the controller runs with --no-cross-namespace-refs`, fix: 'move the Alert into that namespace if your cluster blocks cross-namespace references' }));
    }
    if (p && isCommitStatusProvider(p.spec.type) && NON_COMMIT_KINDS.has(src.kind)) {
      out.push(at(a, { severity: 'warning', field: `${f}.kind`, rule: 'commit-status-source', message: `${src.kind} revisions are not git commits: ${p.spec.type} fails with "failed to extract commit hash" (or "missing revision metadata") for its error events`, fix: 'point commit-status providers at Kustomization, GitRepository or HelmRelease sources' }));
    }
  });
  if (p && isChangeRequestProvider(p.spec.type)) {
    out.push(at(a, { severity: 'info', field: 'spec.providerRef.name', rule: 'change-request', message: `${p.spec.type} only receives events whose object carries the annotation event.toolkit.fluxcd.io/change_request`, fix: 'annotate the Flux objects with the pull/merge request number' }));
  }
  regexFindings(a, 'inclusionList', out);
  regexFindings(a, 'exclusionList', out);
}

/** Two alerts that send the same event to the same provider twice. */
function duplicateFindings(catalog: Catalog, out: Finding[]) {
  const alerts = catalog.alerts.filter((a) => !a.spec.suspend);
  for (let i = 0; i < alerts.length; i++) {
    for (let j = i + 1; j < alerts.length; j++) {
      const a = alerts[i]!;
      const b = alerts[j]!;
      if (a.metadata.namespace !== b.metadata.namespace || a.spec.providerRef.name !== b.spec.providerRef.name) continue;
      if ((a.spec.inclusionList?.length ?? 0) + (a.spec.exclusionList?.length ?? 0) + (b.spec.inclusionList?.length ?? 0) + (b.spec.exclusionList?.length ?? 0) > 0) continue;
      const overlap = a.spec.eventSources.find((x) =>
        b.spec.eventSources.some((y) => x.kind === y.kind && (x.namespace || a.metadata.namespace) === (y.namespace || b.metadata.namespace) && (x.name === '*' || y.name === '*' || x.name === y.name) && !x.matchLabels && !y.matchLabels),
      );
      if (overlap) {
        out.push(at(b, {
          severity: 'warning', field: 'spec.eventSources', rule: 'duplicate-alert',
          // info matches every severity (spec §8.1): if either alert is error-only, the errors overlap.
          message: `overlaps ${objName(a)} (${overlap.kind}/${overlap.name}) and sends to the same Provider ${a.metadata.namespace}/${a.spec.providerRef.name}: matching ${a.spec.eventSeverity === 'error' || b.spec.eventSeverity === 'error' ? 'error ' : ''}events are posted twice`,
          fix: 'merge the two alerts, or make their events disjoint with inclusionList or exclusionList (eventSeverity cannot: info also matches errors)',
        }));
      }
    }
  }
}

export function lintManifests(set: ManifestSet, catalog: Catalog, createNotifier: NotifierFactory): Finding[] {
  const out: Finding[] = set.diagnostics.filter((d) => d.severity !== 'info').map(fromDiagnostic);
  for (const p of set.providers) lintProvider(p, catalog, createNotifier, out);
  for (const a of catalog.alerts) lintAlert(a, catalog, out);
  duplicateFindings(catalog, out);
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return out.sort((x, y) => rank[x.severity] - rank[y.severity] || x.file.localeCompare(y.file) || (x.line ?? 0) - (y.line ?? 0));
}
