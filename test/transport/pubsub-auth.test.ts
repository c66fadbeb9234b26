// Pub/Sub credentials on the wire (providers §4.8 "Auth"): the fake Publisher serves TLS with a
// throw-away CA on 127.0.0.1 and the library runs outside emulator mode, so it attaches its own
// credentials exactly as in production. The CA reaches gRPC through GRPC_DEFAULT_SSL_ROOTS_FILE_PATH,
// grpc-js's documented root-store override, which it reads once when loaded: it is set here
// before anything imports gRPC, so this file keeps its own worker.
// Expected JWT shape: Google's self-signed JWT for service accounts (header `kid` = private key
// ID, RS256; claims `iss` = `sub` = the account e-mail), verified with the account's public key.

import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotifierFromRegistry } from '../../src/providers/registry.js';
import type { NotifierOptions } from '../../src/providers/types.js';
import { deliver, type DeliveryRecord } from '../../src/transport/deliver.js';
import { pubsubMessageHandler } from '../../src/transport/pubsub.js';
import { options, sampleEvent } from '../providers/drive.js';
import type { FakePublisher } from './fake-pubsub.js';
import { makePki, type Pki } from './helpers.js';
import { guardLoopback, type LoopbackGuard } from './loopback-guard.js';

const dir = mkdtempSync(join(tmpdir(), 'fnt-pubsub-'));
const pki: Pki = makePki();
writeFileSync(join(dir, 'ca.crt'), pki.ca);
process.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH = join(dir, 'ca.crt');
const { fakePublisher } = await import('./fake-pubsub.js');

const PROJECT = 'flux-prod';
const TOPIC = 'flux-events';

interface Account {
  json: Record<string, string>;
  publicKey: KeyObject;
}

function account(email: string, kid: string): Account {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    json: {
      type: 'service_account',
      project_id: PROJECT,
      private_key_id: kid,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: email,
      client_id: '100000000000000000001',
      token_uri: 'https://oauth2.googleapis.com/token',
    },
    publicKey,
  };
}

const b64url = (s: string) => Buffer.from(s, 'base64url');

/** Splits a `Bearer <jwt>` header and checks its RS256 signature with the given key. */
function readJwt(authorization: string | undefined, key: KeyObject) {
  expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  const [h, p, s] = authorization!.slice('Bearer '.length).split('.') as [string, string, string];
  const header = JSON.parse(b64url(h).toString('utf8')) as Record<string, unknown>;
  const claims = JSON.parse(b64url(p).toString('utf8')) as Record<string, unknown>;
  const valid = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, b64url(s));
  return { header, claims, valid };
}

let guard: LoopbackGuard;
let f: FakePublisher;
const savedAdc = process.env.GOOGLE_APPLICATION_CREDENTIALS;
beforeAll(async () => {
  f = await fakePublisher(undefined, { key: pki.serverKey, cert: pki.serverCert });
});
afterAll(async () => {
  await f.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  guard = guardLoopback();
  f.calls.length = 0;
});
afterEach(() => {
  guard.restore();
  if (savedAdc === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  else process.env.GOOGLE_APPLICATION_CREDENTIALS = savedAdc;
  // The rule of every test here: nothing but loopback was dialled (no token exchange, no metadata server).
  expect(guard.refused).toEqual([]);
});

async function send(o: NotifierOptions): Promise<DeliveryRecord> {
  const notifier = createNotifierFromRegistry('googlepubsub', o);
  return deliver(notifier.post(sampleEvent()), {
    maskToken: o.token,
    // TLS and the library's own credentials, as against pubsub.googleapis.com.
    onMessage: pubsubMessageHandler(o, { apiEndpoint: f.endpoint, emulatorMode: false }),
  });
}

describe('googlepubsub transport: credentials (providers §4.8 Auth)', () => {
  it('googlepubsub: a token holding service-account JSON authenticates each publish with a JWT signed by that key', async () => {
    const sa = account('flux-notifier@flux-prod.iam.gserviceaccount.com', 'key-id-1');
    const rec = await send(options({ url: PROJECT, channel: TOPIC, token: JSON.stringify(sa.json) }));
    expect(rec.error).toBeUndefined();
    expect(f.calls).toHaveLength(1);
    const jwt = readJwt(f.calls[0]!.metadata.authorization, sa.publicKey);
    expect(jwt.valid).toBe(true);
    expect(jwt.header).toMatchObject({ alg: 'RS256', kid: 'key-id-1' });
    expect(jwt.claims).toMatchObject({ iss: sa.json.client_email, sub: sa.json.client_email });
    // The reply says nothing about ADC when the token's credentials were used.
    expect(rec.exchanges[0]!.reply!.body).toBe('server message id 42');
  });

  it('googlepubsub: the JWT is not signed by another key (the check above can fail)', async () => {
    const sa = account('flux-notifier@flux-prod.iam.gserviceaccount.com', 'key-id-1');
    const other = account('someone@flux-prod.iam.gserviceaccount.com', 'key-id-2');
    await send(options({ url: PROJECT, channel: TOPIC, token: JSON.stringify(sa.json) }));
    expect(readJwt(f.calls[0]!.metadata.authorization, other.publicKey).valid).toBe(false);
  });

  it('googlepubsub: without a token, application default credentials are used (here: GOOGLE_APPLICATION_CREDENTIALS)', async () => {
    const adc = account('adc-user@flux-prod.iam.gserviceaccount.com', 'adc-key');
    const file = join(dir, 'adc.json');
    writeFileSync(file, JSON.stringify(adc.json));
    process.env.GOOGLE_APPLICATION_CREDENTIALS = file;
    const rec = await send(options({ url: PROJECT, channel: TOPIC }));
    expect(rec.error).toBeUndefined();
    const jwt = readJwt(f.calls[0]!.metadata.authorization, adc.publicKey);
    expect(jwt.valid).toBe(true);
    expect(jwt.claims).toMatchObject({ iss: 'adc-user@flux-prod.iam.gserviceaccount.com' });
    expect(rec.exchanges[0]!.reply!.body).toBe('server message id 42; authenticated with application default credentials');
  });

  it('googlepubsub: a serviceAccountName is not impersonated locally, and the reply says so', async () => {
    const adc = account('adc-user@flux-prod.iam.gserviceaccount.com', 'adc-key');
    const file = join(dir, 'adc2.json');
    writeFileSync(file, JSON.stringify(adc.json));
    process.env.GOOGLE_APPLICATION_CREDENTIALS = file;
    const rec = await send(options({ url: PROJECT, channel: TOPIC, serviceAccountName: 'flux-pubsub', providerNamespace: 'flux-system' }));
    expect(rec.error).toBeUndefined();
    expect(rec.exchanges[0]!.reply!.body).toContain('serviceAccountName flux-pubsub is not impersonated by this tool');
  });

  it('googlepubsub: the token and its private key never appear in a failed delivery', async () => {
    const sa = account('flux-notifier@flux-prod.iam.gserviceaccount.com', 'key-id-1');
    const broken = { ...sa.json, client_email: '' };
    const token = JSON.stringify(broken);
    const rec = await send(options({ url: PROJECT, channel: TOPIC, token }));
    expect(rec.error).toBeDefined();
    const shown = JSON.stringify(rec);
    const keyBody = sa.json.private_key!.split('\n')[1]!;
    expect(shown).not.toContain(keyBody);
    expect(f.calls).toHaveLength(0);
  });
});
