// `w`: the events seen written as a scenario directory that --fixtures and replay read back,
// delayMs from the events' spacing, manifests included, and no Secret value on disk.

import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/flux/catalog.js';
import { encodeEvent } from '../../src/flux/gojson.js';
import { loadManifests } from '../../src/flux/manifests.js';
import { RateLimiter } from '../../src/flux/ratelimit.js';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import { captureDirName, fixtureLines, writeCapture, writeFixture } from '../../src/runner/fixture-writer.js';
import { Pipeline } from '../../src/runner/pipeline.js';
import { Runner } from '../../src/runner/runner.js';
import { readFixtureEvents } from '../../src/sources/fixture-events.js';

async function demoRun(gapsMs: number[]) {
  const set = await loadManifests(['fixtures/demo/manifests']);
  const fixture = await readFixtureEvents('fixtures/demo');
  let now = 1_000_000;
  const runner = new Runner({
    pipeline: new Pipeline(new Catalog(set), new RateLimiter(5 * 60_000), { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: createNotifierFromRegistry }),
    deliver: async () => { throw new Error('not delivering in this test'); },
    mode: 'mock',
    sendAllowed: false,
    eventClock: 'event',
    now: () => now,
  });
  fixture.events.forEach((fe, i) => {
    now += gapsMs[i % gapsMs.length]!;
    runner.ingest(fe.input!, { history: true });
  });
  return { set, fixture, runner };
}

async function allText(dir: string): Promise<string> {
  let out = '';
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out += await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

describe('fixture writer (w)', () => {
  it('writes events.ndjson that readFixtureEvents reads back: same events, delayMs from their spacing', async () => {
    const { set, fixture, runner } = await demoRun([250, 1200]);
    const dir = join(await mkdtemp(join(tmpdir(), 'fnt-')), 'capture');
    const res = await writeFixture({ dir, records: runner.events.toArray(), manifests: set });
    expect(res).toEqual({ dir, events: fixture.events.length });
    const back = await readFixtureEvents(dir);
    expect(back.manifestsDir).toBe(join(dir, 'manifests'));
    expect(back.events.every((e) => e.error === undefined)).toBe(true);
    expect(back.events.map((e) => encodeEvent(e.input!.event))).toEqual(fixture.events.map((e) => encodeEvent(e.input!.event)));
    expect(back.events.map((e) => e.delayMs).slice(0, 4)).toEqual([0, 1200, 250, 1200]);
  });

  it('a long pause between two events is written as at most 10 s', () => {
    const rec = (receivedAt: number) => ({ receivedAt, processed: { input: { event: { involvedObject: {}, severity: 'info', timestamp: null, message: 'm', reason: 'r', reportingController: 'c' } } } });
    const lines = fixtureLines([rec(0), rec(600_000), rec(600_400)] as never);
    expect(lines.map((l) => (JSON.parse(l) as { delayMs: number }).delayMs)).toEqual([0, 10_000, 400]);
  });

  it('writes the manifests so the scenario loads with the same alerts and providers', async () => {
    const { set, runner } = await demoRun([100]);
    const dir = join(await mkdtemp(join(tmpdir(), 'fnt-')), 'capture');
    await writeFixture({ dir, records: runner.events.toArray(), manifests: set });
    const back = await loadManifests([join(dir, 'manifests')]);
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(back.alerts.map((a) => `${a.metadata.namespace}/${a.metadata.name}`)).toEqual(set.alerts.map((a) => `${a.metadata.namespace}/${a.metadata.name}`));
    expect(back.providers.map((p) => p.spec)).toEqual(set.providers.map((p) => p.spec));
    expect(back.secrets.map((s) => Object.keys(s.data).sort())).toEqual(set.secrets.map((s) => Object.keys(s.data).sort()));
  });

  it('no Secret value reaches the disk; URLs become https://redacted.invalid/, header names stay', async () => {
    const { set, runner } = await demoRun([100]);
    const dir = join(await mkdtemp(join(tmpdir(), 'fnt-')), 'capture');
    await writeFixture({ dir, records: runner.events.toArray(), manifests: set });
    const text = await allText(dir);
    for (const s of set.secrets) {
      for (const v of Object.values(s.data)) {
        const value = v.toString('utf8').trim();
        if (value.length >= 4) expect(text).not.toContain(value);
      }
    }
    expect(text).toContain('address: https://redacted.invalid/');
    expect(text).toContain('X-Audit-Source: REDACTED');
  });

  it('never writes into an existing directory; a capture picks the next free name', async () => {
    const { set, runner } = await demoRun([100]);
    const parent = await mkdtemp(join(tmpdir(), 'fnt-'));
    const now = new Date(Date.UTC(2026, 10, 21, 9, 30, 5));
    expect(captureDirName(now)).toBe('flux-notify-capture-20261121-093005');
    const a = await writeCapture(parent, runner.events.toArray(), set, now);
    const b = await writeCapture(parent, runner.events.toArray(), set, now);
    expect(a.dir).toBe(join(parent, 'flux-notify-capture-20261121-093005'));
    expect(b.dir).toBe(join(parent, 'flux-notify-capture-20261121-093005-2'));
    await expect(writeFixture({ dir: a.dir, records: [], manifests: set })).rejects.toThrow(/EEXIST/);
  });
});
