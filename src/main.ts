// Parses the command line and runs a headless command or the TUI; returns the exit code.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';
import { reportError, UserError } from './errors.js';
import { runCommand, COMMANDS, usage, type Io } from './commands/index.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const [first] = argv;
    if (first === '--version' || first === '-v') {
      io.stdout.write(`flux-notify-tui ${version()} (simulating notification-controller v1.9.3)\n`);
      return 0;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      io.stdout.write(usage());
      return 0;
    }
    // No command: the TUI, on the current kubeconfig context unless a flag picks another source.
    const name = first === undefined || first.startsWith('-') ? 'tui' : first;
    const spec = COMMANDS[name];
    if (!spec) throw new UserError(`unknown command ${JSON.stringify(first)}`, `commands: ${Object.keys(COMMANDS).filter((c) => c !== 'tui').join(', ')}; see --help`);
    const rest = name === 'tui' ? argv : argv.slice(1);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: spec.options as ParseArgsConfig['options'], allowPositionals: false, strict: true });
    } catch (e) {
      throw new UserError((e as Error).message.replace(/\. To specify a positional.*$/s, ''), `see flux-notify-tui ${name === 'tui' ? '' : name + ' '}--help`);
    }
    if ((parsed.values as Record<string, unknown>).help) {
      io.stdout.write(spec.help);
      return 0;
    }
    return await runCommand(name, parsed.values as Record<string, unknown>, io);
  } catch (err) {
    return reportError(err, io.stderr, debug);
  }
}

