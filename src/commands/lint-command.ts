// `lint`: findings on the manifests; exit 1 when any is an error.

import { Catalog } from '../flux/catalog.js';
import { lintManifests, type Finding } from '../flux/lint.js';
import { loadManifests } from '../flux/manifests.js';
import { createNotifierFromRegistry } from '../providers/registry.js';
import { UserError } from '../errors.js';
import { outputFormat } from './explain-command.js';
import type { Io } from './index.js';
import { colorWanted, makeStyle, type Style } from './style.js';

function findingText(f: Finding, s: Style): string {
  const sev = f.severity === 'error' ? s.bad('error') : f.severity === 'warning' ? s.warn('warning') : s.dim('info');
  const where = `${f.file}${f.line !== undefined ? `:${f.line}` : ''}`;
  return `${where}: ${sev} ${s.dim(`[${f.rule}]`)} ${f.object}${f.field ? ` ${f.field}` : ''}: ${f.message}${f.fix ? `\n    fix: ${f.fix}` : ''}`;
}

export async function runLintCommand(values: Record<string, unknown>, io: Io): Promise<number> {
  const format = outputFormat(values.output, ['text', 'json']);
  const paths = (values.file as string[] | undefined) ?? [];
  if (paths.length === 0) throw new UserError('no manifests given', 'pass -f PATH (a file or directory)');
  const set = await loadManifests(paths);
  const unreadable = set.diagnostics.find((d) => d.rule === 'read');
  if (unreadable) throw new UserError(unreadable.message, unreadable.hint ?? 'check the path given to -f');
  const findings = lintManifests(set, new Catalog(set), createNotifierFromRegistry);
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (format === 'json') {
    io.stdout.write(JSON.stringify({ findings, errors, warnings: findings.filter((f) => f.severity === 'warning').length }, null, 2) + '\n');
  } else {
    const s = makeStyle(colorWanted(io.stdout));
    for (const f of findings) io.stdout.write(findingText(f, s) + '\n');
    io.stdout.write(`${set.alerts.length} alert(s), ${set.providers.length} provider(s), ${set.secrets.length} secret(s): ${errors} error(s), ${findings.length - errors} other finding(s)\n`);
  }
  // Invalid YAML is reported with the other findings, but it is bad input: exit 2 as elsewhere.
  if (set.diagnostics.some((d) => d.rule === 'yaml' && d.severity === 'error')) return 2;
  return errors > 0 ? 1 : 0;
}
