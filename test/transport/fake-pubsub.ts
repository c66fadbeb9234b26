// A fake Google Cloud Pub/Sub Publisher service on 127.0.0.1: a real gRPC server (@grpc/grpc-js)
// serving google.pubsub.v1.Publisher/Publish from the client library's own protos. It records
// each request with its call metadata and answers with message IDs, a gRPC error, or nothing.
// Plain text by default (the library's emulator mode); TLS when given a key and certificate.

import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export interface PublishedMessage {
  data: Buffer;
  attributes: Record<string, string>;
}

export interface PublishCall {
  topic: string;
  messages: PublishedMessage[];
  metadata: Record<string, string>;
}

/** What the fake answers: IDs for the messages, a gRPC status, or no answer at all. */
export type PublishAnswer = { messageIds: string[] } | { code: grpc.status; details: string } | 'hang';

export interface FakePublisher {
  port: number;
  endpoint: string;
  calls: PublishCall[];
  close(): Promise<void>;
}

interface PublishRequestWire {
  topic: string;
  messages?: Array<{ data?: Uint8Array; attributes?: Record<string, string> }>;
}

const require = createRequire(import.meta.url);
let publisherService: grpc.ServiceDefinition | undefined;

function service(): grpc.ServiceDefinition {
  if (!publisherService) {
    // The protobufjs JSON the client library itself is generated from.
    const json = require('@google-cloud/pubsub/build/protos/protos.json') as Parameters<typeof protoLoader.fromJSON>[0];
    const def = protoLoader.fromJSON(json, { keepCase: false, longs: String, defaults: false });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      google: { pubsub: { v1: { Publisher: grpc.ServiceClientConstructor } } };
    };
    publisherService = pkg.google.pubsub.v1.Publisher.service;
  }
  return publisherService;
}

export async function fakePublisher(
  answer: (call: PublishCall) => PublishAnswer = (c) => ({ messageIds: c.messages.map((_, i) => String(42 + i)) }),
  tls?: { key: string; cert: string },
): Promise<FakePublisher> {
  const server = new grpc.Server();
  const calls: PublishCall[] = [];
  server.addService(service(), {
    publish: (call: grpc.ServerUnaryCall<PublishRequestWire, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(call.metadata.getMap())) metadata[k] = Buffer.isBuffer(v) ? v.toString('base64') : String(v);
      const rec: PublishCall = {
        topic: call.request.topic,
        messages: (call.request.messages ?? []).map((m) => ({
          data: Buffer.from(m.data ?? new Uint8Array()),
          attributes: { ...(m.attributes ?? {}) },
        })),
        metadata,
      };
      calls.push(rec);
      const a = answer(rec);
      if (a === 'hang') return;
      if ('code' in a) cb({ code: a.code, details: a.details });
      else cb(null, { messageIds: a.messageIds });
    },
  });
  const creds = tls
    ? grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) }])
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port,
    endpoint: `127.0.0.1:${port}`,
    calls,
    close: async () => {
      server.forceShutdown();
    },
  };
}

export { grpc };
