import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import type { Conversation, HttpReply, PlannedHttpRequest, PlannedMessage } from '../../src/providers/types.js';
import { NotifierError } from '../../src/providers/types.js';
import { send as sendShared, sharedPost } from '../../src/providers/sender.js';
import { DispatcherCache } from '../../src/transport/dispatcher.js';
import { deliver, type DeliverContext } from '../../src/transport/deliver.js';
import { TransportError } from '../../src/transport/errors.js';
import { closedPort, fakeClock, startHttp, type Recorded } from './helpers.js';

const toClose: Array<{ close(): Promise<void> }> = [];
let cache: DispatcherCache;
afterEach(async () => {
  await cache?.close();
  while (toClose.length) await toClose.pop()!.close();
});

/** A server answering with the scripted statuses in turn (the last one repeats). */
async function scripted(steps: Array<{ status: number; headers?: Record<string, string>; body?: string } | 'hang'>) {
  let i = 0;
  const srv = await startHttp((_req: Recorded, res: ServerResponse) => {
    const step = steps[Math.min(i++, steps.length - 1)]!;
    if (step === 'hang') return; // never answers
    res.writeHead(step.status, { 'content-type': 'text/plain', ...step.headers });
    res.end(step.body ?? '');
  });
  toClose.push(srv);
  return srv;
}

/**
 * The shared sender's conversation (providers §3.4): one POST, judged by the default validator;
 * like most notifiers it wraps failures as `postMessage failed: …`.
 */
function* sharedSender(url: string, payload: unknown): Conversation {
  yield* sendShared(sharedPost(url, payload));
  return { sent: true };
}

function ctx(extra: DeliverContext = {}): DeliverContext {
  cache = new DispatcherCache();
  return { dispatchers: cache, env: {}, ...extra };
}

describe('deliver over real loopback servers (providers §3.4)', () => {
  it('deliver: a 500 is retried after 2s and the following 200 succeeds', async () => {
    const srv = await scripted([{ status: 500, body: 'boom' }, { status: 200, body: 'ok' }]);
    const fc = fakeClock();
    const r = await deliver(sharedSender(`${srv.origin}/hook`, { text: 'hi' }), ctx({ clock: fc.clock }));
    expect(r.error).toBeUndefined();
    expect(r.outcome).toEqual({ sent: true });
    expect(srv.log).toHaveLength(2);
    expect(fc.sleeps).toEqual([2000]);
    expect(r.exchanges).toHaveLength(1);
    expect(r.exchanges[0]).toMatchObject({ attempts: 2, reply: { status: 200, body: 'ok' } });
    expect(r.exchanges[0]!.log.map((a) => [a.status, a.waitMs])).toEqual([[500, 2000], [200, undefined]]);
  });

  it('deliver: 429 with Retry-After waits the given seconds instead of the back-off', async () => {
    const srv = await scripted([{ status: 429, headers: { 'Retry-After': '1' } }, { status: 204 }]);
    const fc = fakeClock();
    const r = await deliver(sharedSender(`${srv.origin}/hook`, {}), ctx({ clock: fc.clock }));
    expect(r.outcome).toEqual({ sent: true });
    expect(fc.sleeps).toEqual([1000]);
    expect(srv.log).toHaveLength(2);
  });

  it('deliver: 501 is not retried; the notifier reports the status and body', async () => {
    const srv = await scripted([{ status: 501, body: 'not implemented' }]);
    const fc = fakeClock();
    const r = await deliver(sharedSender(`${srv.origin}/hook`, {}), ctx({ clock: fc.clock }));
    expect(srv.log).toHaveLength(1);
    expect(fc.sleeps).toEqual([]);
    expect(r.error).toBe('postMessage failed: request failed: request failed with status code 501: not implemented');
    expect(r.errorKind).toBeUndefined();
  });

  it('deliver: retries running out on 5xx give "giving up after 5 attempt(s)"', async () => {
    const srv = await scripted([{ status: 503 }]);
    const fc = fakeClock();
    const r = await deliver(sharedSender(`${srv.origin}/hook`, {}), ctx({ clock: fc.clock, timeoutMs: 120_000 }));
    expect(srv.log).toHaveLength(5);
    expect(fc.sleeps).toEqual([2000, 4000, 8000, 16000]);
    expect(r.error).toBe(`postMessage failed: failed to execute request: POST ${srv.origin}/hook giving up after 5 attempt(s)`);
    expect(r.errorKind).toBe('exhausted');
  });

  it('deliver: with the default 15s timeout a failing server sees 4 attempts, then a context deadline', async () => {
    const srv = await scripted([{ status: 500 }]);
    const fc = fakeClock();
    const r = await deliver(sharedSender(`${srv.origin}/hook`, {}), ctx({ clock: fc.clock }));
    expect(srv.log).toHaveLength(4);
    expect(r.error).toBe('postMessage failed: failed to execute request: context deadline exceeded');
    expect(r.errorKind).toBe('deadline');
  });

  it('deliver: a server that never answers is cut off by the provider timeout', async () => {
    const srv = await scripted(['hang']);
    const t0 = Date.now();
    const r = await deliver(sharedSender(`${srv.origin}/hook`, {}), ctx({ timeoutMs: 300 }));
    const took = Date.now() - t0;
    expect(r.error).toBe(
      `postMessage failed: failed to execute request: POST ${srv.origin}/hook giving up after 1 attempt(s): context deadline exceeded`,
    );
    expect(r.errorKind).toBe('deadline');
    expect(srv.log).toHaveLength(1);
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(5000);
  });

  it('deliver: a reply whose body stalls after the headers is cut off by the provider timeout too (the deadline aborts the connection)', async () => {
    const srv = await startHttp((_req: Recorded, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('partial'); // and nothing more
    });
    toClose.push(srv);
    const t0 = Date.now();
    const r = await deliver(sharedSender(`${srv.origin}/hook`, {}), ctx({ timeoutMs: 300 }));
    expect(r.error).toBe(
      `postMessage failed: failed to execute request: POST ${srv.origin}/hook giving up after 1 attempt(s): context deadline exceeded`,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('deliver: a cancelled parent (Go: context canceled) aborts the request in flight', async () => {
    const srv = await scripted(['hang']);
    const parent = new AbortController();
    setTimeout(() => parent.abort(), 200);
    const t0 = Date.now();
    const r = await deliver(sharedSender(`${srv.origin}/hook`, {}), ctx({ timeoutMs: 60_000, signal: parent.signal }));
    expect(r.error).toBe(`postMessage failed: failed to execute request: POST ${srv.origin}/hook giving up after 1 attempt(s): context canceled`);
    expect(r.errorKind).toBe('canceled');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('§8.43 deliver: a 0s timeout fails at once with a context deadline, without contacting the server (spec §6.5)', async () => {
    const srv = await scripted([{ status: 200 }]);
    const r = await deliver(sharedSender(`${srv.origin}/hook`, {}), ctx({ timeoutMs: 0 }));
    expect(r.error).toBe(
      `postMessage failed: failed to execute request: POST ${srv.origin}/hook giving up after 1 attempt(s): context deadline exceeded`,
    );
    expect(r.errorKind).toBe('deadline');
    expect(srv.log).toHaveLength(0);
  });

  it('deliver: connection errors are retried and reported like net/http', async () => {
    const port = await closedPort();
    const fc = fakeClock();
    const url = `http://127.0.0.1:${port}/hook`;
    const r = await deliver(sharedSender(url, {}), ctx({ clock: fc.clock, timeoutMs: 60_000 }));
    expect(r.exchanges[0]!.attempts).toBe(5);
    expect(r.error).toBe(
      `postMessage failed: failed to execute request: POST ${url} giving up after 5 attempt(s): ` +
        `Post "${url}": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
    expect(r.errorKind).toBe('transport');
  });

  it('deliver: an external cancel reads as context canceled', async () => {
    const srv = await scripted(['hang']);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await deliver(sharedSender(`${srv.origin}/hook`, {}), ctx({ signal: ac.signal }));
    expect(r.error).toBe(`postMessage failed: failed to execute request: POST ${srv.origin}/hook giving up after 1 attempt(s): context canceled`);
    expect(r.errorKind).toBe('canceled');
  });
});

describe('deliver: what goes on the wire', () => {
  it('wire: body bytes, notifier headers and Go\'s transport defaults (User-Agent, Accept-Encoding; providers §3.3)', async () => {
    const srv = await scripted([{ status: 200 }]);
    const r = await deliver(sharedSender(`${srv.origin}/hook`, { text: 'a<b' }), ctx());
    expect(r.outcome).toEqual({ sent: true });
    const got = srv.log[0]!;
    expect(got.method).toBe('POST');
    expect(got.body).toBe('{"text":"a\\u003cb"}');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe('Go-http-client/1.1');
    expect(got.headers['accept-encoding']).toBe('gzip');
    expect(got.headers['content-length']).toBe(String(Buffer.byteLength('{"text":"a\\u003cb"}')));
  });

  it('wire: a string body without Content-Type gets none (fetch would add text/plain)', async () => {
    const srv = await scripted([{ status: 200 }]);
    const req: PlannedHttpRequest = {
      kind: 'http', method: 'POST', url: `${srv.origin}/x`, headers: [], body: 'raw', retry: 'none', useProxy: true, useTLS: true,
    };
    await deliver((function* (): Conversation { yield req; return { sent: true }; })(), ctx());
    expect(srv.log[0]!.headers['content-type']).toBeUndefined();
    expect(srv.log[0]!.body).toBe('raw');
  });

  it('wire: a library User-Agent is kept; binary bodies are sent as is', async () => {
    const srv = await scripted([{ status: 200 }]);
    const req: PlannedHttpRequest = {
      kind: 'http', method: 'POST', url: `${srv.origin}/x`, headers: [['User-Agent', 'go-github/v64.0.0']],
      body: Uint8Array.from([0x0a, 0x03, 0x61, 0x62, 0x63]), retry: 'none', useProxy: true, useTLS: true,
    };
    await deliver((function* (): Conversation { yield req; return { sent: true }; })(), ctx());
    expect(srv.log[0]!.headers['user-agent']).toBe('go-github/v64.0.0');
    expect(Buffer.from(srv.log[0]!.body, 'utf8')).toEqual(Buffer.from([0x0a, 0x03, 0x61, 0x62, 0x63]));
  });

  it('wire: URL user-info becomes Basic auth, as Go\'s client does (spec vector user/password)', async () => {
    const srv = await scripted([{ status: 200 }]);
    const url = `http://user:password@127.0.0.1:${srv.port}/hook`;
    const r = await deliver(sharedSender(url, {}), ctx());
    expect(r.outcome).toEqual({ sent: true });
    expect(srv.log[0]!.headers.authorization).toBe('Basic dXNlcjpwYXNzd29yZA==');
  });

  it('wire: the reply reaches the notifier with Go canonical header names', async () => {
    const srv = await scripted([{ status: 202, headers: { 'x-request-id': 'r1' }, body: '{"ok":true}' }]);
    let seen: HttpReply | undefined;
    const req = sharedPost(`${srv.origin}/x`, {});
    await deliver((function* (): Conversation { seen = yield req; return { sent: true }; })(), ctx());
    expect(seen).toMatchObject({ status: 202, body: '{"ok":true}', headers: { 'X-Request-Id': 'r1', 'Content-Type': 'text/plain' } });
  });

  it('wire: every request of a conversation shares one deadline and is recorded', async () => {
    const srv = await scripted([{ status: 200, body: 'a' }, { status: 201, body: 'b' }]);
    const conv = (function* (): Conversation {
      const first: HttpReply = yield { ...sharedPost(`${srv.origin}/1`, {}), preflight: true, method: 'GET', body: undefined };
      yield sharedPost(`${srv.origin}/2`, { prev: first.body });
      return { sent: true };
    })();
    const r = await deliver(conv, ctx());
    expect(r.exchanges.map((e) => e.reply?.status)).toEqual([200, 201]);
    expect(srv.log.map((l) => `${l.method} ${l.url} ${l.body}`)).toEqual(['GET /1 ', 'POST /2 {"prev":"a"}']);
  });

  it('wire: an unsupported URL scheme is not retried (Go: unsupported protocol scheme)', async () => {
    const fc = fakeClock();
    const r = await deliver(sharedSender('ftp://127.0.0.1/x', {}), ctx({ clock: fc.clock }));
    expect(r.error).toBe(
      'postMessage failed: failed to execute request: POST ftp://127.0.0.1/x giving up after 1 attempt(s): Post "ftp://127.0.0.1/x": unsupported protocol scheme "ftp"',
    );
  });

  it('wire: an invalid header value is refused before sending and not retried (Go: invalid header field value)', async () => {
    const srv = await scripted([{ status: 200 }]);
    const req = sharedPost(`${srv.origin}/x`, {}, { extraHeaders: [['X-Bad', 'a\nb']] });
    const r = await deliver((function* (): Conversation { yield req; return { sent: true }; })(), ctx());
    expect(r.error).toBe(
      `failed to execute request: POST ${srv.origin}/x giving up after 1 attempt(s): Post "${srv.origin}/x": net/http: invalid header field value for "X-Bad"`,
    );
    expect(srv.log).toHaveLength(0);
  });
});

describe('deliver: errors, masking and non-HTTP messages', () => {
  it('masking: the token in an error is masked the controller\'s way, other secrets for display', async () => {
    const port = await closedPort();
    const token = '123456:ABCdefToken';
    const url = `http://127.0.0.1:${port}/bot${token}/sendMessage?pw=hunter2`;
    const fc = fakeClock();
    const r = await deliver(sharedSender(url, {}), ctx({ clock: fc.clock, timeoutMs: 60_000, maskToken: `${token}\n`, secrets: ['hunter2'] }));
    expect(r.error).toBe(
      `postMessage failed: failed to execute request: POST http://127.0.0.1:${port}/bot*****/sendMessage?pw=***** giving up after 5 attempt(s): ` +
        `Post "http://127.0.0.1:${port}/bot*****/sendMessage?pw=*****": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
    expect(r.exchanges[0]!.error).not.toContain(token);
    expect(r.exchanges[0]!.error).not.toContain('hunter2');
  });

  it('masking: a non-UTF-8 token replaces the error with the regexp compile error (spec §6.6)', async () => {
    const srv = await scripted([{ status: 400, body: 'bad' }]);
    const r = await deliver(sharedSender(`${srv.origin}/x`, {}), ctx({ maskToken: Uint8Array.from([0x74, 0xff]) }));
    expect(r.error?.startsWith('error parsing regexp: invalid UTF-8: `')).toBe(true);
  });

  it('messages: a non-HTTP message fails by default: the transport is render-only in this tool', async () => {
    const msg: PlannedMessage = { kind: 'message', transport: 'nats', target: 'flux.events', payload: {} };
    const r = await deliver((function* (): Conversation { yield msg; return { sent: true }; })(), ctx());
    expect(r.error).toBe('nats transport is render-only in this tool: nothing was sent to flux.events');
    expect(r.errorKind).toBe('unsupported');
    expect(r.exchanges[0]).toMatchObject({ attempts: 0 });
  });

  it('messages: an injected handler delivers the message and its reply reaches the notifier', async () => {
    const msg: PlannedMessage = { kind: 'message', transport: 'nats', target: 'flux.events', payload: { a: 1 } };
    const seen: PlannedMessage[] = [];
    const r = await deliver(
      (function* (): Conversation {
        const reply: HttpReply = yield msg;
        return { sent: reply.status === 200 };
      })(),
      ctx({ onMessage: async (m) => (seen.push(m), { status: 200, headers: {}, body: '' }) }),
    );
    expect(r.outcome).toEqual({ sent: true });
    expect(seen).toEqual([msg]);
  });

  it('errors: a notifier may catch the TransportError and wrap it its own way (e.g. bitbucketserver)', async () => {
    const srv = await scripted([{ status: 500 }]);
    const fc = fakeClock();
    const conv = (function* (): Conversation {
      try {
        yield sharedPost(`${srv.origin}/x`, {});
      } catch (e) {
        if (e instanceof TransportError) {
          throw new NotifierError(`could not post build commit status: ${e.info.libraryMessage}`);
        }
        throw e;
      }
      return { sent: true };
    })();
    const r = await deliver(conv, ctx({ clock: fc.clock, timeoutMs: 60_000 }));
    expect(r.error).toBe(`could not post build commit status: POST ${srv.origin}/x giving up after 5 attempt(s)`);
  });

  it('errors: a notifier error before any request is recorded, not thrown', async () => {
    const r = await deliver((function* (): Conversation { throw new NotifierError('missing revision metadata'); })(), ctx());
    expect(r).toMatchObject({ error: 'missing revision metadata', exchanges: [] });
  });

  it('errors: a deliberate skip is an outcome with nothing sent', async () => {
    const r = await deliver((function* (): Conversation { return { sent: false, note: 'Progressing' }; })(), ctx());
    expect(r).toMatchObject({ outcome: { sent: false, note: 'Progressing' }, exchanges: [] });
  });

  it('progress: onExchange is called after each exchange', async () => {
    const srv = await scripted([{ status: 200 }]);
    const seen: number[] = [];
    await deliver(sharedSender(`${srv.origin}/x`, {}), ctx({ onExchange: (e) => seen.push(e.reply?.status ?? -1) }));
    expect(seen).toEqual([200]);
  });
});
