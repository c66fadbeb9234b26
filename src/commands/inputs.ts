// Loading what the headless commands share: manifests (-f), an event (--event), the decision
// options, and the notifier factory from the provider registry.

import { readFile } from 'node:fs/promises';
import { Catalog } from '../flux/catalog.js';
import type { DecideOptions } from '../flux/decide.js';
import { EventInputError, parseEventInput, type InputEvent } from '../flux/event-input.js';
import { loadManifests, type Diagnostic, type ManifestSet } from '../flux/manifests.js';
import { ProviderCaches } from '../providers/caches.js';
import { createNotifierFromRegistry } from '../providers/registry.js';
import { UserError } from '../errors.js';

export interface LoadedManifests {
  set: ManifestSet;
  catalog: Catalog;
  /** Diagnostics below error level, shown as warnings. */
  warnings: Diagnostic[];
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}${d.line !== undefined ? `:${d.line}` : ''}${d.doc !== undefined ? ` (document ${d.doc + 1})` : ''}`;
  const obj = d.object ? ` ${d.object}` : '';
  const field = d.field ? ` ${d.field}:` : ':';
  return `${where}${obj}${field} ${d.message}${d.hint ? ` (fix: ${d.hint})` : ''}`;
}

/** Loads -f paths; any error-level diagnostic is fatal (the API server would reject the object). */
export async function loadInputs(paths: string[]): Promise<LoadedManifests> {
  if (paths.length === 0) throw new UserError('no manifests given', 'pass -f PATH (a file or directory of Alerts, Providers and Secrets)');
  const set = await loadManifests(paths);
  const errors = set.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0]!;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error(s); run lint to see all)` : '';
    throw new UserError(formatDiagnostic(first) + more, first.hint ?? 'fix the manifest, or run `flux-notify-tui lint -f …` for every finding');
  }
  const catalog = new Catalog(set);
  return { set, catalog, warnings: set.diagnostics.filter((d) => d.severity !== 'error') };
}

async function readSource(path: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read event file ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, 'check the path given to --event (use - for standard input)');
  }
}

/** Reads and converts one event; an event with no involvedObject is bad input. */
export async function loadEvent(path: string): Promise<InputEvent> {
  const text = await readSource(path);
  let input: InputEvent;
  try {
    input = parseEventInput(text, path === '-' ? 'stdin' : path);
  } catch (e) {
    if (e instanceof EventInputError) throw new UserError(e.message, e.hint);
    throw e;
  }
  if (Object.keys(input.event.involvedObject).length === 0) {
    throw new UserError(`${path === '-' ? 'stdin' : path}: the event has no involvedObject`, 'a Flux event needs involvedObject.kind, .namespace and .name (and apiVersion for matchLabels)');
  }
  return input;
}

export interface DecisionFlags {
  noCrossNamespaceRefs: boolean;
  featureGates: string[];
}

/** Parses --feature-gates as the controller does: comma-separated Name=bool pairs. */
export function parseFeatureGates(values: string[]): Record<string, boolean> {
  const gates: Record<string, boolean> = {};
  for (const v of values) {
    for (const part of v.split(',')) {
      if (!part.trim()) continue;
      const m = /^\s*([A-Za-z0-9]+)=(true|false)\s*$/i.exec(part);
      if (!m) throw new UserError(`invalid --feature-gates value ${JSON.stringify(part)}`, 'use Name=true, e.g. --feature-gates ObjectLevelWorkloadIdentity=true');
      const known = ['ObjectLevelWorkloadIdentity', 'CacheSecretsAndConfigMaps'];
      if (!known.includes(m[1]!)) throw new UserError(`unknown feature gate ${m[1]}`, `known gates: ${known.join(', ')}`);
      gates[m[1]!] = m[2]!.toLowerCase() === 'true';
    }
  }
  return gates;
}

/** The decision options of one run; they carry the run's provider caches (one per process, as NC). */
export function decideOptions(flags: DecisionFlags): DecideOptions {
  const gates = parseFeatureGates(flags.featureGates);
  return {
    noCrossNamespaceRefs: flags.noCrossNamespaceRefs,
    objectLevelWorkloadIdentity: gates.ObjectLevelWorkloadIdentity === true,
    createNotifier: createNotifierFromRegistry,
    caches: new ProviderCaches(),
  };
}
