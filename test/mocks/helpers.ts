// Shared by the mock tests: start the mock server around a suite, build a notifier with the
// registry, and deliver its conversation through the real transport (msw answering), on a
// virtual clock so retries do not wait.

import { afterAll, afterEach, beforeAll } from 'vitest';
import type { FluxEvent } from '../../src/flux/types.js';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import { send, sharedPost } from '../../src/providers/sender.js';
import type { Conversation, NotifierOptions, PlannedHttpRequest } from '../../src/providers/types.js';
import { DispatcherCache } from '../../src/transport/dispatcher.js';
import { deliver, type DeliverContext, type DeliveryRecord } from '../../src/transport/deliver.js';
import { startMockServer, type MockServer, type MockServerOptions } from '../../mocks/server.js';
import { MockState, type MockConfig, type OutboxEntry } from '../../mocks/state.js';
import { fakeClock } from '../transport/helpers.js';
import { options, sampleEvent } from '../providers/drive.js';

export { options, sampleEvent };

/** The Provider UID of providers §1.2 and the commit status ID it yields (§1.3). */
export const PROVIDER_UID = '0c9c2e41-d2f9-4f9b-9c41-bebc1984d67a';
export const STATUS_ID = 'kustomization/podinfo/0c9c2e41';
export const SHA = 'abc123def4567890abc123def4567890abc123de';

/** Variant G of providers §1.4: a commit-status update with a full SHA. */
export function variantG(o: Partial<FluxEvent> = {}): FluxEvent {
  return sampleEvent({
    metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' },
    ...o,
  });
}

export interface Suite {
  state: MockState;
  server: MockServer;
  clock: ReturnType<typeof fakeClock>;
  /** Builds the provider with the registry and delivers its conversation for the event. */
  post(type: string, o: Partial<NotifierOptions>, e?: FluxEvent, ctx?: DeliverContext): Promise<DeliveryRecord>;
  /** Delivers a hand-written request (a wrong payload) with the shared sender's check. */
  postRaw(url: string, body: string, o?: { contentType?: string; headers?: Array<[string, string]>; retry?: PlannedHttpRequest['retry'] }): Promise<DeliveryRecord>;
  drive(conv: Conversation, ctx?: DeliverContext): Promise<DeliveryRecord>;
  /** The outbox entries recorded during the last post/postRaw/drive. */
  last(): OutboxEntry[];
}

/**
 * Registers beforeAll/afterAll/afterEach for a suite with a fresh MockState per test (the
 * config is re-applied), so no test sees another's statuses or faults.
 */
export function mockSuite(config: () => MockConfig = () => ({}), opts: MockServerOptions = {}): Suite {
  const dispatchers = new DispatcherCache();
  const suite = { mark: 0 } as Suite & { mark: number };
  let state = new MockState(config());
  // The server reads the state through this proxy so each test can swap in a fresh one.
  const proxy = new Proxy({} as MockState, {
    get: (_t, p) => {
      const v = (state as unknown as Record<string | symbol, unknown>)[p];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(state) : v;
    },
  });
  beforeAll(async () => {
    suite.server = await startMockServer(proxy, { allowLoopback: false, ...opts });
  });
  afterEach(() => {
    state = new MockState(config());
    for (const a of opts.providerAddresses ?? []) state.addProviderAddress(a);
    suite.state = state;
    suite.clock = fakeClock();
  });
  afterAll(async () => {
    await suite.server.stop();
    await dispatchers.close();
  });
  suite.state = state;
  suite.clock = fakeClock();
  const run = async (conv: Conversation, ctx: DeliverContext = {}) => {
    suite.mark = suite.state.lastId();
    return deliver(conv, { dispatchers, env: {}, clock: suite.clock.clock, ...ctx });
  };
  suite.drive = run;
  suite.post = (type, o, e = sampleEvent(), ctx = {}) => run(createNotifierFromRegistry(type, options(o)).post(e), ctx);
  suite.postRaw = (url, body, o = {}) => {
    const req = sharedPost(url, null, { raw: { body, contentType: o.contentType ?? 'application/json' }, extraHeaders: o.headers ?? [] });
    if (o.retry) req.retry = o.retry;
    return run(
      (function* () {
        yield* send(req);
        return { sent: true };
      })(),
    );
  };
  suite.last = () => suite.state.since(suite.mark);
  return suite;
}

/** The only outbox entry of the last delivery (fails otherwise). */
export function only(entries: OutboxEntry[]): OutboxEntry {
  if (entries.length !== 1) throw new Error(`expected one outbox entry, got ${entries.length}: ${entries.map((e) => `${e.method} ${e.url} ${e.status}`).join(', ')}`);
  return entries[0]!;
}
