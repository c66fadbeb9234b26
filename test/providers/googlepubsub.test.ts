// googlepubsub notifier. Expected values: providers spec §1.3, §4.8; notification-controller
// internal/notifier/google_pubsub.go, google_helpers.go and google_pubsub_test.go.

import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/googlepubsub.js';
import type { NotifierOptions, PlannedMessage } from '../../src/providers/types.js';
import { NotifierError } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent, thrown, onlyMessage, SAMPLE_EVENT_WIRE } from './drive.js';

const E_BYTES = SAMPLE_EVENT_WIRE;

function opts(o: Partial<NotifierOptions> = {}): NotifierOptions {
  return options({ url: 'my-project', channel: 'flux-events', providerNamespace: 'flux-system', ...o });
}

const factoryError = (o: NotifierOptions): string => thrown(() => provider.create(o));

const message = (o: NotifierOptions, event = sampleEvent()): PlannedMessage => onlyMessage(drive(provider.create(o).post(event)));

const payload = (m: PlannedMessage) => m.payload as { auth: string; attributes: Record<string, string> | null };

describe('googlepubsub: factory (providers §4.8, google_pubsub_test TestNewGooglePubSub)', () => {
  it('googlepubsub: empty project ID is refused with "GCP project ID cannot be empty"', () => {
    expect(factoryError(options({ url: '' }))).toBe('GCP project ID cannot be empty');
  });

  it('googlepubsub: empty topic ID is refused with "GCP Pub/Sub topic ID cannot be empty"', () => {
    expect(factoryError(options({ url: 'project-id', channel: '' }))).toBe('GCP Pub/Sub topic ID cannot be empty');
  });

  it('googlepubsub: type string and transport', () => {
    expect(provider.type).toBe('googlepubsub');
    expect(provider.transport).toBe('googlepubsub');
  });
});

describe('googlepubsub: the published message', () => {
  it('googlepubsub: topic is projects/<address>/topics/<channel>', () => {
    expect(message(opts()).target).toBe('projects/my-project/topics/flux-events');
  });

  it('googlepubsub: data is exactly the event JSON bytes of E (providers §1.3)', () => {
    const m = message(opts());
    expect(m.transport).toBe('googlepubsub');
    expect(m.payloadText).toBe(E_BYTES);
  });

  it('googlepubsub: events are marshaled like Go (google_pubsub_test "events are properly marshaled")', () => {
    const m = message(opts(), {
      involvedObject: {},
      severity: '',
      timestamp: null,
      message: '',
      reason: '',
      metadata: { foo: 'bar' },
      reportingController: '',
    });
    expect(m.payloadText).toBe(
      '{"involvedObject":{},"severity":"","timestamp":null,"message":"","reason":"","metadata":{"foo":"bar"},"reportingController":""}',
    );
  });

  it('googlepubsub: the Secret headers are the message attributes', () => {
    expect(payload(message(opts({ headers: { foo: 'bar', env: 'prod' } }))).attributes).toEqual({ env: 'prod', foo: 'bar' });
  });

  it('googlepubsub: no headers → no attributes at all (nil, not an empty map)', () => {
    expect(payload(message(opts())).attributes).toBeNull();
  });

  it('googlepubsub: the server acknowledgement (reply 200) ends the conversation as sent', () => {
    expect(drive(provider.create(opts()).post(sampleEvent()), [reply(200)]).outcome).toEqual({ sent: true });
  });
});

describe('googlepubsub: authentication (google_helpers.go buildGCPClientOptions)', () => {
  it('googlepubsub: a token is service-account JSON credentials; only the account is shown', () => {
    const token = JSON.stringify({ type: 'service_account', client_email: 'flux@my-project.iam.gserviceaccount.com', private_key: 'PRIVATE-KEY-DATA' });
    const m = message(opts({ token }));
    expect(payload(m).auth).toBe('service account JSON credentials for flux@my-project.iam.gserviceaccount.com (from secret key token)');
    expect(JSON.stringify(m)).not.toContain('PRIVATE-KEY-DATA');
  });

  it('googlepubsub: without a token, workload identity of the controller', () => {
    expect(payload(message(opts())).auth).toBe('workload identity (the controller identity)');
  });

  it('googlepubsub: without a token and with serviceAccountName, workload identity of that service account', () => {
    expect(payload(message(opts({ serviceAccountName: 'pubsub-writer' }))).auth).toBe(
      'workload identity (Kubernetes service account flux-system/pubsub-writer)',
    );
  });
});

describe('googlepubsub: delivery errors (google_pubsub.go publish)', () => {
  it('googlepubsub: a publish failure is wrapped as "error publishing to GCP Pub/Sub topic <topic>: <err>"', () => {
    const d = drive(provider.create(opts()).post(sampleEvent()), [reply(500, 'rpc error: code = NotFound desc = Resource not found')]);
    expect(errorText(d)).toBe(
      'error publishing to GCP Pub/Sub topic projects/my-project/topics/flux-events: rpc error: code = NotFound desc = Resource not found',
    );
    expect(d.error).toBeInstanceOf(NotifierError);
  });

  it('googlepubsub: a client construction failure is returned unwrapped', () => {
    const d = drive(provider.create(opts()).post(sampleEvent()), [reply(500, 'credentials: unsupported filetype', { stage: 'client' })]);
    expect(errorText(d)).toBe('credentials: unsupported filetype');
  });
});
