// The commit status id a commit-status provider receives (spec §6.8): the default
// lower(kind/name/<first UID segment>) or the Provider's commitStatusExpr evaluated with CEL.

import { compileStringExpression, CelCompileError } from './cel.js';
import { eventStruct } from './gojson.js';
import { isCommitStatusProvider } from './provider-classes.js';
import type { Alert, FluxEvent, Provider } from './types.js';

export function defaultCommitStatus(providerUID: string, e: FluxEvent): string {
  const first = providerUID.split('-')[0] ?? '';
  return `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}/${first}`.toLowerCase();
}

/** The event as runtime.DefaultUnstructuredConverter would map it (fields left out of JSON are absent). */
export function eventAsMap(e: FluxEvent): Record<string, unknown> {
  return JSON.parse(JSON.stringify(eventStruct(e), (_k, v) => (v && typeof v === 'object' && 'entries' in v && Array.isArray(v.entries) ? Object.fromEntries(v.entries) : v)));
}

export type CommitStatusResult = { ok: true; id: string; source: 'none' | 'default' | 'expression' } | { ok: false; error: string };

const NO_STATUS: CommitStatusResult = Object.freeze({ ok: true, id: '', source: 'none' });

export function commitStatusFor(provider: Provider, notification: FluxEvent, alert: Alert): CommitStatusResult {
  if (!isCommitStatusProvider(provider.spec.type)) return NO_STATUS;
  const expr = provider.spec.commitStatusExpr ?? '';
  if (expr === '') return { ok: true, id: defaultCommitStatus(provider.metadata.uid ?? '', notification), source: 'default' };
  const wrap = (msg: string) => `failed to evaluate the spec.commitStatusExpr CEL expression for the event: ${msg}`;
  let compiled;
  try {
    compiled = compileStringExpression(expr);
  } catch (e) {
    if (e instanceof CelCompileError) return { ok: false, error: wrap(`failed to compile expression: ${e.message}`) };
    throw e;
  }
  const r = compiled.evaluate({ event: eventAsMap(notification), alert: alert.object, provider: provider.object });
  if (!r.ok) return { ok: false, error: wrap(r.error) };
  return { ok: true, id: r.value as string, source: 'expression' };
}
