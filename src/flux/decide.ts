// The pipeline for one event after intake (spec §2.6): internal metadata removal, every alert
// filtered in namespace/name order, dispatch decisions for the matched ones.

import type { Catalog } from './catalog.js';
import type { AlertDecision, Step } from './decision-types.js';
import { dispatchAlert, type Dispatch, type DispatchOptions } from './dispatch.js';
import { matchAlert, type LookupObject } from './match.js';
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

const alertName = (a: { metadata: { namespace: string; name: string } }) => `${a.metadata.namespace}/${a.metadata.name}`;

/**
 * The decision for an alert none of whose source entries has the event's namespace and kind:
 * every entry fails at §3.2 B2 (or the alert is suspended) with no side effects, so its trace
 * is built only when read.
 */
function untracedNotMatched(e: FluxEvent, alert: Alert, providerType: string | null, lookup: LookupObject): AlertDecision {
  const d = {
    alert: alertName(alert),
    provider: `${alert.metadata.namespace}/${alert.spec.providerRef.name}`,
    providerType,
    matched: false,
    outcome: 'not-matched',
    reason: alert.spec.suspend === true ? 'alert-suspended' : 'no-matching-source',
    steps: [] as Step[],
  } satisfies AlertDecision;
  d.steps = matchAlert(e, alert, lookup).steps;
  return d;
}

/** Intake cleanup (§2.4): what the rate limiter and the handler see. */
export function intake(raw: FluxEvent): { event: FluxEvent; droppedMetadata: string[] } {
  const { event, dropped } = cleanupMetadata(raw);
  return { event, droppedMetadata: dropped };
}

/** Handles a cleaned event (after the rate limiter let it through). */
export function decide(cleaned: FluxEvent, catalog: Catalog, opts: DecideOptions): EventDecision {
  const e = excludeInternalMetadata(cleaned);
  const lookup = opts.lookupObject ?? catalog.lookupObject;
  const evaluated: AlertDecision[] = [];
  const dispatches: Dispatch[] = [];
  const droppedCommit: string[] = [];
  const droppedChange: string[] = [];
  const providerType = (alert: Alert) => catalog.provider(alert.metadata.namespace, alert.spec.providerRef.name)?.spec.type ?? null;
  // Only alerts with a source entry for (namespace, kind) can get past §3.2 B2.
  const candidates = catalog.candidates(e.involvedObject.namespace ?? '', e.involvedObject.kind ?? '');
  for (const alert of candidates) {
    const m = matchAlert(e, alert, lookup);
    const d: AlertDecision = {
      alert: alertName(alert),
      provider: `${alert.metadata.namespace}/${alert.spec.providerRef.name}`,
      providerType: providerType(alert),
      matched: m.matched,
      outcome: 'not-matched',
      reason: m.reason ?? 'ok',
      steps: m.steps,
    };
    if (m.controllerEvents.length) d.controllerEvents = m.controllerEvents;
    if (m.logs.length) d.logs = m.logs;
    if (m.matched) {
      const dispatch = dispatchAlert(e, alert, d, catalog.provider, catalog.secret, opts, catalog.notifierCache);
      if (dispatch) dispatches.push(dispatch);
      if (d.reason === 'commit-status-missing-commit') droppedCommit.push(d.alert);
      if (d.reason === 'change-request-missing-key') droppedChange.push(d.alert);
    }
    evaluated.push(d);
  }
  const logs: string[] = [];
  if (!evaluated.some((a) => a.matched)) logs.push('discarding event, no alerts found for the involved object');
  else logs.push(`dispatching event: ${e.message}`);
  if (droppedCommit.length) logs.push(`event dropped for commit status providers due to missing commit metadata key (alerts: ${droppedCommit.join(', ')})`);
  if (droppedChange.length) logs.push(`event dropped for change request providers due to missing change request metadata key (alerts: ${droppedChange.join(', ')})`);
  let all: AlertDecision[] | undefined;
  return {
    event: cleaned,
    evaluated,
    dispatches,
    logs,
    get alerts(): AlertDecision[] {
      if (!all) {
        const byAlert = new Map(candidates.map((a, i) => [a, evaluated[i]!]));
        all = catalog.alerts.map((a) => byAlert.get(a) ?? untracedNotMatched(e, a, providerType(a), lookup));
      }
      return all;
    },
  };
}
