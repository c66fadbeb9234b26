// Small text helpers shared by the panes: times, colours by severity/outcome, padding.

import type { ConnectionState, EventRecord, Playback } from '../runner/runner.js';

/** HH:MM:SS of the event's own timestamp (what the controller stamped), else when we got it. */
export function eventTime(rec: EventRecord): string {
  const ts = rec.processed.event.timestamp;
  const ms = ts ? Date.parse(ts) : rec.receivedAt;
  return clockTime(Number.isNaN(ms) ? rec.receivedAt : ms);
}

export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export function severityColor(severity: string): string | undefined {
  if (severity === 'error') return 'red';
  if (severity === 'info') return 'green';
  if (severity === 'trace') return 'gray';
  return 'yellow';
}

export function playbackText(p: Playback, c: ConnectionState): string {
  if (c.state === 'done') return '■ finished';
  if (p.state === 'playing') return `▶ playing ×${p.speed}`;
  if (p.state === 'paused') return '⏸ paused';
  return '⏭ step';
}

export function connectionText(c: ConnectionState): { text: string; color: string } {
  switch (c.state) {
    case 'idle':
      return { text: '○ idle', color: 'gray' };
    case 'connecting':
      return { text: `◌ connecting${c.detail ? ` ${c.detail}` : ''}`, color: 'yellow' };
    case 'connected':
      return { text: `● connected${c.detail ? `: ${c.detail}` : ''}`, color: 'green' };
    case 'retrying':
      return { text: `◌ retrying (attempt ${c.attempt}, next in ${Math.ceil(c.nextInMs / 1000)}s): ${c.detail}`, color: 'yellow' };
    case 'done':
      return { text: `● done${c.detail ? `: ${c.detail}` : ''}`, color: 'cyan' };
    case 'failed':
      return { text: `✗ failed: ${c.detail}`, color: 'red' };
  }
}

/** Pads or cuts to exactly n columns (code points), so table columns line up. */
export function fit(s: string, n: number): string {
  if (n <= 0) return '';
  const chars = [...safeText(s).replace(/\n/g, '␤')];
  if (chars.length > n) return n === 1 ? '…' : chars.slice(0, n - 1).join('') + '…';
  return chars.join('') + ' '.repeat(n - chars.length);
}

// The flux CLI's short names, for narrow terminals where the full kind would hide the name.
const SHORT_KINDS: Record<string, string> = {
  Kustomization: 'ks',
  HelmRelease: 'hr',
  GitRepository: 'gitrepo',
  OCIRepository: 'ocirepo',
  HelmRepository: 'helmrepo',
  HelmChart: 'hc',
  Bucket: 'bucket',
  ImageRepository: 'imagerepo',
  ImagePolicy: 'imagepolicy',
  ImageUpdateAutomation: 'iua',
};

export function objectRef(rec: EventRecord, short = false): string {
  const r = rec.processed.event.involvedObject;
  const kind = short ? (SHORT_KINDS[r.kind ?? ''] ?? r.kind ?? '') : (r.kind ?? '');
  return `${kind}/${r.namespace ?? ''}/${r.name ?? ''}`;
}

export function outcomeColor(outcome: string): string {
  return outcome === 'dispatched' || outcome === 'delivered' ? 'green' : outcome === 'dropped' || outcome === 'skipped' ? 'yellow' : 'red';
}

/**
 * Text from the wire (event messages, reply bodies) made safe to draw: an ESC would reach the
 * terminal and tabs or CRs break Ink's width arithmetic, so controls become visible pictures.
 */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\t/g, '  ').replace(/[\x00-\x09\x0b-\x1f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0))).replace(/\x7f/g, '\u2421').replace(/[\x80-\x9f]/g, '\ufffd');
}
