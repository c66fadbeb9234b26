// What the Kubernetes API server does to an Alert, Provider or Secret on create: prune unknown
// fields, apply CRD defaults, validate the schema (types, required, enums, lengths, patterns,
// the Provider CEL rule) and ObjectMeta. Rules come from the CRDs in config/crd/bases of
// notification-controller (v1beta3 from v1.9.3, v1beta2 from v1.8.4, v1beta1 from v1.6.0, the last
// releases serving them) and from core/v1 Secret validation. Pure: no I/O.

import { createHash } from 'node:crypto';
import { RE2JS } from 're2js';
import { stringMap } from './types.js';
import type {
  AlertSpec,
  CrossNamespaceObjectReference,
  ObjectMeta,
  ProviderSpec,
  StringMap,
} from './types.js';

export const NOTIFICATION_GROUP = 'notification.toolkit.fluxcd.io';
export const NOTIFICATION_API_VERSION = 'notification.toolkit.fluxcd.io/v1beta3';

/** The 34 Provider types of the v1beta3 CRD enum (spec §7.5), in CRD order. */
export const PROVIDER_TYPES = [
  'slack', 'discord', 'msteams', 'rocket', 'generic', 'generic-hmac', 'github', 'gitlab', 'gitea',
  'giteapullrequestcomment', 'bitbucketserver', 'bitbucket', 'azuredevops', 'googlechat',
  'googlepubsub', 'webex', 'sentry', 'azureeventhub', 'telegram', 'lark', 'matrix', 'opsgenie',
  'alertmanager', 'grafana', 'githubdispatch', 'githubpullrequestcomment',
  'gitlabmergerequestcomment', 'pagerduty', 'datadog', 'nats', 'zulip', 'otel', 'zoom', 'incident.io',
] as const;

/** v1beta2 (NC v1.8): no PR/MR comment types, nats, zulip, otel, zoom, incident.io (spec §7.1). */
export const PROVIDER_TYPES_V1BETA2: readonly string[] = [
  'slack', 'discord', 'msteams', 'rocket', 'generic', 'generic-hmac', 'github', 'gitlab', 'gitea',
  'bitbucketserver', 'bitbucket', 'azuredevops', 'googlechat', 'googlepubsub', 'webex', 'sentry',
  'azureeventhub', 'telegram', 'lark', 'matrix', 'opsgenie', 'alertmanager', 'grafana',
  'githubdispatch', 'pagerduty', 'datadog',
];

/** v1beta1 (NC v1.6): additionally no gitea, bitbucketserver, googlepubsub, pagerduty, datadog. */
export const PROVIDER_TYPES_V1BETA1: readonly string[] = [
  'slack', 'discord', 'msteams', 'rocket', 'generic', 'generic-hmac', 'github', 'gitlab', 'bitbucket',
  'azuredevops', 'googlechat', 'webex', 'sentry', 'azureeventhub', 'telegram', 'lark', 'matrix',
  'opsgenie', 'alertmanager', 'grafana', 'githubdispatch',
];

/** The eventSources[].kind enum of v1beta3 (spec §7.3), in CRD order. */
export const ALERT_SOURCE_KINDS = [
  'Bucket', 'GitRepository', 'Kustomization', 'HelmRelease', 'HelmChart', 'HelmRepository',
  'ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation', 'OCIRepository', 'ArtifactGenerator',
  'ExternalArtifact',
] as const;

const ALERT_SOURCE_KINDS_V1BETA1: readonly string[] = ALERT_SOURCE_KINDS.slice(0, 10);

/** For enums an old version lacks: the value is fine in v1beta3. */
function onlyInV1beta3(all: readonly string[], what: string) {
  return (value: string) => all.includes(value)
    ? `${what} "${value}" is newer than this API version: change apiVersion to notification.toolkit.fluxcd.io/v1beta3`
    : undefined;
}

/** Provider types allowed to carry spec.commitStatusExpr (the CRD's CEL rule, spec §7.4). */
export const COMMIT_STATUS_EXPR_TYPES = ['github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops'] as const;

export const COMMIT_STATUS_EXPR_MESSAGE =
  "spec.commitStatusExpr is only supported for the 'github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops' provider types";

const COMMIT_STATUS_EXPR_RULE =
  "self.type == 'github' || self.type == 'gitlab' || self.type == 'gitea' || self.type == 'bitbucketserver' || self.type == 'bitbucket' || self.type == 'azuredevops' || !has(self.commitStatusExpr)";

export const OLD_VERSION_WARNING =
  'v1.9 serves only v1beta3: this manifest would be rejected by the cluster; converted for simulation';

export const TIMEOUT_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m))+$';
export const INTERVAL_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';
export const PROXY_PATTERN = '^(http|https)://.*$';
const V1BETA1_URL_PATTERN = '^(http|https)://';

// ---------------------------------------------------------------------------------------------
// Issues

export type Severity = 'error' | 'warning' | 'info';
export type FieldPath = (string | number)[];

/** One finding, relative to the object; the loader adds file, document and line. */
export interface Issue {
  severity: Severity;
  /** Path of the field inside the object; [] for the object itself. */
  path: FieldPath;
  /** Short rule id: required, type, enum, maxLength, minLength, pattern, cel, dns-subdomain, unknown-field, ... */
  rule: string;
  /** In the API server's wording where there is one (`spec.timeout: Invalid value: ...`). */
  message: string;
  hint?: string;
}

/** `spec.eventSources[0].kind`, the API server's way of naming a field. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (out === '') out = seg;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += `.${seg}`;
    // Map keys with dots or slashes (labels, annotations, data keys) are bracketed.
    else out += `[${seg}]`;
  }
  return out;
}

function issue(severity: Severity, path: FieldPath, rule: string, message: string, hint?: string): Issue {
  return hint === undefined ? { severity, path, rule, message } : { severity, path, rule, message, hint };
}

// ---------------------------------------------------------------------------------------------
// A small structural schema, enough for the notification CRDs.

interface StringSchema {
  type: 'string';
  enum?: readonly string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: string;
  hint?: string;
  /** A hint for an enum miss that depends on the value (e.g. a type only a newer version has). */
  enumHint?: (value: string) => string | undefined;
}
interface BooleanSchema { type: 'boolean'; default?: boolean }
interface ArraySchema { type: 'array'; items: Schema }
interface ObjectSchema {
  type: 'object';
  properties?: Record<string, Schema>;
  additionalProperties?: Schema;
  required?: readonly string[];
  rules?: readonly CelRule[];
}
/** `metadata`: validated as ObjectMeta, not by the CRD schema. */
interface MetaSchema { type: 'meta' }
/** `status` of a version with the status subresource: dropped on create. */
interface DroppedSchema { type: 'dropped' }
type Schema = StringSchema | BooleanSchema | ArraySchema | ObjectSchema | MetaSchema | DroppedSchema;

interface CelRule {
  rule: string;
  message: string;
  hint: string;
  /** true = passes; undefined = not evaluated (a schema error on the same object already says why). */
  holds(self: Record<string, unknown>): boolean | undefined;
}

const str = (o: Omit<StringSchema, 'type'> = {}): StringSchema => ({ type: 'string', ...o });
const bool: BooleanSchema = { type: 'boolean' };
const strList: ArraySchema = { type: 'array', items: str() };
const strMap: ObjectSchema = { type: 'object', additionalProperties: str() };
const localRef: ObjectSchema = { type: 'object', properties: { name: str() }, required: ['name'] };

export type NotificationVersion = 'v1beta1' | 'v1beta2' | 'v1beta3';
const VERSIONS: readonly NotificationVersion[] = ['v1beta1', 'v1beta2', 'v1beta3'];

function topLevel(spec: ObjectSchema, version: NotificationVersion): ObjectSchema {
  const properties: Record<string, Schema> = {
    apiVersion: str(),
    kind: str(),
    metadata: { type: 'meta' },
    spec,
  };
  // v1beta1/v1beta2 had a status subresource, so a status in the manifest is ignored, not pruned.
  if (version !== 'v1beta3') properties.status = { type: 'dropped' };
  return { type: 'object', properties };
}

function alertSchema(version: NotificationVersion): ObjectSchema {
  const v1 = version === 'v1beta1';
  const refLen = v1 ? 53 : 253;
  const source: ObjectSchema = {
    type: 'object',
    properties: {
      apiVersion: str(),
      kind: v1 ? str({ enum: ALERT_SOURCE_KINDS_V1BETA1, enumHint: onlyInV1beta3(ALERT_SOURCE_KINDS, 'kind') }) : str({ enum: ALERT_SOURCE_KINDS }),
      matchLabels: strMap,
      name: str({ minLength: 1, maxLength: refLen, hint: 'use the object name, or "*" for every object of this kind' }),
      namespace: str({ minLength: 1, maxLength: refLen, hint: "omit namespace to use the Alert's namespace" }),
    },
    required: ['kind', 'name'],
  };
  const properties: Record<string, Schema> = {};
  if (!v1) properties.eventMetadata = strMap;
  properties.eventSeverity = str({ default: 'info', enum: ['info', 'error'] });
  properties.eventSources = { type: 'array', items: source };
  properties.exclusionList = strList;
  if (!v1) properties.inclusionList = strList;
  properties.providerRef = localRef;
  properties.summary = v1 ? str() : str({ maxLength: 255, hint: 'shorten it, or move details to spec.eventMetadata (summary is deprecated)' });
  properties.suspend = bool;
  return topLevel({ type: 'object', properties, required: ['eventSources', 'providerRef'] }, version);
}

const commitStatusRule: CelRule = {
  rule: COMMIT_STATUS_EXPR_RULE,
  message: COMMIT_STATUS_EXPR_MESSAGE,
  hint: `remove spec.commitStatusExpr, or use one of the types ${COMMIT_STATUS_EXPR_TYPES.join(', ')}`,
  holds(self) {
    // has() is true for any present value, even "" (spec §7.4).
    if (!Object.hasOwn(self, 'commitStatusExpr')) return true;
    if (typeof self.type !== 'string') return undefined;
    return (COMMIT_STATUS_EXPR_TYPES as readonly string[]).includes(self.type);
  },
};

function providerSchema(version: NotificationVersion): ObjectSchema {
  const timeout = str({ pattern: TIMEOUT_PATTERN, hint: 'use ms, s or m units, e.g. 30s or 1m30s; hours are not accepted (write 60m)' });
  if (version === 'v1beta1') {
    const url = (what: string) => str({ pattern: V1BETA1_URL_PATTERN, hint: `v1beta1 requires the ${what} to start with http:// or https://` });
    return topLevel({
      type: 'object',
      properties: {
        address: url('address'),
        certSecretRef: localRef,
        channel: str(),
        proxy: url('proxy'),
        secretRef: localRef,
        suspend: bool,
        timeout,
        type: str({ enum: PROVIDER_TYPES_V1BETA1, enumHint: onlyInV1beta3(PROVIDER_TYPES, 'type') }),
        username: str(),
      },
      required: ['type'],
    }, version);
  }
  const v3 = version === 'v1beta3';
  const long = (hint?: string) => str(hint === undefined ? { maxLength: 2048 } : { maxLength: 2048, hint });
  const properties: Record<string, Schema> = {
    address: long('a longer address can be stored in the secretRef "address" key'),
    certSecretRef: localRef,
    channel: long(),
  };
  if (v3) properties.commitStatusExpr = str();
  properties.interval = str({ pattern: INTERVAL_PATTERN, hint: 'use a Go duration such as 10m or 1h (the field is deprecated and unused: it can be removed)' });
  properties.proxy = str({ maxLength: 2048, pattern: PROXY_PATTERN, hint: 'start the proxy URL with http:// or https:// (spec.proxy is deprecated: prefer spec.proxySecretRef)' });
  if (v3) properties.proxySecretRef = localRef;
  properties.secretRef = localRef;
  if (v3) properties.serviceAccountName = str();
  properties.suspend = bool;
  properties.timeout = timeout;
  properties.type = v3 ? str({ enum: PROVIDER_TYPES }) : str({ enum: PROVIDER_TYPES_V1BETA2, enumHint: onlyInV1beta3(PROVIDER_TYPES, 'type') });
  properties.username = long();
  const spec: ObjectSchema = { type: 'object', properties, required: ['type'] };
  if (v3) spec.rules = [commitStatusRule];
  return topLevel(spec, version);
}

const SCHEMAS: Record<'Alert' | 'Provider', Record<NotificationVersion, ObjectSchema>> = {
  Alert: { v1beta1: alertSchema('v1beta1'), v1beta2: alertSchema('v1beta2'), v1beta3: alertSchema('v1beta3') },
  Provider: { v1beta1: providerSchema('v1beta1'), v1beta2: providerSchema('v1beta2'), v1beta3: providerSchema('v1beta3') },
};

// ---------------------------------------------------------------------------------------------
// Schema passes, in the API server's order: prune unknown fields and non-nullable nulls, default,
// validate.

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** Assignment would treat a `__proto__` key as the prototype; map keys are data. */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'bigint') return 'integer';
  return typeof v;
}

function hasDefault(s: Schema): boolean {
  return (s.type === 'string' || s.type === 'boolean') && s.default !== undefined;
}

function propSchema(s: ObjectSchema, key: string): Schema | undefined {
  if (s.properties && Object.hasOwn(s.properties, key)) return s.properties[key];
  return s.additionalProperties;
}

interface PruneContext {
  issues: Issue[];
  /** Properties of other versions, for hints on fields this version does not know. */
  otherVersions?: (path: FieldPath) => NotificationVersion[];
  /** Silent: no issues for dropped fields (used when re-reading an old object as v1beta3). */
  silent?: boolean;
}

function prune(value: unknown, schema: Schema, path: FieldPath, ctx: PruneContext): unknown {
  if (schema.type === 'array') {
    if (!Array.isArray(value)) return value;
    return value.map((item, i) => prune(item, schema.items, [...path, i], ctx));
  }
  if (schema.type !== 'object' || !isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = propSchema(schema, key);
    const here = [...path, key];
    if (!sub) {
      if (!ctx.silent) ctx.issues.push(unknownField(here, schema, ctx));
      continue;
    }
    if (sub.type === 'dropped') {
      if (!ctx.silent) ctx.issues.push(issue('info', here, 'status-subresource', `${formatPath(here)}: ignored on create (the controller sets it)`));
      continue;
    }
    // Non-nullable nulls without a default are dropped; those with a default get the default.
    if (v === null && !hasDefault(sub)) continue;
    setOwn(out, key, sub.type === 'meta' ? v : prune(v, sub, here, ctx));
  }
  return out;
}

function unknownField(path: FieldPath, parent: ObjectSchema, ctx: PruneContext): Issue {
  const name = String(path[path.length - 1]);
  let hint: string | undefined;
  const known = Object.keys(parent.properties ?? {});
  const close = closest(name, known);
  const elsewhere = ctx.otherVersions?.(path) ?? [];
  if (elsewhere.length > 0) hint = `this field exists in ${elsewhere.join(', ')} only: change apiVersion to ${NOTIFICATION_GROUP}/${elsewhere[elsewhere.length - 1]}`;
  else if (close) hint = `did you mean "${close}"?`;
  else hint = 'remove it: the API server drops unknown fields (kubectl apply --validate=strict rejects the object)';
  return issue('warning', path, 'unknown-field', `unknown field "${formatPath(path)}"`, hint);
}

function applyDefaults(value: unknown, schema: Schema): unknown {
  if (schema.type === 'array') {
    return Array.isArray(value) ? value.map((v) => applyDefaults(v, schema.items)) : value;
  }
  if (schema.type !== 'object' || !isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = propSchema(schema, key);
    setOwn(out, key, sub ? applyDefaults(v, sub) : v);
  }
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if ((sub.type === 'string' || sub.type === 'boolean') && sub.default !== undefined) {
      if (!Object.hasOwn(out, key) || out[key] === null) out[key] = sub.default;
    }
  }
  return out;
}

function typeError(path: FieldPath, want: string, v: unknown): Issue {
  const got = jsonType(v);
  const p = formatPath(path);
  let hint = `write a ${want}`;
  if (want === 'boolean' && (v === 'true' || v === 'false')) hint = `remove the quotes: ${v}`;
  else if (want === 'string' && (typeof v === 'number' || typeof v === 'boolean')) hint = `quote the value: "${String(v)}"`;
  else if (want === 'object' && got === 'array') hint = 'write a mapping (key: value), not a list';
  else if (want === 'array' && got === 'object') hint = 'write a list (- item), not a mapping';
  return issue('error', path, 'type', `${p}: Invalid value: "${got}": ${p} in body must be of type ${want}: "${got}"`, hint);
}

const regexCache = new Map<string, RE2JS>();
/** CRD patterns are Go RE2 regexes, matched unanchored (the patterns anchor themselves). */
function matchesPattern(pattern: string, s: string): boolean {
  let re = regexCache.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    regexCache.set(pattern, re);
  }
  return re.test(s);
}

/** OpenAPI lengths count characters (code points), although the message says bytes. */
const charLength = (s: string) => [...s].length;

function check(value: unknown, schema: Schema, path: FieldPath, issues: Issue[]): void {
  const p = formatPath(path);
  switch (schema.type) {
    case 'meta':
    case 'dropped':
      return;
    case 'boolean':
      if (typeof value !== 'boolean') issues.push(typeError(path, 'boolean', value));
      return;
    case 'string': {
      if (typeof value !== 'string') {
        issues.push(typeError(path, 'string', value));
        return;
      }
      if (schema.enum && !schema.enum.includes(value)) {
        const supported = schema.enum.map((e) => `"${e}"`).join(', ');
        const close = closest(value, schema.enum);
        const hint = schema.enumHint?.(value) ?? (close ? `did you mean "${close}"?` : `use one of: ${schema.enum.join(', ')}`);
        issues.push(issue('error', path, 'enum', `${p}: Unsupported value: "${value}": supported values: ${supported}`, hint));
      }
      if (schema.maxLength !== undefined && charLength(value) > schema.maxLength) {
        issues.push(issue('error', path, 'maxLength', `${p}: Too long: may not be more than ${schema.maxLength} bytes`,
          schema.hint ?? `shorten it to at most ${schema.maxLength} characters`));
      }
      if (schema.minLength !== undefined && charLength(value) < schema.minLength) {
        issues.push(issue('error', path, 'minLength', `${p}: Invalid value: "${value}": ${p} in body should be at least ${schema.minLength} chars long`,
          schema.hint ?? 'set a non-empty value, or remove the field'));
      }
      if (schema.pattern !== undefined && !matchesPattern(schema.pattern, value)) {
        issues.push(issue('error', path, 'pattern', `${p}: Invalid value: "${value}": ${p} in body should match '${schema.pattern}'`,
          schema.hint ?? `match the pattern ${schema.pattern}`));
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) {
        issues.push(typeError(path, 'array', value));
        return;
      }
      value.forEach((item, i) => check(item, schema.items, [...path, i], issues));
      return;
    case 'object': {
      if (!isPlainObject(value)) {
        issues.push(typeError(path, 'object', value));
        return;
      }
      for (const key of schema.required ?? []) {
        if (!Object.hasOwn(value, key)) {
          const here = [...path, key];
          issues.push(issue('error', here, 'required', `${formatPath(here)}: Required value`, requiredHint(here)));
        }
      }
      for (const [key, v] of Object.entries(value)) {
        const sub = propSchema(schema, key);
        if (sub) check(v, sub, [...path, key], issues);
      }
      for (const rule of schema.rules ?? []) {
        if (rule.holds(value) === false) {
          issues.push(issue('error', path, 'cel', `${p}: Invalid value: "object": ${rule.message}`, rule.hint));
        }
      }
      return;
    }
  }
}

function requiredHint(path: FieldPath): string {
  const p = formatPath(path);
  switch (p) {
    case 'spec.providerRef': return 'add spec.providerRef.name: the name of a Provider in the same namespace';
    case 'spec.providerRef.name': return 'name a Provider in the same namespace';
    case 'spec.eventSources': return 'add spec.eventSources: a list of {kind, name} (an empty list is valid but matches nothing)';
    case 'spec.type': return `add spec.type, one of: ${PROVIDER_TYPES.join(', ')}`;
  }
  if (/^spec\.eventSources\[\d+\]\.kind$/.test(p)) return `add kind: one of ${ALERT_SOURCE_KINDS.join(', ')}`;
  if (/^spec\.eventSources\[\d+\]\.name$/.test(p)) return 'add name: the object name, or "*" for every object of the kind';
  if (p.endsWith('.name')) return 'add name: the name of a Secret in the same namespace';
  return `add ${p}`;
}

/** A suggestion for a near miss: same text ignoring case, or within edit distance 2. */
function closest(value: string, candidates: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  const same = candidates.find((c) => c.toLowerCase() === lower);
  if (same) return same;
  let best: string | undefined;
  let bestDist = 3;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

// ---------------------------------------------------------------------------------------------
// ObjectMeta

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Errors of a lowercase RFC 1123 subdomain (names of Alerts, Providers, Secrets, most kinds). */
export function dnsSubdomainErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 253) errs.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(s)) errs.push(SUBDOMAIN_MSG);
  return errs;
}

/** Errors of a lowercase RFC 1123 label (namespace names). */
export function dnsLabelErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(s)) errs.push(LABEL_MSG);
  return errs;
}

/** Errors of a qualified name (`prefix/name`): label and annotation keys. */
export function qualifiedNameErrors(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const e of dnsSubdomainErrors(prefix)) errs.push(`prefix part ${e}`);
  } else if (parts.length > 2) {
    errs.push(`a qualified name ${QUALIFIED_MSG.replace(/^name part /, '')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`);
    return errs;
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) errs.push(QUALIFIED_MSG);
  return errs;
}

export function labelValueErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(v)) errs.push(LABEL_VALUE_MSG);
  return errs;
}

/** Path-segment names (RBAC kinds): anything but `.`, `..`, and no `/` or `%`. */
function pathSegmentErrors(s: string): string[] {
  if (s === '.' || s === '..') return [`may not be '${s}'`];
  const errs: string[] = [];
  for (const ch of ['/', '%']) if (s.includes(ch)) errs.push(`may not contain '${ch}'`);
  return errs;
}

export type NameRule = 'dns-subdomain' | 'dns-label' | 'path-segment';

export interface MetaOptions {
  /** Namespaced kinds need a namespace (the loader defaults it first); cluster-scoped ones drop it. */
  namespaced: boolean;
  nameRule: NameRule;
  /** When set, an object without metadata.uid gets one, as the API server assigns on create. */
  assignUidFor?: string;
}

/**
 * A stable UID for an object the manifests give none: the API server would assign a random one;
 * a hash of kind/namespace/name keeps runs reproducible (commit status ids and comment markers
 * are derived from it).
 */
export function assignedUid(kind: string, namespace: string, name: string): string {
  const h = createHash('sha1').update(`${kind}/${namespace}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface MetaResult {
  meta?: ObjectMeta;
  /** metadata as stored: known ObjectMeta fields only. */
  stored: Record<string, unknown>;
  issues: Issue[];
}

const META_FIELDS: Record<string, 'string' | 'integer' | 'stringMap' | 'array' | 'any'> = {
  name: 'string',
  generateName: 'string',
  namespace: 'string',
  selfLink: 'string',
  uid: 'string',
  resourceVersion: 'string',
  generation: 'integer',
  creationTimestamp: 'any',
  deletionTimestamp: 'any',
  deletionGracePeriodSeconds: 'integer',
  labels: 'stringMap',
  annotations: 'stringMap',
  ownerReferences: 'array',
  finalizers: 'array',
  managedFields: 'array',
};

const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** ObjectMeta as decoded and validated for a create (apimachinery ValidateObjectMeta). */
export function validateObjectMeta(raw: unknown, opts: MetaOptions): MetaResult {
  const issues: Issue[] = [];
  const stored: Record<string, unknown> = {};
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
    issues.push(typeError(['metadata'], 'object', raw));
    return { stored, issues };
  }
  const m = raw ?? {};
  for (const [key, v] of Object.entries(m)) {
    const path = ['metadata', key];
    const kind = Object.hasOwn(META_FIELDS, key) ? META_FIELDS[key] : undefined;
    if (kind === undefined) {
      const close = closest(key, Object.keys(META_FIELDS));
      issues.push(issue('warning', path, 'unknown-field', `unknown field "${formatPath(path)}"`,
        close ? `did you mean "${close}"?` : 'remove it: the API server drops unknown metadata fields'));
      continue;
    }
    if (v === null) continue;
    if (kind === 'string' && typeof v !== 'string') issues.push(typeError(path, 'string', v));
    else if (kind === 'integer' && !Number.isInteger(v)) issues.push(typeError(path, 'integer', v));
    else if (kind === 'array' && !Array.isArray(v)) issues.push(typeError(path, 'array', v));
    else if (kind === 'stringMap') {
      if (!isPlainObject(v)) issues.push(typeError(path, 'object', v));
      else for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') issues.push(typeError([...path, k], 'string', x));
    }
    setOwn(stored, key, v);
  }

  const name = stored.name;
  if (typeof name !== 'string' || name === '') {
    if (name === undefined || name === '') {
      const generate = typeof stored.generateName === 'string' && stored.generateName !== '';
      issues.push(issue('error', ['metadata', 'name'], 'required',
        generate ? 'metadata.name: Required value: kubectl apply does not support generateName'
          : 'metadata.name: Required value: name or generateName is required',
        'set metadata.name'));
    }
  } else {
    const errs = opts.nameRule === 'dns-subdomain' ? dnsSubdomainErrors(name)
      : opts.nameRule === 'dns-label' ? dnsLabelErrors(name) : pathSegmentErrors(name);
    for (const e of errs) {
      issues.push(issue('error', ['metadata', 'name'], opts.nameRule, `metadata.name: Invalid value: "${name}": ${e}`, nameHint(name)));
    }
  }

  if (!opts.namespaced) {
    delete stored.namespace;
  } else if (typeof stored.namespace === 'string' && stored.namespace !== '') {
    for (const e of dnsLabelErrors(stored.namespace)) {
      issues.push(issue('error', ['metadata', 'namespace'], 'dns-label', `metadata.namespace: Invalid value: "${stored.namespace}": ${e}`, nameHint(stored.namespace)));
    }
  } else if (stored.namespace === undefined || stored.namespace === '') {
    issues.push(issue('error', ['metadata', 'namespace'], 'required', 'metadata.namespace: Required value', 'set metadata.namespace'));
  }

  if (isPlainObject(stored.labels)) {
    for (const [k, v] of Object.entries(stored.labels)) {
      for (const e of qualifiedNameErrors(k)) issues.push(issue('error', ['metadata', 'labels', k], 'label-key', `metadata.labels: Invalid value: "${k}": ${e}`));
      if (typeof v === 'string') for (const e of labelValueErrors(v)) issues.push(issue('error', ['metadata', 'labels', k], 'label-value', `metadata.labels: Invalid value: "${v}": ${e}`));
    }
  }
  if (isPlainObject(stored.annotations)) {
    let size = 0;
    for (const [k, v] of Object.entries(stored.annotations)) {
      for (const e of qualifiedNameErrors(k.toLowerCase())) issues.push(issue('error', ['metadata', 'annotations', k], 'annotation-key', `metadata.annotations: Invalid value: "${k}": ${e}`));
      size += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
    }
    if (size > ANNOTATIONS_MAX_BYTES) {
      issues.push(issue('error', ['metadata', 'annotations'], 'maxLength', `metadata.annotations: Too long: may not be more than ${ANNOTATIONS_MAX_BYTES} bytes`));
    }
  }

  if (issues.some((i) => i.severity === 'error')) return { stored, issues };
  const meta: ObjectMeta = { name: stored.name as string, namespace: opts.namespaced ? (stored.namespace as string) : '' };
  if (typeof stored.uid === 'string') meta.uid = stored.uid;
  else if (opts.assignUidFor) {
    meta.uid = assignedUid(opts.assignUidFor, meta.namespace, meta.name);
    stored.uid = meta.uid;
  }
  if (typeof stored.resourceVersion === 'string') meta.resourceVersion = stored.resourceVersion;
  if (typeof stored.generation === 'number') meta.generation = stored.generation;
  if (isPlainObject(stored.labels)) meta.labels = toStringMap(stored.labels);
  if (isPlainObject(stored.annotations)) meta.annotations = toStringMap(stored.annotations);
  return { meta, stored, issues };
}

function nameHint(name: string): string {
  const fixed = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 253);
  return fixed && fixed !== name ? `use lowercase letters, digits, '-' and '.', e.g. "${fixed}"` : "use lowercase letters, digits, '-' and '.'";
}

function toStringMap(o: Record<string, unknown>): StringMap {
  return stringMap(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

// ---------------------------------------------------------------------------------------------
// Go durations: metav1.Duration re-encodes the value with time.Duration.String().

const NS_MAX = (1n << 63n) - 1n;
const UNITS: Record<string, bigint> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

/** time.ParseDuration: nanoseconds, or undefined when Go would reject the text (including overflow). */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  let i = 0;
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  while (i < s.length) {
    const c = s[i];
    if (!(c === '.' || isDigit(c))) return undefined;
    let start = i;
    while (isDigit(s[i])) i++;
    const intText = s.slice(start, i);
    let v = intText === '' ? 0n : BigInt(intText);
    if (v > NS_MAX) return undefined;
    // Fractional digits are accumulated until they would overflow, then ignored, as Go does.
    let frac = 0n;
    let scale = 1;
    let fracDigits = false;
    if (s[i] === '.') {
      i++;
      start = i;
      let overflow = false;
      while (isDigit(s[i])) {
        const next = frac * 10n + BigInt(s.charCodeAt(i) - 48);
        if (!overflow && next <= 1n << 63n) {
          frac = next;
          scale *= 10;
        } else overflow = true;
        i++;
      }
      fracDigits = i > start;
    }
    if (intText === '' && !fracDigits) return undefined;
    start = i;
    while (i < s.length && s[i] !== '.' && !isDigit(s[i])) i++;
    const unit = UNITS[s.slice(start, i)];
    if (unit === undefined) return undefined;
    if (v > NS_MAX / unit) return undefined;
    v *= unit;
    if (frac > 0n) {
      // Go does this step in float64.
      v += BigInt(Math.trunc(Number(frac) * (Number(unit) / scale)));
      if (v > NS_MAX) return undefined;
    }
    total += v;
    if (total > NS_MAX) return undefined;
  }
  return neg ? -total : total;
}

/** time.Duration.String(): 1m30s, 1h0m0s, 1.5s, 500ms, 0s. */
export function formatGoDuration(d: bigint): string {
  const neg = d < 0n;
  const u = neg ? -d : d;
  const frac = (v: bigint, prec: number): string => {
    const p = 10n ** BigInt(prec);
    const whole = v / p;
    const digits = prec === 0 ? '' : (v % p).toString().padStart(prec, '0').replace(/0+$/, '');
    return digits === '' ? whole.toString() : `${whole}.${digits}`;
  };
  let out: string;
  if (u === 0n) return '0s';
  if (u < 1_000_000_000n) {
    if (u < 1000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = `${frac(u, 3)}µs`;
    else out = `${frac(u, 6)}ms`;
  } else {
    const secs = u / 1_000_000_000n;
    const sub = u % 1_000_000_000n;
    out = `${frac((secs % 60n) * 1_000_000_000n + sub, 9)}s`;
    const mins = secs / 60n;
    if (mins > 0n) {
      out = `${mins % 60n}m${out}`;
      const hours = mins / 60n;
      if (hours > 0n) out = `${hours}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

// ---------------------------------------------------------------------------------------------
// Alert and Provider

export interface NotificationResult<S> {
  /** false when the API server would reject the object (or does not serve its version). */
  ok: boolean;
  /** The version the manifest was written in; undefined when not served at any time. */
  version?: NotificationVersion;
  metadata?: ObjectMeta;
  spec?: S;
  /**
   * The object as the controller sees it, for the CEL `alert`/`provider` variables: the stored
   * (pruned, defaulted) object read into the Go v1beta3 type and converted back to a map, so
   * `omitempty` zero values are absent and durations are in Go's form (`90s` → `1m30s`).
   */
  object: Record<string, unknown>;
  /** The object as the API server stores it (pruned, defaulted; apiVersion v1beta3 after conversion). */
  stored: Record<string, unknown>;
  issues: Issue[];
}

type NotificationKind = 'Alert' | 'Provider';

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function fieldVersions(kind: NotificationKind, current: NotificationVersion): (path: FieldPath) => NotificationVersion[] {
  return (path) => VERSIONS.filter((v) => v !== current && schemaAt(SCHEMAS[kind][v], path) !== undefined);
}

function schemaAt(root: Schema, path: FieldPath): Schema | undefined {
  let s: Schema | undefined = root;
  for (const seg of path) {
    if (!s) return undefined;
    if (typeof seg === 'number') s = s.type === 'array' ? s.items : undefined;
    else s = s.type === 'object' ? (s.properties && Object.hasOwn(s.properties, seg) ? s.properties[seg] : undefined) : undefined;
  }
  return s;
}

function validateNotification<S>(
  kind: NotificationKind,
  raw: Record<string, unknown>,
  toSpec: (spec: Record<string, unknown>) => S,
  goView: (spec: S) => Record<string, unknown>,
): NotificationResult<S> {
  const issues: Issue[] = [];
  const apiVersion = typeof raw.apiVersion === 'string' ? raw.apiVersion : '';
  const { group, version } = parseApiVersion(apiVersion);
  const served = group === NOTIFICATION_GROUP && (VERSIONS as readonly string[]).includes(version);
  if (!served || raw.kind !== kind) {
    issues.push(issue('error', ['apiVersion'], 'served-versions',
      `no matches for kind "${String(raw.kind)}" in version "${apiVersion}"`,
      `use apiVersion: ${NOTIFICATION_API_VERSION}`));
    return { ok: false, object: {}, stored: {}, issues };
  }
  const v = version as NotificationVersion;
  const schema = SCHEMAS[kind][v];

  if (v !== 'v1beta3') {
    issues.push(issue('warning', ['apiVersion'], 'served-versions', OLD_VERSION_WARNING, `change apiVersion to ${NOTIFICATION_API_VERSION}`));
  }
  const metaResult = validateObjectMeta(raw.metadata, { namespaced: true, nameRule: 'dns-subdomain', assignUidFor: String(raw.kind ?? '') });
  issues.push(...metaResult.issues);

  let obj = prune(raw, schema, [], { issues, otherVersions: fieldVersions(kind, v) }) as Record<string, unknown>;
  obj = applyDefaults(obj, schema) as Record<string, unknown>;
  check(obj, schema, [], issues);
  obj.metadata = metaResult.stored;
  const rejected = issues.some((i) => i.severity === 'error');
  if (rejected || !metaResult.meta) return { ok: false, version: v, object: {}, stored: obj, issues };

  if (v !== 'v1beta3') {
    // The CRDs convert with strategy None: the stored fields stay, only apiVersion changes. Read
    // back as v1beta3 the object is pruned and defaulted by that schema but not re-validated, so
    // v1beta3 rules the old version lacked are reported as warnings.
    const v3 = SCHEMAS[kind].v1beta3;
    obj = applyDefaults(prune({ ...obj, apiVersion: NOTIFICATION_API_VERSION }, v3, [], { issues, silent: true }), v3) as Record<string, unknown>;
    obj.metadata = metaResult.stored;
    const later: Issue[] = [];
    check(obj, v3, [], later);
    for (const i of later) {
      issues.push({ ...i, severity: 'warning', message: `as v1beta3: ${i.message}`, hint: `fix this before changing apiVersion to ${NOTIFICATION_API_VERSION}: the v1beta3 CRD rejects it` });
    }
  }

  if (!Object.hasOwn(obj, 'spec')) {
    issues.push(issue('warning', ['spec'], 'no-spec', `${kind} has no spec`,
      kind === 'Alert' ? 'the API server accepts it, but an Alert without eventSources matches nothing: add spec'
        : 'the API server accepts it, but a Provider without a type cannot build a notifier: add spec'));
  }
  const spec = toSpec(isPlainObject(obj.spec) ? obj.spec : {});
  const object: Record<string, unknown> = {
    apiVersion: NOTIFICATION_API_VERSION,
    kind,
    metadata: metaResult.stored,
    spec: goView(spec),
  };
  return { ok: true, version: v, metadata: metaResult.meta, spec, object, stored: obj, issues };
}

const strOf = (v: unknown): string => (typeof v === 'string' ? v : '');
const listOf = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(strOf) : undefined);
const mapOf = (v: unknown): StringMap | undefined => (isPlainObject(v) ? toStringMap(v) : undefined);
const refOf = (v: unknown): { name: string } | undefined => (isPlainObject(v) ? { name: strOf(v.name) } : undefined);

function toAlertSpec(s: Record<string, unknown>): AlertSpec {
  const spec: AlertSpec = {
    providerRef: refOf(s.providerRef) ?? { name: '' },
    eventSeverity: strOf(s.eventSeverity),
    eventSources: Array.isArray(s.eventSources) ? s.eventSources.filter(isPlainObject).map(toSourceRef) : [],
  };
  const inclusionList = listOf(s.inclusionList);
  if (inclusionList) spec.inclusionList = inclusionList;
  const exclusionList = listOf(s.exclusionList);
  if (exclusionList) spec.exclusionList = exclusionList;
  const eventMetadata = mapOf(s.eventMetadata);
  if (eventMetadata) spec.eventMetadata = eventMetadata;
  if (typeof s.summary === 'string') spec.summary = s.summary;
  // The CRD has no default for suspend; Go's zero value is false.
  spec.suspend = s.suspend === true;
  return spec;
}

function toSourceRef(r: Record<string, unknown>): CrossNamespaceObjectReference {
  const ref: CrossNamespaceObjectReference = { kind: strOf(r.kind), name: strOf(r.name) };
  if (typeof r.apiVersion === 'string') ref.apiVersion = r.apiVersion;
  if (typeof r.namespace === 'string') ref.namespace = r.namespace;
  // {} stays {} (present and empty), absent stays undefined: they differ (spec §3.2 B5).
  const labels = mapOf(r.matchLabels);
  if (labels) ref.matchLabels = labels;
  return ref;
}

/** Go struct order and `omitempty` of api/v1beta3 AlertSpec. */
function alertGoView(spec: AlertSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { providerRef: { name: spec.providerRef.name } };
  if (spec.eventSeverity) out.eventSeverity = spec.eventSeverity;
  out.eventSources = spec.eventSources.map((r) => {
    const o: Record<string, unknown> = {};
    if (r.apiVersion) o.apiVersion = r.apiVersion;
    o.kind = r.kind;
    o.name = r.name;
    if (r.namespace) o.namespace = r.namespace;
    if (r.matchLabels && Object.keys(r.matchLabels).length > 0) o.matchLabels = { ...r.matchLabels };
    return o;
  });
  if (spec.inclusionList?.length) out.inclusionList = [...spec.inclusionList];
  if (spec.eventMetadata && Object.keys(spec.eventMetadata).length > 0) out.eventMetadata = { ...spec.eventMetadata };
  if (spec.exclusionList?.length) out.exclusionList = [...spec.exclusionList];
  if (spec.summary) out.summary = spec.summary;
  if (spec.suspend) out.suspend = true;
  return out;
}

function toProviderSpec(s: Record<string, unknown>): ProviderSpec {
  const spec: ProviderSpec = { type: strOf(s.type) };
  for (const key of ['interval', 'channel', 'username', 'address', 'timeout', 'proxy', 'serviceAccountName', 'commitStatusExpr'] as const) {
    if (typeof s[key] === 'string') spec[key] = s[key];
  }
  for (const key of ['proxySecretRef', 'secretRef', 'certSecretRef'] as const) {
    const ref = refOf(s[key]);
    if (ref) spec[key] = ref;
  }
  spec.suspend = s.suspend === true;
  return spec;
}

/** Go struct order and `omitempty` of api/v1beta3 ProviderSpec; durations re-encoded by Go. */
function providerGoView(spec: ProviderSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { type: spec.type };
  const duration = (s: string) => {
    const ns = parseGoDuration(s);
    return ns === undefined ? s : formatGoDuration(ns);
  };
  if (spec.interval !== undefined) out.interval = duration(spec.interval);
  if (spec.channel) out.channel = spec.channel;
  if (spec.username) out.username = spec.username;
  if (spec.address) out.address = spec.address;
  if (spec.timeout !== undefined) out.timeout = duration(spec.timeout);
  if (spec.proxy) out.proxy = spec.proxy;
  if (spec.proxySecretRef) out.proxySecretRef = { name: spec.proxySecretRef.name };
  if (spec.secretRef) out.secretRef = { name: spec.secretRef.name };
  if (spec.serviceAccountName) out.serviceAccountName = spec.serviceAccountName;
  if (spec.certSecretRef) out.certSecretRef = { name: spec.certSecretRef.name };
  if (spec.suspend) out.suspend = true;
  if (spec.commitStatusExpr) out.commitStatusExpr = spec.commitStatusExpr;
  return out;
}

/**
 * An Alert as the API server would create it. `raw` is the manifest object (with its namespace
 * already defaulted by the loader). v1beta1/v1beta2 are validated by their own schema and
 * converted to v1beta3 with a warning.
 */
export function validateAlert(raw: Record<string, unknown>): NotificationResult<AlertSpec> {
  return validateNotification('Alert', raw, toAlertSpec, alertGoView);
}

/** A Provider as the API server would create it; see validateAlert. */
export function validateProvider(raw: Record<string, unknown>): NotificationResult<ProviderSpec> {
  const result = validateNotification('Provider', raw, toProviderSpec, providerGoView);
  if (result.ok && result.spec) {
    // The pattern admits values Go's time.ParseDuration rejects (overflow): the controller
    // could not even decode the object.
    for (const key of ['interval', 'timeout'] as const) {
      const v = result.spec[key];
      if (v !== undefined && parseGoDuration(v) === undefined) {
        result.issues.push(issue('warning', ['spec', key], 'go-duration', `spec.${key}: "${v}" is out of range for a Go time.Duration`, 'use a smaller value'));
      }
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Secret (core/v1)

export interface SecretResult {
  ok: boolean;
  metadata?: ObjectMeta;
  type: string;
  /** data decoded and merged with stringData (stringData wins). */
  data: Record<string, Buffer>;
  /** As stored: stringData folded into base64 data, type defaulted. */
  object: Record<string, unknown>;
  issues: Issue[];
}

const SECRET_FIELDS = ['apiVersion', 'kind', 'metadata', 'data', 'stringData', 'type', 'immutable'];
const SECRET_MAX_BYTES = 1024 * 1024;

/** Keys each typed Secret must hold (core/v1 ValidateSecret). */
const SECRET_TYPE_KEYS: Record<string, { all?: string[]; any?: string[] }> = {
  'kubernetes.io/tls': { all: ['tls.crt', 'tls.key'] },
  'kubernetes.io/basic-auth': { any: ['username', 'password'] },
  'kubernetes.io/ssh-auth': { all: ['ssh-privatekey'] },
  'kubernetes.io/dockercfg': { all: ['.dockercfg'] },
  'kubernetes.io/dockerconfigjson': { all: ['.dockerconfigjson'] },
};

/** Standard base64 as Go's encoding/json decodes []byte: padding required, CR/LF ignored. */
export function decodeBase64Strict(text: string): { value: Buffer } | { error: string } {
  const src = Buffer.from(text, 'utf8');
  const isAlpha = (b: number) => (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b === 43 || b === 47;
  const isNl = (b: number | undefined) => b === 10 || b === 13;
  const corrupt = (at: number) => ({ error: `illegal base64 data at input byte ${at}` });
  const clean: number[] = [];
  let i = 0;
  while (i < src.length) {
    // One quantum of up to four symbols; `got` counts symbols read in it.
    let got = 0;
    while (got < 4) {
      if (i === src.length) {
        if (got === 0) break;
        return corrupt(i - got);
      }
      const b = src[i++]!;
      if (isAlpha(b)) {
        clean.push(b);
        got++;
        continue;
      }
      if (isNl(b)) continue;
      if (b !== 61 || got < 2) return corrupt(i - 1);
      // Padding: "==" after two symbols, "=" after three, then only newlines.
      if (got === 2) {
        while (isNl(src[i])) i++;
        if (i === src.length) return corrupt(src.length);
        if (src[i] !== 61) return corrupt(i - 1);
        i++;
      }
      while (isNl(src[i])) i++;
      if (i < src.length) return corrupt(i);
      while (clean.length % 4 !== 0) clean.push(61);
      got = 4;
    }
  }
  return { value: Buffer.from(Buffer.from(clean).toString('latin1'), 'base64') };
}

function configKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!CONFIG_KEY.test(key)) {
    errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** A core/v1 Secret as the API server would create it. */
export function validateSecret(raw: Record<string, unknown>): SecretResult {
  const issues: Issue[] = [];
  const data: Record<string, Buffer> = Object.create(null) as Record<string, Buffer>;
  for (const key of Object.keys(raw)) {
    if (!SECRET_FIELDS.includes(key)) {
      const close = closest(key, SECRET_FIELDS);
      issues.push(issue('warning', [key], 'unknown-field', `unknown field "${key}"`, close ? `did you mean "${close}"?` : 'remove it: the API server drops unknown fields'));
    }
  }
  const metaResult = validateObjectMeta(raw.metadata, { namespaced: true, nameRule: 'dns-subdomain', assignUidFor: String(raw.kind ?? '') });
  issues.push(...metaResult.issues);

  let type = 'Opaque';
  if (raw.type !== undefined && raw.type !== null) {
    if (typeof raw.type !== 'string') issues.push(typeError(['type'], 'string', raw.type));
    else if (raw.type !== '') type = raw.type;
  }
  if (raw.immutable !== undefined && raw.immutable !== null && typeof raw.immutable !== 'boolean') {
    issues.push(typeError(['immutable'], 'boolean', raw.immutable));
  }

  for (const field of ['data', 'stringData'] as const) {
    const m = raw[field];
    if (m === undefined || m === null) continue;
    if (!isPlainObject(m)) {
      issues.push(typeError([field], 'object', m));
      continue;
    }
    for (const [key, v] of Object.entries(m)) {
      const path = [field, key];
      if (v === null && field === 'data') {
        data[key] = Buffer.alloc(0);
        continue;
      }
      if (typeof v !== 'string') {
        issues.push(typeError(path, 'string', v));
        continue;
      }
      if (field === 'stringData') {
        data[key] = Buffer.from(v, 'utf8');
        continue;
      }
      const decoded = decodeBase64Strict(v);
      if ('error' in decoded) {
        issues.push(issue('error', path, 'base64', `data[${key}]: ${decoded.error}`,
          `encode the value with base64 (e.g. echo -n 'value' | base64), or put the plain text under stringData.${key}`));
      } else {
        data[key] = decoded.value;
      }
    }
  }

  let size = 0;
  for (const [key, v] of Object.entries(data)) {
    for (const e of configKeyErrors(key)) issues.push(issue('error', ['data', key], 'config-key', `data[${key}]: Invalid value: "${key}": ${e}`));
    size += key.length + v.length;
  }
  if (size > SECRET_MAX_BYTES) issues.push(issue('error', ['data'], 'maxLength', `data: Too long: may not be more than ${SECRET_MAX_BYTES} bytes`));
  const need = SECRET_TYPE_KEYS[type];
  if (need) {
    for (const key of need.all ?? []) {
      if (!(key in data)) issues.push(issue('error', ['data', key], 'required', `data[${key}]: Required value`, `a Secret of type ${type} must hold the key ${key}`));
    }
    if (need.any && !need.any.some((k) => k in data)) {
      for (const key of need.any) issues.push(issue('error', ['data', key], 'required', `data[${key}]: Required value`, `a Secret of type ${type} must hold ${need.any.join(' or ')}`));
    }
  }

  const object: Record<string, unknown> = { apiVersion: 'v1', kind: 'Secret', metadata: metaResult.stored };
  if (raw.immutable === true || raw.immutable === false) object.immutable = raw.immutable;
  if (Object.keys(data).length > 0) {
    object.data = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.toString('base64')]));
  }
  object.type = type;
  const ok = !issues.some((i) => i.severity === 'error') && metaResult.meta !== undefined;
  return ok
    ? { ok, metadata: metaResult.meta, type, data, object, issues }
    : { ok, type, data, object, issues };
}
