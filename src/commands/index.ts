// The command table: options, help text and the runner of each command.

import { UserError } from '../errors.js';
import { runExplainCommand } from './explain-command.js';
import { runReceiveCommand } from './receive-command.js';
import { runLintCommand } from './lint-command.js';
import { runRenderCommand } from './render.js';
import { runReplayCommand } from './replay.js';
import { runTuiCommand } from './tui.js';
import { RECORD_HELP, RECORD_OPTIONS, runRecordCommand } from './record.js';

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
      'show-secrets': { type: 'boolean' },
      'mock-fault': { type: 'string', multiple: true },
    },
    help: `flux-notify-tui receive -f PATH... --listen ADDR [--send] [-o ndjson|text] [--rate-limit DURATION|off]

A headless event endpoint, wire-compatible with notification-controller's: POST / with a Flux event
answers 202 (matched or not), 400 for an undecodable body, 413 past 3 MiB, 429 for a duplicate within
the rate-limit window (same key and headers as upstream). Each event is delivered after the answer,
as NC does — simulated by default (mock), real with --send — and printed as one NDJSON line with the
explain result and the deliveries. Point a Flux controller's --events-addr (or curl) at it.

  -f, --file PATH           manifests (repeatable)
      --listen ADDR         e.g. 127.0.0.1:9090 or :9090
      --send                real delivery (default: mock, nothing leaves the machine)
  -o, --output ndjson|text  default ndjson
      --rate-limit D|off    default 5m as upstream; off is not upstream behaviour
      --mock-fault T=F[:N]  in mock mode a mock answers 429, 500 or times out (T: host, *.host or service)
      --no-cross-namespace-refs, --feature-gates NAME=BOOL   as the controller flags
`,
    run: (v, io) => runReceiveCommand(v, io),
  },
  render: {
    options: { ...common, ...decisionFlags, file: { type: 'string', short: 'f', multiple: true }, event: { type: 'string' }, output: { type: 'string', short: 'o', default: 'text' }, 'show-secrets': { type: 'boolean' } },
    help: `flux-notify-tui render -f PATH... --event FILE|- [-o json|text] [--show-secrets]

The exact requests each dispatched alert's provider would send for the event: method, URL, headers and
body bytes (bodyText is the body exactly as it goes on the wire). Requests made before the real one
(e.g. listing existing commit statuses) are marked preflight; they are answered as a healthy service
with no existing statuses would. A provider that sends nothing for this event gives requests: [] and a
note. Non-HTTP providers (nats, googlepubsub, azureeventhub) show transport, target and payload.
Opens no socket. Secrets are masked as ***** unless --show-secrets.

Exit codes: 0 rendered; 1 a provider would fail for this event (the error is shown); 2 bad input.
`,
    run: runRenderCommand,
  },
  replay: {
    options: {
      ...common, ...decisionFlags,
      file: { type: 'string', short: 'f', multiple: true },
      events: { type: 'string' },
      send: { type: 'boolean' },
      output: { type: 'string', short: 'o', default: 'ndjson' },
      'rate-limit': { type: 'string' },
      'show-secrets': { type: 'boolean' },
      'mock-fault': { type: 'string', multiple: true },
    },
    help: `flux-notify-tui replay [-f PATH...] --events FILE|DIR [--send] [-o ndjson|text] [--rate-limit D|off]

Runs a stream of events through the whole pipeline: decisions, the rate limiter (clocked by each
event's timestamp), and delivery — mock by default (the same transport, but msw mock endpoints answer
like Slack, Teams, GitHub… and parse what they received into a preview; nothing leaves the machine),
real with --send. One NDJSON line per event:
{index, event, rateLimited, alerts, deliveries: [{alert, provider, type, mode, outcome, status, ok, preview, requests, replies, error?}]}.
DIR is a scenario directory (events.ndjson, and manifests/ used when -f is not given).
--mock-fault TARGET=429|500|timeout[:COUNT] (repeatable) makes a mock answer with that fault, to rehearse
retries and errors; TARGET is a host, *.host or a service (slack, msteams, github, gitlab, …).

Exit codes: 0 all delivered; 1 a delivery failed; 2 bad input (bad lines are reported and skipped).
`,
    run: runReplayCommand,
  },
  record: {
    options: RECORD_OPTIONS as unknown as Record<string, Opt>,
    help: RECORD_HELP,
    run: (v, io) => runRecordCommand(v, io),
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

Exit codes: 0 no errors (warnings allowed); 1 errors found; 2 bad usage, an unreadable path or invalid YAML
(the YAML error is listed with the findings).
`,
    run: runLintCommand,
  },
  tui: {
    options: {
      ...common, ...decisionFlags,
      fixtures: { type: 'string' },
      listen: { type: 'string' },
      file: { type: 'string', short: 'f', multiple: true },
      context: { type: 'string' },
      kubeconfig: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      'all-namespaces': { type: 'boolean', short: 'A' },
      'replay-history': { type: 'boolean' },
      speed: { type: 'string' },
      step: { type: 'boolean' },
      send: { type: 'boolean' },
      'rate-limit': { type: 'string' },
      history: { type: 'string' },
      'mock-fault': { type: 'string', multiple: true },
    },
    help: `flux-notify-tui [--context NAME] [--kubeconfig PATH] [-n NS | -A] [--replay-history]   # on a cluster
flux-notify-tui --fixtures DIR [--speed X | --step]                                     # offline scenario
flux-notify-tui --listen ADDR -f PATH...                                                # receiving events over HTTP
        common: [--send] [--history N] [--rate-limit D|off] [--no-cross-namespace-refs] [--feature-gates NAME=BOOL]

The terminal UI: events as they arrive, which alerts match each one and why (every check with the
values compared), and what each provider was sent, as the service would show it.

Cluster (the default source): the kubeconfig as kubectl chooses it (--kubeconfig, else KUBECONFIG,
else ~/.kube/config), --context (default: the current one), -n NS (the events of NS; default: the
context's namespace, else all) or -A. Alerts and Providers are read in all namespaces, as the
controller does, when RBAC allows (else in NS, with a warning). They and the Secrets they reference
are kept in sync; Flux events
stream live; the events the cluster already holds are shown as history and not dispatched
(--replay-history dispatches them; s sends the selected one).

      --fixtures DIR        scenario to replay (events.ndjson with delayMs pacing, and manifests/), e.g. fixtures/demo
      --listen ADDR         a wire-compatible event endpoint (point a controller's --events-addr at it); needs -f
      --speed X             pace multiplier for delayMs (default 1; 2 is twice as fast)
      --step                start paused: n lets one event through, space plays
      --send                REAL delivery: notifications go to the configured services
                            (default MOCK: nothing leaves the machine); m switches, REAL asks first
      --history N           events kept (default 10000); older ones are dropped, memory stays flat
      --rate-limit D|off    default 5m as upstream; off is ours
      --mock-fault T=F[:N]  a mock answers 429, 500 or times out (T: host, *.host or service), N times
      --no-cross-namespace-refs, --feature-gates NAME=BOOL   as the controller flags

Keys: ? in the app lists them all (j/k move, enter expand, tab pane, / filter, q quit).
Needs a terminal; for scripts use explain, replay or receive. Exit codes: 0 quit; 2 bad usage,
bad input (an unknown context lists the known ones), or not a terminal.
`,
    run: runTuiCommand,
  },
};

export function usage(): string {
  return `flux-notify-tui — see and test Flux notifications as notification-controller v1.9 handles them

Usage:
  flux-notify-tui [--context NAME] [--kubeconfig PATH] [-n NS | -A]  the TUI on a cluster
  flux-notify-tui --fixtures DIR [--speed X | --step]                the TUI on a scenario (npm start: fixtures/demo)
  flux-notify-tui --listen ADDR -f PATH...                           the TUI receiving events over HTTP
  flux-notify-tui explain -f PATH... --event FILE|- [-o json|text]    why each alert fires or not
  flux-notify-tui receive -f PATH... --listen ADDR [-o ndjson|text]  an event endpoint like NC's
  flux-notify-tui render -f PATH... --event FILE|- [-o json|text]     the exact requests providers send
  flux-notify-tui replay [-f PATH...] --events FILE|DIR [--send]     the whole pipeline over a stream
  flux-notify-tui lint -f PATH... [-o json|text]                     find mistakes in manifests
  flux-notify-tui record [--context NAME] [-n NS | -A] --out DIR     record a cluster into a scenario
  flux-notify-tui COMMAND --help                                     details of a command

Commands: ${Object.keys(COMMANDS).filter((c) => c !== 'tui').join(', ')}
Exit codes: 0 success; 1 the command found a failure; 2 bad usage or bad input.
`;
}

export async function runCommand(name: string, values: Record<string, unknown>, io: Io): Promise<number> {
  const spec = COMMANDS[name];
  if (!spec) throw new UserError(`unknown command ${name}`);
  return spec.run(values, io);
}
