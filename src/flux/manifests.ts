// Loading `-f` manifests the way `kubectl apply -f` and the API server would turn them into stored
// objects (design "-f takes files or directories", spec §7): files and directories, multi-document
// YAML, List objects, JSON; Alerts and Providers validated against their CRD, Secrets decoded, any
// other object kept for its labels. User mistakes become diagnostics, never exceptions.

import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from 'yaml';
import type { Document, Node } from 'yaml';
import { compareUtf8 } from './gojson.js';
import type { Alert, OtherObject, Provider, Secret, SourceLocation } from './types.js';
import {
  formatPath,
  isPlainObject,
  NOTIFICATION_GROUP,
  parseApiVersion,
  validateAlert,
  validateObjectMeta,
  validateProvider,
  validateSecret,
} from './validate.js';
import type { FieldPath, Issue, NameRule, Severity } from './validate.js';

export interface Diagnostic {
  severity: Severity;
  /** The path as given (or found while walking a directory). */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, for YAML syntax errors. */
  column?: number;
  /** 0-based index of the YAML document in the file; absent for file-level problems (unreadable file). */
  doc?: number;
  /** Index inside a List's `items`. */
  item?: number;
  /** `Kind/namespace/name` (`Kind/name` for cluster-scoped kinds). */
  object?: string;
  /** `spec.eventSources[0].kind` */
  field?: string;
  /** Short rule id (see validate.ts Issue.rule; also yaml, read, type-meta, duplicate, namespace-default). */
  rule?: string;
  message: string;
  hint?: string;
}

export interface ManifestSet {
  alerts: Alert[];
  providers: Provider[];
  secrets: Secret[];
  others: OtherObject[];
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** Namespace for objects without one, like `kubectl apply -n`; default `default`. */
  namespace?: string;
}

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** Loads files and directories (recursively, in lexical order). Never throws for bad input. */
export async function loadManifests(paths: string[], opts: LoadOptions = {}): Promise<ManifestSet> {
  const collector = new Collector(opts);
  for (const p of paths) {
    for (const file of await expand(p, collector)) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        collector.diag({ severity: 'error', file, rule: 'read', message: `cannot read ${file}: ${errText(err)}`, hint: 'check the path and its permissions' });
        continue;
      }
      collector.addText(text, file);
    }
  }
  return collector.result();
}

/** Loads one file's text (stdin, tests). `fileName` only labels locations. */
export function loadManifestText(text: string, fileName: string, opts: LoadOptions = {}): ManifestSet {
  const collector = new Collector(opts);
  collector.addText(text, fileName);
  return collector.result();
}

/** `file:line:column: severity: Kind/ns/name: message (hint: ...)`, for text output. */
export function formatDiagnostic(d: Diagnostic): string {
  let where = d.file;
  if (d.line !== undefined) where += `:${d.line}${d.column !== undefined ? `:${d.column}` : ''}`;
  else if (d.doc !== undefined) where += ` (document ${d.doc + 1}${d.item !== undefined ? `, item ${d.item}` : ''})`;
  const what = d.object ? `${d.object}: ` : '';
  return `${where}: ${d.severity}: ${what}${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`;
}

// ---------------------------------------------------------------------------------------------

function errText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(err);
}

async function expand(p: string, c: Collector): Promise<string[]> {
  let st;
  try {
    st = await stat(p);
  } catch (err) {
    c.diag({ severity: 'error', file: p, rule: 'read', message: `cannot read ${p}: ${errText(err)}`, hint: 'check the path given to -f' });
    return [];
  }
  // A file named explicitly is read whatever its extension, as kubectl does.
  if (!st.isDirectory()) return [p];
  const files: string[] = [];
  await walk(p, files, new Set(), c);
  if (files.length === 0) {
    c.diag({ severity: 'warning', file: p, rule: 'read', message: `${p}: no ${MANIFEST_EXTENSIONS.join(', ')} files in this directory` });
  }
  return files;
}

async function walk(dir: string, out: string[], seen: Set<string>, c: Collector): Promise<void> {
  let real: string;
  let names: string[];
  try {
    real = await realpath(dir);
    names = await readdir(dir);
  } catch (err) {
    c.diag({ severity: 'error', file: dir, rule: 'read', message: `cannot read ${dir}: ${errText(err)}` });
    return;
  }
  // Symlinked directories can form loops.
  if (seen.has(real)) return;
  seen.add(real);
  // Byte order, as Go's filepath.Walk visits entries.
  names.sort(compareUtf8);
  for (const name of names) {
    const full = join(dir, name);
    let st;
    try {
      st = await stat(full);
    } catch {
      continue; // a dangling symlink: not a manifest
    }
    if (st.isDirectory()) await walk(full, out, seen, c);
    else if (st.isFile() && MANIFEST_EXTENSIONS.some((ext) => name.endsWith(ext))) out.push(full);
  }
}

/** Kinds that are not namespaced: their namespace is ignored instead of defaulted. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'CSIDriver', 'CSINode',
  'IngressClass', 'RuntimeClass', 'CertificateSigningRequest', 'VolumeAttachment', 'ComponentStatus',
]);

/** Plain scalars that YAML 1.1 (kubectl's sigs.k8s.io/yaml) reads as booleans, YAML 1.2 as strings. */
const YAML11_BOOLEANS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

const YAML_HINTS: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  DUPLICATE_KEY: 'remove one of the duplicate keys',
  BAD_INDENT: 'check the indentation of this line against its siblings',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; check for a missing ":" or an unclosed quote',
  BAD_DQ_ESCAPE: 'use single quotes, or escape the backslash as \\\\',
  BLOCK_AS_IMPLICIT_KEY: 'check for a missing ":" or a misplaced "-"',
};

interface Context {
  file: string;
  doc: number;
  item?: number;
  /** Resolves a field path inside the current object to its line. */
  lineOf(path: FieldPath): number | undefined;
}

class Collector {
  private readonly alerts = new Map<string, Alert>();
  private readonly providers = new Map<string, Provider>();
  private readonly secrets = new Map<string, Secret>();
  private readonly others = new Map<string, OtherObject>();
  private readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly opts: LoadOptions) {}

  diag(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  result(): ManifestSet {
    return {
      alerts: [...this.alerts.values()],
      providers: [...this.providers.values()],
      secrets: [...this.secrets.values()],
      others: [...this.others.values()],
      diagnostics: this.diagnostics,
    };
  }

  addText(text: string, file: string): void {
    const lc = new LineCounter();
    const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
    const docs = parseAllDocuments(body, { lineCounter: lc, prettyErrors: false, merge: true });
    docs.forEach((doc, index) => this.addDocument(doc, index, file, lc));
  }

  private addDocument(doc: Document.Parsed, index: number, file: string, lc: LineCounter): void {
    const pos = (offset: number) => lc.linePos(offset);
    for (const e of doc.errors) {
      const { line, col } = pos(e.pos[0]);
      const d: Diagnostic = { severity: 'error', file, line, column: col, doc: index, rule: 'yaml', message: `invalid YAML: ${e.message}` };
      const hint = YAML_HINTS[e.code];
      if (hint) d.hint = hint;
      this.diag(d);
    }
    if (doc.errors.length > 0) return;
    for (const w of doc.warnings) {
      const { line, col } = pos(w.pos[0]);
      this.diag({ severity: 'warning', file, line, column: col, doc: index, rule: 'yaml', message: w.message });
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      this.diag({ severity: 'error', file, doc: index, rule: 'yaml', message: `invalid YAML: ${errText(err)}` });
      return;
    }
    // Empty documents (a trailing `---`, comments only) are skipped, as kubectl does.
    if (value === null || value === undefined) return;

    visit(doc, {
      Scalar: (key, node) => {
        if (key === 'key' || node.type !== 'PLAIN' || typeof node.value !== 'string' || !YAML11_BOOLEANS.test(node.value)) return;
        const text = node.value;
        const d: Diagnostic = { severity: 'warning', file, doc: index, rule: 'yaml-1.1',
          message: `"${text}" is read as a string (YAML 1.2, as Flux's kustomize-controller reads it), but kubectl apply (YAML 1.1) reads it as a boolean`,
          hint: `quote it: "${text}"` };
        if (node.range) d.line = pos(node.range[0]).line;
        this.diag(d);
      },
    });
    const root = doc.contents as Node | null;
    const ctx: Context = { file, doc: index, lineOf: (path) => locate(doc, root, path, pos) };
    if (!isPlainObject(value)) {
      this.diag({ ...this.at(ctx, []), severity: 'error', rule: 'type-meta',
        message: `document is a ${Array.isArray(value) ? 'list' : typeof value}, not an object`,
        hint: 'a manifest document must be a mapping with apiVersion, kind and metadata' });
      return;
    }
    this.addObject(value, ctx);
  }

  private addObject(obj: Record<string, unknown>, ctx: Context): void {
    const missing: string[] = [];
    if (obj.apiVersion === undefined || obj.apiVersion === null || obj.apiVersion === '') missing.push('apiVersion not set');
    else if (typeof obj.apiVersion !== 'string') missing.push('apiVersion is not a string');
    if (obj.kind === undefined || obj.kind === null || obj.kind === '') missing.push('kind not set');
    else if (typeof obj.kind !== 'string') missing.push('kind is not a string');
    if (missing.length > 0) {
      this.diag({ ...this.at(ctx, missing.some((m) => m.startsWith('kind')) ? ['kind'] : ['apiVersion']), severity: 'error', rule: 'type-meta',
        message: `error validating data: [${missing.join(', ')}]`,
        hint: `every object needs apiVersion and kind, e.g. apiVersion: ${NOTIFICATION_GROUP}/v1beta3 and kind: Alert` });
      return;
    }
    const apiVersion = obj.apiVersion as string;
    const kind = obj.kind as string;
    const { group } = parseApiVersion(apiVersion);

    if (kind.endsWith('List') && Object.hasOwn(obj, 'items')) {
      this.addList(obj, apiVersion, kind, ctx);
      return;
    }
    if (group === 'kustomize.config.k8s.io') {
      this.diag({ ...this.at(ctx, ['kind']), severity: 'info', rule: 'kustomize',
        message: `skipped ${kind}: a kustomize build file, not an object applied to the cluster`,
        hint: 'pass the output of `kustomize build` to load what it generates' });
      return;
    }

    const clusterScoped = CLUSTER_SCOPED.has(kind) && (group === '' || group.endsWith('.k8s.io'));
    const withNs = this.defaultNamespace(obj, kind, clusterScoped, ctx);
    if (group === NOTIFICATION_GROUP && (kind === 'Alert' || kind === 'Provider')) this.addNotification(withNs, kind, apiVersion, ctx);
    else if (apiVersion === 'v1' && kind === 'Secret') this.addSecret(withNs, ctx);
    else this.addOther(withNs, kind, apiVersion, group, clusterScoped, ctx);
  }

  private addList(obj: Record<string, unknown>, apiVersion: string, kind: string, ctx: Context): void {
    const items = obj.items;
    if (items === null) return;
    if (!Array.isArray(items)) {
      this.diag({ ...this.at(ctx, ['items']), severity: 'error', rule: 'type', message: `${kind}: items must be a list`, hint: 'write items as a YAML list (- item)' });
      return;
    }
    // A typed list (AlertList) may leave kind/apiVersion off its items; a generic List may not.
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    items.forEach((item, i) => {
      const itemCtx: Context = { file: ctx.file, doc: ctx.doc, item: i, lineOf: (path) => ctx.lineOf(['items', i, ...path]) };
      if (!isPlainObject(item)) {
        this.diag({ ...this.at(itemCtx, []), severity: 'error', rule: 'type-meta', message: `${kind} item ${i} is not an object` });
        return;
      }
      let o = item;
      if (itemKind && (o.kind === undefined || o.kind === '')) o = { ...o, kind: itemKind, apiVersion: o.apiVersion ?? apiVersion };
      this.addObject(o, itemCtx);
    });
  }

  private defaultNamespace(obj: Record<string, unknown>, kind: string, clusterScoped: boolean, ctx: Context): Record<string, unknown> {
    const meta = obj.metadata;
    if (clusterScoped) return obj;
    if (meta !== undefined && meta !== null && !isPlainObject(meta)) return obj; // reported by validation
    const m = meta ?? {};
    if (typeof m.namespace === 'string' && m.namespace !== '') return obj;
    const ns = this.opts.namespace ?? 'default';
    const name = typeof m.name === 'string' ? m.name : '';
    this.diag({ ...this.at(ctx, ['metadata']), severity: 'info', rule: 'namespace-default', object: `${kind}/${ns}/${name}`,
      message: `no metadata.namespace: using "${ns}", as kubectl apply does without -n`,
      hint: 'set metadata.namespace to place the object explicitly' });
    return { ...obj, metadata: { ...m, namespace: ns } };
  }

  private addNotification(obj: Record<string, unknown>, kind: 'Alert' | 'Provider', apiVersion: string, ctx: Context): void {
    const id = objectId(kind, obj, false);
    if (kind === 'Alert') {
      const r = validateAlert(obj);
      this.report(r.issues, ctx, kind, id, obj);
      if (!r.ok || !r.metadata || !r.spec) return;
      const alert: Alert = { kind, apiVersion, metadata: r.metadata, spec: r.spec, object: r.object, source: this.source(ctx) };
      this.put(this.alerts, `${NOTIFICATION_GROUP}/Alert`, alert, id, ctx);
    } else {
      const r = validateProvider(obj);
      this.report(r.issues, ctx, kind, id, obj);
      if (!r.ok || !r.metadata || !r.spec) return;
      const provider: Provider = { kind, apiVersion, metadata: r.metadata, spec: r.spec, object: r.object, source: this.source(ctx) };
      this.put(this.providers, `${NOTIFICATION_GROUP}/Provider`, provider, id, ctx);
    }
  }

  private addSecret(obj: Record<string, unknown>, ctx: Context): void {
    const r = validateSecret(obj);
    const id = objectId('Secret', obj, false);
    this.report(r.issues, ctx, 'Secret', id, obj);
    if (!r.ok || !r.metadata) return;
    const secret: Secret = { kind: 'Secret', apiVersion: 'v1', metadata: r.metadata, type: r.type, data: r.data, object: r.object, source: this.source(ctx) };
    this.put(this.secrets, 'Secret', secret, id, ctx);
  }

  private addOther(obj: Record<string, unknown>, kind: string, apiVersion: string, group: string, clusterScoped: boolean, ctx: Context): void {
    const nameRule: NameRule = group === 'rbac.authorization.k8s.io' ? 'path-segment' : kind === 'Namespace' && group === '' ? 'dns-label' : 'dns-subdomain';
    const r = validateObjectMeta(obj.metadata, { namespaced: !clusterScoped, nameRule });
    const id = objectId(kind, obj, clusterScoped);
    this.report(r.issues, ctx, kind, id, obj);
    if (!r.meta) return;
    const other: OtherObject = { kind, apiVersion, metadata: r.meta, object: { ...obj, metadata: r.stored }, source: this.source(ctx) };
    this.put(this.others, `${group}/${kind}`, other, id, ctx);
  }

  private report(issues: Issue[], ctx: Context, kind: string, id: string, obj: Record<string, unknown>): void {
    const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : '';
    for (const i of issues) {
      // kubectl's wording for a rejected object; served-version errors have their own.
      const message = i.severity === 'error' && i.rule !== 'served-versions' ? `The ${kind} "${name}" is invalid: ${i.message}` : i.message;
      const d: Diagnostic = { ...this.at(ctx, i.path), severity: i.severity, object: id, rule: i.rule, message };
      if (i.path.length > 0) d.field = formatPath(i.path);
      if (i.hint !== undefined) d.hint = i.hint;
      this.diag(d);
    }
  }

  /** Last definition wins, like consecutive applies; the later one carries the warning. */
  private put<T extends Alert | Provider | Secret | OtherObject>(map: Map<string, T>, groupKind: string, obj: T, id: string, ctx: Context): void {
    const key = `${groupKind}/${obj.metadata.namespace}/${obj.metadata.name}`;
    const earlier = map.get(key);
    if (earlier) {
      const s = earlier.source;
      const where = `${s.file}${s.line !== undefined ? `:${s.line}` : ''} (document ${s.doc + 1}${s.item !== undefined ? `, item ${s.item}` : ''})`;
      this.diag({ ...this.at(ctx, ['metadata', 'name']), severity: 'warning', rule: 'duplicate', object: id,
        message: `duplicate ${id}: also defined at ${where}; the last definition wins`,
        hint: 'remove or rename one of them' });
    }
    map.set(key, obj);
  }

  private source(ctx: Context): SourceLocation {
    const s: SourceLocation = { file: ctx.file, doc: ctx.doc };
    const line = ctx.lineOf([]);
    if (line !== undefined) s.line = line;
    if (ctx.item !== undefined) s.item = ctx.item;
    return s;
  }

  private at(ctx: Context, path: FieldPath): Pick<Diagnostic, 'file' | 'line' | 'doc' | 'item'> {
    const d: Pick<Diagnostic, 'file' | 'line' | 'doc' | 'item'> = { file: ctx.file, doc: ctx.doc };
    const line = ctx.lineOf(path);
    if (line !== undefined) d.line = line;
    if (ctx.item !== undefined) d.item = ctx.item;
    return d;
  }
}

function objectId(kind: string, obj: Record<string, unknown>, clusterScoped: boolean): string {
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (clusterScoped) return `${kind}/${name}`;
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  return `${kind}/${ns}/${name}`;
}

/** The line of the deepest node on `path` that exists in the source (keys give their own line). */
function locate(doc: Document.Parsed, root: Node | null, path: FieldPath, pos: (offset: number) => { line: number }): number | undefined {
  const lineOf = (n: unknown) => {
    const range = (n as Node | null | undefined)?.range;
    return range ? pos(range[0]).line : undefined;
  };
  let node: unknown = root;
  let line = lineOf(root);
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      line = lineOf(pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) break;
      line = lineOf(item) ?? line;
      node = item;
    } else break;
  }
  return line;
}
