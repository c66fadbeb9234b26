// nats notifier. Expected values: providers spec §1.3, §4.20; notification-controller
// internal/notifier/nats.go and nats_test.go; nats-io/nkeys errors.go and README (seed → public key).

import { describe, expect, it } from 'vitest';
import { decodeNkeySeed, maskServers, provider } from '../../src/providers/nats.js';
import type { NotifierOptions, PlannedMessage } from '../../src/providers/types.js';
import { NotifierError } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent, thrown, onlyMessage, SAMPLE_EVENT_WIRE } from './drive.js';

const E_BYTES = SAMPLE_EVENT_WIRE;
/** nats_test.go uses this seed for its nkey cases. */
const TEST_SEED = 'SUAGMJH5XLGZKQQWAWKRZJIGMOU4HPFUYLXJMXOO5NLFEO2OOQJ5LPRDPM';
/** nkeys README: this seed's public key. */
const README_SEED = 'SUAKYRHVIOREXV7EUZTBHUHL7NUMHPMAS7QMDU3GTIUWEI5LDNOXD43IZY';
const README_PUBLIC = 'UD466L6EBCM3YY5HEGHJANNTN4LSKTSUXTH7RILHCKEQMQHTBNLHJJXT';

function opts(o: Partial<NotifierOptions> = {}): NotifierOptions {
  return options({ url: 'nats://nats.example:4222', channel: 'flux.events', ...o });
}

const factoryError = (o: NotifierOptions): string => thrown(() => provider.create(o));

const message = (o: NotifierOptions, event = sampleEvent()): PlannedMessage => onlyMessage(drive(provider.create(o).post(event)));

const auth = (m: PlannedMessage) => (m.payload as { auth: string }).auth;

describe('nats: factory (providers §4.20, nats_test TestNewNATS)', () => {
  it('nats: empty server is refused with "NATS server (address) cannot be empty"', () => {
    expect(factoryError(options({ url: '', channel: 'test' }))).toBe('NATS server (address) cannot be empty');
  });

  it('nats: empty subject is refused with "NATS subject (channel) cannot be empty"', () => {
    expect(factoryError(options({ url: 'nats', channel: '' }))).toBe('NATS subject (channel) cannot be empty');
  });

  it('nats: the server is checked before the subject', () => {
    expect(factoryError(options())).toBe('NATS server (address) cannot be empty');
  });

  it('nats: type string and transport', () => {
    expect(provider.type).toBe('nats');
    expect(provider.transport).toBe('nats');
  });
});

describe('nats: the published message', () => {
  it('nats: the payload is exactly the event JSON bytes of E (providers §1.3, 519 bytes)', () => {
    const m = message(opts());
    expect(m.transport).toBe('nats');
    expect(m.payloadText).toBe(E_BYTES);
    expect(Buffer.byteLength(m.payloadText!, 'utf8')).toBe(519);
  });

  it('nats: events are marshaled like Go, empty fields included (nats_test "events are properly marshaled")', () => {
    const m = message(
      opts(),
      { involvedObject: {}, severity: '', timestamp: null, message: '', reason: '', metadata: { foo: 'bar' }, reportingController: '' },
    );
    expect(m.payloadText).toBe(
      '{"involvedObject":{},"severity":"","timestamp":null,"message":"","reason":"","metadata":{"foo":"bar"},"reportingController":""}',
    );
  });

  it('nats: one PUB to the subject on the server, connection name "NATS Provider Publisher", no headers', () => {
    const m = message(opts());
    expect(m.target).toBe('nats://nats.example:4222 subject flux.events');
    expect(m.payload).toMatchObject({
      servers: 'nats://nats.example:4222',
      subject: 'flux.events',
      connectionName: 'NATS Provider Publisher',
      headers: null,
    });
  });

  it('nats: delivery (reply 200) ends the conversation as sent', () => {
    const d = drive(provider.create(opts()).post(sampleEvent()), [reply(200)]);
    expect(d.outcome).toEqual({ sent: true });
  });
});

describe('nats: authentication priority creds > nkey > username+password (nats.go NewNATS)', () => {
  const creds = Buffer.from('-----BEGIN NATS USER JWT-----\nsecret-jwt\n------END NATS USER JWT------\n');

  it('nats: no credentials → no auth', () => {
    expect(auth(message(opts()))).toBe('none');
  });

  it('nats: creds (user JWT file) wins over nkey and username/password', () => {
    const m = message(opts({ username: 'user', password: 'pass', secretData: { creds, nkey: Buffer.from(TEST_SEED) } }));
    expect(auth(m)).toBe('user credentials (JWT + nkey, from secret key creds)');
    expect(JSON.stringify(m)).not.toContain('secret-jwt');
  });

  it('nats: nkey wins over username/password and is shown by its public key (nkeys README pair)', () => {
    const m = message(opts({ username: 'user', password: 'pass', secretData: { nkey: Buffer.from(README_SEED) } }));
    expect(auth(m)).toBe(`nkey ${README_PUBLIC} (seed from secret key nkey)`);
    expect(JSON.stringify(m)).not.toContain(README_SEED);
  });

  it('nats: the seed of the upstream test is accepted (nats_test "nkey seed data is stored")', () => {
    expect(auth(message(opts({ secretData: { nkey: Buffer.from(TEST_SEED) } })))).toMatch(/^nkey U[A-Z2-7]{55} /);
  });

  it('nats: a trailing newline in the seed is ignored (base32 decoding skips newlines)', () => {
    const m = message(opts({ secretData: { nkey: Buffer.from(README_SEED + '\n') } }));
    expect(auth(m)).toBe(`nkey ${README_PUBLIC} (seed from secret key nkey)`);
  });

  it('nats: username and password are used only together', () => {
    expect(auth(message(opts({ username: 'user', password: 'pass' })))).toBe('user user with password');
    expect(auth(message(opts({ username: 'user' })))).toBe('none');
    expect(auth(message(opts({ password: 'pass' })))).toBe('none');
  });

  it('nats: empty creds/nkey values do not count', () => {
    const m = message(opts({ username: 'user', password: 'pass', secretData: { creds: Buffer.alloc(0), nkey: Buffer.alloc(0) } }));
    expect(auth(m)).toBe('user user with password');
  });
});

describe('nats: bad nkey seeds fail the post before any traffic (nkeys errors.go)', () => {
  const bad = (seed: string) => {
    const d = drive(provider.create(opts({ channel: 'test', secretData: { nkey: Buffer.from(seed) } })).post(sampleEvent()));
    expect(d.requests).toHaveLength(0);
    return errorText(d);
  };

  it('nats: non-base32 characters → "illegal base32 data at input byte N"', () => {
    expect(bad('NOT-A-SEED')).toBe('error publishing event to subject test: error parsing nkey seed: illegal base32 data at input byte 3');
  });

  it('nats: a wrong checksum → "nkeys: invalid checksum"', () => {
    expect(bad(README_SEED.slice(0, -1) + 'A')).toBe('error publishing event to subject test: error parsing nkey seed: nkeys: invalid checksum');
  });

  it('nats: a public key instead of a seed → "nkeys: invalid seed"', () => {
    expect(bad(README_PUBLIC)).toBe('error publishing event to subject test: error parsing nkey seed: nkeys: invalid seed');
  });

  it('nats: too short → "nkeys: invalid encoded key"', () => {
    expect(bad('SUAA')).toBe('error publishing event to subject test: error parsing nkey seed: nkeys: invalid encoded key');
  });

  it('nats: decodeNkeySeed returns the user key type for a user seed', () => {
    expect(decodeNkeySeed(README_SEED).prefix).toBe(20 << 3);
    expect(decodeNkeySeed(README_SEED).raw).toHaveLength(32);
  });
});

describe('nats: delivery errors (nats.go Post/publish wrapping)', () => {
  it('nats: a connect failure → "error publishing event to subject <s>: error connecting to server: <err>"', () => {
    const d = drive(provider.create(opts({ channel: 'test' })).post(sampleEvent()), [
      reply(503, 'nats: no servers available for connection', { stage: 'connect' }),
    ]);
    expect(errorText(d)).toBe('error publishing event to subject test: error connecting to server: nats: no servers available for connection');
    expect(d.error).toBeInstanceOf(NotifierError);
  });

  it('nats: a publish failure → "…: error publishing message to server: <err>"', () => {
    const d = drive(provider.create(opts({ channel: 'test' })).post(sampleEvent()), [reply(500, 'nats: maximum payload exceeded')]);
    expect(errorText(d)).toBe('error publishing event to subject test: error publishing message to server: nats: maximum payload exceeded');
  });
});

describe('nats: secrets stay out of the target', () => {
  it('nats: a password in the server URL is masked, the user kept', () => {
    const m = message(opts({ url: 'nats://alice:s3cret@nats.example:4222' }));
    expect(m.target).toBe('nats://alice:xxxxx@nats.example:4222 subject flux.events');
    expect(JSON.stringify(m)).not.toContain('s3cret');
    expect(auth(m)).toBe('none; credentials embedded in the server URL');
  });

  it('nats: a bare token in the server URL is masked entirely, in every server of a list', () => {
    expect(maskServers('nats://tok3n@a:4222,nats://b:4222').text).toBe('nats://xxxxx@a:4222,nats://b:4222');
  });
});
