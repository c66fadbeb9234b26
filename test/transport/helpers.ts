// Loopback-only fixtures for the transport tests: a throw-away PKI made with openssl, HTTP(S)
// servers, an HTTP proxy (CONNECT and absolute-form) and a SOCKS5 proxy. Every listener binds
// 127.0.0.1 and every forward goes to 127.0.0.1 only; other targets get an answer from the proxy.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RetryClock } from '../../src/transport/retry.js';

export interface Pki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second CA that signed nothing we use: trusting only it must fail. */
  otherCa: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** CA + server cert for 127.0.0.1 + client cert, EC P-256, valid for one day. */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'fnt-pki-'));
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    for (const name of ['ca', 'other']) {
      openssl(dir, ['req', '-x509', ...ec, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1',
        '-subj', `/CN=flux-notify-tui test ${name}`,
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    }
    writeFileSync(join(dir, 'srv.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    writeFileSync(join(dir, 'cli.ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
    for (const [name, cn] of [['srv', '127.0.0.1'], ['cli', 'flux-client']] as const) {
      openssl(dir, ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
      openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
        '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`]);
    }
    const rd = (f: string) => readFileSync(join(dir, f), 'utf8');
    return {
      ca: rd('ca.crt'), serverCert: rd('srv.crt'), serverKey: rd('srv.key'),
      clientCert: rd('cli.crt'), clientKey: rd('cli.key'), otherCa: rd('other.crt'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Started<S> {
  server: S;
  port: number;
  origin: string;
  close(): Promise<void>;
}

function listen<S extends net.Server>(server: S, scheme: string): Promise<Started<S>> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        server,
        port,
        origin: `${scheme}://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Remote port of the client socket: the same port twice means a reused connection. */
  remotePort: number;
}

export type Handler = (req: Recorded, res: http.ServerResponse) => void;

function recording(handler: Handler, log: Recorded[]) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort ?? 0,
      };
      log.push(r);
      handler(r, res);
    });
  };
}

export async function startHttp(handler: Handler): Promise<Started<http.Server> & { log: Recorded[] }> {
  const log: Recorded[] = [];
  const s = await listen(http.createServer(recording(handler, log)), 'http');
  return { ...s, log };
}

export async function startHttps(
  pki: Pki,
  handler: Handler,
  opts: { requireClientCert?: boolean } = {},
): Promise<Started<https.Server> & { log: Recorded[] }> {
  const log: Recorded[] = [];
  const server = https.createServer(
    {
      key: pki.serverKey,
      cert: pki.serverCert,
      ...(opts.requireClientCert ? { ca: pki.ca, requestCert: true, rejectUnauthorized: true } : {}),
    },
    recording(handler, log),
  );
  const s = await listen(server, 'https');
  return { ...s, log };
}

export interface ProxyStats {
  /** CONNECT targets, one per tunnel. */
  connects: string[];
  /** Absolute-form request URLs (plain-http targets). */
  forwarded: string[];
  proxyAuth: Array<string | undefined>;
}

/** An HTTP proxy: CONNECT tunnels and absolute-form requests to 127.0.0.1; other hosts get 299 from the proxy itself. */
export async function startHttpProxy(): Promise<Started<http.Server> & { stats: ProxyStats }> {
  const stats: ProxyStats = { connects: [], forwarded: [], proxyAuth: [] };
  const server = http.createServer((req, res) => {
    stats.forwarded.push(req.url ?? '');
    stats.proxyAuth.push(req.headers['proxy-authorization']);
    const target = new URL(req.url ?? '');
    if (target.hostname !== '127.0.0.1') {
      // Never leaves the machine: answer on behalf of the (unresolved) host.
      res.writeHead(299, { 'content-type': 'text/plain' });
      res.end(`answered by proxy for ${target.host}`);
      return;
    }
    const up = http.request(
      { host: '127.0.0.1', port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connect', (req: http.IncomingMessage, sock: net.Socket, head: Buffer) => {
    stats.connects.push(req.url ?? '');
    stats.proxyAuth.push(req.headers['proxy-authorization']);
    const [host, port] = (req.url ?? '').split(':');
    if (host !== '127.0.0.1') {
      sock.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const up = net.connect(Number(port), '127.0.0.1', () => {
      sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(sock);
      sock.pipe(up);
    });
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  const s = await listen(server, 'http');
  return { ...s, stats };
}

export interface SocksStats {
  targets: string[];
  auth: Array<{ user: string; pass: string }>;
}

/** A minimal SOCKS5 proxy (RFC 1928/1929) that only connects to 127.0.0.1. */
export async function startSocks5(requireAuth?: { user: string; pass: string }): Promise<Started<net.Server> & { stats: SocksStats }> {
  const stats: SocksStats = { targets: [], auth: [] };
  const server = net.createServer((sock) => {
    sock.on('error', () => undefined);
    const request = () =>
      sock.once('data', (b: Buffer) => {
        let host = '';
        let off = 4;
        if (b[3] === 1) {
          host = [...b.subarray(4, 8)].join('.');
          off = 8;
        } else if (b[3] === 3) {
          const len = b[4]!;
          host = b.subarray(5, 5 + len).toString('latin1');
          off = 5 + len;
        }
        const port = b.readUInt16BE(off);
        stats.targets.push(`${host}:${port}`);
        if (host !== '127.0.0.1') {
          sock.end(Buffer.from([5, 2, 0, 1, 0, 0, 0, 0, 0, 0]));
          return;
        }
        const up = net.connect(port, '127.0.0.1', () => {
          sock.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          up.pipe(sock);
          sock.pipe(up);
        });
        up.on('error', () => sock.destroy());
      });
    sock.once('data', (greeting: Buffer) => {
      const methods = [...greeting.subarray(2, 2 + greeting[1]!)];
      if (requireAuth) {
        if (!methods.includes(2)) {
          sock.end(Buffer.from([5, 0xff]));
          return;
        }
        sock.write(Buffer.from([5, 2]));
        sock.once('data', (a: Buffer) => {
          const ulen = a[1]!;
          const user = a.subarray(2, 2 + ulen).toString('utf8');
          const plen = a[2 + ulen]!;
          const pass = a.subarray(3 + ulen, 3 + ulen + plen).toString('utf8');
          stats.auth.push({ user, pass });
          const ok = user === requireAuth.user && pass === requireAuth.pass;
          sock.write(Buffer.from([1, ok ? 0 : 1]));
          if (ok) request();
          else sock.end();
        });
      } else {
        sock.write(Buffer.from([5, 0]));
        request();
      }
    });
  });
  const s = await listen(server, 'socks5');
  return { ...s, stats };
}

/** A loopback port with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = await listen(net.createServer(), 'tcp');
  await s.close();
  return s.port;
}

/** A virtual clock: sleeps return at once and move time forward; random() is fixed. */
export function fakeClock(start = Date.UTC(2025, 5, 1, 12, 0, 0), random = 0) {
  let now = start;
  const sleeps: number[] = [];
  const clock: RetryClock = {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => random,
  };
  return { clock, sleeps, advance: (ms: number) => (now += ms), now: () => now };
}
