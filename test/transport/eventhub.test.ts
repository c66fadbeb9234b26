// Real Event Hubs delivery (providers §4.11) against a fake AMQP 1.0 server on 127.0.0.1 (rhea):
// SAS through a connection string with UseDevelopmentEmulator=true (plain AMQP, honoured by the
// Go and JS SDKs alike), JWT over TLS with a throw-away CA. Expected values: the spec's auth modes,
// error wrappings and payload rule; E's bytes from providers §1.3; the SAS token format from
// Azure's documentation (string to sign = URL-encoded resource URI + "\n" + expiry, HMAC-SHA256
// with the key, `SharedAccessSignature sr=…&sig=…&se=…&skn=…`); azeventhubs' ErrEventDataTooLarge.

import { createHmac } from 'node:crypto';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { messageDispatch } from './message-dispatch.js';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import type { NotifierOptions } from '../../src/providers/types.js';
import { deliverDispatch } from '../../src/runner/delivery.js';
import { deliver, type DeliveryRecord } from '../../src/transport/deliver.js';
import { eventHubMasker, eventHubMessageHandler, type EventHubHandlerOptions } from '../../src/transport/eventhub.js';
import { options, sampleEvent, SAMPLE_EVENT_WIRE } from '../providers/drive.js';
import { BATCH_FORMAT, fakeEventHub, type FakeEventHub, type FakeEventHubOptions } from './fake-eventhub.js';
import { makePki } from './helpers.js';
import { guardEachTest } from './loopback-guard.js';

const E_BYTES = SAMPLE_EVENT_WIRE;
const HUB = 'flux-events';
const KEY_NAME = 'RootManageSharedAccessKey';
const KEY = 'c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ==';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2V2ZW50aHVicy5henVyZS5uZXQifQ.c2lnbmF0dXJl';
/** Retries without waiting: the SDK's pacing is not under test here. */
const FAST: EventHubHandlerOptions = { retry: { maxRetries: 0, retryDelayInMs: 0, maxRetryDelayInMs: 0 } };

const open: FakeEventHub[] = [];
// The rule of every test here: nothing but loopback is dialled.
const guard = guardEachTest(open);

async function fake(o: FakeEventHubOptions = {}): Promise<FakeEventHub> {
  const f = await fakeEventHub(o);
  open.push(f);
  return f;
}

const connectionString = (f: FakeEventHub, extra = '') =>
  `Endpoint=sb://127.0.0.1:${f.port};SharedAccessKeyName=${KEY_NAME};SharedAccessKey=${KEY};EntityPath=${HUB};UseDevelopmentEmulator=true${extra}`;

async function send(
  o: NotifierOptions,
  ctx: { timeoutMs?: number; signal?: AbortSignal; tuning?: EventHubHandlerOptions } = {},
): Promise<DeliveryRecord> {
  const notifier = createNotifierFromRegistry('azureeventhub', o);
  return deliver(notifier.post(sampleEvent()), {
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    maskToken: o.token,
    onMessage: eventHubMessageHandler(o, ctx.tuning ?? FAST),
  });
}

describe('azureeventhub transport: SAS connection string (providers §4.11)', () => {
  it('azureeventhub: one batch with one event whose body is the exact event JSON is sent to the hub, then the connection is closed', async () => {
    const f = await fake();
    const rec = await send(options({ url: connectionString(f) }));
    expect(rec.error).toBeUndefined();
    expect(rec.outcome).toEqual({ sent: true });
    expect(f.links).toEqual([HUB]);
    expect(f.transfers).toHaveLength(1);
    expect(f.transfers[0]!.format).toBe(BATCH_FORMAT);
    expect(f.transfers[0]!.events).toHaveLength(1);
    expect(f.transfers[0]!.events[0]!.equals(Buffer.from(E_BYTES, 'utf8'))).toBe(true);
    await expect(Promise.race([f.clientClosed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('open'), 1000))])).resolves.toBe(
      'closed',
    );
  });

  it('azureeventhub: the CBS put-token is a SAS token for sb://<namespace>/<hub> signed with the shared access key', async () => {
    const f = await fake();
    await send(options({ url: connectionString(f) }));
    expect(f.putTokens).toHaveLength(1);
    const t = f.putTokens[0]!;
    const audience = `sb://127.0.0.1:${f.port}/${HUB}`;
    expect(t.type).toBe('servicebus.windows.net:sastoken');
    expect(t.name).toBe(audience);
    const fields = new URLSearchParams(t.token.replace(/^SharedAccessSignature /, ''));
    expect(t.token.startsWith('SharedAccessSignature ')).toBe(true);
    expect(fields.get('sr')).toBe(audience);
    expect(fields.get('skn')).toBe(KEY_NAME);
    const se = fields.get('se')!;
    const expected = createHmac('sha256', KEY).update(`${encodeURIComponent(audience)}\n${se}`).digest('base64');
    expect(fields.get('sig')).toBe(expected);
    // The key itself never travels.
    expect(t.token).not.toContain(KEY);
  });

  it('azureeventhub: an unknown hub → "failed to create event data batch: <SDK error>"', async () => {
    const f = await fake({
      refuseLink: (a) => ({ condition: 'amqp:not-found', description: `The messaging entity 'sb://127.0.0.1/${a}' could not be found.` }),
    });
    const rec = await send(options({ url: connectionString(f) }));
    expect(rec.error).toBe(`failed to create event data batch: The messaging entity 'sb://127.0.0.1/${HUB}' could not be found.`);
    expect(rec.exchanges[0]!.reply).toMatchObject({ headers: { stage: 'batch' } });
    expect(f.transfers).toHaveLength(0);
  });

  it('azureeventhub: a rejected send → "failed to send msg: <SDK error>"', async () => {
    const f = await fake({ rejectTransfer: () => ({ condition: 'amqp:resource-limit-exceeded', description: 'The quota of the namespace was exceeded.' }) });
    const rec = await send(options({ url: connectionString(f) }));
    expect(rec.error).toBe('failed to send msg: The quota of the namespace was exceeded.');
    expect(f.transfers).toHaveLength(1);
  });

  it('azureeventhub: an event larger than the link allows → "failed to add event data to batch: the EventData could not be added because it is too large for the batch"', async () => {
    const f = await fake({ maxMessageSize: 256 });
    const rec = await send(options({ url: connectionString(f) }));
    expect(rec.error).toBe('failed to add event data to batch: the EventData could not be added because it is too large for the batch');
    expect(f.transfers).toHaveLength(0);
  });

  it('azureeventhub: a claims handshake that never completes ends at the provider timeout: "failed to create event data batch: context deadline exceeded"', async () => {
    const f = await fake({ cbs: () => 'hang' });
    const started = Date.now();
    const rec = await send(options({ url: connectionString(f) }), { timeoutMs: 600 });
    expect(rec.error).toBe('failed to create event data batch: context deadline exceeded');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('azureeventhub: cancelling the delivery → "context canceled"', async () => {
    const f = await fake({ cbs: () => 'hang' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const rec = await send(options({ url: connectionString(f) }), { signal: ac.signal });
    expect(rec.error).toBe('context canceled');
    expect(rec.errorKind).toBe('canceled');
  });

  it('azureeventhub: the shared access key and the SAS signature are masked when a service echoes them', async () => {
    let echoed = '';
    const f = await fake({
      cbs: (t) => {
        echoed = t.token;
        return { status: 200, description: 'OK' };
      },
      rejectTransfer: () => ({ condition: 'amqp:unauthorized-access', description: `Unauthorized: token ${echoed}; connection SharedAccessKey=${KEY}` }),
    });
    const rec = await send(options({ url: connectionString(f) }));
    expect(rec.error).toMatch(/^failed to send msg: Unauthorized: token SharedAccessSignature sr=.*&sig=\*\*\*\*\*/);
    expect(rec.error).not.toContain(KEY);
    const sig = new URLSearchParams(echoed.replace(/^SharedAccessSignature /, '')).get('sig')!;
    expect(rec.error).not.toContain(encodeURIComponent(sig));
    expect(JSON.stringify(rec)).not.toContain(KEY);
  });
});

describe('azureeventhub transport: JWT (providers §4.11, deprecated mode)', () => {
  /** The fake's CA, added to the TLS dials the SDK makes (it has no option for a private CA). */
  function trustCa(ca: string): () => void {
    const original = tls.connect;
    const patched = (...args: unknown[]) => {
      const i = args.findIndex((a) => a !== null && typeof a === 'object');
      if (i >= 0) args[i] = { ...(args[i] as object), ca };
      return (original as (...a: unknown[]) => tls.TLSSocket)(...args);
    };
    (tls as { connect: unknown }).connect = patched;
    return () => {
      (tls as { connect: unknown }).connect = original;
    };
  }

  it('azureeventhub: the token is put as a "jwt" claim for the fully qualified namespace (channel + .servicebus.windows.net)', async () => {
    const pki = makePki();
    const f = await fake({ tls: { key: pki.serverKey, cert: pki.serverCert } });
    const untrust = trustCa(pki.ca);
    try {
      const o = options({ url: HUB, channel: 'flux-ns', token: JWT });
      const rec = await send(o, { tuning: { ...FAST, customEndpointAddress: `sb://127.0.0.1:${f.port}` } });
      expect(rec.error).toBeUndefined();
      expect(f.openHostnames).toEqual(['flux-ns.servicebus.windows.net']);
      expect(f.putTokens).toEqual([{ type: 'jwt', name: `sb://flux-ns.servicebus.windows.net/${HUB}`, token: JWT }]);
      expect(f.transfers[0]!.events[0]!.toString('utf8')).toBe(E_BYTES);
    } finally {
      untrust();
    }
  });

  it('azureeventhub: TLS uses the system roots: a private CA fails the batch with Go\'s "certificate signed by unknown authority"', async () => {
    const pki = makePki();
    const f = await fake({ tls: { key: pki.serverKey, cert: pki.serverCert } });
    const o = options({ url: HUB, channel: 'flux-ns.servicebus.windows.net', token: JWT });
    const rec = await send(o, { tuning: { ...FAST, customEndpointAddress: `sb://127.0.0.1:${f.port}` } });
    expect(rec.error).toBe('failed to create event data batch: tls: failed to verify certificate: x509: certificate signed by unknown authority');
    expect(f.putTokens).toHaveLength(0);
  });

  it('azureeventhub: the JWT is masked when a service echoes it', async () => {
    const pki = makePki();
    const f = await fake({
      tls: { key: pki.serverKey, cert: pki.serverCert },
      refuseLink: () => ({ condition: 'amqp:not-found', description: `no hub for token ${JWT}` }),
    });
    const untrust = trustCa(pki.ca);
    try {
      const rec = await send(options({ url: HUB, channel: 'flux-ns', token: JWT }), {
        tuning: { ...FAST, customEndpointAddress: `sb://127.0.0.1:${f.port}` },
      });
      expect(rec.error).toMatch(/^failed to create event data batch: no hub for token \*\*\*\*\*/);
      expect(JSON.stringify(rec)).not.toContain(JWT);
    } finally {
      untrust();
    }
  });
});

describe('azureeventhub transport: workload identity', () => {
  it('azureeventhub: workload identity (no SAS, no token) is refused as unsupported and nothing is dialled', async () => {
    const rec = await send(options({ url: HUB, channel: 'flux-ns' }));
    expect(rec.errorKind).toBe('unsupported');
    expect(rec.error).toContain('workload identity is not supported');
    expect(rec.error).toContain('amqps://flux-ns.servicebus.windows.net/flux-events');
    expect(guard.attempts).toEqual([]);
  });
});

describe('azureeventhub transport: masking helper', () => {
  it('azureeventhub: SharedAccessKey values, sig= parameters and the token are masked', () => {
    const mask = eventHubMasker(options({ url: `Endpoint=sb://ns/;SharedAccessKeyName=k;SharedAccessKey=${KEY};EntityPath=h`, token: '' }));
    expect(mask(`bad key ${KEY} in SharedAccessKey=other`)).toBe('bad key ***** in SharedAccessKey=*****');
    expect(mask('SharedAccessSignature sr=x&sig=abc%2B&se=1&skn=k')).toBe('SharedAccessSignature sr=x&sig=*****&se=1&skn=k');
  });
});

// ---------------------------------------------------------------------------------------------
// deliverDispatch wiring


describe('azureeventhub transport: deliverDispatch (mock vs --send)', () => {
  it('azureeventhub: mock mode records the batch as delivered and opens no socket', async () => {
    const f = await fake();
    const r = await deliverDispatch(messageDispatch('azureeventhub', options({ url: connectionString(f) }), { address: 'secret key address' }), { mode: 'mock' });
    expect(r.outcome).toBe('delivered');
    expect(r.status).toBe(200);
    expect(r.requests[0]).toMatchObject({ transport: 'azureeventhub', target: `amqps://127.0.0.1:${f.port}/${HUB}` });
    await new Promise((res) => setTimeout(res, 200));
    expect(f.connections).toBe(0);
    expect(guard.attempts).toEqual([]);
  });

  it('azureeventhub: real mode sends through the Event Hubs handler; the connection string never shows', async () => {
    const f = await fake();
    const r = await deliverDispatch(messageDispatch('azureeventhub', options({ url: connectionString(f) }), { address: 'secret key address' }), { mode: 'real' });
    expect(r.outcome).toBe('delivered');
    expect(f.transfers.map((t) => t.events.map((e) => e.toString('utf8')))).toEqual([[E_BYTES]]);
    expect(JSON.stringify(r)).not.toContain(KEY);
  });
});
