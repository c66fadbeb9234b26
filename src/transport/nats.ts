// Real delivery for `nats` messages (providers §4.20): connect, one PUB, flush, close, with the
// nats.js client. The controller uses nats.go, so what this module adds is the translation:
// nats.go's connect options and its error texts, and its quirk of judging the publish only by
// the connection's last server error (Publish and Flush errors are ignored upstream).
//
// Reply contract (src/providers/nats.ts): `{status: 200}` when upstream would report success;
// otherwise the Go-style error text in `body` and header `stage` = `connect` or `publish`.

import {
  connect,
  credsAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  ErrorCode,
  NatsError,
  type Authenticator,
  type ConnectionOptions,
  type NatsConnection,
} from 'nats';
import type { HttpReply, NotifierOptions, PlannedMessage } from '../providers/types.js';
import type { MessageHandler } from './deliver.js';
import { TransportError, describeFetchError } from './errors.js';
import { CONTEXT_CANCELED } from './retry.js';

/** nats.go's DefaultTimeout: the controller keeps the library default. */
export const NATS_CONNECT_TIMEOUT_MS = 2000;
/** nats.go's Flush() waits this long for the PONG. */
export const NATS_FLUSH_TIMEOUT_MS = 10_000;
export const NATS_CONNECTION_NAME = 'NATS Provider Publisher';

/** Go's nats.ErrNoServers: every server refused the connection. */
const ERR_NO_SERVERS = 'nats: no servers available for connection';

/** An error whose text is already nats.go's. */
class GoConnectError extends Error {}

export interface NatsServerList {
  /** `host:port` for nats.js, in the order given. */
  servers: string[];
  /** A `tls://` URL makes nats.go require TLS for the whole pool. */
  secure: boolean;
  /** Credentials from a server URL: nats.go prefers them to the options' user and nkey. */
  urlAuth?: { user: string; pass?: string };
}

/**
 * The address as nats.go's Connect reads it: comma-separated, trimmed, trailing `/` dropped,
 * `nats://` assumed, port 4222 by default, an empty list meaning nats.go's default URL.
 * WebSocket URLs are refused: the Node transport of nats.js speaks plain TCP only.
 */
export function parseNatsServers(address: string): NatsServerList {
  const raw = address
    .split(',')
    .map((s) => s.trim().replace(/\/$/, ''))
    .filter((s) => s !== '');
  if (raw.length === 0) raw.push('nats://127.0.0.1:4222');
  const out: NatsServerList = { servers: [], secure: false };
  for (const s of raw) {
    const withScheme = s.includes('://') ? s : `nats://${s}`;
    let u: URL;
    try {
      u = new URL(withScheme);
    } catch {
      // nats.go's Connect fails on url.Parse; its exact reason is not reproduced.
      throw new GoConnectError(`parse "${withScheme}": invalid URL`);
    }
    const scheme = u.protocol.replace(/:$/, '').toLowerCase();
    if (scheme === 'ws' || scheme === 'wss') {
      const text = `NATS over WebSocket (${scheme}://) is not supported by this tool: nothing was sent to ${u.host}`;
      throw new TransportError(text, { kind: 'unsupported', attempts: 0, libraryMessage: text });
    }
    if (scheme === 'tls') out.secure = true;
    if (out.urlAuth === undefined && u.username !== '') {
      // nats.go: a URL user with a password (even an empty one) is user+password, without one
      // it is a token. WHATWG URL does not tell `user@` from `user:@`, the raw text does.
      out.urlAuth = { user: decodeURIComponent(u.username) };
      const userinfo = /^[^:]*:\/\/([^@/]*)@/.exec(withScheme)?.[1] ?? '';
      if (userinfo.includes(':')) out.urlAuth.pass = decodeURIComponent(u.password);
    }
    out.servers.push(`${u.hostname}:${u.port === '' ? '4222' : u.port}`);
  }
  return out;
}

/** Go's nkeys base32 skips line breaks, nats.js does not: a seed read from a file keeps working. */
const seedBytes = (b: Buffer) => new TextEncoder().encode(b.toString('latin1').replace(/[\r\n]/g, ''));

/**
 * Authenticators in upstream's priority, creds > nkey > user+password; credentials in a server URL
 * replace the last two (nats.go takes the URL user first and then skips the options' user and nkey).
 */
export function natsAuthenticators(opts: NotifierOptions, urlAuth?: NatsServerList['urlAuth']): Authenticator[] {
  const out: Authenticator[] = [];
  const creds = opts.secretData.creds;
  const nkey = opts.secretData.nkey;
  // The user JWT is sent even when the URL carries credentials (nats.go reads it separately).
  if (creds && creds.length > 0) {
    const inner = credsAuthenticator(new Uint8Array(creds));
    out.push((nonce) => {
      try {
        return inner(nonce);
      } catch {
        // nats.go finds no seed in the file only when signing the nonce.
        throw new GoConnectError('error signing nonce: unable to extract key pair from bytes: nkeys: no nkey seed found');
      }
    });
  }
  if (urlAuth) {
    out.push(
      urlAuth.pass === undefined
        ? tokenAuthenticator(urlAuth.user)
        : usernamePasswordAuthenticator(urlAuth.user, urlAuth.pass),
    );
    return out;
  }
  if (out.length > 0) return out;
  if (nkey && nkey.length > 0) {
    const inner = nkeyAuthenticator(seedBytes(nkey));
    out.push((nonce) => {
      // nats.go refuses nkey auth against a server that sends no nonce to sign.
      if (!nonce) throw new GoConnectError('nats: nkeys not supported by the server');
      try {
        return inner(nonce);
      } catch (e) {
        throw new GoConnectError(`error signing nonce: ${(e as Error).message}`);
      }
    });
  } else if (opts.username !== '' && opts.password !== '') {
    out.push(usernamePasswordAuthenticator(opts.username, opts.password));
  }
  return out;
}

interface NatsErrorLike {
  code?: unknown;
  message?: string;
  chainedError?: { code?: unknown; message?: string };
}

/** nats.go trims a server's `-ERR` argument and its quotes, keeping the case. */
const normalizeServerError = (s: string) => s.trim().replace(/^'+/, '').replace(/'+$/, '');

/** A nats.js connect failure as nats.go's Connect would report it. */
export function goConnectErrorText(e: unknown, host: string): string {
  if (e instanceof GoConnectError) return e.message;
  const err = (e ?? {}) as NatsErrorLike;
  const message = err.message ?? String(e);
  const chained = err.chainedError;
  switch (err.code) {
    case ErrorCode.ConnectionRefused:
      // nats.js reports a socket closed before INFO as refused with an "undefined error";
      // nats.go reads EOF there. A refused dial is "no servers" in nats.go.
      if (chained && chained.code === undefined && /undefined error/.test(chained.message ?? '')) return 'EOF';
      return ERR_NO_SERVERS;
    case ErrorCode.Timeout:
      // nats.go: `dial tcp <addr>: i/o timeout` or `read tcp <local>-><addr>: i/o timeout`; nats.js
      // does not say which step timed out, nor the local port.
      return 'i/o timeout';
    case ErrorCode.AuthorizationViolation:
    case ErrorCode.AuthenticationExpired:
    case ErrorCode.AuthenticationTimeout:
    case ErrorCode.AccountExpired:
    case ErrorCode.PermissionsViolation:
    case ErrorCode.ProtocolError:
      // A `-ERR` instead of the PONG that ends the handshake.
      return `nats: ${normalizeServerError(message)}`;
    case ErrorCode.BadCreds:
      return 'error signing nonce: unable to extract key pair from bytes: nkeys: no nkey seed found';
    case ErrorCode.ServerOptionNotAvailable:
      if (message === 'tls') return 'nats: secure connection not available';
      break;
    case ErrorCode.Tls:
      return describeFetchError(chained ?? e, { host }).text;
  }
  if (message === 'unexpected response from server') return 'nats: protocol exception, INFO not received';
  // Socket and TLS errors from node:net/node:tls (lookup, unreachable, certificate...) in Go's words.
  if (!(e instanceof NatsError) && typeof err.code === 'string') return describeFetchError(e, { host }).text;
  return message;
}

/** nats.go's LastError() after a `-ERR` from the server once connected. */
export function goServerErrorText(raw: string): string {
  const ne = normalizeServerError(raw);
  const e = ne.toLowerCase();
  if (e === 'stale connection') return 'nats: stale connection';
  if (e === 'maximum connections exceeded') return 'nats: server maximum connections exceeded';
  if (e.startsWith('permissions violation')) return `nats: permissions violation: ${ne}`;
  if (e.startsWith('authorization violation')) return 'nats: authorization violation';
  if (e.startsWith('user authentication expired')) return 'nats: authentication expired';
  if (e.startsWith('user authentication revoked')) return 'nats: authentication revoked';
  if (e.startsWith('account authentication expired')) return 'nats: account authentication expired';
  return `nats: ${ne}`;
}

/** nats.go's subject check: Publish refuses an empty subject or one with whitespace. */
const validSubject = (s: string) => s !== '' && !/[ \t\r\n]/.test(s);

function subjectOf(msg: PlannedMessage, opts: NotifierOptions): string {
  const p = msg.payload as { subject?: unknown } | null;
  return p && typeof p.subject === 'string' ? p.subject : opts.channel;
}

const failure = (stage: 'connect' | 'publish', body: string): HttpReply => ({
  status: stage === 'connect' ? 503 : 500,
  headers: { stage },
  body,
});

const canceledError = () =>
  new TransportError(CONTEXT_CANCELED, { kind: 'canceled', attempts: 1, libraryMessage: CONTEXT_CANCELED });

/**
 * Rejects when the user cancels. The provider timeout is deliberately ignored: upstream does not
 * bind the NATS connection or the publish to the request context.
 */
function whenCanceled(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    const check = () => {
      const reason: unknown = signal.reason;
      if (reason instanceof Error && reason.message === CONTEXT_CANCELED) reject(canceledError());
    };
    onAbort = check;
    if (signal.aborted) check();
    else signal.addEventListener('abort', check);
  });
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

export interface NatsHandlerOptions {
  connectTimeoutMs?: number;
  flushTimeoutMs?: number;
}

/** Publishes a planned `nats` message like the controller's notifier does. */
export function natsMessageHandler(opts: NotifierOptions, tuning: NatsHandlerOptions = {}): MessageHandler {
  return async (msg, signal) => {
    if (msg.transport !== 'nats') {
      const text = `${msg.transport} message given to the NATS transport: nothing was sent to ${msg.target}`;
      throw new TransportError(text, { kind: 'unsupported', attempts: 0, libraryMessage: text });
    }
    const subject = subjectOf(msg, opts);
    const data = Buffer.from(msg.payloadText ?? '', 'utf8');
    let list: NatsServerList;
    try {
      list = parseNatsServers(opts.url);
    } catch (e) {
      if (e instanceof GoConnectError) return failure('connect', e.message);
      throw e;
    }
    const canceled = whenCanceled(signal);
    try {
      const options: ConnectionOptions = {
        servers: list.servers,
        name: NATS_CONNECTION_NAME,
        timeout: tuning.connectTimeoutMs ?? NATS_CONNECT_TIMEOUT_MS,
        // One pass over the pool, like nats.go's first connect; a drop later ends the connection
        // instead of retrying in the background (upstream ignores that case anyway).
        reconnect: false,
        ...(list.secure ? { tls: {} } : {}),
      };
      const auth = natsAuthenticators(opts, list.urlAuth);
      if (auth.length > 0) options.authenticator = auth;

      const pending = connect(options);
      let nc: NatsConnection;
      try {
        nc = await Promise.race([pending, canceled.promise]);
      } catch (e) {
        if (e instanceof TransportError) {
          void pending.then((late) => late.close()).catch(() => {});
          throw e;
        }
        return failure('connect', goConnectErrorText(e, list.servers[0]?.replace(/:\d+$/, '') ?? ''));
      }
      try {
        return await publishOnce(nc, subject, data, tuning.flushTimeoutMs ?? NATS_FLUSH_TIMEOUT_MS, canceled.promise);
      } finally {
        await nc.close().catch(() => {});
      }
    } finally {
      canceled.dispose();
    }
  };
}

/** PUB, Flush, then the verdict from the server's errors only, as nats.go's LastError gives it. */
async function publishOnce(
  nc: NatsConnection,
  subject: string,
  data: Uint8Array,
  flushTimeoutMs: number,
  canceled: Promise<never>,
): Promise<HttpReply> {
  const serverErrors: string[] = [];
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type !== 'error') continue;
      if (s.permissionContext) {
        // nats.js keeps only the parts of a permissions error; nats-server's text is rebuilt from them.
        const op = s.permissionContext.operation === 'publish' ? 'Publish' : 'Subscription';
        serverErrors.push(goServerErrorText(`Permissions Violation for ${op} to "${s.permissionContext.subject}"`));
      } else {
        // The text of other server errors is only kept on the protocol handler.
        const last = (nc as unknown as { protocol?: { lastError?: { message?: string } } }).protocol?.lastError;
        serverErrors.push(goServerErrorText(last?.message ?? String(s.data)));
      }
    }
  })().catch(() => {});

  // Upstream ignores both of these errors; they only show in the reply for people to see.
  const ignored: string[] = [];
  if (!validSubject(subject)) {
    ignored.push('publish: nats: invalid subject (nothing was published)');
  } else {
    try {
      nc.publish(subject, data);
    } catch (e) {
      const code = (e as NatsErrorLike).code;
      const text = code === ErrorCode.MaxPayloadExceeded ? 'nats: maximum payload exceeded' : (e as Error).message;
      ignored.push(`publish: ${text} (nothing was published)`);
    }
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      nc.flush(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('nats: timeout')), flushTimeoutMs);
      }),
      canceled,
    ]);
  } catch (e) {
    if (e instanceof TransportError) throw e;
    const code = (e as NatsErrorLike).code;
    ignored.push(`flush: ${code === ErrorCode.ConnectionClosed || code === ErrorCode.Disconnect ? 'nats: connection closed' : (e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  // Status events are delivered asynchronously: let the ones read before the PONG arrive.
  await new Promise((r) => setImmediate(r));
  const last = serverErrors.at(-1);
  if (last !== undefined) return failure('publish', last);
  return {
    status: 200,
    headers: {},
    body: ignored.length > 0 ? `${ignored.join('; ')}; the controller ignores these errors and reports success` : '',
  };
}

/** Mock mode: the message counts as delivered to the mock and no socket is opened. */
export const natsMockMessageHandler: MessageHandler = async () => ({ status: 200, headers: {}, body: '' });
