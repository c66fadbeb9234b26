// Mock mode's network: msw intercepts the global fetch and node:http(s), every provider endpoint
// is answered by a mock, the allowed hosts (loopback, the cluster's API server) pass through, and
// anything else fails with msw's unhandled-request error before a socket is opened.
//
// Two msw 2.15 traps shape this module:
// - a handler whose resolver returns nothing lets the request through to the network, so every
//   mock matches with a predicate and always answers (see common.ts `endpoint`);
// - in the callback form of `onUnhandledRequest`, `print.error()` only prints: the request still
//   goes out. So the strategy stays the string 'error', and the allowed hosts are explicit
//   passthrough handlers instead of exceptions in a callback.

import { http, passthrough, type HttpHandler } from 'msw';
import type { SetupServer } from 'msw/node';
import { alertmanagerHandlers } from './alertmanager.js';
import { captureHandlers } from './capture.js';
import type { MockContext } from './common.js';
import { discordHandlers } from './discord.js';
import { genericHandlers } from './generic.js';
import { githubHandlers } from './github.js';
import { gitlabHandlers } from './gitlab.js';
import { googleChatHandlers } from './googlechat.js';
import { slackHandlers } from './slack.js';
import type { MockState, ProviderAddress } from './state.js';
import { teamsHandlers } from './teams.js';

export interface MockServerOptions {
  /**
   * Hosts let through to the real network: `host` (any port) or `host:port`. Meant for the
   * cluster's API server; a request there opens a real connection.
   */
  allowHosts?: string[];
  /** Let loopback addresses (localhost, 127.0.0.0/8, ::1) through; default true. */
  allowLoopback?: boolean;
  /** Provider addresses whose hosts the mocks capture (the runner passes the loaded Providers'). */
  providerAddresses?: Array<string | ProviderAddress>;
}

export interface MockServer {
  readonly state: MockState;
  /** Captures one more Provider address (Providers can be added while a run goes on). */
  addProviderAddress(a: string | ProviderAddress): void;
  /** Releases held requests and stops intercepting. */
  stop(): Promise<void>;
}

let active: SetupServer | undefined;

export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '::ffff:127.0.0.1';
}

export function isAllowed(url: URL, opts: MockServerOptions): boolean {
  if ((opts.allowLoopback ?? true) && isLoopback(url.hostname)) return true;
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
  return (opts.allowHosts ?? []).some((a) => {
    const want = a.toLowerCase();
    return want === hostname || want === host || want === `${hostname}:${port}`;
  });
}

/** Every mock's handlers, in the order they claim requests (service hosts before captures). */
export function mockHandlers(ctx: MockContext): HttpHandler[] {
  return [
    ...slackHandlers(ctx),
    ...teamsHandlers(ctx),
    ...discordHandlers(ctx),
    ...googleChatHandlers(ctx),
    ...githubHandlers(ctx),
    ...gitlabHandlers(ctx),
    ...alertmanagerHandlers(ctx),
    ...genericHandlers(ctx),
    ...captureHandlers(ctx),
  ];
}

/**
 * Starts intercepting. Only one mock server may run in a process (msw patches globals); a second
 * start before stop() throws.
 */
export async function startMockServer(state: MockState, opts: MockServerOptions = {}): Promise<MockServer> {
  if (active) throw new Error('a mock server is already running in this process; stop it first');
  // Loaded only when mock mode starts (stack.md: the import costs about 0.2 s).
  const { setupServer } = await import('msw/node');
  for (const a of opts.providerAddresses ?? []) state.addProviderAddress(a);

  const held = new Set<() => void>();
  const ctx: MockContext = {
    state,
    hold: (signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        const done = () => {
          held.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        held.add(done);
        signal.addEventListener('abort', done, { once: true });
      }),
  };
  const letThrough = http.all(({ request }) => isAllowed(new URL(request.url), opts), () => passthrough());
  const server = setupServer(...mockHandlers(ctx), letThrough);
  server.listen({ onUnhandledRequest: 'error' });
  active = server;
  return {
    state,
    addProviderAddress: (a) => state.addProviderAddress(a),
    stop: async () => {
      for (const release of [...held]) release();
      server.close();
      if (active === server) active = undefined;
    },
  };
}
