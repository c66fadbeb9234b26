// The capture endpoint for every provider type without a dedicated mock: the well-known hosts
// the engine posts to (api.telegram.org, api.opsgenie.com, events.pagerduty.com, Datadog sites…)
// and the hosts of loaded Provider addresses not claimed by another mock (matrix, grafana,
// rocket, otel, bitbucketserver, gitea…). It shows method, URL, masked headers and the body, and
// answers with the service's documented success shape so each conversation completes; it checks
// nothing about the payload.

import type { HttpHandler } from 'msw';
import { endpoint, jsonReply, parseJson, isObject, str, type MockContext, type MockReply, type MockRequest } from './common.js';
import { genericPreview } from './generic.js';
import type { MockState } from './state.js';
import { AZDO_STATUSES_LOCATION } from '../src/runner/healthy-replies.js';

/** Exact hosts and `.suffix` patterns of the services the engine addresses itself. */
const WELL_KNOWN: Array<[string, string]> = [
  ['api.telegram.org', 'telegram'],
  ['api.opsgenie.com', 'opsgenie'],
  ['api.eu.opsgenie.com', 'opsgenie'],
  ['events.pagerduty.com', 'pagerduty'],
  ['events.eu.pagerduty.com', 'pagerduty'],
  ['api.datadoghq.com', 'datadog'],
  ['api.datadoghq.eu', 'datadog'],
  ['api.us3.datadoghq.com', 'datadog'],
  ['api.us5.datadoghq.com', 'datadog'],
  ['api.ap1.datadoghq.com', 'datadog'],
  ['api.ap2.datadoghq.com', 'datadog'],
  ['api.ddog-gov.com', 'datadog'],
  ['webexapis.com', 'webex'],
  ['open.feishu.cn', 'lark'],
  ['open.larksuite.com', 'lark'],
  ['.zulipchat.com', 'zulip'],
  ['api.incident.io', 'incident.io'],
  ['integrations.zoom.us', 'zoom'],
  ['sentry.io', 'sentry'],
  ['.sentry.io', 'sentry'],
  ['api.bitbucket.org', 'bitbucket'],
  ['dev.azure.com', 'azuredevops'],
  ['.visualstudio.com', 'azuredevops'],
  ['gitea.com', 'gitea'],
  ['codeberg.org', 'gitea'],
  ['matrix.org', 'matrix'],
];

export function wellKnownType(url: URL): string | undefined {
  const h = url.hostname.toLowerCase();
  for (const [pattern, type] of WELL_KNOWN) {
    if (pattern.startsWith('.') ? h.endsWith(pattern) : h === pattern) return type;
  }
  return undefined;
}


function bodyJson(req: MockRequest): Record<string, unknown> {
  const p = parseJson(req.text);
  return p.ok && isObject(p.value) ? p.value : {};
}

/** The success answer of each service (their API references' examples, trimmed). */
function answer(state: MockState, type: string, req: MockRequest): MockReply {
  const id = state.newId();
  const now = state.now().toISOString();
  const path = req.url.pathname;
  const m = req.method;
  switch (type) {
    case 'telegram': {
      const b = bodyJson(req);
      return jsonReply(200, { ok: true, result: { message_id: id, chat: { id: str(b, 'chat_id') ?? '', type: 'channel' }, date: Math.floor(Date.parse(now) / 1000), text: str(b, 'text') ?? '' } });
    }
    case 'opsgenie':
      return jsonReply(202, { result: 'Request will be processed', took: 0.01, requestId: `mock-${id}` });
    case 'pagerduty':
      return jsonReply(202, { status: 'success', message: 'Event processed', dedup_key: str(bodyJson(req), 'dedup_key') ?? `mock-${id}` });
    case 'datadog':
      return jsonReply(202, { status: 'ok', event: { id, title: str(bodyJson(req), 'title') ?? '', url: `https://app.datadoghq.com/event/event?id=${id}` } });
    case 'webex':
      return jsonReply(200, { id: `mock-${id}`, roomId: str(bodyJson(req), 'roomId') ?? '', roomType: 'group', created: now });
    case 'lark':
      return jsonReply(200, { code: 0, msg: 'success', data: {} });
    case 'zulip':
      return jsonReply(200, { result: 'success', msg: '', id });
    case 'incident.io':
      return jsonReply(202, { status: 'success', message: 'Event accepted for processing', deduplication_key: str(bodyJson(req), 'deduplication_key') ?? `mock-${id}` });
    case 'sentry':
      return jsonReply(200, { id: `mock${id}` });
    case 'matrix':
      return jsonReply(200, { event_id: `$mock${id}:matrix.local` });
    case 'grafana':
      return jsonReply(200, { id, message: 'Annotation added' });
    case 'rocket':
      return jsonReply(200, { success: true });
    case 'otel':
      // An empty ExportTraceServiceResponse.
      return { status: 200, headers: { 'Content-Type': 'application/x-protobuf' }, body: '' };
    case 'bitbucket':
      if (m === 'GET') return jsonReply(404, { type: 'error', error: { message: 'Not found' } });
      return jsonReply(201, { ...bodyJson(req), type: 'build', created_on: now, updated_on: now });
    case 'bitbucketserver':
      if (m === 'GET') return jsonReply(404, { errors: [{ context: null, message: 'No build status found', exceptionName: null }] });
      return { status: 204, headers: {} };
    case 'azuredevops':
      if (m === 'OPTIONS') return jsonReply(200, { count: 1, value: [AZDO_STATUSES_LOCATION] });
      if (m === 'GET') return jsonReply(200, { count: 0, value: [] });
      return jsonReply(201, { ...bodyJson(req), id, creationDate: now });
    case 'gitea':
    case 'giteapullrequestcomment':
      if (path.endsWith('/api/v1/version')) return jsonReply(200, { version: '1.22.0' });
      if (path.endsWith('/api/v1/user')) return jsonReply(200, { id: 1, login: 'flux-bot' });
      if (m === 'GET') return jsonReply(200, []);
      if (m === 'POST' && path.includes('/statuses/')) return jsonReply(201, { id, status: str(bodyJson(req), 'state') ?? '', description: str(bodyJson(req), 'description') ?? '', context: str(bodyJson(req), 'context') ?? '', created_at: now });
      return jsonReply(m === 'POST' ? 201 : 200, { id, body: str(bodyJson(req), 'body') ?? '', user: { id: 1, login: 'flux-bot' }, created_at: now });
    default:
      return { status: 200, headers: {}, body: '' };
  }
}

export function captureRespond(state: MockState, req: MockRequest, type: string): MockReply {
  return { ...answer(state, type, req), preview: genericPreview(req, type, { notes: ['captured: this mock does not check the payload'] }) };
}

export function captureHandlers(ctx: MockContext): HttpHandler[] {
  const { state } = ctx;
  const typeOf = (url: URL): string | undefined => wellKnownType(url) ?? (state.providerFor(url) ? (state.providerFor(url)!.type ?? 'capture') : undefined);
  return [
    endpoint(ctx, {
      service: (url) => typeOf(url) ?? 'capture',
      match: (url) => typeOf(url) !== undefined,
      respond: (req) => captureRespond(state, req, typeOf(req.url) ?? 'capture'),
    }),
  ];
}
