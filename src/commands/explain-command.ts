// Wires `explain`: flags → inputs → decision → output.

import { UserError } from '../errors.js';
import { explainEvent, explainJson, explainText } from './explain.js';
import type { Io } from './index.js';
import { decideOptions, loadEvent, loadInputs } from './inputs.js';
import { colorWanted, makeStyle } from './style.js';

export function outputFormat(v: unknown, allowed: string[]): string {
  const o = String(v ?? allowed[0]);
  if (!allowed.includes(o)) throw new UserError(`unknown output format ${JSON.stringify(o)}`, `use -o ${allowed.join(' or -o ')}`);
  return o;
}

export async function runExplainCommand(values: Record<string, unknown>, io: Io): Promise<number> {
  const format = outputFormat(values.output, ['text', 'json']);
  if (typeof values.event !== 'string') throw new UserError('--event is required', 'pass --event FILE (or - for standard input)');
  const opts = decideOptions({ noCrossNamespaceRefs: values['no-cross-namespace-refs'] === true, featureGates: (values['feature-gates'] as string[] | undefined) ?? [] });
  const { catalog, warnings } = await loadInputs((values.file as string[] | undefined) ?? []);
  const input = await loadEvent(values.event);
  const result = explainEvent(input, catalog, opts);
  if (format === 'json') io.stdout.write(JSON.stringify(explainJson(result, warnings), null, 2) + '\n');
  else io.stdout.write(explainText(result, warnings, makeStyle(colorWanted(io.stdout))));
  return 0;
}
