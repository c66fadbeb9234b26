// Reading a scenario's events (design.md "Fixtures"): NDJSON, one Flux event or core/v1 /
// events.k8s.io/v1 Event per line, with an optional `delayMs` that paces replay.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EventInputError, parseEventInput, type InputEvent } from '../flux/event-input.js';

export interface FixtureEvent {
  /** 1-based line in the file. */
  line: number;
  delayMs: number;
  input?: InputEvent;
  error?: string;
}

export interface FixtureEvents {
  file: string;
  /** The scenario's manifests directory, when the path was a scenario directory. */
  manifestsDir?: string;
  events: FixtureEvent[];
}

/** Parses NDJSON text; bad lines are kept with their error so nothing is silently lost. */
export function parseFixtureEvents(text: string, file: string): FixtureEvent[] {
  const out: FixtureEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('//')) continue;
    let delayMs = 0;
    try {
      const probe = JSON.parse(raw) as { delayMs?: unknown };
      if (typeof probe.delayMs === 'number' && probe.delayMs >= 0) delayMs = probe.delayMs;
    } catch {
      // parseEventInput reports it
    }
    try {
      out.push({ line: i + 1, delayMs, input: parseEventInput(raw, `${file}:${i + 1}`) });
    } catch (e) {
      if (!(e instanceof EventInputError)) throw e;
      out.push({ line: i + 1, delayMs, error: e.message });
    }
  }
  return out;
}

/** FILE, or a scenario DIR holding events.ndjson (and manifests/). */
export async function readFixtureEvents(path: string): Promise<FixtureEvents> {
  let file = path;
  let manifestsDir: string | undefined;
  const st = await stat(path);
  if (st.isDirectory()) {
    file = join(path, 'events.ndjson');
    manifestsDir = join(path, 'manifests');
  }
  const text = await readFile(file, 'utf8');
  return { file, manifestsDir, events: parseFixtureEvents(text, file) };
}
