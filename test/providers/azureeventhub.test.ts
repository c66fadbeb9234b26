// azureeventhub notifier. Expected values: providers spec §1.3, §4.11; notification-controller
// internal/notifier/azure_eventhub.go and azure_eventhub_test.go; azeventhubs v2
// producer_client.go (parseConn) and internal/exported/connection_string_properties.go.

import { describe, expect, it } from 'vitest';
import { fullyQualifiedNamespace, provider } from '../../src/providers/azureeventhub.js';
import type { NotifierOptions, PlannedMessage } from '../../src/providers/types.js';
import { NotifierError } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent, thrown, onlyMessage, SAMPLE_EVENT_WIRE } from './drive.js';

const E_BYTES = SAMPLE_EVENT_WIRE;
const SAS = 'Endpoint=sb://example.com/;SharedAccessKeyName=keyName;SharedAccessKey=key;EntityPath=eventhub';

const factoryError = (o: NotifierOptions): string => thrown(() => provider.create(o));

const message = (o: NotifierOptions, event = sampleEvent()): PlannedMessage => onlyMessage(drive(provider.create(o).post(event)));

const payload = (m: PlannedMessage) => m.payload as { namespace: string; eventHub: string; auth: string; tokenScope: string | null };

describe('azureeventhub: factory (azure_eventhub_test TestNewAzureEventHub)', () => {
  it('azureeventhub: JWT authentication: address = hub name, channel = namespace, token = JWT', () => {
    const m = message(options({ url: 'azure-nc-eventhub', token: 'jwt-token', channel: 'namespace' }));
    expect(m.target).toBe('amqps://namespace.servicebus.windows.net/azure-nc-eventhub');
    expect(payload(m).auth).toBe('JWT bearer token (from secret key token; deprecated)');
    expect(JSON.stringify(m)).not.toContain('jwt-token');
  });

  it('azureeventhub: SAS authentication: namespace and hub come from the connection string, the key stays hidden', () => {
    const m = message(options({ url: SAS, channel: 'namespace' }));
    expect(m.target).toBe('amqps://example.com/eventhub');
    expect(payload(m)).toMatchObject({ namespace: 'example.com', eventHub: 'eventhub' });
    expect(payload(m).auth).toBe('SAS connection string (shared access key keyName, from address)');
    expect(JSON.stringify(m)).not.toContain('SharedAccessKey=key');
  });

  it('azureeventhub: SAS without EntityPath → "failed to create a eventhub using SAS: connection string does not contain an EntityPath. eventHub cannot be an empty string"', () => {
    expect(factoryError(options({ url: 'Endpoint=sb://example.com/;SharedAccessKeyName=keyName;SharedAccessKey=key', channel: 'namespace' }))).toBe(
      'failed to create a eventhub using SAS: connection string does not contain an EntityPath. eventHub cannot be an empty string',
    );
  });

  it('azureeventhub: no token → workload identity for the Event Hubs scope', () => {
    const m = message(options({ url: 'azure-nc-eventhub', channel: 'namespace' }));
    expect(payload(m).auth).toBe('workload identity (the controller identity, scope https://eventhubs.azure.net/.default)');
    expect(payload(m).tokenScope).toBe('https://eventhubs.azure.net/.default');
  });

  it('azureeventhub: SAS with serviceAccountName → "invalid authentication options: serviceAccountName and SAS authentication cannot be set at the same time"', () => {
    expect(factoryError(options({ url: SAS, serviceAccountName: 'test-service-account', channel: 'namespace' }))).toBe(
      'invalid authentication options: serviceAccountName and SAS authentication cannot be set at the same time',
    );
  });

  it('azureeventhub: SAS with a token → "invalid authentication options: jwt token and SAS authentication cannot be set at the same time"', () => {
    expect(factoryError(options({ url: SAS, token: 'test-token', channel: 'namespace' }))).toBe(
      'invalid authentication options: jwt token and SAS authentication cannot be set at the same time',
    );
  });

  it('azureeventhub: token with serviceAccountName → "invalid authentication options: serviceAccountName and jwt token authentication cannot be set at the same time"', () => {
    expect(factoryError(options({ url: 'azure-nc-eventhub', token: 'test-token', serviceAccountName: 'test-service-account', channel: 'namespace' }))).toBe(
      'invalid authentication options: serviceAccountName and jwt token authentication cannot be set at the same time',
    );
  });

  it('azureeventhub: empty address → "invalid authentication options: endpoint URL cannot be empty"', () => {
    expect(factoryError(options({ url: '', token: 'test-token', channel: 'namespace' }))).toBe(
      'invalid authentication options: endpoint URL cannot be empty',
    );
  });

  it('azureeventhub: type string and transport', () => {
    expect(provider.type).toBe('azureeventhub');
    expect(provider.transport).toBe('azureeventhub');
  });
});

describe('azureeventhub: SAS connection-string rules (azeventhubs ParseConnectionString)', () => {
  const sasError = (url: string) => factoryError(options({ url }));

  it('azureeventhub: a segment without "=" is refused', () => {
    expect(sasError('Endpoint=sb://example.com/;SharedAccessKeyName=keyName;SharedAccessKey=key;EntityPath')).toBe(
      "failed to create a eventhub using SAS: failed parsing connection string due to unmatched key value separated by '='",
    );
  });

  it('azureeventhub: no Endpoint → key "Endpoint" must not be empty', () => {
    expect(sasError('SharedAccessKeyName=keyName;SharedAccessKey=key;EntityPath=hub')).toBe(
      'failed to create a eventhub using SAS: key "Endpoint" must not be empty',
    );
  });

  it('azureeventhub: an Endpoint without host (no scheme) counts as empty', () => {
    expect(sasError('Endpoint=example.com;SharedAccessKeyName=keyName;SharedAccessKey=key;EntityPath=hub')).toBe(
      'failed to create a eventhub using SAS: key "Endpoint" must not be empty',
    );
  });

  it('azureeventhub: an unparsable Endpoint → "failed parsing connection string due to an incorrectly formatted Endpoint value"', () => {
    expect(sasError('Endpoint=sb://[bad/;SharedAccessKeyName=keyName;SharedAccessKey=key;EntityPath=hub')).toBe(
      'failed to create a eventhub using SAS: failed parsing connection string due to an incorrectly formatted Endpoint value',
    );
  });

  it('azureeventhub: no SharedAccessKeyName (and no signature) is refused', () => {
    expect(sasError('Endpoint=sb://example.com/;SharedAccessKey=key;EntityPath=hub')).toBe(
      'failed to create a eventhub using SAS: key "SharedAccessKeyName" must not be empty',
    );
  });

  it('azureeventhub: neither SharedAccessKey nor SharedAccessSignature is refused', () => {
    expect(sasError('Endpoint=sb://example.com/;SharedAccessKeyName=keyName;EntityPath=hub')).toBe(
      'failed to create a eventhub using SAS: key "SharedAccessKey" or "SharedAccessSignature" cannot both be empty',
    );
  });

  it('azureeventhub: the parser reads keys case-insensitively', () => {
    const m = message(options({ url: 'endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;sharedaccesskey=v;ENTITYPATH=hub' }));
    expect(m.target).toBe('amqps://ns.servicebus.windows.net/hub');
  });

  it('azureeventhub: quirk: SAS mode needs the exact text "SharedAccessKey" in the address (case-sensitive)', () => {
    const lower = 'endpoint=sb://ns.servicebus.windows.net/;sharedaccesskeyname=k;sharedaccesskey=v;entitypath=hub';
    const m = message(options({ url: lower, channel: 'ns' }));
    // Not SAS: the whole address is taken as the hub name, with workload identity.
    expect(payload(m).eventHub).toBe(lower);
    expect(payload(m).auth).toMatch(/^workload identity/);
  });

  it('azureeventhub: UseDevelopmentEmulator must be a Go bool', () => {
    expect(sasError(SAS + ';UseDevelopmentEmulator=yes')).toBe(
      'failed to create a eventhub using SAS: strconv.ParseBool: parsing "yes": invalid syntax',
    );
  });

  it('azureeventhub: the emulator needs an sb:// endpoint', () => {
    expect(sasError('Endpoint=amqp://localhost:5672;SharedAccessKeyName=k;SharedAccessKey=v;EntityPath=hub;UseDevelopmentEmulator=true')).toBe(
      'failed to create a eventhub using SAS: UseDevelopmentEmulator=true can only be used with sb://<emulator hostname> or sb://<emulator hostname>:<port number>, not amqp://localhost:5672',
    );
  });
});

describe('azureeventhub: namespace for JWT / workload identity (ensureFullyQualifiedNamespace)', () => {
  it('azureeventhub: a namespace already containing ".servicebus." is kept', () => {
    expect(fullyQualifiedNamespace('ns.servicebus.windows.net')).toBe('ns.servicebus.windows.net');
  });

  it('azureeventhub: AZURE_AUTHORITY_HOST selects the China and US Government suffixes', () => {
    expect(fullyQualifiedNamespace('ns', 'https://login.chinacloudapi.cn/')).toBe('ns.servicebus.chinacloudapi.cn');
    expect(fullyQualifiedNamespace('ns', 'https://login.microsoftonline.us/')).toBe('ns.servicebus.usgovcloudapi.net');
    expect(fullyQualifiedNamespace('ns')).toBe('ns.servicebus.windows.net');
  });
});

describe('azureeventhub: the sent event and delivery', () => {
  it('azureeventhub: the event body is exactly the event JSON bytes of E, without properties', () => {
    const m = message(options({ url: SAS }));
    expect(m.transport).toBe('azureeventhub');
    expect(m.payloadText).toBe(E_BYTES);
    expect(m.payload).toMatchObject({ properties: null });
  });

  it('azureeventhub: a sent batch (reply 200) ends the conversation as sent', () => {
    expect(drive(provider.create(options({ url: SAS })).post(sampleEvent()), [reply(200)]).outcome).toEqual({ sent: true });
  });

  it('azureeventhub: a send failure → "failed to send msg: <err>"', () => {
    const d = drive(provider.create(options({ url: SAS })).post(sampleEvent()), [reply(500, 'amqp: link detached')]);
    expect(errorText(d)).toBe('failed to send msg: amqp: link detached');
    expect(d.error).toBeInstanceOf(NotifierError);
  });

  it('azureeventhub: batch, add and close failures keep their own wrapping', () => {
    const fail = (stage: string) =>
      errorText(drive(provider.create(options({ url: SAS })).post(sampleEvent()), [reply(500, 'boom', { stage })]));
    expect(fail('batch')).toBe('failed to create event data batch: boom');
    expect(fail('add')).toBe('failed to add event data to batch: boom');
    expect(fail('close')).toBe('unable to close connection: boom');
  });

  it('azureeventhub: a workload-identity token failure → "failed to create a eventhub using managed identity: failed to get token: <err>"', () => {
    const d = drive(provider.create(options({ url: 'hub', channel: 'ns' })).post(sampleEvent()), [reply(401, 'ManagedIdentityCredential: no identity', { stage: 'token' })]);
    expect(errorText(d)).toBe('failed to create a eventhub using managed identity: failed to get token: ManagedIdentityCredential: no identity');
  });
});
