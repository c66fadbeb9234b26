// `nats` (providers §4.20): one PUB of the event JSON to a subject, over the NATS client
// protocol. Not HTTP: the conversation yields one PlannedMessage; the transport connects,
// publishes, flushes and closes.
//
// Reply contract for the transport: `{status: 200}` when the message was flushed; otherwise the
// library's error text in `body` and the failed step in header `stage` (`connect`, or `publish`
// by default), which selects upstream's wrapping.

import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { FluxEvent } from '../flux/types.js';
import { encodeEvent } from '../flux/gojson.js';
import type { Conversation, Notifier, NotifierOptions, PlannedMessage, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

export const NATS_CONNECTION_NAME = 'NATS Provider Publisher';

// ---------------------------------------------------------------------------------------------
// nkeys seeds (nats-io/nkeys FromSeed + PublicKey): base32 without padding of
// [seed prefix | key type, raw seed, CRC-16/XMODEM little-endian]

/** An error of the nkeys library, with its text. */
export class NkeyError extends Error {}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const PREFIX_SEED = 18 << 3;
const PREFIX_CURVE = 23 << 3;
/** Key types a seed may carry: operator, server, cluster, account, user, curve. */
const PUBLIC_PREFIXES = [14 << 3, 13 << 3, 2 << 3, 0, 20 << 3, PREFIX_CURVE];

function crc16(data: Uint8Array): number {
  let crc = 0;
  for (const b of data) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** Go's base32.StdEncoding.WithPadding(NoPadding).Decode: newlines skipped, a partial last quantum tolerated. */
function base32Decode(input: string): Uint8Array {
  const src = input.replace(/[\r\n]/g, '');
  const out: number[] = [];
  for (let q = 0; q < src.length; q += 8) {
    const chunk = src.slice(q, q + 8);
    const vals: number[] = [];
    for (let j = 0; j < chunk.length; j++) {
      const v = B32.indexOf(chunk[j]!);
      if (v < 0) throw new NkeyError(`illegal base32 data at input byte ${q + j}`);
      vals.push(v);
    }
    let bits = 0;
    let acc = 0n;
    for (const v of vals) {
      acc = (acc << 5n) | BigInt(v);
      bits += 5;
    }
    // Only 2, 4, 5, 7 or 8 characters make whole bytes; Go silently ignores other tails.
    const bytes = { 2: 1, 4: 2, 5: 3, 7: 4, 8: 5 }[vals.length as 2 | 4 | 5 | 7 | 8] ?? 0;
    for (let k = 0; k < bytes; k++) out.push(Number((acc >> BigInt(bits - 8 * (k + 1))) & 0xffn));
  }
  return Uint8Array.from(out);
}

function base32Encode(data: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of data) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

export interface NkeySeed {
  /** The key type byte (user = 20 << 3, …). */
  prefix: number;
  raw: Uint8Array;
}

/** nkeys.FromSeed's checks; throws NkeyError with the library's text. */
export function decodeNkeySeed(seed: string): NkeySeed {
  const data = base32Decode(seed);
  if (data.length < 4) throw new NkeyError('nkeys: invalid encoded key');
  const body = data.subarray(0, data.length - 2);
  const sum = data[data.length - 2]! | (data[data.length - 1]! << 8);
  if (crc16(body) !== sum) throw new NkeyError('nkeys: invalid checksum');
  const b1 = body[0]! & 248;
  const b2 = ((body[0]! & 7) << 5) | ((body[1]! & 248) >> 3);
  if (b1 !== PREFIX_SEED || !PUBLIC_PREFIXES.includes(b2)) throw new NkeyError('nkeys: invalid seed');
  const raw = body.subarray(2);
  if (b2 === PREFIX_CURVE && raw.length !== 32) throw new NkeyError('nkeys: not a valid curve seed');
  return { prefix: b2, raw };
}

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** The public key of a seed (ed25519 from the first 32 seed bytes; X25519 for curve seeds). */
export function nkeyPublicKey(seed: NkeySeed): string {
  let der: Buffer;
  if (seed.prefix === PREFIX_CURVE) der = Buffer.concat([PKCS8_X25519, seed.raw]);
  else {
    // ed25519.GenerateKey reads exactly 32 bytes from the seed.
    if (seed.raw.length === 0) throw new Error('EOF');
    if (seed.raw.length < 32) throw new Error('unexpected EOF');
    der = Buffer.concat([PKCS8_ED25519, seed.raw.subarray(0, 32)]);
  }
  const jwk = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' });
  const pub = Buffer.from(jwk.x!, 'base64url');
  const body = Buffer.concat([Buffer.from([seed.prefix]), pub]);
  const sum = crc16(body);
  return base32Encode(Buffer.concat([body, Buffer.from([sum & 0xff, sum >> 8])]));
}

type Auth =
  | { mode: 'creds' }
  | { mode: 'nkey'; seed: string }
  | { mode: 'userpass'; username: string }
  | { mode: 'none' };

/** Upstream's priority: creds file > nkey seed > username and password (both needed). */
function chooseAuth(opts: NotifierOptions): Auth {
  const creds = opts.secretData.creds;
  const nkey = opts.secretData.nkey;
  if (creds && creds.length > 0) return { mode: 'creds' };
  if (nkey && nkey.length > 0) return { mode: 'nkey', seed: nkey.toString('latin1') };
  if (opts.username !== '' && opts.password !== '') return { mode: 'userpass', username: opts.username };
  return { mode: 'none' };
}

/**
 * The server list with credentials hidden: a `user:password@` keeps the user, a bare `token@`
 * (NATS reads it as a token) is hidden entirely.
 */
export function maskServers(servers: string): { text: string; embedded: boolean } {
  let embedded = false;
  const text = servers
    .split(',')
    .map((s) =>
      s.replace(/^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)([^@/]*)@/, (_m, scheme: string, info: string) => {
        embedded = true;
        const colon = info.indexOf(':');
        return colon >= 0 ? `${scheme}${info.slice(0, colon)}:xxxxx@` : `${scheme}xxxxx@`;
      }),
    )
    .join(',');
  return { text, embedded };
}

const STAGE_WRAP: Record<string, string> = {
  connect: 'error connecting to server',
  publish: 'error publishing message to server',
};

function create(opts: NotifierOptions): Notifier {
  if (opts.url === '') throw new NotifierError('NATS server (address) cannot be empty');
  if (opts.channel === '') throw new NotifierError('NATS subject (channel) cannot be empty');
  const subject = opts.channel;
  const auth = chooseAuth(opts);
  const servers = maskServers(opts.url);
  const fail = (inner: string) => new NotifierError(`error publishing event to subject ${subject}: ${inner}`);

  return {
    *post(e: FluxEvent): Conversation {
      const payloadText = encodeEvent(e);
      let authText: string;
      switch (auth.mode) {
        case 'creds':
          authText = 'user credentials (JWT + nkey, from secret key creds)';
          break;
        case 'nkey': {
          // The seed is decoded before connecting; a bad seed fails the post without any traffic.
          let publicKey: string;
          try {
            const seed = decodeNkeySeed(auth.seed);
            try {
              publicKey = nkeyPublicKey(seed);
            } catch (err) {
              throw fail(`error getting public key from nkey: ${(err as Error).message}`);
            }
          } catch (err) {
            if (err instanceof NkeyError) throw fail(`error parsing nkey seed: ${err.message}`);
            throw err;
          }
          authText = `nkey ${publicKey} (seed from secret key nkey)`;
          break;
        }
        case 'userpass':
          authText = `user ${auth.username} with password`;
          break;
        default:
          authText = 'none';
      }
      if (servers.embedded) authText += '; credentials embedded in the server URL';
      const message: PlannedMessage = {
        kind: 'message',
        transport: 'nats',
        target: `${servers.text} subject ${subject}`,
        payload: {
          servers: servers.text,
          subject,
          connectionName: NATS_CONNECTION_NAME,
          auth: authText,
          headers: null,
          data: JSON.parse(payloadText) as unknown,
        },
        payloadText,
      };
      const reply = yield message;
      if (reply.status === 200) return { sent: true };
      const wrap = STAGE_WRAP[reply.headers.stage ?? 'publish'] ?? STAGE_WRAP.publish!;
      throw fail(`${wrap}: ${reply.body}`);
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'nats',
  transport: 'nats',
  create,
  needs:
    'address = NATS server URL(s), channel = subject; optional secret creds (user JWT file), nkey (seed) or username+password',
};
