// The command table: options, help text and the runner of each command.

import { UserError } from '../errors.js';
import { runExplainCommand } from './explain-command.js';
import { runReceiveCommand } from './receive-command.js';
import { runLintCommand } from './lint-command.js';

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

type Opt = { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean | string[] };

export interface CommandSpec {
  options: Record<string, Opt>;
  help: string;
  run(values: Record<string, unknown>, io: Io): Promise<number>;
}

const common: Record<string, Opt> = { help: { type: 'boolean', short: 'h' }, debug: { type: 'boolean' } };
const decisionFlags: Record<string, Opt> = {
  'no-cross-namespace-refs': { type: 'boolean' },
  'feature-gates': { type: 'string', multiple: true },
};

export const COMMANDS: Record<string, CommandSpec> = {
  explain: {
    options: { ...common, ...decisionFlags, file: { type: 'string', short: 'f', multiple: true }, event: { type: 'string' }, output: { type: 'string', short: 'o', default: 'text' } },
    help: `flux-notify-tui explain -f PATH... --event FILE|- [-o json|text] [--no-cross-namespace-refs] [--feature-gates ObjectLevelWorkloadIdentity=true]

Shows, for one event, every decision notification-controller v1.9 makes: each alert matched or not
(and the check that rejected it, with the values compared), then the dispatch gates per provider.

  -f, --file PATH          manifests: files or directories (YAML, multi-document, List, JSON); repeatable
      --event FILE|-       a Flux event (the JSON a controller POSTs), a core/v1 Event or an events.k8s.io/v1 Event
  -o, --output json|text   json follows the explain contract in design.md (default: text)
      --no-cross-namespace-refs     as the controller flag
      --feature-gates NAME=BOOL     e.g. ObjectLevelWorkloadIdentity=true
      --debug              print stack traces for errors

Exit codes: 0 done; 2 bad usage or bad input.
`,
    run: runExplainCommand,
  },
  receive: {
    options: {
      ...common, ...decisionFlags,
      file: { type: 'string', short: 'f', multiple: true },
      listen: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'ndjson' },
      'rate-limit': { type: 'string' },
      send: { type: 'boolean' },
    },
    help: `flux-notify-tui receive -f PATH... --listen ADDR [-o ndjson|text] [--rate-limit DURATION|off]

A headless event endpoint, wire-compatible with notification-controller's: POST / with a Flux event
answers 202 (matched or not), 400 for an undecodable body, 413 past 3 MiB, 429 for a duplicate within
the rate-limit window (same key and headers as upstream). Each event is printed as one NDJSON line
with the explain result. Point a Flux controller's --events-addr (or curl) at it.

  -f, --file PATH           manifests (repeatable)
      --listen ADDR         e.g. 127.0.0.1:9090 or :9090
  -o, --output ndjson|text  default ndjson
      --rate-limit D|off    default 5m as upstream; off is not upstream behaviour
      --no-cross-namespace-refs, --feature-gates NAME=BOOL   as the controller flags
`,
    run: (v, io) => runReceiveCommand(v, io),
  },
  lint: {
    options: { ...common, file: { type: 'string', short: 'f', multiple: true }, output: { type: 'string', short: 'o', default: 'text' } },
    help: `flux-notify-tui lint -f PATH... [-o json|text]

Finds what would fail, never match or surprise: CRD validation errors (as the API server applies them),
providerRefs and secretRefs to missing objects, Secrets without the keys a provider type needs (the
controller's own notifier construction is tried), regexes that RE2 rejects (lookaround, backrefs),
mis-cased or unknown source kinds, impossible names and namespaces, invalid matchLabels, commit-status
providers on sources that have no git commits, v1beta1/v1beta2 objects, the deprecated summary, and
duplicate alerts posting the same event to the same provider. Each finding names file, object, field
and the fix.

Exit codes: 0 no errors (warnings allowed); 1 errors found; 2 bad usage or unreadable input.
`,
    run: runLintCommand,
  },
};

export function usage(): string {
  return `flux-notify-tui — see and test Flux notifications as notification-controller v1.9 handles them

Usage:
  flux-notify-tui explain -f PATH... --event FILE|- [-o json|text]    why each alert fires or not
  flux-notify-tui receive -f PATH... --listen ADDR [-o ndjson|text]  an event endpoint like NC's
  flux-notify-tui lint -f PATH... [-o json|text]                     find mistakes in manifests
  flux-notify-tui COMMAND --help                                     details of a command

Commands: ${Object.keys(COMMANDS).join(', ')}
Exit codes: 0 success; 1 the command found a failure; 2 bad usage or bad input.
`;
}

export async function runCommand(name: string, values: Record<string, unknown>, io: Io): Promise<number> {
  const spec = COMMANDS[name];
  if (!spec) throw new UserError(`unknown command ${name}`);
  return spec.run(values, io);
}
