// Each fixture scenario loads, decides and delivers (mock) without errors, and shows what its
// README line promises.
import { describe, expect, it } from 'vitest';
import { cli } from './commands/run-cli.js';

interface Line {
  index: number;
  event: { involvedObject: { kind: string; namespace: string; name: string } };
  rateLimited: boolean;
  alerts: Array<{ alert: string; outcome: string; reason: string; controllerEvents?: Array<{ reason: string; message: string }> }>;
  deliveries: Array<{ alert: string; provider: string; type: string; outcome: string; note?: string; preview?: { operation?: string; context?: string; notes?: string[] } | null }>;
}

async function replay(name: string, ...extra: string[]): Promise<Line[]> {
  const r = await cli('replay', '--events', `fixtures/${name}`, ...extra);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
}

const reasons = (lines: Line[]) => new Set(lines.flatMap((l) => l.alerts.map((a) => a.reason)));

describe('fixture scenarios (fixtures/README.md)', () => {
  it('commit-status: the repeated success is listed then skipped (GitHub dedupe), and the second Provider collides on the same context', async () => {
    const lines = await replay('commit-status');
    const gh = lines.flatMap((l) => l.deliveries).filter((d) => d.type === 'github');
    const skipped = gh.filter((d) => d.outcome === 'skipped');
    expect(skipped.some((d) => d.provider === 'flux-system/github-status' && d.preview?.operation === 'list' && /already 'success'/.test(d.note ?? ''))).toBe(true);
    // staging writes over production's context and is deduped against production's status
    expect(gh.some((d) => d.provider === 'flux-system/github-status-staging' && d.outcome === 'delivered' && (d.preview?.notes ?? []).some((n) => n.startsWith("replaces success 'reconciliation succeeded' of context 'kustomization/apps/0c9c2e41'")))).toBe(true);
    expect(skipped.some((d) => d.provider === 'flux-system/github-status-staging')).toBe(true);
    // Progressing has no commit_status marker and is not an error: dropped before the notifier
    expect(reasons(lines).has('commit-status-missing-commit')).toBe(true);
  });

  it('outage-flood: hundreds of duplicate errors, most dropped by the rate limiter', async () => {
    const lines = await replay('outage-flood');
    expect(lines.length).toBeGreaterThanOrEqual(250);
    const limited = lines.filter((l) => l.rateLimited).length;
    expect(limited).toBeGreaterThanOrEqual(100);
    const delivered = lines.flatMap((l) => l.deliveries).filter((d) => d.type === 'slack' && d.outcome === 'delivered').length;
    expect(delivered).toBe(lines.length - limited);
  });

  it('multi-namespace: provider-not-found always; cross-namespace-blocked only with --no-cross-namespace-refs', async () => {
    const open = reasons(await replay('multi-namespace'));
    expect(open.has('provider-not-found')).toBe(true);
    expect(open.has('cross-namespace-blocked')).toBe(false);
    const blocked = reasons(await replay('multi-namespace', '--no-cross-namespace-refs'));
    expect(blocked.has('cross-namespace-blocked')).toBe(true);
    expect(blocked.has('provider-not-found')).toBe(true);
  });

  it('filters: inclusion/exclusion, suspended alert and provider, InvalidConfig and SourceFetchFailed', async () => {
    const lines = await replay('filters');
    const r = reasons(lines);
    expect(r.has('not-included')).toBe(true);
    expect(r.has('excluded')).toBe(true);
    expect(r.has('alert-suspended')).toBe(true);
    expect(r.has('provider-suspended')).toBe(true);
    const events = lines.flatMap((l) => l.alerts.flatMap((a) => a.controllerEvents ?? []));
    expect(events).toContainEqual({ reason: 'InvalidConfig', message: 'failed to compile exclusion regex: ^(?!.*podinfo)' });
    expect(events).toContainEqual({ reason: 'SourceFetchFailed', message: 'error getting source object Kustomization/flux-system/tenants' });
    // matchLabels: infrastructure (team=platform) reaches the platform alert, apps (team=apps) does not
    const platform = (name: string) => lines.filter((l) => l.event.involvedObject.name === name && l.deliveries.some((d) => d.alert === 'flux-system/platform')).length;
    expect(platform('infrastructure')).toBeGreaterThan(0);
    expect(platform('apps')).toBe(0);
  });
});
