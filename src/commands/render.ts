// `render`: the exact requests each dispatched alert's provider would send for one event.
// Opens no socket: conversations are driven with the replies of a healthy service, through
// provider caches that start empty (the controller's first event).

import type { Io } from './index.js';
import { UserError } from '../errors.js';
import { explainEvent } from './explain.js';
import { outputFormat } from './explain-command.js';
import { decideOptions, loadEvent, loadInputs } from './inputs.js';
import { deliverDispatch, type DeliveryResult, type ShownRequest } from '../runner/delivery.js';
import { colorWanted, makeStyle, type Style } from './style.js';

function renderEntry(r: DeliveryResult): Record<string, unknown> {
  const e: Record<string, unknown> = { alert: r.alert, provider: r.provider, type: r.type, requests: r.requests };
  if (r.requests.length === 0 || r.outcome === 'skipped') e.note = r.note ?? 'the provider sends nothing for this event';
  else if (r.note) e.note = r.note;
  if (r.error) {
    e.error = r.error;
    e.controllerEvent = r.controllerEvent;
  }
  return e;
}

function requestText(q: ShownRequest, s: Style): string {
  if ('transport' in q) {
    return `  ${s.bold(q.transport)} → ${q.target}\n${indent(JSON.stringify(q.payload, null, 2), 4)}`;
  }
  const lines = [`  ${q.preflight ? s.dim('(preflight) ') : ''}${s.bold(q.method)} ${q.url}`];
  for (const [k, v] of Object.entries(q.headers)) lines.push(s.dim(`    ${k}: ${v}`));
  if (q.bodyBase64 !== undefined) lines.push(`    <binary body, ${Buffer.from(q.bodyBase64, 'base64').length} bytes, base64 in -o json>`);
  else if (q.bodyText !== undefined) lines.push(indent(typeof q.body === 'object' && q.body !== null ? JSON.stringify(q.body, null, 2) : q.bodyText, 4));
  return lines.join('\n');
}

const indent = (t: string, n: number) => t.split('\n').map((l) => ' '.repeat(n) + l).join('\n');

export async function runRenderCommand(values: Record<string, unknown>, io: Io): Promise<number> {
  const format = outputFormat(values.output, ['text', 'json']);
  if (typeof values.event !== 'string') throw new UserError('--event is required', 'pass --event FILE (or - for standard input)');
  const opts = decideOptions({ noCrossNamespaceRefs: values['no-cross-namespace-refs'] === true, featureGates: (values['feature-gates'] as string[] | undefined) ?? [] });
  const { catalog } = await loadInputs((values.file as string[] | undefined) ?? []);
  const result = explainEvent(await loadEvent(values.event), catalog, opts);
  const showSecrets = values['show-secrets'] === true;
  const rendered: DeliveryResult[] = [];
  for (const d of result.decision.dispatches) rendered.push(await deliverDispatch(d, { mode: 'render', showSecrets }));
  if (format === 'json') {
    io.stdout.write(JSON.stringify(rendered.map(renderEntry), null, 2) + '\n');
  } else {
    const s = makeStyle(colorWanted(io.stdout));
    if (rendered.length === 0) io.stdout.write('no alert dispatches this event (see `explain` for why)\n');
    for (const r of rendered) {
      io.stdout.write(`${s.bold(r.alert)} → ${r.provider} (${r.type})${r.error ? '  ' + s.bad('error: ' + r.error) : ''}\n`);
      for (const q of r.requests) io.stdout.write(requestText(q, s) + '\n');
      if (r.note) io.stdout.write(s.dim(`  note: ${r.note}`) + '\n');
    }
    // One render is one event of a freshly started controller: its caches were empty.
    if (opts.caches && !opts.caches.isEmpty()) {
      io.stdout.write(s.dim("caches start empty, as on a controller's first event: later events reuse the GitHub App token (until 80% of its life, at most 1h) and the Azure DevOps route discovery, and skip those requests") + '\n');
    }
    if (!showSecrets) io.stdout.write(s.dim('secrets are masked as *****; --show-secrets prints them') + '\n');
  }
  return rendered.some((r) => !r.ok) ? 1 : 0;
}
