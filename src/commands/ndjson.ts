// One NDJSON line per processed event (design.md `replay -o ndjson`), shared by replay and receive.

import { eventStruct } from '../flux/gojson.js';
import type { ProcessedEvent } from '../runner/pipeline.js';

/** goMap values → plain objects for JSON.stringify. */
export function plainJson(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) && Array.isArray(x.entries) ? Object.fromEntries(x.entries) : x)));
}

export interface DeliveryLine {
  alert: string;
  provider: string;
  status: string;
  ok: boolean;
  preview?: unknown;
  [k: string]: unknown;
}

export function processedLine(p: ProcessedEvent, deliveries: DeliveryLine[] = []): Record<string, unknown> {
  const line: Record<string, unknown> = {
    index: p.index,
    event: plainJson(eventStruct(p.event)),
    rateLimited: p.rateLimited,
    alerts: p.decision?.alerts ?? [],
    deliveries,
  };
  if (p.input.caveats.length) line.caveats = p.input.caveats;
  if (p.rateLimited) line.rateLimitKey = p.rate.key;
  return line;
}

export function processedSummary(p: ProcessedEvent): string {
  const r = p.event.involvedObject;
  const head = `#${p.index} ${r.kind ?? ''}/${r.namespace ?? ''}/${r.name ?? ''} ${p.event.severity} ${p.event.reason}`;
  if (p.rateLimited) return `${head}: rate limited (duplicate within the window; NC answers 429)`;
  const alerts = p.decision?.alerts ?? [];
  const parts = alerts.map((a) => `${a.alert}:${a.outcome === 'dispatched' ? 'dispatched' : a.reason}`);
  return `${head}: ${parts.length ? parts.join(' ') : 'no alerts'}`;
}
