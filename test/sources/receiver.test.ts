import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/flux/catalog.js';
import { RateLimiter } from '../../src/flux/ratelimit.js';
import { Pipeline, type ProcessedEvent } from '../../src/runner/pipeline.js';
import { MAX_REQUEST_BYTES, parseListenAddress, startReceiver, type RunningReceiver } from '../../src/sources/receiver.js';
import { alert, acceptAll, event, provider } from '../flux/build.js';

let rx: RunningReceiver;
const seen: ProcessedEvent[] = [];
let clock = Date.UTC(2026, 0, 1, 10, 0, 0);

beforeAll(async () => {
  const catalog = new Catalog({ alerts: [alert('flux-system', 'a')], providers: [provider('flux-system', 'slack')], secrets: [], others: [] });
  const pipeline = new Pipeline(catalog, new RateLimiter(5 * 60_000), { noCrossNamespaceRefs: false, objectLevelWorkloadIdentity: false, createNotifier: acceptAll });
  rx = await startReceiver('127.0.0.1:0', { pipeline, now: () => clock, onEvent: (p) => seen.push(p) });
});
afterAll(() => rx.close());

const post = (body: string, method = 'POST', path = '') => fetch(rx.url + path, { method, body });

describe('receive: the event endpoint (spec §2)', () => {
  it('§8.27 every accepted event gets 202, matched or not, whatever the method and path', async () => {
    const matched = await post(JSON.stringify(event()));
    expect(matched.status).toBe(202);
    expect(await matched.text()).toBe('');
    expect(matched.headers.get('x-ratelimit-limit')).toBe('1');
    const unmatched = await post(JSON.stringify(event({ message: 'other', involvedObject: { kind: 'GitRepository', namespace: 'x', name: 'y' } })), 'PUT', 'any/path');
    expect(unmatched.status).toBe(202);
    expect(seen.at(-1)!.decision!.alerts[0]!.outcome).toBe('not-matched');
  });

  it('§2.5 a duplicate within the window gets 429 "Too Many Requests" with upstream headers', async () => {
    const body = JSON.stringify(event({ message: 'dup' }));
    expect((await post(body)).status).toBe(202);
    clock += 1000;
    const r = await post(body);
    expect(r.status).toBe(429);
    expect(await r.text()).toBe('Too Many Requests\n');
    expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(r.headers.get('retry-after')).toBe('Thu, 01 Jan 2026 10:05:00 UTC');
    expect(seen.at(-1)!.rateLimited).toBe(true);
    expect(seen.at(-1)!.decision).toBeUndefined();
  });

  it('§2.3 an undecodable body, an empty body and a bad timestamp get 400', async () => {
    expect((await post('{nope')).status).toBe(400);
    expect((await post('')).status).toBe(400);
    expect((await post('{"timestamp":""}')).status).toBe(400);
    expect((await post('{"metadata":{"a":1}}')).status).toBe(400);
  });

  it('§2.3 a null body is processed as the empty event', async () => {
    expect((await post('null')).status).toBe(202);
  });

  it('§8.26 a body of exactly 3 MiB is accepted; 3 MiB + 1 byte gets 413 without decoding', async () => {
    const base = JSON.stringify(event({ message: 'big' }));
    // pad with whitespace so the JSON stays valid and the size is exactly the limit
    const body = base + ' '.repeat(MAX_REQUEST_BYTES - Buffer.byteLength(base));
    expect(Buffer.byteLength(body)).toBe(MAX_REQUEST_BYTES);
    expect((await post(body)).status).toBe(202);
    expect((await post(body + ' ')).status).toBe(413);
    expect((await post('x'.repeat(MAX_REQUEST_BYTES + 1))).status).toBe(413);
  });

  it('listen addresses are parsed like Go: ":9090", "127.0.0.1:0", "[::1]:8080"', () => {
    expect(parseListenAddress(':9090')).toEqual({ host: '0.0.0.0', port: 9090 });
    expect(parseListenAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListenAddress('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(() => parseListenAddress('nope')).toThrow(/invalid listen address/);
  });
});
