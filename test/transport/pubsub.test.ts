// Real Pub/Sub delivery (providers §4.8) against a fake gRPC Publisher service on 127.0.0.1, in
// the library's emulator mode (plain-text gRPC, no credentials on the wire; the TLS + credentials
// path is in pubsub-auth.test.ts). Expected values: the spec's topic form, attribute rule and
// error wrapping; grpc-go's status text `rpc error: code = <Name> desc = <details>`; E's bytes
// from providers §1.3. Every test runs behind a guard that refuses non-loopback connections.

import { describe, expect, it } from 'vitest';
import { messageDispatch } from './message-dispatch.js';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import type { NotifierOptions } from '../../src/providers/types.js';
import { deliverDispatch } from '../../src/runner/delivery.js';
import { deliver, type DeliveryRecord } from '../../src/transport/deliver.js';
import { goPubSubErrorText, pubsubMessageHandler } from '../../src/transport/pubsub.js';
import { options, sampleEvent, SAMPLE_EVENT_WIRE } from '../providers/drive.js';
import { fakePublisher, grpc, type FakePublisher, type PublishAnswer, type PublishCall } from './fake-pubsub.js';
import { guardEachTest } from './loopback-guard.js';

const E_BYTES = SAMPLE_EVENT_WIRE;
const PROJECT = 'flux-prod';
const TOPIC = 'flux-events';
const TOPIC_NAME = `projects/${PROJECT}/topics/${TOPIC}`;
const PREFIX = `error publishing to GCP Pub/Sub topic ${TOPIC_NAME}: `;

const open: FakePublisher[] = [];
// The rule of every test here: nothing but loopback is dialled.
const guard = guardEachTest(open);

async function fake(answer?: (c: PublishCall) => PublishAnswer): Promise<FakePublisher> {
  const f = await fakePublisher(answer);
  open.push(f);
  return f;
}

function psOptions(o: Partial<NotifierOptions> = {}): NotifierOptions {
  return options({ url: PROJECT, channel: TOPIC, ...o });
}

async function send(
  f: FakePublisher,
  o: NotifierOptions,
  ctx: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<DeliveryRecord> {
  const notifier = createNotifierFromRegistry('googlepubsub', o);
  return deliver(notifier.post(sampleEvent()), {
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    maskToken: o.token,
    onMessage: pubsubMessageHandler(o, { apiEndpoint: f.endpoint }),
  });
}

/** A service-account JSON whose key is only a marker string (never used in emulator mode). */
function fakeServiceAccount(key = '-----BEGIN PRIVATE KEY-----\nTOP-SECRET-KEY-MATERIAL\n-----END PRIVATE KEY-----\n') {
  return JSON.stringify({ type: 'service_account', project_id: PROJECT, private_key_id: 'kid-1', private_key: key, client_email: 'flux@flux-prod.iam.gserviceaccount.com', client_id: '1' });
}

describe('googlepubsub transport: publishing (providers §4.8)', () => {
  it('googlepubsub: one Publish RPC to projects/<project>/topics/<topic> carries one message whose data is the exact event JSON', async () => {
    const f = await fake();
    const rec = await send(f, psOptions());
    expect(rec.error).toBeUndefined();
    expect(rec.outcome).toEqual({ sent: true });
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0]!.topic).toBe(TOPIC_NAME);
    expect(f.calls[0]!.messages).toHaveLength(1);
    expect(f.calls[0]!.messages[0]!.data.equals(Buffer.from(E_BYTES, 'utf8'))).toBe(true);
  });

  it('googlepubsub: success waits for the server message ID (shown in the reply)', async () => {
    const f = await fake(() => ({ messageIds: ['1234567890'] }));
    const rec = await send(f, psOptions());
    expect(rec.exchanges[0]!.reply).toEqual({
      status: 200,
      headers: {},
      body: 'server message id 1234567890; emulator endpoint: no credentials were sent',
    });
  });

  it('googlepubsub: the Secret headers become the message attributes', async () => {
    const f = await fake();
    await send(f, psOptions({ headers: { team: 'platform', env: 'prod' } }));
    expect(f.calls[0]!.messages[0]!.attributes).toEqual({ env: 'prod', team: 'platform' });
  });

  it('googlepubsub: without headers the message has no attributes', async () => {
    const f = await fake();
    await send(f, psOptions());
    expect(f.calls[0]!.messages[0]!.attributes).toEqual({});
  });

  it('googlepubsub: non-ASCII event text is published as its UTF-8 bytes', async () => {
    const f = await fake();
    const o = psOptions();
    const notifier = createNotifierFromRegistry('googlepubsub', o);
    const rec = await deliver(notifier.post(sampleEvent({ message: 'déploiement ✓' })), {
      onMessage: pubsubMessageHandler(o, { apiEndpoint: f.endpoint }),
    });
    expect(rec.error).toBeUndefined();
    expect(f.calls[0]!.messages[0]!.data.toString('utf8')).toContain('"message":"déploiement ✓"');
  });

  it('googlepubsub: the topic name is always projects/<project>/topics/<topic ID>, even when the ID contains a slash', async () => {
    const f = await fake();
    await send(f, psOptions({ channel: 'team/events' }));
    expect(f.calls[0]!.topic).toBe(`projects/${PROJECT}/topics/team/events`);
  });
});

describe('googlepubsub transport: errors (providers §4.8 wrapping, grpc-go status text)', () => {
  it('googlepubsub: a NOT_FOUND topic → "error publishing to GCP Pub/Sub topic projects/<p>/topics/<t>: rpc error: code = NotFound desc = …"', async () => {
    const f = await fake(() => ({ code: grpc.status.NOT_FOUND, details: `Resource not found (resource=${TOPIC}).` }));
    const rec = await send(f, psOptions());
    expect(rec.error).toBe(`${PREFIX}rpc error: code = NotFound desc = Resource not found (resource=${TOPIC}).`);
    expect(rec.exchanges[0]!.reply).toMatchObject({ headers: { stage: 'publish' } });
    // Not a transient code: the library does not retry it.
    expect(f.calls).toHaveLength(1);
  });

  it('googlepubsub: PERMISSION_DENIED → "rpc error: code = PermissionDenied desc = …"', async () => {
    const f = await fake(() => ({ code: grpc.status.PERMISSION_DENIED, details: 'User not authorized to perform this action.' }));
    const rec = await send(f, psOptions());
    expect(rec.error).toBe(`${PREFIX}rpc error: code = PermissionDenied desc = User not authorized to perform this action.`);
  });

  it('googlepubsub: a server that never answers fails at the provider timeout with "context deadline exceeded", wrapped', async () => {
    const f = await fake(() => 'hang');
    const started = Date.now();
    const rec = await send(f, psOptions(), { timeoutMs: 500 });
    expect(rec.error).toBe(`${PREFIX}context deadline exceeded`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(f.calls).toHaveLength(1);
  });

  it('googlepubsub: cancelling the delivery ends a hanging publish with "context canceled"', async () => {
    const f = await fake(() => 'hang');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const rec = await send(f, psOptions(), { signal: ac.signal });
    expect(rec.error).toBe('context canceled');
    expect(rec.errorKind).toBe('canceled');
  });

  it('googlepubsub: a token that is not JSON fails before any connection, without quoting the token', async () => {
    const f = await fake();
    const token = 'not-json s3cr3t-t0ken-value';
    const rec = await send(f, psOptions({ token }));
    expect(rec.error).toBe('credentials: the secret key token is not valid JSON');
    expect(rec.exchanges[0]!.reply).toMatchObject({ headers: { stage: 'client' } });
    expect(f.calls).toHaveLength(0);
    expect(guard.attempts).toEqual([]);
  });

  it('googlepubsub: JSON credentials the library cannot use are refused when the client is built; the key never shows', async () => {
    const f = await fake();
    const token = JSON.stringify({ type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\nTOP-SECRET\n-----END PRIVATE KEY-----\n' });
    const rec = await send(f, psOptions({ token }));
    expect(rec.error).toContain('client_email');
    expect(rec.error).not.toContain('TOP-SECRET');
    expect(rec.error).not.toMatch(/^error publishing/);
    expect(f.calls).toHaveLength(0);
  });

  it('googlepubsub: gRPC statuses print as grpc-go does; other errors keep their message', () => {
    expect(goPubSubErrorText({ code: 14, details: 'connection refused' })).toBe('rpc error: code = Unavailable desc = connection refused');
    expect(goPubSubErrorText({ code: 16, details: 'invalid authentication credentials' })).toBe(
      'rpc error: code = Unauthenticated desc = invalid authentication credentials',
    );
    expect(goPubSubErrorText(new Error('Could not load the default credentials.'))).toBe('Could not load the default credentials.');
  });
});

// ---------------------------------------------------------------------------------------------
// deliverDispatch wiring


describe('googlepubsub transport: deliverDispatch (mock vs --send)', () => {
  it('googlepubsub: mock mode records the publish as delivered and opens no socket', async () => {
    const f = await fake();
    const r = await deliverDispatch(messageDispatch('googlepubsub', psOptions()), { mode: 'mock' });
    expect(r.outcome).toBe('delivered');
    expect(r.status).toBe(200);
    expect(r.requests[0]).toMatchObject({ transport: 'googlepubsub', target: TOPIC_NAME });
    await new Promise((res) => setTimeout(res, 200));
    expect(f.calls).toHaveLength(0);
    expect(guard.attempts).toEqual([]);
  });

  it('googlepubsub: real mode publishes through the Pub/Sub handler (PUBSUB_EMULATOR_HOST honoured, as by the Go client); secrets never show', async () => {
    const f = await fake(() => ({ code: grpc.status.NOT_FOUND, details: 'Resource not found' }));
    const before = process.env.PUBSUB_EMULATOR_HOST;
    process.env.PUBSUB_EMULATOR_HOST = f.endpoint;
    try {
      const token = fakeServiceAccount(
        '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n',
      );
      const r = await deliverDispatch(messageDispatch('googlepubsub', psOptions({ token })), { mode: 'real' });
      expect(f.calls).toHaveLength(1);
      expect(f.calls[0]!.messages[0]!.data.toString('utf8')).toBe(E_BYTES);
      expect(r.outcome).toBe('failed');
      expect(r.error).toBe(`${PREFIX}rpc error: code = NotFound desc = Resource not found`);
      const shown = JSON.stringify(r);
      expect(shown).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7');
      expect(shown).toContain('flux@flux-prod.iam.gserviceaccount.com');
    } finally {
      if (before === undefined) delete process.env.PUBSUB_EMULATOR_HOST;
      else process.env.PUBSUB_EMULATOR_HOST = before;
    }
  });
});
