// The per-run mock state: a bounded, inspectable outbox, fault rules that run out, Provider
// addresses matched by their longest prefix, HMAC keys by address or host.

import { describe, expect, it } from 'vitest';
import { MockState, type OutboxEntry } from '../../mocks/state.js';

const entry = (url: string): Omit<OutboxEntry, 'id' | 'at'> => ({
  service: 'generic', method: 'POST', url, headers: {}, body: '', status: 200, responseHeaders: {}, responseBody: '',
});

describe('mock state', () => {
  it('state: the outbox keeps the newest maxEntries entries, ids keep counting (history is bounded)', () => {
    const s = new MockState({ maxEntries: 2 }, { now: () => new Date('2025-06-01T12:00:00Z') });
    for (const n of [1, 2, 3]) s.record(entry(`https://x.example/${n}`));
    expect(s.outbox().map((e) => [e.id, e.url])).toEqual([[2, 'https://x.example/2'], [3, 'https://x.example/3']]);
    expect(s.outbox()[0]!.at).toBe('2025-06-01T12:00:00.000Z');
    expect(s.lastId()).toBe(3);
    expect(s.since(2).map((e) => e.id)).toEqual([3]);
  });

  it('state: listeners see each entry as it is recorded, and stop after unsubscribing', () => {
    const s = new MockState();
    const seen: number[] = [];
    const off = s.subscribe((e) => seen.push(e.id));
    s.record(entry('https://x.example/a'));
    off();
    s.record(entry('https://x.example/b'));
    expect(seen).toEqual([1]);
  });

  it('state: a fault with a count hits that many matching requests, by host, host pattern or service', () => {
    const s = new MockState({ faults: [{ target: '*.webhook.office.com', fault: '500', count: 1 }] });
    s.injectFault({ target: 'slack', fault: '429', count: 2 });
    const teams = new URL('https://acme.webhook.office.com/webhookb2/x');
    const slack = new URL('https://hooks.slack.com/services/a/b/c');
    expect(s.takeFault(teams, 'msteams')?.fault).toBe('500');
    expect(s.takeFault(teams, 'msteams')).toBeUndefined();
    expect(s.takeFault(slack, 'slack')?.fault).toBe('429');
    expect(s.takeFault(slack, 'slack')?.fault).toBe('429');
    expect(s.takeFault(slack, 'slack')).toBeUndefined();
  });

  it('state: a fault without a count hits every matching request until cleared', () => {
    const s = new MockState();
    s.injectFault({ target: 'api.github.com', fault: 'timeout' });
    const u = new URL('https://api.github.com/repos/o/r/statuses/x');
    expect(s.takeFault(u, 'github')?.fault).toBe('timeout');
    expect(s.takeFault(u, 'github')?.fault).toBe('timeout');
    s.clearFaults();
    expect(s.takeFault(u, 'github')).toBeUndefined();
  });

  it('state: a request belongs to the Provider address with the longest matching prefix, else any on its host', () => {
    const s = new MockState();
    s.addProviderAddress({ address: 'https://hooks.acme.example/', type: 'generic' });
    s.addProviderAddress({ address: 'https://hooks.acme.example/flux/signed', type: 'generic-hmac' });
    expect(s.providerFor(new URL('https://hooks.acme.example/flux/signed?x=1'))?.type).toBe('generic-hmac');
    expect(s.providerFor(new URL('https://hooks.acme.example/other'))?.type).toBe('generic');
    expect(s.providerFor(new URL('http://hooks.acme.example/other'))).toBeUndefined();
    expect(s.providerFor(new URL('https://elsewhere.example/'))).toBeUndefined();
  });

  it('state: an HMAC key given for the exact address wins over one given for the host', () => {
    const s = new MockState({ hmacKeys: { 'hooks.acme.example': 'host-key' } });
    s.setHmacKey('https://hooks.acme.example/flux', 'address-key');
    expect(s.hmacKeyFor(new URL('https://hooks.acme.example/flux?x=1'))).toBe('address-key');
    expect(s.hmacKeyFor(new URL('https://hooks.acme.example/other'))).toBe('host-key');
  });

  it('state: reset forgets the outbox and stored statuses but keeps the configuration', () => {
    const s = new MockState({ slack: { channels: ['general'] } });
    s.record(entry('https://x.example/a'));
    s.addStatus('k', { sha: 'a', state: 'success', context: 'c' });
    s.reset();
    expect(s.outbox()).toEqual([]);
    expect(s.statusesFor('k')).toEqual([]);
    expect(s.config.slack?.channels).toEqual(['general']);
  });
});
