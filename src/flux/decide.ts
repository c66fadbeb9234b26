// The pipeline for one event after intake (spec §2.6): internal metadata removal, every alert
// filtered in namespace/name order, dispatch decisions for the matched ones.

import type { Catalog } from './catalog.js';
import type { AlertDecision } from './decision-types.js';
import { dispatchAlert, type Dispatch, type DispatchOptions } from './dispatch.js';
import { matchAlert, type LookupObject } from './match.js';
import { cleanupMetadata, excludeInternalMetadata, metadataLayers, type MetadataLayers } from './metadata.js';
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

const alertName = (a: { metadata: { namespace: string; name: string } }) => `${a.metadata.namespace}/${a.metadata.name}`;

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

/** Evaluates the given alerts in order; with `trace`, every step is recorded with its values. */
function evaluate(e: FluxEvent, alerts: readonly Alert[], catalog: Catalog, opts: DecideOptions, trace: boolean): Pass {
  const lookup = opts.lookupObject ?? catalog.lookupObject;
  let layers: MetadataLayers | undefined;
  const pass: Pass = { decisions: [], dispatches: [], droppedCommit: [], droppedChange: [] };
  for (const alert of alerts) {
    const m = matchAlert(e, alert, lookup, trace);
    const d: AlertDecision = {
      alert: alertName(alert),
      provider: `${alert.metadata.namespace}/${alert.spec.providerRef.name}`,
      providerType: catalog.provider(alert.metadata.namespace, alert.spec.providerRef.name)?.spec.type ?? null,
      matched: m.matched,
      outcome: 'not-matched',
      reason: m.reason ?? 'ok',
      steps: m.trace.steps,
    };
    if (m.controllerEvents.length) d.controllerEvents = m.controllerEvents;
    if (m.logs.length) d.logs = m.logs;
    if (m.matched) {
      layers ??= metadataLayers(e);
      const dispatch = dispatchAlert(e, alert, d, catalog.provider, catalog.secret, opts, m.trace, catalog.notifierCache, layers);
      if (dispatch) pass.dispatches.push(dispatch);
      if (d.reason === 'commit-status-missing-commit') pass.droppedCommit.push(d.alert);
      if (d.reason === 'change-request-missing-key') pass.droppedChange.push(d.alert);
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
  const candidates = catalog.candidates(e.involvedObject.namespace ?? '', e.involvedObject.kind ?? '');
  const pass = evaluate(e, candidates, catalog, opts, false);
  const logs: string[] = [];
  if (!pass.decisions.some((a) => a.matched)) logs.push('discarding event, no alerts found for the involved object');
  else logs.push(`dispatching event: ${e.message}`);
  if (pass.droppedCommit.length) logs.push(`event dropped for commit status providers due to missing commit metadata key (alerts: ${pass.droppedCommit.join(', ')})`);
  if (pass.droppedChange.length) logs.push(`event dropped for change request providers due to missing change request metadata key (alerts: ${pass.droppedChange.join(', ')})`);
  let all: AlertDecision[] | undefined;
  return {
    event: cleaned,
    evaluated: pass.decisions,
    dispatches: pass.dispatches,
    logs,
    get alerts(): AlertDecision[] {
      return (all ??= evaluate(e, catalog.alerts, catalog, opts, true).decisions);
    },
  };
}
