// Real NATS delivery (providers §4.20) against a fake NATS server on 127.0.0.1 that speaks the
// client protocol's text form. Expected texts: the spec's error shapes and nats.go v1.52.0
// (ErrNoServers, -ERR handling in sendConnect/processErr, ErrNkeysNotSupported); E's bytes from
// providers §1.3; the seed/public key pair from the nkeys README.

import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { messageDispatch } from './message-dispatch.js';
import { nkeys } from 'nats';
import { decodeNkeySeed, nkeyPublicKey } from '../../src/providers/nats.js';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import type { NotifierOptions } from '../../src/providers/types.js';
import { deliverDispatch } from '../../src/runner/delivery.js';
import { deliver, type DeliveryRecord } from '../../src/transport/deliver.js';
import {
  NATS_CONNECTION_NAME,
  natsMessageHandler,
  parseNatsServers,
  type NatsHandlerOptions,
} from '../../src/transport/nats.js';
import { options, sampleEvent } from '../providers/drive.js';
import { makePki } from './helpers.js';

/** Wire bytes of E from providers §1.3. */
const E_BYTES =
  '{"involvedObject":{"kind":"Kustomization","namespace":"flux-system","name":"podinfo","uid":"7d0cdc51-ddcf-4743-b223-83ca5c699632","apiVersion":"kustomize.toolkit.fluxcd.io/v1","resourceVersion":"123456"},"severity":"info","timestamp":"2025-06-01T12:00:00Z","message":"Applied revision: main@sha1:abc123","reason":"ReconciliationSucceeded","metadata":{"revision":"main@sha1:abc123","summary":"Cluster: production"},"reportingController":"kustomize-controller","reportingInstance":"kustomize-controller-5f6b8d9c7d-x2x4z"}';
/** nkeys README: a user seed and its public key. */
const README_SEED = 'SUAKYRHVIOREXV7EUZTBHUHL7NUMHPMAS7QMDU3GTIUWEI5LDNOXD43IZY';
const README_PUBLIC = 'UD466L6EBCM3YY5HEGHJANNTN4LSKTSUXTH7RILHCKEQMQHTBNLHJJXT';
/** nats_test.go's seed, used here inside a creds file. */
const TEST_SEED = 'SUAGMJH5XLGZKQQWAWKRZJIGMOU4HPFUYLXJMXOO5NLFEO2OOQJ5LPRDPM';
const SUBJECT = 'flux.events';
const PREFIX = `error publishing event to subject ${SUBJECT}: `;

// ---------------------------------------------------------------------------------------------
// The fake server

interface ConnectFrame {
  name?: string;
  user?: string;
  pass?: string;
  auth_token?: string;
  nkey?: string;
  sig?: string;
  jwt?: string;
  verbose?: boolean;
}

interface FakeOptions {
  /** Fields merged into the INFO line. */
  info?: Record<string, unknown>;
  /** Accept the TCP connection and never say anything. */
  silent?: boolean;
  /** Close the socket before sending INFO. */
  closeBeforeInfo?: boolean;
  /** Answer only this many PINGs (the handshake's is the first). */
  pongs?: number;
  /** Called with CONNECT; a returned text is sent as `-ERR '<text>'` and the socket is closed. */
  onConnect?: (c: ConnectFrame) => string | undefined;
  /** Sent as `-ERR '<text>'` after each PUB, like nats-server's permission checks. */
  afterPub?: string;
  /** Require TLS: INFO says tls_required and the socket is upgraded right after it. */
  tls?: { key: string; cert: string };
}

interface Pub {
  op: 'PUB' | 'HPUB';
  subject: string;
  reply?: string;
  payload: Buffer;
}

interface FakeNats {
  port: number;
  connections: number;
  connects: ConnectFrame[];
  pubs: Pub[];
  /** Every operation the client sent, in order. */
  ops: string[];
  /** Resolves when a client socket has been closed by the client. */
  clientClosed: Promise<void>;
  close(): Promise<void>;
}

const open: FakeNats[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function fakeNats(o: FakeOptions = {}): Promise<FakeNats> {
  const sockets = new Set<net.Socket>();
  let markClosed = () => {};
  const fake: FakeNats = {
    port: 0,
    connections: 0,
    connects: [],
    pubs: [],
    ops: [],
    clientClosed: new Promise<void>((r) => (markClosed = r)),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = net.createServer((sock) => {
    fake.connections++;
    sockets.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => {
      sockets.delete(sock);
      markClosed();
    });
    if (o.closeBeforeInfo) {
      sock.end();
      return;
    }
    if (o.silent) return;
    const info = {
      server_id: 'fake', version: '2.10.0', proto: 1, max_payload: 1048576, headers: true, auth_required: false,
      ...(o.tls ? { tls_required: true } : {}),
      ...o.info,
    };
    sock.write(`INFO ${JSON.stringify(info)} \r\n`);
    const stream: net.Socket = o.tls ? new tls.TLSSocket(sock, { isServer: true, ...o.tls }) : sock;
    stream.on('error', () => {});
    let verbose = false;
    let pongs = o.pongs ?? Infinity;
    let buf = Buffer.alloc(0);
    const ok = () => verbose && stream.write('+OK\r\n');
    stream.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const eol = buf.indexOf('\r\n');
        if (eol < 0) return;
        const line = buf.subarray(0, eol).toString('utf8');
        const [op = '', ...args] = line.split(' ');
        if (op === 'PUB' || op === 'HPUB') {
          // PUB <subject> [reply] <size>; HPUB <subject> [reply] <header size> <total size>
          const total = Number(args.at(-1));
          const end = eol + 2 + total + 2;
          if (buf.length < end) return;
          const body = buf.subarray(eol + 2, eol + 2 + total);
          const headerSize = op === 'HPUB' ? Number(args.at(-2)) : 0;
          const replyArg = args.length === (op === 'HPUB' ? 4 : 3) ? args[1] : undefined;
          fake.pubs.push({ op, subject: args[0]!, ...(replyArg ? { reply: replyArg } : {}), payload: Buffer.from(body.subarray(headerSize)) });
          fake.ops.push(op);
          buf = buf.subarray(end);
          ok();
          if (o.afterPub) stream.write(`-ERR '${o.afterPub}'\r\n`);
          continue;
        }
        buf = buf.subarray(eol + 2);
        fake.ops.push(op);
        if (op === 'CONNECT') {
          const frame = JSON.parse(line.slice('CONNECT '.length)) as ConnectFrame;
          fake.connects.push(frame);
          verbose = frame.verbose === true;
          const refusal = o.onConnect?.(frame);
          if (refusal !== undefined) {
            stream.end(`-ERR '${refusal}'\r\n`);
            return;
          }
          ok();
        } else if (op === 'PING') {
          if (pongs-- > 0) stream.write('PONG\r\n');
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.port = (server.address() as net.AddressInfo).port;
  open.push(fake);
  return fake;
}

/** A loopback port nobody listens on (bound, then released). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// ---------------------------------------------------------------------------------------------
// Driving the registry's nats notifier through deliver() with the real handler

function natsOptions(o: Partial<NotifierOptions>): NotifierOptions {
  return options({ channel: SUBJECT, ...o });
}

async function send(
  o: NotifierOptions,
  ctx: { timeoutMs?: number; signal?: AbortSignal; tuning?: NatsHandlerOptions } = {},
): Promise<DeliveryRecord> {
  const notifier = createNotifierFromRegistry('nats', o);
  return deliver(notifier.post(sampleEvent()), {
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onMessage: natsMessageHandler(o, ctx.tuning),
  });
}

const url = (f: FakeNats) => `nats://127.0.0.1:${f.port}`;

// ---------------------------------------------------------------------------------------------

describe('nats transport: publishing (providers §4.20)', () => {
  it('nats: one PUB carries the exact bytes of the event to the subject, then a PING flushes it', async () => {
    const f = await fakeNats();
    const rec = await send(natsOptions({ url: url(f) }));
    expect(rec.error).toBeUndefined();
    expect(rec.outcome).toEqual({ sent: true });
    expect(f.pubs).toHaveLength(1);
    expect(f.pubs[0]!.op).toBe('PUB');
    expect(f.pubs[0]!.subject).toBe(SUBJECT);
    expect(f.pubs[0]!.reply).toBeUndefined();
    expect(f.pubs[0]!.payload.equals(Buffer.from(E_BYTES, 'utf8'))).toBe(true);
    // CONNECT + PING (handshake), PUB, PING (Flush).
    expect(f.ops).toEqual(['CONNECT', 'PING', 'PUB', 'PING']);
    expect(rec.exchanges[0]!.reply).toEqual({ status: 200, headers: {}, body: '' });
  });

  it('nats: non-ASCII event text is published as its UTF-8 bytes', async () => {
    const f = await fakeNats();
    const o = natsOptions({ url: url(f) });
    const notifier = createNotifierFromRegistry('nats', o);
    const rec = await deliver(notifier.post(sampleEvent({ message: 'déploiement ✓' })), { onMessage: natsMessageHandler(o) });
    expect(rec.error).toBeUndefined();
    expect(f.pubs[0]!.payload.toString('utf8')).toContain('"message":"déploiement ✓"');
  });

  it('nats: the connection is named "NATS Provider Publisher"', async () => {
    const f = await fakeNats();
    await send(natsOptions({ url: url(f) }));
    expect(NATS_CONNECTION_NAME).toBe('NATS Provider Publisher');
    expect(f.connects[0]!.name).toBe('NATS Provider Publisher');
  });

  it('nats: the connection is closed after the flush', async () => {
    const f = await fakeNats();
    await send(natsOptions({ url: url(f) }));
    await expect(Promise.race([f.clientClosed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('open'), 1000))])).resolves.toBe('closed');
  });

  it('nats: comma-separated servers: a refused one is skipped and another gets the message', async () => {
    const f = await fakeNats();
    const dead = await freePort();
    const rec = await send(natsOptions({ url: ` nats://127.0.0.1:${dead} , ${url(f)}/ ` }));
    expect(rec.error).toBeUndefined();
    expect(f.pubs).toHaveLength(1);
  });

  it('nats: a subject with a space is never published, and upstream still reports success (Publish error ignored)', async () => {
    const f = await fakeNats();
    const rec = await send(natsOptions({ url: url(f), channel: 'flux events' }));
    expect(rec.error).toBeUndefined();
    expect(rec.outcome).toEqual({ sent: true });
    expect(f.pubs).toHaveLength(0);
    expect(rec.exchanges[0]!.reply!.body).toContain('nats: invalid subject');
  });

  it('nats: a flush without PONG is ignored like upstream (only the last server error counts)', async () => {
    const f = await fakeNats({ pongs: 1 });
    const rec = await send(natsOptions({ url: url(f) }), { tuning: { flushTimeoutMs: 200 } });
    expect(rec.error).toBeUndefined();
    expect(f.pubs).toHaveLength(1);
    expect(rec.exchanges[0]!.reply!.body).toContain('flush: nats: timeout');
  });
});

describe('nats transport: authentication (providers §4.20: creds > nkey > username+password)', () => {
  it('nats: username and password travel in CONNECT user/pass', async () => {
    const f = await fakeNats({
      info: { auth_required: true },
      onConnect: (c) => (c.user === 'flux' && c.pass === 's3cret' ? undefined : 'Authorization Violation'),
    });
    const rec = await send(natsOptions({ url: url(f), username: 'flux', password: 's3cret' }));
    expect(rec.error).toBeUndefined();
    expect(f.connects[0]).toMatchObject({ user: 'flux', pass: 's3cret' });
    expect(f.connects[0]!.nkey).toBeUndefined();
    expect(f.pubs).toHaveLength(1);
  });

  it('nats: a username without a password sends no credentials', async () => {
    const f = await fakeNats();
    await send(natsOptions({ url: url(f), username: 'flux' }));
    expect(f.connects[0]!.user).toBeUndefined();
    expect(f.connects[0]!.pass).toBeUndefined();
  });

  it("nats: nkey auth sends the seed's public key and a signature of the server nonce", async () => {
    const nonce = 'bm9uY2Utb2YtdGhlLWZha2U';
    const f = await fakeNats({ info: { auth_required: true, nonce } });
    const rec = await send(natsOptions({ url: url(f), secretData: { nkey: Buffer.from(README_SEED) } }));
    expect(rec.error).toBeUndefined();
    const c = f.connects[0]!;
    expect(c.nkey).toBe(README_PUBLIC);
    const sig = Buffer.from(c.sig ?? '', 'base64');
    expect(sig).toHaveLength(64);
    const pub = nkeys.fromPublic(README_PUBLIC) as { verify(data: Uint8Array, sig: Uint8Array): boolean };
    expect(pub.verify(new TextEncoder().encode(nonce), new Uint8Array(sig))).toBe(true);
    expect(pub.verify(new TextEncoder().encode('another nonce'), new Uint8Array(sig))).toBe(false);
  });

  it('nats: a seed with a trailing newline still signs (Go base32 skips newlines)', async () => {
    const f = await fakeNats({ info: { nonce: 'abc' } });
    const rec = await send(natsOptions({ url: url(f), secretData: { nkey: Buffer.from(`${README_SEED}\n`) } }));
    expect(rec.error).toBeUndefined();
    expect(f.connects[0]!.nkey).toBe(README_PUBLIC);
  });

  it('nats: nkey wins over username+password', async () => {
    const f = await fakeNats({ info: { nonce: 'abc' } });
    await send(natsOptions({ url: url(f), username: 'flux', password: 'pw', secretData: { nkey: Buffer.from(README_SEED) } }));
    expect(f.connects[0]!.nkey).toBe(README_PUBLIC);
    expect(f.connects[0]!.user).toBeUndefined();
  });

  it('nats: creds (user JWT file) win over nkey: CONNECT carries the JWT and the key of the file', async () => {
    const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJmYWtlIn0.c2ln';
    const credsFile = [
      '-----BEGIN NATS USER JWT-----',
      jwt,
      '------END NATS USER JWT------',
      '',
      '************************* IMPORTANT *************************',
      'NKEY Seed printed below can be used to sign and prove identity.',
      '',
      '-----BEGIN USER NKEY SEED-----',
      TEST_SEED,
      '------END USER NKEY SEED------',
      '',
    ].join('\n');
    const f = await fakeNats({ info: { auth_required: true, nonce: 'abc' } });
    const rec = await send(
      natsOptions({ url: url(f), username: 'flux', password: 'pw', secretData: { creds: Buffer.from(credsFile), nkey: Buffer.from(README_SEED) } }),
    );
    expect(rec.error).toBeUndefined();
    const c = f.connects[0]!;
    expect(c.jwt).toBe(jwt);
    // The key comes from the creds file, not the `nkey` secret key; computed by nats.ts's own nkeys code.
    expect(c.nkey).toBe(nkeyPublicKey(decodeNkeySeed(TEST_SEED)));
    expect(c.nkey).not.toBe(README_PUBLIC);
    expect(c.user).toBeUndefined();
  });

  it('nats: credentials in the server URL replace username+password (nats.go reads the URL user first)', async () => {
    const f = await fakeNats();
    await send(natsOptions({ url: `nats://urluser:urlpass@127.0.0.1:${f.port}`, username: 'flux', password: 'pw' }));
    expect(f.connects[0]).toMatchObject({ user: 'urluser', pass: 'urlpass' });
  });

  it('nats: a URL user without a password is a token', async () => {
    const f = await fakeNats();
    await send(natsOptions({ url: `nats://t0ken@127.0.0.1:${f.port}` }));
    expect(f.connects[0]!.auth_token).toBe('t0ken');
    expect(f.connects[0]!.user).toBeUndefined();
  });
});

describe('nats transport: upstream error texts (providers §4.20 errors)', () => {
  it('nats: an unreachable port → "error connecting to server: nats: no servers available for connection"', async () => {
    const port = await freePort();
    const rec = await send(natsOptions({ url: `nats://127.0.0.1:${port}` }));
    expect(rec.error).toBe(`${PREFIX}error connecting to server: nats: no servers available for connection`);
    expect(rec.exchanges[0]!.reply).toMatchObject({ headers: { stage: 'connect' } });
  });

  it('nats: a server refusing the credentials → "error connecting to server: nats: Authorization Violation"', async () => {
    const f = await fakeNats({ info: { auth_required: true }, onConnect: () => 'Authorization Violation' });
    const rec = await send(natsOptions({ url: url(f), username: 'flux', password: 'wrong' }));
    expect(rec.error).toBe(`${PREFIX}error connecting to server: nats: Authorization Violation`);
    expect(f.pubs).toHaveLength(0);
  });

  it('nats: another -ERR instead of the handshake PONG keeps its text → "nats: maximum connections exceeded"', async () => {
    const f = await fakeNats({ onConnect: () => 'maximum connections exceeded' });
    const rec = await send(natsOptions({ url: url(f) }));
    expect(rec.error).toBe(`${PREFIX}error connecting to server: nats: maximum connections exceeded`);
  });

  it('nats: a server that never answers fails the connect after the 2s library timeout, not the provider timeout', async () => {
    const f = await fakeNats({ silent: true });
    const started = Date.now();
    const rec = await send(natsOptions({ url: url(f) }), { timeoutMs: 300 });
    const took = Date.now() - started;
    expect(rec.error).toBe(`${PREFIX}error connecting to server: i/o timeout`);
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(4000);
    expect(f.connections).toBe(1);
  });

  it('nats: a socket closed before INFO → "error connecting to server: EOF"', async () => {
    const f = await fakeNats({ closeBeforeInfo: true });
    const rec = await send(natsOptions({ url: url(f) }));
    expect(rec.error).toBe(`${PREFIX}error connecting to server: EOF`);
  });

  it('nats: nkey auth against a server without nonce → "nats: nkeys not supported by the server"', async () => {
    const f = await fakeNats();
    const rec = await send(natsOptions({ url: url(f), secretData: { nkey: Buffer.from(README_SEED) } }));
    expect(rec.error).toBe(`${PREFIX}error connecting to server: nats: nkeys not supported by the server`);
    expect(f.pubs).toHaveLength(0);
  });

  it('nats: a permissions violation on PUB → "error publishing message to server: nats: permissions violation: …"', async () => {
    const f = await fakeNats({ afterPub: `Permissions Violation for Publish to "${SUBJECT}"` });
    const rec = await send(natsOptions({ url: url(f) }));
    expect(rec.error).toBe(
      `${PREFIX}error publishing message to server: nats: permissions violation: Permissions Violation for Publish to "${SUBJECT}"`,
    );
    expect(rec.exchanges[0]!.reply).toMatchObject({ headers: { stage: 'publish' } });
  });

  it('nats: another server error after PUB → "error publishing message to server: nats: <text>"', async () => {
    const f = await fakeNats({ afterPub: 'Maximum Payload Violation' });
    const rec = await send(natsOptions({ url: url(f) }));
    expect(rec.error).toBe(`${PREFIX}error publishing message to server: nats: Maximum Payload Violation`);
  });

  it('nats: a bad nkey seed fails before any connection ("error parsing nkey seed")', async () => {
    const f = await fakeNats();
    const rec = await send(natsOptions({ url: url(f), secretData: { nkey: Buffer.from(README_PUBLIC) } }));
    expect(rec.error).toBe(`${PREFIX}error parsing nkey seed: nkeys: invalid seed`);
    expect(f.connections).toBe(0);
  });

  it('nats: cancelling the delivery ends a hanging connect with "context canceled"', async () => {
    const f = await fakeNats({ silent: true });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    const rec = await send(natsOptions({ url: url(f) }), { signal: ac.signal });
    expect(rec.error).toBe('context canceled');
    expect(rec.errorKind).toBe('canceled');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('nats: a tls:// URL against a server without TLS → "nats: secure connection not available"', async () => {
    const f = await fakeNats();
    const rec = await send(natsOptions({ url: `tls://127.0.0.1:${f.port}` }));
    expect(rec.error).toBe(`${PREFIX}error connecting to server: nats: secure connection not available`);
    expect(f.pubs).toHaveLength(0);
  });

  it('nats: TLS uses the system roots only: a private CA is "certificate signed by unknown authority"', async () => {
    const pki = makePki();
    const f = await fakeNats({ tls: { key: pki.serverKey, cert: pki.serverCert } });
    const rec = await send(natsOptions({ url: `tls://127.0.0.1:${f.port}` }));
    expect(rec.error).toBe(
      `${PREFIX}error connecting to server: tls: failed to verify certificate: x509: certificate signed by unknown authority`,
    );
    expect(f.pubs).toHaveLength(0);
  });

  it('nats: an address that is not a URL fails the connect step', async () => {
    const rec = await send(natsOptions({ url: 'nats://bad host:4222' }));
    expect(rec.error).toBe(`${PREFIX}error connecting to server: parse "nats://bad host:4222": invalid URL`);
  });

  it('nats: WebSocket URLs are reported as unsupported instead of being sent as plain TCP', async () => {
    const rec = await send(natsOptions({ url: 'ws://127.0.0.1:9' }));
    expect(rec.errorKind).toBe('unsupported');
    expect(rec.error).toContain('not supported');
  });
});

describe('nats transport: server list (nats.go Connect)', () => {
  it('nats: comma-separated, trimmed, default scheme nats:// and port 4222', () => {
    expect(parseNatsServers(' nats://a.example , b.example:4333/,,tls://c.example ')).toEqual({
      servers: ['a.example:4222', 'b.example:4333', 'c.example:4222'],
      secure: true,
    });
  });

  it('nats: an empty list falls back to nats.go\'s default URL', () => {
    expect(parseNatsServers(' , ').servers).toEqual(['127.0.0.1:4222']);
  });

  it('nats: URL credentials: user:password, user:, and a bare token', () => {
    expect(parseNatsServers('nats://u:p%40ss@h:1').urlAuth).toEqual({ user: 'u', pass: 'p@ss' });
    expect(parseNatsServers('nats://u:@h:1').urlAuth).toEqual({ user: 'u', pass: '' });
    expect(parseNatsServers('nats://tok@h:1').urlAuth).toEqual({ user: 'tok' });
  });
});

// ---------------------------------------------------------------------------------------------
// deliverDispatch wiring


describe('nats transport: deliverDispatch', () => {
  it('nats: real mode publishes through the NATS handler', async () => {
    const f = await fakeNats();
    const r = await deliverDispatch(messageDispatch('nats', natsOptions({ url: url(f) }), {}), { mode: 'real' });
    expect(r.outcome).toBe('delivered');
    expect(f.pubs.map((p) => p.payload.toString('utf8'))).toEqual([E_BYTES]);
  });

  it('nats: mock mode records the publish as delivered and opens no socket', async () => {
    const f = await fakeNats();
    const r = await deliverDispatch(messageDispatch('nats', natsOptions({ url: url(f) }), {}), { mode: 'mock' });
    expect(r.outcome).toBe('delivered');
    expect(r.status).toBe(200);
    // Give a stray connection attempt time to land before checking there was none.
    await new Promise((res) => setTimeout(res, 200));
    expect(f.connections).toBe(0);
  });
});
