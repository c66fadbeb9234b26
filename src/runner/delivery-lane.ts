// One place that decides how a dispatch is delivered in a run: MOCK goes through the real
// transport with msw answering (mocks/), REAL through the same transport to the services. msw
// patches the process's fetch, so the lane switches it on for MOCK and off for REAL, waiting for
// in-flight deliveries of the other mode first. Mock deliveries run one at a time so each one's
// outbox entries (and previews) can be told apart.

import type { Catalog } from '../flux/catalog.js';
import type { Dispatch } from '../flux/dispatch.js';
import { MockState, type OutboxEntry } from '../../mocks/state.js';
import { startMockServer, type MockServer } from '../../mocks/server.js';
import { deliverDispatch, dispatchSecrets, type DeliveryResult } from './delivery.js';
import { maskSecrets } from '../transport/masking.js';
import { preloadClientLibrary } from '../transport/messages.js';

export interface LaneOptions {
  /** Hosts let through in mock mode (the cluster's API server). Loopback always passes. */
  allowHosts?: string[];
  showSecrets?: boolean;
  state?: MockState;
}

export class DeliveryLane {
  readonly state: MockState;
  private server: MockServer | undefined;
  private starting: Promise<MockServer> | undefined;
  private inFlight = 0;
  private inFlightMode: 'mock' | 'real' | undefined;
  private idle: Array<() => void> = [];
  private mockChain: Promise<unknown> = Promise.resolve();

  constructor(private catalog: Catalog, private readonly opts: LaneOptions = {}) {
    this.state = opts.state ?? new MockState();
  }

  /** Providers may change (cluster edits): their addresses are captured from then on. */
  setCatalog(c: Catalog) {
    this.catalog = c;
    this.registerHmacKeys();
    if (this.server) for (const a of providerAddresses(c)) this.server.addProviderAddress(a);
  }

  private async waitIdle(mode: 'mock' | 'real') {
    while (this.inFlight > 0 && this.inFlightMode !== mode) await new Promise<void>((r) => this.idle.push(r));
  }

  /** The mock verifies generic-hmac signatures with the key the Provider's Secret holds. */
  private registerHmacKeys() {
    for (const p of this.catalog.allProviders()) {
      if (p.spec.type !== 'generic-hmac' || !p.spec.secretRef) continue;
      const token = this.catalog.secret(p.metadata.namespace, p.spec.secretRef.name)?.data.token;
      const addr = this.catalog.providerAddress(p);
      if (token && addr) this.state.setHmacKey(addr, token.toString('utf8'));
    }
  }

  private async ensureMock(): Promise<void> {
    if (this.server) return;
    this.registerHmacKeys();
    this.starting ??= startMockServer(this.state, { allowHosts: this.opts.allowHosts, providerAddresses: providerAddresses(this.catalog) });
    this.server = await this.starting;
    this.starting = undefined;
  }

  private async ensureReal(): Promise<void> {
    if (!this.server) return;
    const s = this.server;
    this.server = undefined;
    await s.stop();
  }

  async deliver(d: Dispatch, mode: 'mock' | 'real'): Promise<DeliveryResult> {
    await this.waitIdle(mode);
    this.inFlight++;
    this.inFlightMode = mode;
    try {
      if (mode === 'real') {
        await this.ensureReal();
        await preloadClientLibrary(d.provider.spec.type);
        return await deliverDispatch(d, { mode: 'real', showSecrets: this.opts.showSecrets });
      }
      const run = this.mockChain.then(async () => {
        await this.ensureMock();
        const mark = this.state.lastId();
        const r = await deliverDispatch(d, { mode: 'mock', showSecrets: this.opts.showSecrets });
        attachPreview(r, this.state.since(mark), this.opts.showSecrets ? [] : dispatchSecrets(d));
        return r;
      });
      this.mockChain = run.catch(() => undefined);
      return await run;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) {
        this.inFlightMode = undefined;
        const w = this.idle;
        this.idle = [];
        for (const r of w) r();
      }
    }
  }

  async close(): Promise<void> {
    await this.mockChain;
    await this.ensureReal();
  }
}

function providerAddresses(c: Catalog): Array<{ address: string; type: string }> {
  const out: Array<{ address: string; type: string }> = [];
  for (const p of c.allProviders()) {
    const addr = c.providerAddress(p);
    if (addr) out.push({ address: addr, type: p.spec.type });
  }
  return out;
}

/** The preview of the last request that produced one (the write, after any preflight list). */
function attachPreview(r: DeliveryResult, entries: OutboxEntry[], secrets: string[]) {
  const mask = (v: unknown) => JSON.parse(maskSecrets(JSON.stringify(v), secrets));
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.previewError) {
      r.preview = mask(e.previewError);
      return;
    }
    if (e.preview) {
      r.preview = mask(e.preview);
      return;
    }
  }
}
