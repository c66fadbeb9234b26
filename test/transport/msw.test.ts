// Mock mode relies on msw intercepting the transport: deliver must call the global fetch at call
// time (stack.md §3). The deliver module is imported before msw starts, as in the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Conversation } from '../../src/providers/types.js';
import { send, sharedPost } from '../../src/providers/sender.js';
import { DispatcherCache } from '../../src/transport/dispatcher.js';
import { deliver } from '../../src/transport/deliver.js';
import { fakeClock, startHttp } from './helpers.js';

const seen: Array<{ url: string; body: string; contentType: string | null; ua: string | null }> = [];
const server = setupServer(
  http.post('http://127.0.0.1:18080/mock-hook', async ({ request }) => {
    seen.push({
      url: request.url,
      body: await request.text(),
      contentType: request.headers.get('content-type'),
      ua: request.headers.get('user-agent'),
    });
    return HttpResponse.json({ via: 'msw' }, { status: 202 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

function* post(url: string): Conversation {
  const reply = yield* send(sharedPost(url, { text: 'hello' }));
  return { sent: true, note: reply.body };
}

describe('mock mode (msw intercepts the transport)', () => {
  it('msw: a delivery through a TLS/proxy dispatcher is answered by the msw handler, not the network', async () => {
    const real = await startHttp((_r, res) => res.end('real'));
    const cache = new DispatcherCache();
    try {
      const r = await deliver(post('http://127.0.0.1:18080/mock-hook'), {
        dispatchers: cache,
        env: {},
        proxyURL: real.origin, // a real proxy that must not be reached
        tls: { ca: 'not used' },
      });
      expect(r.error).toBeUndefined();
      expect(r.outcome).toEqual({ sent: true, note: '{"via":"msw"}' });
      expect(seen).toEqual([
        { url: 'http://127.0.0.1:18080/mock-hook', body: '{"text":"hello"}', contentType: 'application/json', ua: 'Go-http-client/1.1' },
      ]);
      expect(real.log).toHaveLength(0);
    } finally {
      await cache.close();
      await real.close();
    }
  });

  it('msw: an unmocked request fails instead of reaching the network', async () => {
    const cache = new DispatcherCache();
    const r = await deliver(post('http://127.0.0.1:18081/unmocked'), { dispatchers: cache, env: {}, timeoutMs: 60_000, clock: fakeClock().clock });
    await cache.close();
    expect(r.outcome).toBeUndefined();
    expect(r.error).toMatch(
      /^postMessage failed: failed to execute request: POST http:\/\/127\.0\.0\.1:18081\/unmocked giving up after 5 attempt\(s\): Post "http:\/\/127\.0\.0\.1:18081\/unmocked": .*\[MSW\]/,
    );
  });
});
