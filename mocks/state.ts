// The state of one mock run: what the mock endpoints received and answered (the outbox), what
// they know (Slack channels and tokens, GitHub repositories...), what they stored (commit
// statuses, comments) and the faults they were told to inject. One MockState per run, so two
// runs never see each other's statuses, and a test starts from a clean slate.

import type { CommitStatusEntry, Preview, PreviewError } from '../src/runner/preview-model.js';

export type FaultKind = '429' | '500' | 'timeout';

/** A fault to inject: which requests it hits, what it does, and how many times. */
export interface FaultRule {
  /**
   * A host (`hooks.slack.com`, `api.github.com:443`), a host pattern with a leading `*.`
   * (`*.webhook.office.com`), or a service name as the mocks call themselves (`slack`,
   * `msteams`, `github`, `gitlab`, `discord`, `googlechat`, `alertmanager`, `generic`, or a
   * provider type such as `telegram` for the capture endpoints).
   */
  target: string;
  fault: FaultKind;
  /** How many matching requests it hits; absent: every one. */
  count?: number;
  /** For '429': the Retry-After header in seconds (absent: none, so the client's own back-off runs). */
  retryAfterSeconds?: number;
}

/** One request a mock endpoint received, with what it answered. */
export interface OutboxEntry {
  id: number;
  /** When the request arrived (ISO 8601). */
  at: string;
  /** The service that answered (`slack`, `github`, `telegram`...). */
  service: string;
  method: string;
  url: string;
  /** Request headers as received, Go-canonical names. Secrets are NOT masked here (see GenericPreview). */
  headers: Record<string, string>;
  /** Request body as UTF-8 text, or base64 when the bytes are not valid UTF-8 (bodyEncoding says so). */
  body: string;
  bodyEncoding?: 'base64';
  /** Status answered; 0 while a 'timeout' fault holds the request (no answer ever comes). */
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
  /** Set when a fault rule answered instead of the service. */
  fault?: FaultKind;
  preview?: Preview;
  previewError?: PreviewError;
}

export interface MockConfig {
  /** Known Slack data. A list that is absent means "any value is known". */
  slack?: {
    /** Channel names (with or without `#`) or IDs chat.postMessage accepts. */
    channels?: string[];
    /** Tokens chat.postMessage accepts. Absent: any token that starts with `xox` (Slack's token prefix). */
    tokens?: string[];
    /** Incoming-webhook paths (`/services/T…/B…/…`) that exist. Absent: any well-formed one. */
    webhooks?: string[];
  };
  github?: {
    /** `owner/repo` (case-insensitive, as GitHub); absent: any repository exists. */
    repos?: string[];
    /** Accepted tokens; absent: any non-empty token. */
    tokens?: string[];
    /** Known commit SHAs; absent: any 40-hex SHA exists. */
    commits?: string[];
  };
  gitlab?: {
    /** Project paths (`group/project`) or numeric ids; absent: any project exists. */
    projects?: string[];
    tokens?: string[];
  };
  discord?: {
    /** Webhook ids (the number in `/api/webhooks/<id>/<token>`); absent: any numeric id. */
    webhooks?: string[];
  };
  /** HMAC keys for generic-hmac receivers, by full address (path included) or by host. */
  hmacKeys?: Record<string, string>;
  faults?: FaultRule[];
  /** Outbox size; older entries are dropped first (the run's history is bounded). Default 500. */
  maxEntries?: number;
}

/** A provider address the runner loaded: requests to its host are captured. */
export interface ProviderAddress {
  address: string;
  /** The Provider's type, so the right mock answers (`generic-hmac`, `msteams`...). */
  type?: string;
}

/** A stored commit status with the key it was posted under. */
export interface StoredStatus extends CommitStatusEntry {
  sha: string;
}

/** A stored pull/merge request comment (GitHub issue comments, GitLab notes, Gitea comments). */
export interface StoredComment {
  id: number;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export type OutboxListener = (entry: OutboxEntry) => void;

/** host[:port] of a URL, port dropped when it is the scheme's default. */
export function hostOf(url: URL): string {
  return url.host.toLowerCase();
}

function hostMatches(pattern: string, url: URL): boolean {
  const p = pattern.toLowerCase();
  const host = hostOf(url);
  const hostname = url.hostname.toLowerCase();
  if (p.startsWith('*.')) return hostname.endsWith(p.slice(1));
  return p === host || p === hostname;
}

export class MockState {
  readonly config: MockConfig;
  private readonly entries: OutboxEntry[] = [];
  private nextId = 1;
  private readonly listeners = new Set<OutboxListener>();
  private faults: Array<FaultRule & { left: number }> = [];
  private readonly addresses: ProviderAddress[] = [];
  /** Commit statuses by `<service>|<host>|<repo or project>|<sha>`, oldest first. */
  private readonly statuses = new Map<string, StoredStatus[]>();
  private readonly comments = new Map<string, StoredComment[]>();
  private counter = 1000;
  private readonly maxEntries: number;
  readonly now: () => Date;

  constructor(config: MockConfig = {}, opts: { now?: () => Date } = {}) {
    this.config = config;
    this.now = opts.now ?? (() => new Date());
    this.maxEntries = config.maxEntries ?? 500;
    for (const f of config.faults ?? []) this.injectFault(f);
  }

  // ---- outbox ----------------------------------------------------------------------------------

  /** A copy of the outbox, oldest first. */
  outbox(): OutboxEntry[] {
    return this.entries.slice();
  }

  /** Entries with an id greater than `id` (what arrived since a mark). */
  since(id: number): OutboxEntry[] {
    return this.entries.filter((e) => e.id > id);
  }

  /** The id of the newest entry (0 when empty): a mark for `since`. */
  lastId(): number {
    return this.nextId - 1;
  }

  subscribe(listener: OutboxListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds an entry (id and time assigned here) and tells the listeners. */
  record(entry: Omit<OutboxEntry, 'id' | 'at'>): OutboxEntry {
    const full: OutboxEntry = { id: this.nextId++, at: this.now().toISOString(), ...entry };
    this.entries.push(full);
    if (this.entries.length > this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
    for (const l of this.listeners) l(full);
    return full;
  }

  /** Completes an entry recorded early (a held 'timeout' request) and tells the listeners again. */
  update(entry: OutboxEntry, patch: Partial<Omit<OutboxEntry, 'id' | 'at'>>): void {
    Object.assign(entry, patch);
    for (const l of this.listeners) l(entry);
  }

  // ---- faults ----------------------------------------------------------------------------------

  injectFault(rule: FaultRule): void {
    this.faults.push({ ...rule, left: rule.count ?? Number.POSITIVE_INFINITY });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The fault for this request, if any rule matches; counts it against the rule. */
  takeFault(url: URL, service: string): FaultRule | undefined {
    const rule = this.faults.find((f) => f.left > 0 && (f.target === service || hostMatches(f.target, url)));
    if (!rule) return undefined;
    rule.left--;
    const { left: _left, ...out } = rule;
    return out;
  }

  // ---- provider addresses (capture) --------------------------------------------------------------

  addProviderAddress(a: ProviderAddress | string): void {
    this.addresses.push(typeof a === 'string' ? { address: a } : a);
  }

  /**
   * The Provider address a request belongs to: the longest address prefix of the URL wins, else
   * any address on the same host (a provider may post to paths of its own making).
   */
  providerFor(url: URL): ProviderAddress | undefined {
    let best: ProviderAddress | undefined;
    let bestLen = -1;
    let sameHost: ProviderAddress | undefined;
    const target = url.href;
    for (const a of this.addresses) {
      let u: URL;
      try {
        u = new URL(a.address);
      } catch {
        continue;
      }
      if (u.protocol !== url.protocol || hostOf(u) !== hostOf(url)) continue;
      sameHost ??= a;
      const prefix = u.origin + u.pathname;
      if (target.startsWith(prefix) && prefix.length > bestLen) {
        best = a;
        bestLen = prefix.length;
      }
    }
    return best ?? sameHost;
  }

  // ---- HMAC keys ------------------------------------------------------------------------------------

  setHmacKey(addressOrHost: string, key: string): void {
    this.config.hmacKeys = { ...(this.config.hmacKeys ?? {}), [addressOrHost]: key };
  }

  /** The key for a request: its exact URL without the query, else its host. */
  hmacKeyFor(url: URL): string | undefined {
    const keys = this.config.hmacKeys ?? {};
    const exact = keys[url.origin + url.pathname] ?? keys[url.href];
    if (exact !== undefined) return exact;
    return keys[hostOf(url)] ?? keys[url.hostname];
  }

  // ---- commit statuses -------------------------------------------------------------------------------

  statusesFor(key: string): StoredStatus[] {
    return this.statuses.get(key) ?? [];
  }

  addStatus(key: string, s: Omit<StoredStatus, 'id' | 'createdAt'>): StoredStatus {
    const stored: StoredStatus = { ...s, id: this.newId(), createdAt: this.now().toISOString() };
    const list = this.statuses.get(key) ?? [];
    list.push(stored);
    this.statuses.set(key, list);
    return stored;
  }

  // ---- comments -----------------------------------------------------------------------------------------

  commentsFor(key: string): StoredComment[] {
    return this.comments.get(key) ?? [];
  }

  addComment(key: string, body: string, author: string): StoredComment {
    const at = this.now().toISOString();
    const c: StoredComment = { id: this.newId(), body, author, createdAt: at, updatedAt: at };
    const list = this.comments.get(key) ?? [];
    list.push(c);
    this.comments.set(key, list);
    return c;
  }

  /** Finds a comment by id in any thread. */
  findComment(id: number): StoredComment | undefined {
    for (const list of this.comments.values()) {
      const c = list.find((x) => x.id === id);
      if (c) return c;
    }
    return undefined;
  }

  newId(): number {
    return this.counter++;
  }

  /** Forgets everything received and stored (configuration and provider addresses stay). */
  reset(): void {
    this.entries.length = 0;
    this.statuses.clear();
    this.comments.clear();
  }
}
