// datadog (providers §4.19): an event for Datadog's v1 Events API, as datadog-api-client-go
// v2.60.0 sends it. Not the shared sender: the library makes one attempt (its retries are off
// by default) and judges the reply itself.
//
// The library's User-Agent carries the Go runtime version, OS and CPU architecture of the
// controller binary. v1.9.3 is built with Go 1.26 (the patch level depends on the image build)
// for several architectures; we show `go1.26` and `amd64`.

import { goJson, goMap } from '../flux/gojson.js';
import type { FluxEvent } from '../flux/types.js';
import { goUnmarshalObject } from './godecode.js';
import { GoURLError, goStrconvQuote, parseURL } from './gourl.js';
import { sortedMetadata } from './text.js';
import type { HttpReply, PlannedHttpRequest, ProviderDefinition } from './types.js';
import { goStatusLine } from './gohttp.js';
import { NotifierError } from './types.js';

export const DATADOG_USER_AGENT = 'datadog-api-client-go/2.60.0 (go go1.26; os linux; arch amd64)';

/** Unix seconds of the event time (Go's zero time when there is none). */
function unixSeconds(ts: string | null): number {
  return ts === null ? -62135596800 : Math.floor(Date.parse(ts) / 1000);
}

/** Go's strings.ToLower: per code point, so no final-sigma context and İ becomes a plain i. */
export function goToLower(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === '\u0130') {
      out += 'i';
      continue;
    }
    const l = ch.toLowerCase();
    out += [...l].length === 1 ? l : ch;
  }
  return out;
}

/** The five fixed tags, then `key:value` per metadata entry (sorted, §3.6), all lower-cased. */
export function datadogTags(e: FluxEvent): string[] {
  const o = e.involvedObject;
  const tags = [
    `flux_reporting_controller:${e.reportingController}`,
    `flux_reason:${e.reason}`,
    `kube_kind:${o.kind ?? ''}`,
    `kube_name:${o.name ?? ''}`,
    `kube_namespace:${o.namespace ?? ''}`,
  ];
  for (const [k, v] of sortedMetadata(e)) tags.push(`${k}:${v}`);
  return tags.map(goToLower);
}

/**
 * The request body: the library marshals the event as a map (keys sorted) and writes it with a
 * JSON encoder, which appends a newline.
 */
export function datadogBody(e: FluxEvent): string {
  const o = e.involvedObject;
  const body = goMap({
    alert_type: e.severity === 'error' ? 'error' : 'info',
    date_happened: unixSeconds(e.timestamp),
    source_type_name: 'fluxcd',
    tags: datadogTags(e),
    text: e.message,
    title: `Events from the ${o.kind ?? ''} ${o.name ?? ''}/${o.namespace ?? ''}`,
  });
  return goJson(body) + '\n';
}

/**
 * `<scheme>://<host>/api/v1/events`: the library's default server URL with the address's scheme
 * and host put in when they are non-empty; the address's path is ignored.
 */
export function datadogURL(address: string): string {
  const u = parseURL(address);
  const out = parseURL('https://api.datadoghq.com/api/v1/events');
  if (u.host !== '') out.host = u.host;
  if (u.scheme !== '') out.scheme = u.scheme;
  return out.toString();
}

// --- Judging the reply ---------------------------------------------------------------------------




/**
 * The syntax error json.Unmarshal reports for `text`, or null when it is valid JSON. The library
 * decodes into a struct and, when the shape does not fit, again into interface{}; so only
 * syntax errors surface, never type errors.
 */
export function goJsonSyntaxError(text: string): string | null {
  const err = goUnmarshalObject(text).error;
  return err === undefined || err.startsWith('json: cannot unmarshal') ? null : err;
}

/**
 * The library's verdict: status ≥ 300 fails with the status line; a 2xx/1xx body that is not
 * valid JSON fails with the decoder's error (an empty body is fine).
 */
export function judgeDatadogReply(reply: HttpReply): string | null {
  if (reply.status >= 300) return `failed to post event to DataDog: ${goStatusLine(reply.status)}`;
  if (reply.body === '') return null;
  // An XML content type is decoded with encoding/xml instead; we do not model its errors.
  const ct = Object.entries(reply.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  if (/(?:application|text)\/xml/i.test(ct)) return null;
  const syntax = goJsonSyntaxError(reply.body);
  return syntax === null ? null : `failed to post event to DataDog: ${syntax}`;
}

export function datadogRequest(url: string, apiKey: string, e: FluxEvent): PlannedHttpRequest {
  return {
    kind: 'http',
    method: 'POST',
    url,
    // Set through http.Header.Set, so `DD-API-KEY` goes out as `Dd-Api-Key`.
    headers: [
      ['Content-Type', 'application/json'],
      ['Accept', 'application/json'],
      ['Dd-Api-Key', apiKey],
      ['User-Agent', DATADOG_USER_AGENT],
    ],
    body: datadogBody(e),
    retry: 'none',
    useProxy: true,
    useTLS: true,
    check: judgeDatadogReply,
  };
}

export const provider: ProviderDefinition = {
  type: 'datadog',
  transport: 'http',
  needs: 'Secret token (Datadog API key); address optional (site URL, default https://api.datadoghq.com)',
  create(opts) {
    if (opts.token === '') throw new NotifierError('token cannot be empty');
    let url: string;
    try {
      url = datadogURL(opts.url);
    } catch (err) {
      if (err instanceof GoURLError) {
        throw new NotifierError(`failed to parse address ${goStrconvQuote(opts.url)}: ${err.message}`);
      }
      throw err;
    }
    if (opts.proxyURL !== '') {
      try {
        parseURL(opts.proxyURL);
      } catch (err) {
        if (err instanceof GoURLError) {
          throw new NotifierError(`failed to parse proxy URL ${goStrconvQuote(opts.proxyURL)}: ${err.message}`);
        }
        throw err;
      }
    }
    return {
      *post(e) {
        const req = datadogRequest(url, opts.token, e);
        let reply;
        try {
          reply = yield req;
        } catch (err) {
          // A transport failure is net/http's `Post "<url>": <cause>`; the notifier prefixes it.
          throw new NotifierError(`failed to post event to DataDog: ${err instanceof Error ? err.message : String(err)}`);
        }
        const verdict = judgeDatadogReply(reply);
        if (verdict !== null) throw new NotifierError(verdict);
        return { sent: true };
      },
    };
  },
};
