// A delivery as text: the header line used by the Preview pane and the Outbox, and the full
// request/response listing (already masked by the delivery layer) for the detail view.

import type { DeliveryResult, ShownRequest } from '../../runner/delivery.js';
import { outcomeColor } from '../format.js';
import { line, seg, textLines, type Line } from '../text-lines.js';

export function deliveryHeader(d: DeliveryResult): Line {
  const status = d.status !== null ? ` ${d.status}` : '';
  return line(
    seg('→ ', { dim: true }),
    seg(d.provider, { bold: true }),
    seg(` (${d.type})  `, { dim: true }),
    seg(`${d.outcome}${status}`, { color: outcomeColor(d.outcome), bold: true }),
    seg(`  ${d.mode === 'real' ? 'REAL' : d.mode.toUpperCase()}`, { color: d.mode === 'real' ? 'red' : undefined, dim: d.mode !== 'real' }),
    seg(`  ${d.durationMs}ms  alert ${d.alert}`, { dim: true }),
  );
}

function bodyText(body: unknown, text: string | undefined): string {
  if (body !== undefined && typeof body !== 'string') return JSON.stringify(body, null, 2);
  return text ?? (typeof body === 'string' ? body : '');
}

export function requestLines(r: ShownRequest, i: number, n: number): Line[] {
  const out: Line[] = [];
  const label = `request ${i + 1} of ${n}`;
  if ('transport' in r) {
    out.push(line(seg(label, { dim: true }), '  ', seg(`${r.transport} → ${r.target}`, { bold: true })));
    out.push(...textLines(r.payloadText ?? JSON.stringify(r.payload, null, 2), {}, '  '));
    return out;
  }
  out.push(line(seg(label + (r.preflight ? ' (preflight)' : ''), { dim: true }), '  ', seg(r.method, { bold: true, color: 'cyan' }), ' ', r.url));
  for (const [k, v] of Object.entries(r.headers)) out.push(line('  ', seg(k, { color: 'cyan' }), ': ', v));
  if (r.bodyBase64 !== undefined) {
    out.push(line(seg(`  binary body, base64 (${Buffer.from(r.bodyBase64, 'base64').length} bytes):`, { dim: true })));
    out.push(...textLines(r.bodyBase64, {}, '  '));
  } else if (r.body !== undefined || r.bodyText !== undefined) {
    out.push(line(''));
    out.push(...textLines(bodyText(r.body, r.bodyText), {}, '  '));
  }
  return out;
}

/** Everything about one delivery, for `enter` in the Outbox or the Preview pane. */
export function deliveryDetailLines(d: DeliveryResult): Line[] {
  const out: Line[] = [deliveryHeader(d)];
  if (d.note) out.push(line(seg(`  note: ${d.note}`, { color: 'yellow' })));
  if (d.requests.length === 0) out.push(line(seg('  no request was made', { dim: true })));
  d.requests.forEach((r, i) => {
    out.push(line(''));
    out.push(...requestLines(r, i, d.requests.length));
    const reply = d.replies[i];
    if (reply) {
      out.push(line(''));
      if ('status' in reply) {
        out.push(line(seg('  reply ', { dim: true }), seg(String(reply.status), { bold: true, color: reply.status < 400 ? 'green' : 'red' })));
        if (reply.body) out.push(...textLines(reply.body, { dim: true }, '    '));
      } else out.push(line(seg('  no reply: ', { color: 'red' }), reply.error));
    }
  });
  if (d.error) {
    out.push(line(''));
    out.push(line(seg('error: ', { color: 'red', bold: true }), d.error));
  }
  if (d.controllerEvent) out.push(line(seg(`Warning ${d.controllerEvent.reason}`, { color: 'yellow' }), ' on the Alert: ', d.controllerEvent.message));
  return out;
}

/** The short form shown under a delivery when no preview model came with it. */
export function fallbackPreviewLines(d: DeliveryResult): Line[] {
  const out: Line[] = [];
  d.requests.forEach((r, i) => {
    if ('transport' in r) out.push(line('  ', seg(`${r.transport} → ${r.target}`, { bold: true })));
    else out.push(line('  ', seg(r.method, { color: 'cyan', bold: true }), ' ', r.url, r.preflight ? seg(' (preflight)', { dim: true }) : ''));
    const reply = d.replies[i];
    if (reply && 'status' in reply) out.push(line(seg('  status ', { dim: true }), seg(String(reply.status), { color: reply.status < 400 ? 'green' : 'red' })));
    if (!('transport' in r) && !r.preflight && (r.body !== undefined || r.bodyText !== undefined)) out.push(...textLines(bodyText(r.body, r.bodyText), {}, '    '));
  });
  return out;
}
