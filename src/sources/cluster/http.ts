// The API client the cluster source uses: node:http(s) with the TLS, proxy (`proxy-url`) and auth
// options client-node derives from the kubeconfig (tokens, client certs, exec plugins). Our own
// requests rather than client-node's typed APIs and Watch because we need raw JSON (its typed lists
// turn timestamps into Dates while watches give strings), any Accept header (PartialObjectMetadata),
// bookmarks, and a watch that reports how it ended: normal close, HTTP error, or dropped connection.
// Credentials failures are told apart from network ones: an exec plugin that fails, a server
// certificate the kubeconfig's CA does not vouch for.

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** A Kubernetes `Status` failure, or a transport error (code 0). */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or the Status code of a watch ERROR event; 0 for transport failures. */
    readonly code: number,
    readonly reason = '',
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get gone(): boolean {
    return this.code === 410;
  }

  get forbidden(): boolean {
    return this.code === 403;
  }
}

export type Json = Record<string, unknown>;

export interface WatchEvent {
  type: string;
  object: Json;
}

export interface WatchOptions {
  signal?: AbortSignal;
  /** Abort when nothing arrives for this long (the server's timeoutSeconds should end it first). */
  idleTimeoutMs?: number;
  /** Called once the server answered 200 and the stream is open. */
  onOpen?(): void;
}

const PARTIAL_METADATA_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function statusError(code: number, body: string, fallback: string): ApiError {
  try {
    const s = JSON.parse(body) as unknown;
    if (isObj(s) && s.kind === 'Status') {
      return new ApiError(typeof s.message === 'string' && s.message ? s.message : fallback, code, typeof s.reason === 'string' ? s.reason : '');
    }
  } catch {
    // not a Status: fall back to the HTTP status text
  }
  return new ApiError(fallback, code);
}

// Node's certificate verification codes that mean "the CA in the kubeconfig did not sign this".
const UNTRUSTED_SERVER_CERT = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** The transport failure as one short line: "connection refused", "connection dropped", … */
export function transportMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code && UNTRUSTED_SERVER_CERT.has(err.code)) {
    // The usual cause with kind: the cluster was recreated (new CA) and the kubeconfig is stale.
    return `TLS: the API server's certificate is not signed by the kubeconfig's certificate-authority (${err.code}); if the cluster was recreated, export its kubeconfig again (kind: kind export kubeconfig --name NAME)`;
  }
  if (err?.code === 'CERT_HAS_EXPIRED') return `TLS: the API server's certificate has expired (${err.code})`;
  if (err?.code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `TLS: ${err.message} (set tls-server-name on the kubeconfig cluster when the certificate names another host)`;
  switch (err?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'ENOTFOUND':
      return 'host not found';
    case 'EAI_AGAIN':
      return 'DNS lookup failed';
    default:
      return err?.message ?? String(e);
  }
}

/** How long options derived from an exec plugin are reused before client-node is asked again. */
const EXEC_REUSE_MS = 60_000;

/** A failing exec credential plugin, in one line naming the command. */
function execFailure(command: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  let why: string;
  if (err?.code === 'ENOENT') why = `${err.message} (is it installed and on PATH?)`;
  else if (e instanceof SyntaxError) why = `its output is not an ExecCredential JSON (${e.message})`;
  else why = (err?.message ?? String(e)).trim() || 'it exited with an error and printed nothing on stderr';
  return `exec credential plugin "${command}" failed: ${why}`;
}

export class KubeHttp {
  private execAuth: { at: number; opts: RequestOptions } | undefined;
  private execAuthInflight: Promise<RequestOptions> | undefined;

  constructor(private readonly kc: KubeConfig) {}

  /**
   * TLS options, auth headers and the agent, from the kubeconfig via client-node. An exec plugin
   * (or auth-provider) would be run by client-node on every request whose credential carries no
   * expirationTimestamp, and once per concurrent request before its cache fills: its result is
   * shared and reused for a minute, or until the server answers 401.
   */
  private async authOptions(): Promise<RequestOptions> {
    const user = this.kc.getCurrentUser();
    const plugin = user?.exec ? String((user.exec as { command?: unknown }).command ?? '') : user?.authProvider ? `auth-provider ${user.authProvider.name}` : undefined;
    if (plugin === undefined) {
      const opts: RequestOptions = { method: 'GET', headers: {} };
      try {
        await this.kc.applyToHTTPSOptions(opts);
      } catch (e) {
        // e.g. a client-certificate or token file that cannot be read
        throw new ApiError(`kubeconfig user ${JSON.stringify(user?.name ?? '')}: ${(e as Error).message}`, 0, 'Credentials', e);
      }
      return opts;
    }
    if (this.execAuth && Date.now() - this.execAuth.at < EXEC_REUSE_MS) return this.execAuth.opts;
    if (!this.execAuthInflight) {
      const p = (async () => {
        const opts: RequestOptions = { method: 'GET', headers: {} };
        try {
          await this.kc.applyToHTTPSOptions(opts);
        } catch (e) {
          throw new ApiError(execFailure(plugin, e), 0, 'ExecPlugin', e);
        }
        this.execAuth = { at: Date.now(), opts };
        return opts;
      })();
      this.execAuthInflight = p;
      p.then(
        () => (this.execAuthInflight = undefined),
        () => (this.execAuthInflight = undefined),
      );
    }
    return this.execAuthInflight;
  }

  /** A 401 means the shared credential is stale: the next request asks for it again. */
  private refused(code: number) {
    if (code === 401) this.execAuth = undefined;
  }

  private base(): string {
    const c = this.kc.getCurrentCluster();
    if (!c) throw new ApiError('no current cluster in the kubeconfig', 0);
    return c.server.replace(/\/+$/, '');
  }

  private async open(path: string, accept: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<IncomingMessage> {
    const url = new URL(this.base() + path);
    // Auth headers, CA/client certificates and the proxy agent; asked for per request so that
    // expiring credentials are refreshed (an exec plugin's within a minute, or after a 401).
    const auth = await this.authOptions();
    const opts: RequestOptions = { ...auth, method: 'GET', headers: { ...(auth.headers as Record<string, string>), Accept: accept, 'User-Agent': 'flux-notify-tui' } };
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new ApiError('aborted', 0, 'Aborted'));
      const req = send(url, opts);
      let response: IncomingMessage | undefined;
      const onAbort = () => {
        const e = new ApiError('aborted', 0, 'Aborted');
        req.destroy(e);
        response?.destroy(e);
      };
      // The signal outlives many requests (a whole session): the listener must go with the request.
      const release = () => signal?.removeEventListener('abort', onAbort);
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('close', release);
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('socket', (s) => s.setKeepAlive(true, 30_000));
      req.on('response', (res) => {
        response = res;
        res.on('close', release);
        resolve(res);
      });
      req.on('error', (e) => {
        release();
        reject(e instanceof ApiError ? e : new ApiError(transportMessage(e), 0, '', e));
      });
      req.end();
    });
  }

  private static readBody(res: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', (e) => reject(e instanceof ApiError ? e : new ApiError(transportMessage(e), 0, '', e)));
    });
  }

  /** GET a JSON document; non-2xx answers throw ApiError with the Status message and code. */
  async get(path: string, o: { accept?: string; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Json> {
    const res = await this.open(path, o.accept ?? 'application/json', o.signal, o.timeoutMs ?? 30_000);
    const body = await KubeHttp.readBody(res);
    const code = res.statusCode ?? 0;
    this.refused(code);
    if (code < 200 || code > 299) throw statusError(code, body, res.statusMessage || `HTTP ${code}`);
    try {
      const v = JSON.parse(body) as unknown;
      if (!isObj(v)) throw new Error('not an object');
      return v;
    } catch (e) {
      throw new ApiError(`invalid JSON from ${path}: ${(e as Error).message}`, code);
    }
  }

  /** GET of an object's metadata only (what NC's cache reads for matchLabels). */
  getMetadata(path: string, signal?: AbortSignal): Promise<Json> {
    return this.get(path, { accept: PARTIAL_METADATA_ACCEPT, ...(signal ? { signal } : {}) });
  }

  /**
   * Streams a watch. Resolves when the server ends the stream normally; rejects with ApiError for
   * an HTTP error answer (code = HTTP status) or a dropped connection (code 0). ERROR events are
   * passed to `onEvent` like any other: the caller decides (410 means re-list).
   */
  async watch(path: string, query: Record<string, string>, onEvent: (e: WatchEvent) => void, o: WatchOptions = {}): Promise<void> {
    const qs = new URLSearchParams({ ...query, watch: 'true' }).toString();
    const idle = o.idleTimeoutMs ?? 10 * 60_000;
    const res = await this.open(`${path}?${qs}`, 'application/json', o.signal, idle);
    const code = res.statusCode ?? 0;
    this.refused(code);
    if (code !== 200) {
      const body = await KubeHttp.readBody(res).catch(() => '');
      throw statusError(code, body, res.statusMessage || `HTTP ${code}`);
    }
    o.onOpen?.();
    res.setEncoding('utf8');
    return new Promise((resolve, reject) => {
      let buf = '';
      let ended = false;
      let failed = false;
      const fail = (e: ApiError) => {
        if (failed || ended) return;
        failed = true;
        res.destroy();
        reject(e);
      };
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          let ev: unknown;
          try {
            ev = JSON.parse(line);
          } catch {
            fail(new ApiError(`undecodable watch line: ${line.slice(0, 80)}`, 0, 'Decode'));
            return;
          }
          if (!isObj(ev) || typeof ev.type !== 'string' || !isObj(ev.object)) continue;
          try {
            onEvent({ type: ev.type, object: ev.object });
          } catch (e) {
            // The handler ends the watch by throwing: an ApiError (e.g. from an ERROR event) as is.
            fail(e instanceof ApiError ? e : new ApiError(`watch handler failed: ${(e as Error).message}`, 0, 'Handler', e));
            return;
          }
        }
      });
      res.on('end', () => {
        if (failed) return;
        ended = true;
        resolve();
      });
      // A premature close (socket destroyed, idle timeout, abort) never emits 'end'.
      res.on('error', (e) => fail(e instanceof ApiError ? e : new ApiError(`connection dropped: ${transportMessage(e)}`, 0, '', e)));
      res.on('close', () => fail(new ApiError('connection dropped', 0)));
      // Idle detection: no bytes for `idle` ms means a dead peer the TCP stack has not noticed.
      res.socket?.setTimeout(idle, () => res.destroy(new ApiError(`watch idle for ${idle} ms`, 0, 'Timeout')));
    });
  }
}
