// The non-HTTP dispatch (src/transport/messages.ts): which handler a message goes to in mock and
// real mode, and that mock mode and startup never load the Pub/Sub or Event Hubs libraries (they
// are imported only at the first real send). The loading check runs in a fresh Node process,
// because this test process may already hold the libraries.

import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PlannedMessage } from '../../src/providers/types.js';
import { messageHandlerFor } from '../../src/transport/messages.js';
import { options } from '../providers/drive.js';
import { guardLoopback } from './loopback-guard.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const message = (transport: PlannedMessage['transport'], target: string): PlannedMessage => ({
  kind: 'message',
  transport,
  target,
  payload: {},
  payloadText: '{}',
});

describe('non-HTTP dispatch: mock vs real (README: mock mode opens no socket beyond loopback)', () => {
  it('mock mode: nats, googlepubsub and azureeventhub messages are delivered to the mock without any connection', async () => {
    const guard = guardLoopback();
    try {
      const h = messageHandlerFor(options({ url: 'sb://unused', channel: 'x' }), 'mock');
      for (const t of ['nats', 'googlepubsub', 'azureeventhub'] as const) {
        await expect(h(message(t, 'somewhere.example:1'), new AbortController().signal)).resolves.toEqual({ status: 200, headers: {}, body: '' });
      }
      expect(guard.attempts).toEqual([]);
    } finally {
      guard.restore();
    }
  });

  it('real mode: an azureeventhub message reaches the Event Hubs handler (workload identity is refused there, before any dial)', async () => {
    const guard = guardLoopback();
    try {
      const h = messageHandlerFor(options({ url: 'hub', channel: 'ns' }), 'real');
      await expect(h(message('azureeventhub', 'amqps://ns.servicebus.windows.net/hub'), new AbortController().signal)).rejects.toThrow(
        /workload identity is not supported/,
      );
      expect(guard.attempts).toEqual([]);
    } finally {
      guard.restore();
    }
  });

  it('real mode: a googlepubsub message reaches the Pub/Sub handler (bad JSON credentials are its own error, before any dial)', async () => {
    const h = messageHandlerFor(options({ url: 'p', channel: 't', token: '{' }), 'real');
    await expect(h(message('googlepubsub', 'projects/p/topics/t'), new AbortController().signal)).resolves.toMatchObject({
      headers: { stage: 'client' },
      body: 'credentials: the secret key token is not valid JSON',
    });
  });

  it('other message transports stay render-only in both modes', async () => {
    for (const mode of ['mock', 'real'] as const) {
      const h = messageHandlerFor(options(), mode);
      await expect(h(message('otel', 'collector:4317'), new AbortController().signal)).rejects.toThrow(/render-only/);
    }
  });

  it('the loopback guard itself refuses a non-loopback dial without reaching the network', async () => {
    const guard = guardLoopback();
    try {
      const err = await new Promise<Error>((resolve) => {
        const s = net.connect({ host: '192.0.2.1', port: 9 });
        s.on('error', resolve);
      });
      expect(err.message).toBe('loopback guard: refused a connection to 192.0.2.1:9');
      expect(guard.refused).toEqual(['192.0.2.1:9']);
    } finally {
      guard.restore();
    }
  });
});

describe('non-HTTP dispatch: lazy loading (startup and mock mode stay light)', () => {
  it('the delivery pipeline and mock deliveries load neither @google-cloud/pubsub nor @azure/event-hubs; the real-send preload does', () => {
    const script = `
      import { createRequire } from 'node:module';
      const req = createRequire(import.meta.url);
      const loaded = (re) => Object.keys(req.cache).filter((k) => re.test(k)).length;
      const GCP = /[\\\\/]node_modules[\\\\/](@google-cloud|google-gax|@grpc)[\\\\/]/;
      const AZ = /[\\\\/]node_modules[\\\\/](@azure|rhea|rhea-promise)[\\\\/]/;
      await import('./src/runner/delivery.ts');
      const { messageHandlerFor, preloadClientLibrary } = await import('./src/transport/messages.ts');
      const h = messageHandlerFor({ url: 'p', channel: 't', token: '', headers: {} }, 'mock');
      for (const transport of ['googlepubsub', 'azureeventhub']) {
        await h({ kind: 'message', transport, target: 'x', payload: {}, payloadText: '{}' }, new AbortController().signal);
      }
      await preloadClientLibrary('nats');
      await preloadClientLibrary('slack');
      const before = { gcp: loaded(GCP), azure: loaded(AZ) };
      await preloadClientLibrary('googlepubsub');
      await preloadClientLibrary('azureeventhub');
      console.log(JSON.stringify({ before, after: { gcp: loaded(GCP), azure: loaded(AZ) } }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { before: { gcp: number; azure: number }; after: { gcp: number; azure: number } };
    expect(r.before).toEqual({ gcp: 0, azure: 0 });
    expect(r.after.gcp).toBeGreaterThan(0);
    expect(r.after.azure).toBeGreaterThan(0);
  });
});
