// `w` in the TUI: writes the events seen as a scenario directory that `--fixtures` and `replay`
// read back (design.md "Fixtures"): events.ndjson with delayMs from the events' spacing, and
// manifests/ with the loaded objects. Secret values never reach the disk.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { encodeEvent } from '../flux/gojson.js';
import type { Alert, OtherObject, Provider, Secret } from '../flux/types.js';
import { maskSecrets } from '../transport/masking.js';
import type { EventRecord } from './runner.js';

export interface FixtureManifests {
  alerts: readonly Alert[];
  providers: readonly Provider[];
  secrets: readonly Secret[];
  others: readonly OtherObject[];
}

export interface WriteFixtureOptions {
  dir: string;
  /** Oldest first, as the runner's history holds them. */
  records: readonly EventRecord[];
  manifests: FixtureManifests;
  /**
   * Longest pause kept between two events: a replay paused for minutes would otherwise write a
   * minutes-long delay into the scenario.
   */
  maxDelayMs?: number;
}

export const REDACTED = 'REDACTED';
/** A Secret's URL value becomes a URL that cannot resolve, so the provider still builds. */
export const REDACTED_URL = 'https://redacted.invalid/';

/** Secret values shorter than this are not searched for in the output: masking "a" would wreck it. */
const MIN_MASKED_LENGTH = 4;

function secretValues(secrets: readonly Secret[]): string[] {
  const out: string[] = [];
  for (const s of secrets) {
    for (const v of Object.values(s.data)) {
      const text = v.toString('utf8');
      for (const t of [text, text.trim()]) if (t.length >= MIN_MASKED_LENGTH && !isPublicCertificate(t)) out.push(t);
    }
  }
  return out;
}

/** A CA or client certificate is public: keeping it lets a replay build the TLS config. */
function isPublicCertificate(v: string): boolean {
  return /^-----BEGIN CERTIFICATE-----/.test(v.trim()) && !/PRIVATE KEY/.test(v);
}

function redactedValue(v: string): string {
  if (isPublicCertificate(v)) return v;
  return /^https?:\/\//i.test(v.trim()) ? REDACTED_URL : REDACTED;
}

/** GoMap values ({entries}) and Buffers become plain data for YAML. */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => {
    if (x && typeof x === 'object' && !Array.isArray(x) && Array.isArray((x as { entries?: unknown }).entries)) return Object.fromEntries((x as { entries: [string, unknown][] }).entries);
    return x;
  })) as unknown;
}

function manifestOf(o: { apiVersion: string; kind: string; metadata: object; object: Record<string, unknown> }): Record<string, unknown> {
  const { apiVersion, kind, metadata, ...rest } = o.object;
  return plain({ apiVersion: apiVersion ?? o.apiVersion, kind: kind ?? o.kind, metadata: metadata ?? o.metadata, ...rest }) as Record<string, unknown>;
}

/** A `headers` value keeps its header names (a replay then builds the same notifier), not their values. */
function redactedHeaders(v: string): string | undefined {
  try {
    const parsed: unknown = parse(v);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return stringify(Object.fromEntries(Object.keys(parsed).map((k) => [k, REDACTED])));
  } catch {
    return undefined;
  }
}

function secretManifest(s: Secret): Record<string, unknown> {
  const stringData: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data)) {
    const text = v.toString('utf8');
    stringData[k] = (k === 'headers' ? redactedHeaders(text) : undefined) ?? redactedValue(text);
  }
  const meta: Record<string, unknown> = { name: s.metadata.name, namespace: s.metadata.namespace };
  if (s.metadata.labels && Object.keys(s.metadata.labels).length) meta.labels = { ...s.metadata.labels };
  const out: Record<string, unknown> = { apiVersion: 'v1', kind: 'Secret', metadata: meta };
  if (s.type) out.type = s.type;
  out.stringData = stringData;
  return out;
}

function yamlDocs(objs: unknown[]): string {
  return objs.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

/** The NDJSON lines: each event as NC received it (Go encoding) plus the delay before it. */
export function fixtureLines(records: readonly EventRecord[], maxDelayMs = 10_000): string[] {
  const lines: string[] = [];
  let prev: number | undefined;
  for (const r of records) {
    const delay = prev === undefined ? 0 : Math.max(0, Math.min(maxDelayMs, Math.round(r.receivedAt - prev)));
    prev = r.receivedAt;
    const json = encodeEvent(r.processed.input.event);
    // encodeEvent writes an object; delayMs goes last so the event's own fields keep their order.
    lines.push(`${json.slice(0, -1)},"delayMs":${delay}}`);
  }
  return lines;
}

/** A directory name that does not exist yet: flux-notify-capture-YYYYMMDD-HHMMSS[-n]. */
export function captureDirName(now: Date, attempt = 0): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `flux-notify-capture-${stamp}${attempt > 0 ? `-${attempt + 1}` : ''}`;
}

/** Writes the scenario; refuses to write into an existing directory. */
export async function writeFixture(o: WriteFixtureOptions): Promise<{ dir: string; events: number }> {
  const secrets = secretValues(o.manifests.secrets);
  const mask = (s: string) => maskSecrets(s, secrets);
  await mkdir(dirname(o.dir), { recursive: true });
  await mkdir(o.dir);
  const lines = fixtureLines(o.records, o.maxDelayMs);
  await writeFile(join(o.dir, 'events.ndjson'), lines.map(mask).join('\n') + (lines.length ? '\n' : ''));
  const m = join(o.dir, 'manifests');
  await mkdir(m);
  const files: Array<[string, unknown[]]> = [
    ['alerts.yaml', o.manifests.alerts.map(manifestOf)],
    ['providers.yaml', o.manifests.providers.map(manifestOf)],
    ['secrets.yaml', o.manifests.secrets.map(secretManifest)],
    ['objects.yaml', o.manifests.others.map(manifestOf)],
  ];
  for (const [name, docs] of files) {
    if (docs.length === 0) continue;
    await writeFile(join(m, name), `# written by flux-notify-tui (w); Secret values are redacted\n${mask(yamlDocs(docs))}`);
  }
  return { dir: o.dir, events: lines.length };
}

/** Picks a fresh capture directory under `parent` and writes there. */
export async function writeCapture(parent: string, records: readonly EventRecord[], manifests: FixtureManifests, now = new Date()): Promise<{ dir: string; events: number }> {
  for (let attempt = 0; ; attempt++) {
    const dir = join(parent, captureDirName(now, attempt));
    try {
      return await writeFixture({ dir, records, manifests });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 50) throw e;
    }
  }
}
