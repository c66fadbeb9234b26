// A wire-compatible stand-in for NC's event endpoint (spec §2.1–2.3, §2.7): any method and path,
// 3 MiB body limit (413 without decoding), Go-compatible decoding (400), the duplicate limiter
// (429 with upstream's headers), and 202 for every processed event.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeFluxEvent, EventDecodeError } from '../flux/event-json.js';
import { fluxInput } from '../flux/event-input.js';
import { rateLimitHeaders } from '../flux/ratelimit.js';
import type { Pipeline, ProcessedEvent } from '../runner/pipeline.js';

export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

export interface ReceiverOptions {
  /** What processes an event: the headless pipeline, or the TUI's runner. */
  pipeline: Pick<Pipeline, 'process'>;
  now?: () => number;
  /** Called for every event that got past decoding (202 or 429). */
  onEvent(p: ProcessedEvent): void;
  /** Called for requests refused before processing (400/413), for logs. */
  onReject?(status: number, why: string): void;
}

/** Reads at most limit + 1 bytes; more than the limit means 413. */
function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}

export function handleRequest(opts: ReceiverOptions) {
  const now = opts.now ?? Date.now;
  return async (req: IncomingMessage, res: ServerResponse) => {
    let read;
    try {
      read = await readBody(req);
    } catch (e) {
      opts.onReject?.(400, `body read error: ${(e as Error).message}`);
      res.writeHead(400).end();
      return;
    }
    if (read.tooLarge) {
      opts.onReject?.(413, `body larger than ${MAX_REQUEST_BYTES} bytes`);
      res.writeHead(413).end();
      return;
    }
    let event;
    try {
      event = decodeFluxEvent(read.body.toString('utf8'));
    } catch (e) {
      if (!(e instanceof EventDecodeError)) throw e;
      opts.onReject?.(400, `decoding the request body failed: ${e.message}`);
      res.writeHead(400).end();
      return;
    }
    const p = opts.pipeline.process(fluxInput(event), now());
    const headers = rateLimitHeaders(p.rate);
    opts.onEvent(p);
    if (p.rateLimited) {
      res.writeHead(429, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end('Too Many Requests\n');
      return;
    }
    res.writeHead(202, headers).end();
  };
}

export interface RunningReceiver {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Parses ADDR like Go's listen address: ":9090", "127.0.0.1:9090", "[::1]:0". */
export function parseListenAddress(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(addr);
  if (!m) throw new Error(`invalid listen address ${JSON.stringify(addr)}: expected HOST:PORT or :PORT`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`invalid port in listen address ${JSON.stringify(addr)}`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export function startReceiver(addr: string, opts: ReceiverOptions): Promise<RunningReceiver> {
  const { host, port } = parseListenAddress(addr);
  const handler = handleRequest(opts);
  const server = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
    handler(req, res).catch((e: unknown) => {
      opts.onReject?.(500, (e as Error).message);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address() as AddressInfo;
      const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve({
        server,
        url: `http://${h}:${a.port}/`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
