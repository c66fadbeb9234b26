// Every key the app answers to, in one table: the help overlay is generated from it, so the help
// cannot drift from what the key handler does (test/ui checks each entry against the handler).

export interface KeyHelp {
  keys: string;
  does: string;
  /** Only listed when REAL delivery can be switched on (--send). */
  sendOnly?: boolean;
}

export const KEY_GROUPS: Array<{ title: string; keys: KeyHelp[] }> = [
  {
    title: 'Move',
    keys: [
      { keys: '↑ ↓  k j', does: 'move the selection; in an open trace, preview or detail: scroll' },
      { keys: 'PgUp PgDn', does: 'a page up / down' },
      { keys: 'g  G', does: 'first / last (G on Events follows the newest again)' },
      { keys: 'enter', does: 'expand: event → its alerts, alert → its explain trace, preview/outbox → full request' },
      { keys: 'esc', does: 'back: close, collapse, return to Events, then clear the filter' },
      { keys: 'tab  shift-tab', does: 'next / previous pane (Events, Matching, Preview)' },
    ],
  },
  {
    title: 'Views',
    keys: [
      { keys: '1  e', does: 'Events: events, matching and preview' },
      { keys: '2  a', does: 'Alerts: hit counts and last match of each alert' },
      { keys: '3  p', does: 'Providers: deliveries and errors per provider' },
      { keys: '4  o', does: 'Outbox: every delivery; enter shows the request (secrets masked)' },
      { keys: '5  l', does: 'Log: every notice (connection, retries, catalog reloads, scope warnings), newest last' },
    ],
  },
  {
    title: 'Replay and delivery',
    keys: [
      { keys: 'space', does: 'pause / resume the replay' },
      { keys: 'n', does: 'step: let one event through and stay paused' },
      { keys: '/', does: 'filter: kind: name: ns: reason: severity: or any text; enter keeps it, esc clears' },
      { keys: 's', does: "send the selected event's notifications again" },
      { keys: 'm', does: 'switch MOCK / REAL (REAL asks first)', sendOnly: true },
      { keys: 'w', does: 'write the events seen (and the manifests, secrets redacted) to a fixture dir' },
    ],
  },
  {
    title: 'App',
    keys: [
      { keys: '?', does: 'this help (esc or ? closes)' },
      { keys: 'q  ctrl-c', does: 'quit' },
    ],
  },
];
