// `googlepubsub` (providers §4.8): one Pub/Sub publish of the event JSON, with the Secret
// `headers` as message attributes. Not HTTP (the Go client speaks gRPC): the conversation yields
// one PlannedMessage and the transport publishes it and waits for the server's message ID.
//
// Reply contract for the transport: `{status: 200}` once the server acknowledged the message;
// otherwise the library's error text in `body` and the failed step in header `stage`:
// `client` (building the client or its credentials) and `close` are returned as they are, like
// upstream; `publish` (the default) is wrapped as `error publishing to GCP Pub/Sub topic …`.

import type { FluxEvent } from '../flux/types.js';
import { compareUtf8, encodeEvent } from '../flux/gojson.js';
import type { Conversation, Notifier, NotifierOptions, PlannedMessage, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** How the client authenticates, in words (never the credentials themselves). */
export function pubsubAuth(opts: NotifierOptions): string {
  if (opts.token !== '') {
    let account = '';
    try {
      const creds = JSON.parse(opts.token) as { client_email?: unknown };
      if (typeof creds.client_email === 'string') account = ` for ${creds.client_email}`;
    } catch {
      // Not JSON: the client library will refuse it when the transport builds the client.
    }
    return `service account JSON credentials${account} (from secret key token)`;
  }
  const who =
    opts.serviceAccountName !== ''
      ? `Kubernetes service account ${opts.providerNamespace}/${opts.serviceAccountName}`
      : 'the controller identity';
  return `workload identity (${who})`;
}

function create(opts: NotifierOptions): Notifier {
  if (opts.url === '') throw new NotifierError('GCP project ID cannot be empty');
  if (opts.channel === '') throw new NotifierError('GCP Pub/Sub topic ID cannot be empty');
  const topic = `projects/${opts.url}/topics/${opts.channel}`;
  // An empty attribute map is sent as none at all.
  const keys = Object.keys(opts.headers).sort(compareUtf8);
  const attributes = keys.length === 0 ? null : Object.fromEntries(keys.map((k) => [k, opts.headers[k]!]));
  const auth = pubsubAuth(opts);

  return {
    *post(e: FluxEvent): Conversation {
      const payloadText = encodeEvent(e);
      const message: PlannedMessage = {
        kind: 'message',
        transport: 'googlepubsub',
        target: topic,
        payload: {
          project: opts.url,
          topic: opts.channel,
          auth,
          attributes,
          data: JSON.parse(payloadText) as unknown,
        },
        payloadText,
      };
      const reply = yield message;
      if (reply.status === 200) return { sent: true };
      const stage = reply.headers.stage ?? 'publish';
      if (stage === 'client' || stage === 'close') throw new NotifierError(reply.body);
      throw new NotifierError(`error publishing to GCP Pub/Sub topic ${topic}: ${reply.body}`);
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'googlepubsub',
  transport: 'googlepubsub',
  create,
  needs:
    'address = GCP project ID, channel = topic ID; optional secret token (service account JSON, else workload identity), headers (message attributes)',
};
