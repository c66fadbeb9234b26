// `azureeventhub` (providers §4.11): one batch holding one event (the event JSON as body, no
// properties), sent over AMQP by the Event Hubs producer, which is then closed. Not HTTP: the
// conversation yields one PlannedMessage.
//
// Upstream fetches the workload-identity token while constructing the notifier; that is network
// traffic, so here it is the transport's job (the message says which identity and scope).
// The namespace suffix for JWT / workload identity follows the controller's AZURE_AUTHORITY_HOST;
// we assume the public cloud (`.servicebus.windows.net`) unless `opts` says otherwise.
//
// Reply contract for the transport: `{status: 200}` when the batch was sent and the producer
// closed; otherwise the library's error text in `body` and the failed step in header `stage`:
// `token` (workload identity), `batch`, `add`, `send` (the default) or `close`.

import type { FluxEvent } from '../flux/types.js';
import { encodeEvent } from '../flux/gojson.js';
import { goStrconvQuote, parseURL } from './gourl.js';
import type { Conversation, Notifier, NotifierOptions, PlannedMessage, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

export interface EventHubOptions extends NotifierOptions {
  /** The controller's AZURE_AUTHORITY_HOST (selects the sovereign-cloud namespace suffix). */
  azureAuthorityHost?: string;
}

/** Token scope of Event Hubs for workload identity. */
export const EVENTHUBS_SCOPE = 'https://eventhubs.azure.net/.default';

export interface ConnectionString {
  endpoint: string;
  fullyQualifiedNamespace: string;
  entityPath?: string;
  sharedAccessKeyName?: string;
  hasSharedAccessKey: boolean;
  hasSharedAccessSignature: boolean;
  emulator: boolean;
}

const TRUE_WORDS = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE_WORDS = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/** The SDK's connection-string parser; throws Error with its texts. */
export function parseConnectionString(connStr: string): ConnectionString {
  const cs: ConnectionString = {
    endpoint: '',
    fullyQualifiedNamespace: '',
    hasSharedAccessKey: false,
    hasSharedAccessSignature: false,
    emulator: false,
  };
  for (const part of connStr.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error("failed parsing connection string due to unmatched key value separated by '='");
    const key = part.slice(0, eq).toLowerCase();
    const value = part.slice(eq + 1);
    switch (key) {
      case 'endpoint': {
        let host: string;
        try {
          host = parseURL(value).host;
        } catch {
          throw new Error('failed parsing connection string due to an incorrectly formatted Endpoint value');
        }
        cs.endpoint = value;
        cs.fullyQualifiedNamespace = host;
        break;
      }
      case 'sharedaccesskeyname':
        cs.sharedAccessKeyName = value;
        break;
      case 'sharedaccesskey':
        cs.hasSharedAccessKey = true;
        break;
      case 'entitypath':
        cs.entityPath = value;
        break;
      case 'sharedaccesssignature':
        cs.hasSharedAccessSignature = true;
        break;
      case 'usedevelopmentemulator':
        if (TRUE_WORDS.includes(value)) cs.emulator = true;
        else if (FALSE_WORDS.includes(value)) cs.emulator = false;
        else throw new Error(`strconv.ParseBool: parsing ${goStrconvQuote(value)}: invalid syntax`);
        break;
      default:
        break;
    }
  }
  if (cs.emulator) {
    const parts = cs.endpoint.split(':');
    if (parts.length < 2 || parts[0] !== 'sb') {
      throw new Error(
        `UseDevelopmentEmulator=true can only be used with sb://<emulator hostname> or sb://<emulator hostname>:<port number>, not ${cs.endpoint}`,
      );
    }
  }
  if (cs.fullyQualifiedNamespace === '') throw new Error('key "Endpoint" must not be empty');
  if (!cs.hasSharedAccessSignature && cs.sharedAccessKeyName === undefined) {
    throw new Error('key "SharedAccessKeyName" must not be empty');
  }
  if (!cs.hasSharedAccessKey && !cs.hasSharedAccessSignature) {
    throw new Error('key "SharedAccessKey" or "SharedAccessSignature" cannot both be empty');
  }
  return cs;
}

/** Namespace suffix by cloud, from AZURE_AUTHORITY_HOST. */
export function eventHubSuffix(authorityHost = ''): string {
  if (authorityHost.includes('chinacloudapi.cn')) return '.servicebus.chinacloudapi.cn';
  if (authorityHost.includes('microsoftonline.us')) return '.servicebus.usgovcloudapi.net';
  return '.servicebus.windows.net';
}

export function fullyQualifiedNamespace(namespace: string, authorityHost?: string): string {
  return namespace.includes('.servicebus.') ? namespace : namespace + eventHubSuffix(authorityHost);
}

interface Plan {
  namespace: string;
  eventHub: string;
  auth: string;
  /** Workload identity: the token is fetched by the transport. */
  needsToken: boolean;
}

function plan(opts: EventHubOptions): Plan {
  const address = opts.url;
  const sas = address.includes('SharedAccessKey');
  const invalid = (m: string) => new NotifierError(`invalid authentication options: ${m}`);
  if (address === '') throw invalid('endpoint URL cannot be empty');
  if (sas) {
    if (opts.serviceAccountName !== '') throw invalid('serviceAccountName and SAS authentication cannot be set at the same time');
    if (opts.token !== '') throw invalid('jwt token and SAS authentication cannot be set at the same time');
  } else if (opts.serviceAccountName !== '' && opts.token !== '') {
    throw invalid('serviceAccountName and jwt token authentication cannot be set at the same time');
  }

  if (sas) {
    let cs: ConnectionString;
    try {
      cs = parseConnectionString(address);
    } catch (err) {
      throw new NotifierError(`failed to create a eventhub using SAS: ${(err as Error).message}`);
    }
    if (cs.entityPath === undefined) {
      throw new NotifierError(
        'failed to create a eventhub using SAS: connection string does not contain an EntityPath. eventHub cannot be an empty string',
      );
    }
    const how = cs.hasSharedAccessSignature ? 'shared access signature' : `shared access key ${cs.sharedAccessKeyName ?? ''}`;
    return {
      namespace: cs.fullyQualifiedNamespace,
      eventHub: cs.entityPath,
      auth: `SAS connection string (${how}, from address)`,
      needsToken: false,
    };
  }

  const namespace = fullyQualifiedNamespace(opts.channel, opts.azureAuthorityHost);
  if (opts.token !== '') {
    return { namespace, eventHub: address, auth: 'JWT bearer token (from secret key token; deprecated)', needsToken: false };
  }
  const who =
    opts.serviceAccountName !== ''
      ? `Kubernetes service account ${opts.providerNamespace}/${opts.serviceAccountName}`
      : 'the controller identity';
  return {
    namespace,
    eventHub: address,
    auth: `workload identity (${who}, scope ${EVENTHUBS_SCOPE})`,
    needsToken: true,
  };
}

const STAGE_WRAP: Record<string, string> = {
  token: 'failed to create a eventhub using managed identity: failed to get token',
  batch: 'failed to create event data batch',
  add: 'failed to add event data to batch',
  send: 'failed to send msg',
  close: 'unable to close connection',
};

function create(opts: EventHubOptions): Notifier {
  const p = plan(opts);
  return {
    *post(e: FluxEvent): Conversation {
      const payloadText = encodeEvent(e);
      const message: PlannedMessage = {
        kind: 'message',
        transport: 'azureeventhub',
        target: `amqps://${p.namespace}/${p.eventHub}`,
        payload: {
          namespace: p.namespace,
          eventHub: p.eventHub,
          auth: p.auth,
          tokenScope: p.needsToken ? EVENTHUBS_SCOPE : null,
          partition: null,
          properties: null,
          body: JSON.parse(payloadText) as unknown,
        },
        payloadText,
      };
      const reply = yield message;
      if (reply.status === 200) return { sent: true };
      const wrap = STAGE_WRAP[reply.headers.stage ?? 'send'] ?? STAGE_WRAP.send!;
      throw new NotifierError(`${wrap}: ${reply.body}`);
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'azureeventhub',
  transport: 'azureeventhub',
  create,
  needs:
    'address = SAS connection string with EntityPath, or event hub name with channel = namespace and a JWT token (deprecated) or workload identity',
};
