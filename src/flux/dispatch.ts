// Dispatch decisions for a matched alert (spec §4.2), in the controller's order, up to and
// including notifier construction. Sending is not done here.

import type { ProviderCaches } from '../providers/caches.js';
import type { NotifierOptions } from '../providers/types.js';
import { commitStatusFor } from './commit-status.js';
import type { AlertDecision, ControllerEvent, DroppedReason } from './decision-types.js';
import type { StepTrace } from './match.js';
import type { AlertEntry } from './catalog.js';
import type { EventScope } from './event-scope.js';
import { METADATA_CONFLICT_MESSAGE } from './metadata.js';
import { assembleNotifierOptions, OptionsError, type AssembledOptions, type FindSecret } from './notifier-options.js';
import { isChangeRequestProvider, isCommitStatusProvider, isGenericProvider } from './provider-classes.js';
import { objectGroupKeys, objectGroupPrefix } from './apigroup.js';
import { EVENT_GROUP_PREFIX, type Alert, type FluxEvent, type Provider } from './types.js';

/** Builds the notifier for a type; throws with the Go constructor's message. */
export type NotifierFactory = (type: string, options: NotifierOptions) => unknown;

export interface DispatchOptions {
  noCrossNamespaceRefs: boolean;
  objectLevelWorkloadIdentity: boolean;
  createNotifier: NotifierFactory;
  /**
   * NC's process-wide caches (GitHub App tokens, Azure DevOps routes), owned by whoever runs the
   * deliveries; attached to the options once per assembly. Absent: none.
   */
  caches?: ProviderCaches;
}

export interface Dispatch {
  alert: Alert;
  provider: Provider;
  /** The notification: a deep copy of the event with the combined metadata. */
  notification: FluxEvent;
  commitStatus: string;
  assembled: AssembledOptions;
  notifier: unknown;
}

export type FindProvider = (namespace: string, name: string) => Provider | undefined;

/**
 * Assembled options per (Provider object, commit status id). NC re-reads Secrets on every
 * dispatch; the result only depends on objects that are immutable within one Catalog, so a
 * Catalog keeps this cache and a changed object means a new Catalog.
 */
export type OptionsCache = WeakMap<Provider, Map<string, CachedOptions>>;

interface CachedOptions {
  assembled: AssembledOptions | OptionsError;
  /** The caches the options were assembled with (another owner means another assembly). */
  caches: ProviderCaches | undefined;
  /** Notifier (or its constructor error) per alert: the options carry the alert identity. */
  notifiers: Map<string, { factory: NotifierFactory } & ({ notifier: unknown } | { error: Error })>;
}

function assembleCached(provider: Provider, commitStatus: string, findSecret: FindSecret, cache: OptionsCache | undefined, caches: ProviderCaches | undefined): CachedOptions {
  let perProvider = cache?.get(provider);
  let hit = perProvider?.get(commitStatus);
  if (!hit || hit.caches !== caches) {
    let assembled: AssembledOptions | OptionsError;
    try {
      assembled = assembleNotifierOptions(provider, commitStatus, findSecret);
      if (caches) assembled.options.caches = caches;
    } catch (e) {
      if (!(e instanceof OptionsError)) throw e;
      assembled = e;
    }
    hit = { assembled, caches, notifiers: new Map() };
    if (cache) {
      if (!perProvider) cache.set(provider, (perProvider = new Map()));
      perProvider.set(commitStatus, hit);
    }
  }
  return hit;
}

function addLog(d: AlertDecision, ...lines: string[]) {
  (d.logs ??= []).push(...lines);
}

function addEvent(d: AlertDecision, ev: ControllerEvent) {
  (d.controllerEvents ??= []).push(ev);
}

const EVENT_COMMIT_KEY = `${EVENT_GROUP_PREFIX}commit`;
const EVENT_CHANGE_REQUEST_KEY = `${EVENT_GROUP_PREFIX}change_request`;

/** Event predicates on the prefixed keys (spec §4.1). */
export function isCommitStatusUpdate(e: FluxEvent): boolean {
  return e.metadata?.[objectGroupKeys(e.involvedObject.apiVersion).commitStatus] === 'update';
}
export function hasCommitKey(e: FluxEvent): boolean {
  return (e.metadata?.[EVENT_COMMIT_KEY] ?? '') !== '';
}
export function hasChangeRequestKey(e: FluxEvent): boolean {
  return (e.metadata?.[EVENT_CHANGE_REQUEST_KEY] ?? '') !== '';
}

const involved = (e: FluxEvent) => `${e.involvedObject.kind ?? ''}/${e.involvedObject.namespace ?? ''}/${e.involvedObject.name ?? ''}`;

function drop(d: AlertDecision, reason: DroppedReason): undefined {
  d.outcome = 'dropped';
  d.reason = reason;
  return undefined;
}

/** A dispatch failure: NotificationDispatchFailed on the alert and NC's error log line. */
function fail(d: AlertDecision, trace: StepTrace, e: FluxEvent, reason: DroppedReason, check: string, rule: string, err: string): undefined {
  if (trace.on) trace.steps.push({ check, pass: false, rule, detail: err });
  d.controllerEvent = { reason: 'NotificationDispatchFailed', message: `failed to dispatch notification for ${involved(e)}: ${err}` };
  addLog(d, `failed to dispatch notification: ${err}`);
  return drop(d, reason);
}

function initFail(d: AlertDecision, trace: StepTrace, e: FluxEvent, provider: Provider, err: string): undefined {
  return fail(d, trace, e, 'notifier-init-error', 'notifier', '§4.2 step 10', `failed to initialize notifier for provider '${provider.metadata.name}': ${err}`);
}

/**
 * Runs steps 1–10 for one matched alert. Mutates `d` (steps, outcome, reason, events) and
 * returns the dispatch when the outcome is `dispatched`.
 */
export function dispatchAlert(
  scope: EventScope,
  alert: Alert,
  entry: AlertEntry,
  d: AlertDecision,
  findSecret: FindSecret,
  opts: DispatchOptions,
  trace: StepTrace,
  cache?: OptionsCache,
): Dispatch | undefined {
  const e = scope.event;
  // 1. cross-namespace
  const evNs = e.involvedObject.namespace ?? '';
  if (opts.noCrossNamespaceRefs && evNs !== alert.metadata.namespace) {
    const err = `discarding event, access denied to cross-namespace sources: alert '${alert.metadata.namespace}/${alert.metadata.name}' can't process event from '${involved(e)}', cross-namespace references have been blocked`;
    return fail(d, trace, e, 'cross-namespace-blocked', 'crossNamespace', '§4.2 step 1', err);
  }
  if (trace.on) trace.steps.push({
    check: 'crossNamespace', pass: true, rule: '§4.2 step 1',
    detail: opts.noCrossNamespaceRefs ? `event namespace ${evNs} is the alert namespace` : '--no-cross-namespace-refs is off',
  });
  // 2. provider lookup, in the alert's namespace only
  const pname = alert.spec.providerRef.name;
  const provider = entry.provider;
  if (!provider) {
    return fail(d, trace, e, 'provider-not-found', 'providerRef', '§4.2 step 2', `failed to read provider: providers.notification.toolkit.fluxcd.io "${pname}" not found`);
  }
  d.providerType = provider.spec.type;
  if (trace.on) trace.steps.push({ check: 'providerRef', pass: true, rule: '§4.2 step 2', detail: `Provider ${alert.metadata.namespace}/${pname} (type ${provider.spec.type})` });
  const type = provider.spec.type;
  // 3. suspended provider: silent, before secrets are read
  if (provider.spec.suspend === true) {
    if (trace.on) trace.steps.push({ check: 'providerSuspend', pass: false, rule: '§4.2 step 3', detail: 'provider spec.suspend is true: dropped silently, secrets are not read', deciding: { field: 'provider spec.suspend', want: 'false', got: 'true' } });
    return drop(d, 'provider-suspended');
  }
  if (trace.on) trace.steps.push({ check: 'providerSuspend', pass: true, rule: '§4.2 step 3', detail: 'provider spec.suspend is false' });
  // 4. commit status updates only go to commit-status and generic providers
  const csUpdate = scope.commitStatusUpdate;
  if (csUpdate && !isCommitStatusProvider(type) && !isGenericProvider(type)) {
    if (trace.on) trace.steps.push({
      check: 'commitStatusUpdate', pass: false, rule: '§4.2 step 4',
      detail: `the event is a commit status update (${objectGroupPrefix(e.involvedObject.apiVersion)}commit_status: update); ${type} is neither a commit-status nor a generic provider: dropped silently`,
    });
    return drop(d, 'commit-status-update-unsupported-provider');
  }
  if (trace.on) trace.steps.push({ check: 'commitStatusUpdate', pass: true, rule: '§4.2 step 4', detail: csUpdate ? `commit status update accepted by ${type}` : 'not a commit status update' });
  // 5. commit-status providers need a commit key, an update marker or an error
  if (isCommitStatusProvider(type)) {
    const commit = scope.hasCommitKey;
    if (!commit && !csUpdate && e.severity !== 'error') {
      if (trace.on) trace.steps.push({
        check: 'commitKey', pass: false, rule: '§4.2 step 5',
        detail: `${type} is a commit-status provider: the event has no ${EVENT_GROUP_PREFIX}commit key, is not a commit status update and its severity is ${JSON.stringify(e.severity)}, not "error"`,
        deciding: { field: 'severity', want: 'error (or a commit key / commit_status: update)', got: e.severity },
      });
      addLog(d, 'event dropped for commit status providers due to missing commit metadata key');
      return drop(d, 'commit-status-missing-commit');
    }
    if (trace.on) trace.steps.push({ check: 'commitKey', pass: true, rule: '§4.2 step 5', detail: commit ? 'has the commit key' : csUpdate ? 'commit status update' : 'error event: always let through' });
  }
  // 6. change-request providers need the change_request key
  if (isChangeRequestProvider(type)) {
    if (!scope.hasChangeRequestKey) {
      if (trace.on) trace.steps.push({
        check: 'changeRequestKey', pass: false, rule: '§4.2 step 6',
        detail: `${type} needs the ${EVENT_GROUP_PREFIX}change_request annotation on the involved object`,
        deciding: { field: `${EVENT_GROUP_PREFIX}change_request`, want: 'non-empty', got: e.metadata?.[`${EVENT_GROUP_PREFIX}change_request`] ?? '(absent)' },
      });
      addLog(d, 'event dropped for change request providers due to missing change request metadata key');
      return drop(d, 'change-request-missing-key');
    }
    if (trace.on) trace.steps.push({ check: 'changeRequestKey', pass: true, rule: '§4.2 step 6', detail: 'has the change_request key' });
  }
  // 7. workload identity feature gate
  const sa = provider.spec.serviceAccountName ?? '';
  if (sa !== '' && !opts.objectLevelWorkloadIdentity) {
    return fail(d, trace, e, 'workload-identity-disabled', 'workloadIdentity', '§4.2 step 7',
      'to use spec.serviceAccountName for provider authentication please enable the ObjectLevelWorkloadIdentity feature gate in the controller');
  }
  if (sa !== '') if (trace.on) trace.steps.push({ check: 'workloadIdentity', pass: true, rule: '§4.2 step 7', detail: `serviceAccountName ${sa} with the feature gate on` });
  // 8. metadata combination on a copy
  const combined = scope.combine(alert, entry.metadataKey);
  if (combined.usedDeprecatedSummary) {
    addLog(d, "warning: specifying an alert summary with '.spec.summary' is deprecated, use '.spec.eventMetadata.summary' instead");
  }
  if (combined.conflicts.length > 0) {
    const annotations: Record<string, string> = {};
    for (const c of combined.conflicts) annotations[c.key] = c.sources.join(', ');
    addEvent(d, { reason: 'MetadataAppendFailed', message: METADATA_CONFLICT_MESSAGE, annotations });
    addLog(d, `warning: ${METADATA_CONFLICT_MESSAGE}`);
    d.metadataConflicts = Object.fromEntries(combined.conflicts.map((c) => [c.key, c.sources]));
  }
  if (trace.on) trace.steps.push({
    check: 'metadata', pass: true, rule: '§5.2',
    detail: combined.conflicts.length
      ? `combined; conflicts: ${combined.conflicts.map((c) => `${c.key} (${c.sources.join(' < ')})`).join('; ')}`
      : `combined ${Object.keys(combined.event.metadata ?? {}).length} key(s)`,
  });
  const notification = combined.event;
  // 9. commit status id
  const cs = commitStatusFor(provider, notification, alert);
  if (!cs.ok) return fail(d, trace, e, 'commit-status-expr-error', 'commitStatus', '§6.8', `failed to create commit status: ${cs.error}`);
  if (cs.source !== 'none') if (trace.on) trace.steps.push({ check: 'commitStatus', pass: true, rule: '§6.8', detail: `commit status id ${JSON.stringify(cs.id)} (${cs.source === 'default' ? 'default: lower(kind/name/<provider UID prefix>)' : 'spec.commitStatusExpr'})` });
  // 10. notifier construction
  const cached = assembleCached(provider, cs.id, findSecret, cache, opts.caches);
  if (cached.assembled instanceof OptionsError) return initFail(d, trace, e, provider, cached.assembled.message);
  const shared = cached.assembled;
  if (shared.logs.length) addLog(d, ...shared.logs);
  // Upstream hands the alert to the notifier through the request context (otel reads it).
  const alertKey = alert.metadata.uid ?? `${alert.metadata.namespace}/${alert.metadata.name}`;
  const assembled = shared;
  let built = cached.notifiers.get(alertKey);
  if (!built || built.factory !== opts.createNotifier) {
    const options = { ...shared.options, alert: { name: alert.metadata.name, namespace: alert.metadata.namespace, uid: alert.metadata.uid ?? '' } };
    try {
      built = { factory: opts.createNotifier, notifier: opts.createNotifier(type, options) };
    } catch (err) {
      built = { factory: opts.createNotifier, error: err as Error };
    }
    cached.notifiers.set(alertKey, built);
  }
  if ('error' in built) return initFail(d, trace, e, provider, `failed to initialize notifier: ${built.error.message}`);
  const notifier = built.notifier;
  const discarded = assembled.origins.authDiscarded;
  if (trace.on) trace.steps.push({
    check: 'notifier', pass: true, rule: '§4.2 step 10',
    detail: `${type} notifier built${discarded ? `; warning: ${discarded}` : ''}`,
  });
  d.outcome = 'dispatched';
  d.reason = 'ok';
  d.metadata = notification.metadata;
  return { alert, provider, notification, commitStatus: cs.id, assembled, notifier };
}
