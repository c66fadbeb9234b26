// Alertmanager API v2 (`POST …/api/v2/alerts` on any host): a JSON array of PostableAlert.
// Schema problems are go-openapi validation errors (422, code 602), an undecodable body is a 400
// from the body binder, and alert validation errors are a 400 whose body is a JSON string; a
// good request gets 200 with no body.

import type { HttpHandler } from 'msw';
import type { AlertmanagerAlert, AlertmanagerPreview, PreviewError } from '../src/runner/preview-model.js';
import { compact, endpoint, isObject, jsonReply, parseJson, str, type MockContext, type MockReply, type MockRequest } from './common.js';
import type { MockState } from './state.js';

/** Go's zero time: Alertmanager reads it as "no end time". */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
const POSTABLE_FIELDS = new Set(['labels', 'annotations', 'startsAt', 'endsAt', 'generatorURL']);

function rejected(status: number, error: string, detail: string): PreviewError {
  return { service: 'alertmanager', status, error, detail };
}

function openapiError(status: number, code: number, message: string, detail: string): MockReply {
  return { ...jsonReply(status, { code, message }), previewError: rejected(status, message, detail) };
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const k of Object.keys(v).sort()) out[k] = typeof v[k] === 'string' ? (v[k] as string) : JSON.stringify(v[k]);
  return out;
}

/** The first schema violation (go-openapi wording), or undefined. */
function schemaProblem(alerts: unknown[]): { message: string; detail: string } | undefined {
  for (const [i, a] of alerts.entries()) {
    if (!isObject(a)) return { message: `${i} in body must be of type object: "${Array.isArray(a) ? 'array' : typeof a}"`, detail: `alert ${i} is not an object` };
    if (a.labels === undefined || a.labels === null) return { message: `${i}.labels in body is required`, detail: `alert ${i} has no labels` };
    for (const field of ['labels', 'annotations'] as const) {
      const m = a[field];
      if (m === undefined) continue;
      if (!isObject(m)) return { message: `${i}.${field} in body must be of type object`, detail: `alert ${i} ${field} is not an object` };
      for (const [k, v] of Object.entries(m)) {
        if (typeof v !== 'string') return { message: `${i}.${field}.${k} in body must be of type string: "${typeof v}"`, detail: `${field} value ${k} is not a string` };
      }
    }
    for (const field of ['startsAt', 'endsAt'] as const) {
      const t = a[field];
      if (t !== undefined && (typeof t !== 'string' || Number.isNaN(Date.parse(t)))) {
        return { message: `${i}.${field} in body must be of type date-time: "${String(t)}"`, detail: `${field} is not an RFC 3339 time` };
      }
    }
  }
  return undefined;
}

/** Alert validation after binding (Alertmanager's own checks). */
function alertProblem(a: Record<string, unknown>): string | undefined {
  if (Object.keys(stringMap(a.labels)).length === 0) return 'at least one label pair required';
  const starts = str(a, 'startsAt');
  const ends = str(a, 'endsAt');
  if (starts && ends && ends !== GO_ZERO_TIME && Date.parse(ends) < Date.parse(starts)) return 'start time must be before end time';
  return undefined;
}

export function alertmanagerPreview(alerts: Array<Record<string, unknown>>): AlertmanagerPreview {
  const notes = new Set<string>();
  const out = alerts.map((a) => {
    for (const k of Object.keys(a)) if (!POSTABLE_FIELDS.has(k)) notes.add(`\`${k}\` is not a field of PostableAlert: Alertmanager ignores it`);
    if (a.endsAt === GO_ZERO_TIME) notes.add('endsAt is the zero time: Alertmanager treats it as unset and resolves the alert after resolve_timeout unless it is sent again');
    return compact<AlertmanagerAlert>({
      status: str(a, 'status'),
      labels: stringMap(a.labels),
      annotations: stringMap(a.annotations),
      startsAt: str(a, 'startsAt'),
      endsAt: str(a, 'endsAt'),
      generatorURL: str(a, 'generatorURL'),
    });
  });
  return compact<AlertmanagerPreview>({ kind: 'alertmanager', alerts: out, notes: notes.size > 0 ? [...notes] : undefined });
}

export function alertmanagerRespond(_state: MockState, req: MockRequest): MockReply {
  if (req.method === 'GET') return jsonReply(200, []);
  if (req.method !== 'POST') return jsonReply(405, { code: 405, message: `method ${req.method} is not allowed, but [GET,POST] are` });
  const parsed = parseJson(req.text);
  if (!parsed.ok) {
    return openapiError(400, 400, `parsing alerts body from "" failed, because ${parsed.error}`, `the body is not JSON (${parsed.error})`);
  }
  if (!Array.isArray(parsed.value)) {
    const t = isObject(parsed.value) ? 'object' : typeof parsed.value;
    return openapiError(400, 400, `parsing alerts body from "" failed, because json: cannot unmarshal ${t} into Go value of type models.PostableAlerts`, 'the body must be a JSON array of alerts');
  }
  const schema = schemaProblem(parsed.value);
  if (schema) return openapiError(422, 602, schema.message, schema.detail);
  const alerts = parsed.value as Array<Record<string, unknown>>;
  const problems = alerts.map(alertProblem).filter((p): p is string => p !== undefined);
  if (problems.length > 0) {
    const text = problems.join('; ');
    return { ...jsonReply(400, text), previewError: rejected(400, text, 'Alertmanager refused the alert') };
  }
  return { status: 200, headers: {}, body: '', preview: alertmanagerPreview(alerts) };
}

export function alertmanagerHandlers(ctx: MockContext): HttpHandler[] {
  const { state } = ctx;
  return [
    endpoint(ctx, {
      service: 'alertmanager',
      match: (url) => url.pathname.endsWith('/api/v2/alerts') || state.providerFor(url)?.type === 'alertmanager',
      respond: (req) => alertmanagerRespond(state, req),
    }),
  ];
}
