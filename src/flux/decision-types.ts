// The explain contract (design.md "explain -o json"): outcome and reason codes, steps, events.

import type { StringMap } from './types.js';

export type Outcome = 'dispatched' | 'not-matched' | 'dropped';

export type NotMatchedReason = 'alert-suspended' | 'no-matching-source' | 'not-included' | 'excluded';
export type DroppedReason =
  | 'cross-namespace-blocked'
  | 'provider-not-found'
  | 'provider-suspended'
  | 'commit-status-update-unsupported-provider'
  | 'commit-status-missing-commit'
  | 'change-request-missing-key'
  | 'workload-identity-disabled'
  | 'commit-status-expr-error'
  | 'notifier-init-error';
export type Reason = 'ok' | NotMatchedReason | DroppedReason;

export interface Step {
  /** Which check, e.g. `suspend`, `eventSources[0]`, `inclusionList`, `providerRef`. */
  check: string;
  pass: boolean;
  /** For people: the values compared. */
  detail: string;
  /** The spec rule that decided, e.g. `§3.2 B2`. */
  rule?: string;
  /** The deciding value, for highlighting: what was wanted and what was found. */
  deciding?: { field: string; want: string; got: string };
}

/** A Kubernetes Warning event NC records on the Alert (spec §4.3). */
export interface ControllerEvent {
  reason: string;
  message: string;
  annotations?: Record<string, string>;
}

export interface AlertDecision {
  alert: string;
  provider: string;
  providerType: string | null;
  matched: boolean;
  outcome: Outcome;
  reason: Reason;
  steps: Step[];
  /** Dispatched only: the metadata the provider receives. */
  metadata?: StringMap;
  metadataConflicts?: Record<string, string[]>;
  /** The event recorded for this outcome (dispatch failures). */
  controllerEvent?: ControllerEvent;
  /** Other events recorded while evaluating (InvalidConfig, SourceFetchFailed, MetadataAppendFailed). */
  controllerEvents?: ControllerEvent[];
  /** Log lines NC writes for this alert (info/error), in order. */
  logs?: string[];
}
