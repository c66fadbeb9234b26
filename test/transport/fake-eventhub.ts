// A fake Azure Event Hubs endpoint on 127.0.0.1: a real AMQP 1.0 server (rhea) that answers the
// claims-based-security handshake on `$cbs` (put-token → status code), accepts sender links to the
// hub and records every transfer. Batches (message format 0x80013700) are unpacked into their
// events' data sections. Plain AMQP by default (what `UseDevelopmentEmulator=true` dials); TLS
// when given a key and certificate.

import type { AddressInfo, Server, Socket } from 'node:net';
import rhea, { type EventContext, type Message, type Receiver, type Sender } from 'rhea';

/** Azure's batch message format (the outer message of EventDataBatch). */
export const BATCH_FORMAT = 0x80013700;

export interface PutToken {
  type: string;
  /** The audience (`sb://<namespace>/<hub>`). */
  name: string;
  token: string;
}

export interface Transfer {
  address: string;
  format: number;
  /** The event bodies (data sections of each batched message). */
  events: Buffer[];
}

export interface AmqpError {
  condition: string;
  description: string;
}

export interface FakeEventHubOptions {
  tls?: { key: string; cert: string };
  /** The put-token answer; default 200 OK. 'hang': never answer. */
  cbs?: (t: PutToken) => { status: number; description: string } | 'hang';
  /** Refuse a sender link to this address with an AMQP error. */
  refuseLink?: (address: string) => AmqpError | undefined;
  /** Reject a transfer with an AMQP error. */
  rejectTransfer?: (t: Transfer) => AmqpError | undefined;
  /** max-message-size announced on the hub link (the batch limit the client sees). */
  maxMessageSize?: number;
}

export interface FakeEventHub {
  port: number;
  connections: number;
  /** The hostname each connection's AMQP open frame named. */
  openHostnames: string[];
  putTokens: PutToken[];
  /** Target addresses of the sender links the client attached. */
  links: string[];
  transfers: Transfer[];
  /** Resolves when the client has closed its AMQP connection. */
  clientClosed: Promise<void>;
  close(): Promise<void>;
}

function bodyBuffer(m: unknown): Buffer {
  const body = (m as { body?: unknown } | undefined)?.body;
  if (Buffer.isBuffer(body)) return body;
  if (body && typeof body === 'object' && 'content' in body) return Buffer.from((body as { content: Uint8Array }).content);
  return Buffer.from(String(body ?? ''), 'utf8');
}

function eventsOf(format: number, raw: unknown): Buffer[] {
  if (format !== BATCH_FORMAT) return [bodyBuffer(raw)];
  const outer = rhea.message.decode(raw as Buffer) as unknown as { body: { multiple?: boolean; content: unknown } };
  const parts = outer.body.multiple ? (outer.body.content as Buffer[]) : [outer.body.content as Buffer];
  return parts.map((p) => bodyBuffer(rhea.message.decode(Buffer.from(p))));
}

export async function fakeEventHub(o: FakeEventHubOptions = {}): Promise<FakeEventHub> {
  const container = rhea.create_container({ id: 'fake-eventhubs' });
  const sockets = new Set<Socket>();
  let markClosed = () => {};
  const fake: FakeEventHub = {
    port: 0,
    connections: 0,
    openHostnames: [],
    putTokens: [],
    links: [],
    transfers: [],
    clientClosed: new Promise<void>((r) => (markClosed = r)),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  container.on('connection_open', (ctx: EventContext) => {
    fake.connections++;
    const open = (ctx.connection as unknown as { remote: { open?: { hostname?: string } } }).remote.open;
    fake.openHostnames.push(open?.hostname ?? '');
  });
  container.on('connection_close', () => markClosed());
  container.on('disconnected', () => {});
  container.on('error', () => {});
  container.on('receiver_open', (ctx: EventContext) => {
    const receiver = ctx.receiver!;
    const address = (receiver.target as { address?: string } | undefined)?.address ?? '';
    if (address === '$cbs') return;
    fake.links.push(address);
    const refusal = o.refuseLink?.(address);
    if (refusal) {
      receiver.close({ condition: refusal.condition, description: refusal.description });
      return;
    }
    if (o.maxMessageSize !== undefined) {
      (receiver as unknown as { local: { attach: { max_message_size?: number } } }).local.attach.max_message_size = o.maxMessageSize;
    }
  });
  container.on('message', (ctx: EventContext) => {
    const receiver = ctx.receiver!;
    const address = (receiver.target as { address?: string } | undefined)?.address ?? '';
    const format = (ctx as unknown as { format?: number }).format ?? 0;
    if (address === '$cbs') {
      const m = ctx.message!;
      const props = (m.application_properties ?? {}) as Record<string, unknown>;
      const t: PutToken = { type: String(props.type ?? ''), name: String(props.name ?? ''), token: String(m.body ?? '') };
      fake.putTokens.push(t);
      ctx.delivery!.accept();
      const answer = o.cbs?.(t) ?? { status: 200, description: 'OK' };
      if (answer === 'hang') return;
      let reply: Sender | undefined;
      ctx.connection.each_link((l: Sender | Receiver) => {
        if (l.is_sender() && (l.source as { address?: string } | undefined)?.address === '$cbs') reply = l as Sender;
      });
      const answerMessage: Message = {
        body: undefined,
        correlation_id: m.message_id,
        application_properties: { 'status-code': answer.status, 'status-description': answer.description },
      };
      reply?.send(answerMessage);
      return;
    }
    const t: Transfer = { address, format, events: eventsOf(format, format === 0 ? ctx.message : (ctx as unknown as { message: unknown }).message) };
    fake.transfers.push(t);
    const rejection = o.rejectTransfer?.(t);
    if (rejection) ctx.delivery!.reject({ condition: rejection.condition, description: rejection.description });
    else ctx.delivery!.accept();
  });

  const listenOpts = o.tls
    ? { port: 0, host: '127.0.0.1', transport: 'tls' as const, key: o.tls.key, cert: o.tls.cert }
    : { port: 0, host: '127.0.0.1' };
  // autoaccept off: transfers are settled by the handler above (accepted or rejected).
  const server = container.listen({ ...listenOpts, autoaccept: false } as unknown as Parameters<typeof container.listen>[0]) as unknown as Server;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.once('listening', () => r()));
  fake.port = (server.address() as AddressInfo).port;
  return fake;
}
