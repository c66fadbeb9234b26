// One event through NC's stages (spec §2.2): intake cleanup, the rate limiter, then the handler
// (matching and dispatch decisions). Deterministic given the catalog, options and clock.

import type { Catalog } from '../flux/catalog.js';
import { decide, intake, type DecideOptions, type EventDecision } from '../flux/decide.js';
import type { InputEvent } from '../flux/event-input.js';
import { RateLimiter, type RateDecision } from '../flux/ratelimit.js';
import type { FluxEvent } from '../flux/types.js';

export interface ProcessedEvent {
  index: number;
  input: InputEvent;
  /** After intake cleanup (keys keep their prefixes). */
  event: FluxEvent;
  droppedMetadata: string[];
  rate: RateDecision;
  rateLimited: boolean;
  /** Absent when rate limited (NC stops before looking at alerts). */
  decision?: EventDecision;
}

export class Pipeline {
  private next = 0;
  constructor(
    public catalog: Catalog,
    readonly limiter: RateLimiter,
    readonly opts: DecideOptions,
  ) {}

  process(input: InputEvent, nowMs: number): ProcessedEvent {
    const { event, droppedMetadata } = intake(input.event);
    const rate = this.limiter.take(event, nowMs);
    const out: ProcessedEvent = { index: this.next++, input, event, droppedMetadata, rate, rateLimited: !rate.allowed };
    if (rate.allowed) out.decision = decide(event, this.catalog, this.opts);
    return out;
  }
}
