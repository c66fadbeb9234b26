// Keeps a test on loopback: every outgoing TCP/TLS connect goes through net.Socket#connect, which
// is wrapped to record the target and to refuse anything but 127.0.0.1 / ::1 / localhost (the
// socket fails with an error instead of dialing). Client libraries that probe the network on
// their own (e.g. Google's GCE metadata server lookups) are caught this way.

import net from 'node:net';
import { afterEach, beforeEach, expect } from 'vitest';

export interface LoopbackGuard {
  /** `host:port` of every connect attempt, in order. */
  attempts: string[];
  /** The attempts that were refused (not loopback). */
  refused: string[];
  restore(): void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

function targetOf(args: unknown[]): { host: string; port: string } | { path: string } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first && typeof first === 'object') {
    const o = first as { host?: string; hostname?: string; port?: number | string; path?: string };
    if (o.path !== undefined) return { path: o.path };
    // net dials `host`; `hostname` may be an unrelated field (rhea's AMQP hostname, http's URL parts).
    return { host: o.host ?? o.hostname ?? 'localhost', port: String(o.port ?? '') };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const second = Array.isArray(args[0]) ? (args[0] as unknown[])[1] : args[1];
    return { host: typeof second === 'string' ? second : 'localhost', port: String(first) };
  }
  if (typeof first === 'string') return { path: first };
  return { host: '?', port: '' };
}

export function guardLoopback(): LoopbackGuard {
  const proto = net.Socket.prototype as unknown as { connect: (...a: unknown[]) => unknown };
  const original = proto.connect;
  const guard: LoopbackGuard = {
    attempts: [],
    refused: [],
    restore: () => {
      proto.connect = original;
    },
  };
  proto.connect = function (this: net.Socket, ...args: unknown[]) {
    const t = targetOf(args);
    if ('path' in t) {
      // A Unix socket is local by definition.
      guard.attempts.push(`unix:${t.path}`);
      return original.apply(this, args);
    }
    const where = `${t.host}:${t.port}`;
    guard.attempts.push(where);
    if (!LOOPBACK.has(t.host.replace(/^\[|\]$/g, '').replace(/\.$/, ''))) {
      guard.refused.push(where);
      process.nextTick(() => this.destroy(new Error(`loopback guard: refused a connection to ${where}`)));
      return this;
    }
    return original.apply(this, args);
  };
  return guard;
}

/**
 * Guards every test of the file: the guard is set before each test, and after it the servers in
 * `open` are closed and the test fails if anything but loopback was dialled.
 */
export function guardEachTest(open: Array<{ close(): Promise<void> }>): { readonly attempts: string[] } {
  let guard: LoopbackGuard;
  beforeEach(() => {
    guard = guardLoopback();
  });
  afterEach(async () => {
    guard.restore();
    await Promise.all(open.splice(0).map((f) => f.close()));
    expect(guard.refused).toEqual([]);
  });
  // the current test's connect attempts
  return {
    get attempts() {
      return guard.attempts;
    },
  };
}
