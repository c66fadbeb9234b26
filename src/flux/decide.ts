// The pipeline for one event after intake (spec §2.6): internal metadata removal, every alert
// filtered in namespace/name order, dispatch decisions for the matched ones.

import type { AlertEntry, Catalog } from './catalog.js';
import type { AlertDecision } from './decision-types.js';
import { dispatchAlert, type Dispatch, type DispatchOptions } from './dispatch.js';
import { matchAlert, type LookupObject } from './match.js';
import { EventScope } from './event-scope.js';
import { cleanupMetadata, excludeInternalMetadata } from './metadata.js';
import type { Alert, FluxEvent } from './types.js';

export interface DecideOptions extends DispatchOptions {
  /** Overrides the catalog's label lookup (cluster mode reads live objects). */
  lookupObject?: LookupObject;
}

export interface EventDecision {
  /** The event after cleanup (keys keep their prefixes), as in the explain contract. */
  event: FluxEvent;
  /** Every loaded alert, in namespace/name order (built on first read; see `evaluated`). */
  readonly alerts: AlertDecision[];
  /** Decisions of the alerts that have a source entry for the event's namespace and kind. */
  evaluated: AlertDecision[];
  dispatches: Dispatch[];
  /** NC's handler-level log lines (no alerts found, dispatching, aggregated drops). */
  logs: string[];
}

/** Intake cleanup (§2.4): what the rate limiter and the handler see. */
export function intake(raw: FluxEvent): { event: FluxEvent; droppedMetadata: string[] } {
  const { event, dropped } = cleanupMetadata(raw);
  return { event, droppedMetadata: dropped };
}

interface Pass {
  decisions: AlertDecision[];
  dispatches: Dispatch[];
  droppedCommit: string[];
  droppedChange: string[];
}

const NONE = Object.freeze([]) as unknown as string[];

/** Evaluates the given alerts in order; with `trace`, every step is recorded with its values. */
function evaluate(scope: EventScope, entries: readonly AlertEntry[], catalog: Catalog, opts: DecideOptions, trace: boolean): Pass {
  const e = scope.event;
  const lookup = opts.lookupObject ?? catalog.lookupObject;
  const pass: Pass = { decisions: [], dispatches: [], droppedCommit: NONE, droppedChange: NONE };
  // indexed loops: the hot path should not build iterator results
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const alert = entry.alert;
    const m = matchAlert(e, alert, lookup, trace, scope);
    const d: AlertDecision = {
      alert: entry.id,
      provider: entry.providerId,
      providerType: entry.provider?.spec.type ?? null,
      matched: m.matched,
      outcome: 'not-matched',
      reason: m.reason ?? 'ok',
      steps: m.trace.steps,
    };
    if (m.controllerEvents.length) d.controllerEvents = m.controllerEvents;
    if (m.logs.length) d.logs = m.logs;
    if (m.matched) {
      const dispatch = dispatchAlert(scope, alert, entry, d, catalog.secret, opts, m.trace, catalog.notifierCache);
      if (dispatch) pass.dispatches.push(dispatch);
      if (d.reason === 'commit-status-missing-commit') (pass.droppedCommit === NONE ? (pass.droppedCommit = []) : pass.droppedCommit).push(d.alert);
      if (d.reason === 'change-request-missing-key') (pass.droppedChange === NONE ? (pass.droppedChange = []) : pass.droppedChange).push(d.alert);
    }
    pass.decisions.push(d);
  }
  return pass;
}

/**
 * Handles a cleaned event (after the rate limiter let it through). Only alerts with a source
 * entry for the event's namespace and kind can get past §3.2 B2, so only those are evaluated,
 * without step texts; `alerts` re-evaluates every alert with its trace on first read (the same
 * functions, deterministic for one catalog, so the outcomes are the same).
 */
export function decide(cleaned: FluxEvent, catalog: Catalog, opts: DecideOptions): EventDecision {
  const e = excludeInternalMetadata(cleaned);
  const candidates = catalog.candidateEntries(e.involvedObject.namespace ?? '', e.involvedObject.kind ?? '');
  const scope = new EventScope(e);
  const pass = evaluate(scope, candidates, catalog, opts, false);
  const logs: string[] = [];
  if (!pass.decisions.some(isMatched)) logs.push('discarding event, no alerts found for the involved object');
  else logs.push(`dispatching event: ${e.message}`);
  if (pass.droppedCommit.length) logs.push(`event dropped for commit status providers due to missing commit metadata key (alerts: ${pass.droppedCommit.join(', ')})`);
  if (pass.droppedChange.length) logs.push(`event dropped for change request providers due to missing change request metadata key (alerts: ${pass.droppedChange.join(', ')})`);
  return new Decided(cleaned, pass, logs, scope, catalog, opts);
}

const isMatched = (a: AlertDecision) => a.matched;

/** An EventDecision whose full, traced list of alerts is worked out on first read. */
class Decided implements EventDecision {
  readonly evaluated: AlertDecision[];
  readonly dispatches: Dispatch[];
  private all: AlertDecision[] | undefined;

  constructor(
    readonly event: FluxEvent,
    pass: Pass,
    readonly logs: string[],
    private readonly scope: EventScope,
    private readonly catalog: Catalog,
    private readonly opts: DecideOptions,
  ) {
    this.evaluated = pass.decisions;
    this.dispatches = pass.dispatches;
  }

  get alerts(): AlertDecision[] {
    // a fresh scope, but the labels read for the first pass, so both passes agree
    return (this.all ??= evaluate(this.scope.again(), this.catalog.entries, this.catalog, this.opts, true).decisions);
  }
}
