import { describe, expect, it } from 'vitest';
import { goJsonSyntaxError, goToLower, provider } from '../../src/providers/datadog.js';
import { drive, errorText, onlyHttp, options, reply, sampleEvent } from './drive.js';

// providers §4.19, compact; the library writes it with a JSON encoder, hence the newline.
const SAMPLE_BODY =
  '{"alert_type":"info","date_happened":1748779200,"source_type_name":"fluxcd","tags":[' +
  '"flux_reporting_controller:kustomize-controller","flux_reason:reconciliationsucceeded","kube_kind:kustomization",' +
  '"kube_name:podinfo","kube_namespace:flux-system","revision:main@sha1:abc123","summary:cluster: production"],' +
  '"text":"Applied revision: main@sha1:abc123","title":"Events from the Kustomization podinfo/flux-system"}\n';

function post(o: Parameters<typeof options>[0] = {}, e = sampleEvent(), replies = [reply(202, '{"status":"ok"}')]) {
  return drive(provider.create(options({ url: 'https://api.datadoghq.eu', token: 'dd-key', ...o })).post(e), replies);
}
const urlFor = (url: string) => onlyHttp(post({ url })).url;
const payload = (e = sampleEvent()) => JSON.parse(onlyHttp(post({}, e)).body as string);

describe('datadog (providers §4.19)', () => {
  it('datadog: sample event E body byte for byte (providers §4.19)', () => {
    const d = post();
    const req = onlyHttp(d);
    expect(provider.type).toBe('datadog');
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://api.datadoghq.eu/api/v1/events');
    expect(req.body).toBe(SAMPLE_BODY);
    expect(d.outcome).toEqual({ sent: true });
  });

  it('datadog: library headers, DD-API-KEY in Go canonical form (providers §4.19)', () => {
    const req = onlyHttp(post());
    expect(req.headers.slice(0, 3)).toEqual([
      ['Content-Type', 'application/json'],
      ['Accept', 'application/json'],
      ['Dd-Api-Key', 'dd-key'],
    ]);
    expect(req.headers[3]![0]).toBe('User-Agent');
    expect(req.headers[3]![1]).toMatch(/^datadog-api-client-go\/2\.60\.0 \(go go1\.\d+[^;]*; os linux; arch [a-z0-9]+\)$/);
  });

  it('datadog: one attempt, no retries (providers §4.19, §7)', () => {
    const req = onlyHttp(post());
    expect(req.retry).toBe('none');
    expect(req.useProxy).toBe(true);
    expect(req.useTLS).toBe(true);
  });

  it('datadog: only scheme and host of the address are used (providers §4.19)', () => {
    expect(urlFor('https://api.us5.datadoghq.com/some/path?x=1')).toBe('https://api.us5.datadoghq.com/api/v1/events');
    expect(urlFor('http://localhost:8080')).toBe('http://localhost:8080/api/v1/events');
  });

  it('datadog: an empty address falls back to https://api.datadoghq.com (providers §4.19)', () => {
    expect(urlFor('')).toBe('https://api.datadoghq.com/api/v1/events');
  });

  it('datadog: an address without scheme has no host either, so the US site is used (providers §4.19)', () => {
    expect(urlFor('api.datadoghq.eu')).toBe('https://api.datadoghq.com/api/v1/events');
  });

  it('datadog: alert_type is error for severity error, info otherwise (providers §3.9)', () => {
    expect(payload(sampleEvent({ severity: 'error' })).alert_type).toBe('error');
    expect(payload(sampleEvent({ severity: 'trace' })).alert_type).toBe('info');
  });

  it('datadog: title keeps the case, date_happened is Unix seconds (providers §4.19)', () => {
    const p = payload();
    expect(p.title).toBe('Events from the Kustomization podinfo/flux-system');
    expect(p.date_happened).toBe(1748779200);
    expect(p.text).toBe('Applied revision: main@sha1:abc123');
  });

  it('datadog: every tag is lower-cased entirely, values included (providers §4.19)', () => {
    const p = payload(sampleEvent({ metadata: { Env: 'PROD', summary: 'Cluster: Production' } }));
    expect(p.tags.slice(5)).toEqual(['env:prod', 'summary:cluster: production']);
    expect(goToLower('ΑΣ İ')).toBe('ασ i');
  });

  it('datadog: upstream tag test (datadog_test.go)', () => {
    const p = payload(
      sampleEvent({
        involvedObject: { kind: 'GitRepository', namespace: 'gitops-system', name: 'webapp' },
        reason: 'reason',
        metadata: { test: 'metadata' },
        reportingController: 'source-controller',
      }),
    );
    expect(p.tags).toEqual([
      'flux_reporting_controller:source-controller',
      'flux_reason:reason',
      'kube_kind:gitrepository',
      'kube_name:webapp',
      'kube_namespace:gitops-system',
      'test:metadata',
    ]);
  });

  it('datadog: status 300 and above fails with the status line (providers §4.19)', () => {
    expect(errorText(post({}, sampleEvent(), [reply(403, '{"errors":["Forbidden"]}')]))).toBe(
      'failed to post event to DataDog: 403 Forbidden',
    );
    expect(errorText(post({}, sampleEvent(), [reply(503, '')]))).toBe('failed to post event to DataDog: 503 Service Unavailable');
  });

  it('datadog: a 2xx with an empty body is success (providers §4.19)', () => {
    expect(post({}, sampleEvent(), [reply(202, '')]).outcome).toEqual({ sent: true });
  });

  it('datadog: a 2xx whose body is not JSON fails with the decoder error (providers §4.19)', () => {
    expect(errorText(post({}, sampleEvent(), [reply(200, '<html>ok</html>')]))).toBe(
      "failed to post event to DataDog: invalid character '<' looking for beginning of value",
    );
  });

  it('datadog: Go encoding/json syntax error texts (Go decode_test vectors)', () => {
    expect(goJsonSyntaxError('{"status":"ok","event":{"id":1}}')).toBeNull();
    expect(goJsonSyntaxError(' [1, 2.5e-3, true, false, null, "a\\u00e9\\n"] ')).toBeNull();
    expect(goJsonSyntaxError('[1, 2, 3+]')).toBe("invalid character '+' after array element");
    expect(goJsonSyntaxError('{"X":12x}')).toBe("invalid character 'x' after object key:value pair");
    expect(goJsonSyntaxError('[2, 3')).toBe('unexpected end of JSON input');
    expect(goJsonSyntaxError('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(goJsonSyntaxError('{"a":1,}')).toBe("invalid character '}' looking for beginning of object key string");
    expect(goJsonSyntaxError('nul')).toBe("invalid character ' ' in literal null (expecting 'l')");
    expect(goJsonSyntaxError('{} x')).toBe("invalid character 'x' after top-level value");
    expect(goJsonSyntaxError("'a'")).toBe("invalid character '\\'' looking for beginning of value");
  });

  it('datadog: a transport failure is prefixed like any library error (providers §4.19)', () => {
    const conv = provider.create(options({ url: '', token: 'k' })).post(sampleEvent());
    conv.next();
    const cause = 'Post "https://api.datadoghq.com/api/v1/events": dial tcp: lookup api.datadoghq.com: no such host';
    expect(() => conv.throw(new Error(cause))).toThrow(`failed to post event to DataDog: ${cause}`);
  });

  it('datadog: factory errors, token checked first (datadog_test.go, providers §4.19)', () => {
    expect(() => provider.create(options({ url: 'https://bad url :)', token: '' }))).toThrow(/^token cannot be empty$/);
    expect(() => provider.create(options({ url: 'https://bad url :)', token: 'k' }))).toThrow(
      `failed to parse address "https://bad url :)": parse "https://bad url :)": invalid port ":)" after host`,
    );
    expect(() => provider.create(options({ url: 'https://api.datadoghq.com', token: 'k', proxyURL: 'http://[::1' }))).toThrow(
      `failed to parse proxy URL "http://[::1": parse "http://[::1": missing ']' in host`,
    );
  });
});
