// Mock mode opens no socket beyond the allowed hosts: a request to an unmocked host fails with
// msw's unhandled-request error before any connection attempt. Sockets are watched through the
// diagnostics channels Node's HTTP stacks publish on (undici's connect, net's client socket); a
// control test shows the watch does see a real attempt, so these tests fail if the guarantee
// breaks.

import dc from 'node:diagnostics_channel';
import https from 'node:https';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import { DispatcherCache } from '../../src/transport/dispatcher.js';
import { deliver } from '../../src/transport/deliver.js';
import { startMockServer, type MockServer } from '../../mocks/server.js';
import { MockState } from '../../mocks/state.js';
import { closedPort, fakeClock, startHttp } from '../transport/helpers.js';
import { options, sampleEvent } from '../providers/drive.js';

const CHANNELS = ['net.client.socket', 'undici:client:beforeConnect'];
const MSW_ERROR = '[MSW] Cannot bypass a request when using the "error" strategy for the "onUnhandledRequest" option.';

let connects: string[] = [];
const watch = (_m: unknown, name: string | symbol) => connects.push(String(name));
let server: MockServer | undefined;

beforeEach(() => {
  connects = [];
  for (const c of CHANNELS) dc.subscribe(c, watch);
});
afterEach(async () => {
  for (const c of CHANNELS) dc.unsubscribe(c, watch);
  await server?.stop();
  server = undefined;
});

async function fetchError(url: string): Promise<unknown> {
  try {
    await globalThis.fetch(url);
  } catch (err) {
    return err;
  }
  throw new Error(`${url} answered`);
}

function httpsGetError(url: string): Promise<Error> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, (res) => {
      res.resume();
      reject(new Error(`answered ${res.statusCode}`));
    });
    req.on('error', resolve);
  });
}

describe('mock mode network guarantee', () => {
  it('control: without the mock server, a fetch to a loopback port is seen opening a socket', async () => {
    const port = await closedPort();
    const err = await fetchError(`http://127.0.0.1:${port}/`);
    expect((err as Error).message).toBe('fetch failed');
    expect(connects).toContain('undici:client:beforeConnect');
    expect(connects).toContain('net.client.socket');
  });

  it('mock mode: a fetch to an unmocked public host fails with the msw error and opens no socket', async () => {
    server = await startMockServer(new MockState(), { allowLoopback: true });
    const err = await fetchError('https://flux-unmocked.example.com/hook');
    expect((err as Error).name).toBe('InternalError');
    expect((err as Error).message).toBe(MSW_ERROR);
    expect(connects).toEqual([]);
  });

  it('mock mode: node:https (the Kubernetes client path) to an unmocked host fails the same way, no socket', async () => {
    server = await startMockServer(new MockState());
    const err = await httpsGetError('https://flux-unmocked.example.com/api');
    expect(err.message).toBe(MSW_ERROR);
    expect(connects).toEqual([]);
  });

  it('mock mode: a provider sending to an unmocked host fails its delivery with the msw error, nothing recorded', async () => {
    const state = new MockState();
    server = await startMockServer(state);
    const cache = new DispatcherCache();
    const r = await deliver(createNotifierFromRegistry('generic', options({ url: 'https://not-a-provider-address.example/x' })).post(sampleEvent()), {
      dispatchers: cache,
      env: {},
      // Long enough for every retry to run, so the last attempt's cause is in the error.
      timeoutMs: 60_000,
      clock: fakeClock().clock,
    });
    await cache.close();
    expect(r.error).toMatch(/^postMessage failed: failed to execute request: POST https:\/\/not-a-provider-address\.example\/x giving up after 5 attempt\(s\): .*\[MSW\]/);
    expect(state.outbox()).toEqual([]);
    expect(connects).toEqual([]);
  });

  it('mock mode: a mocked provider host is answered without a socket', async () => {
    const state = new MockState();
    server = await startMockServer(state);
    const res = await globalThis.fetch('https://hooks.slack.com/services/T/B/X', { method: 'POST', body: '{"text":"hi"}' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(state.outbox()).toHaveLength(1);
    expect(connects).toEqual([]);
  });

  it('mock mode: an unmocked loopback server is not reachable when loopback is not allowed', async () => {
    const real = await startHttp((_r, res) => res.end('real'));
    try {
      server = await startMockServer(new MockState(), { allowLoopback: false });
      const err = await fetchError(`${real.origin}/x`);
      expect((err as Error).message).toBe(MSW_ERROR);
      expect(real.log).toHaveLength(0);
      expect(connects).toEqual([]);
    } finally {
      await real.close();
    }
  });

  it('mock mode: the same loopback server is reachable when loopback is allowed', async () => {
    const real = await startHttp((_r, res) => res.end('real'));
    try {
      server = await startMockServer(new MockState(), { allowLoopback: true });
      const res = await globalThis.fetch(`${real.origin}/x`);
      expect(await res.text()).toBe('real');
      expect(real.log).toHaveLength(1);
      expect(connects).toContain('net.client.socket');
    } finally {
      await real.close();
    }
  });

  it('mock mode: an allowed host:port (the cluster API server) passes, another port of the same host does not', async () => {
    const api = await startHttp((_r, res) => res.end('{"kind":"EventList"}'));
    const other = await startHttp((_r, res) => res.end('other'));
    try {
      server = await startMockServer(new MockState(), { allowLoopback: false, allowHosts: [`127.0.0.1:${api.port}`] });
      const res = await globalThis.fetch(`${api.origin}/api/v1/events`);
      expect(await res.text()).toBe('{"kind":"EventList"}');
      const err = await fetchError(`${other.origin}/`);
      expect((err as Error).message).toBe(MSW_ERROR);
      expect(other.log).toHaveLength(0);
    } finally {
      await api.close();
      await other.close();
    }
  });

  it('mock mode: a provider address on loopback is captured by the mock, not passed through, even with loopback allowed', async () => {
    const real = await startHttp((_r, res) => res.end('real'));
    try {
      const state = new MockState();
      server = await startMockServer(state, { allowLoopback: true, providerAddresses: [{ address: `${real.origin}/hook`, type: 'generic' }] });
      const res = await globalThis.fetch(`${real.origin}/hook`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(200);
      expect(real.log).toHaveLength(0);
      expect(state.outbox()[0]).toMatchObject({ service: 'generic', status: 200 });
    } finally {
      await real.close();
    }
  });

  it('mock mode: only one mock server may run at a time', async () => {
    server = await startMockServer(new MockState());
    await expect(startMockServer(new MockState())).rejects.toThrow('a mock server is already running in this process; stop it first');
  });
});
