// The Alerts, Providers, Outbox and Log views: one table each, with the cursor row; enter opens
// the detail view of the row.

import { useUIActions, useUIState } from '../contexts.js';
import type { RunnerNotice } from '../../runner/runner.js';
import { clockTime, eventTime, objectRef, outcomeColor } from '../format.js';
import type { AlertRow, OutboxEntry, ProviderRow } from '../model.js';
import { inner, Pane } from '../pane.js';
import { Table, type Column } from '../table.js';

const ALERT_COLUMNS: Column<AlertRow>[] = [
  { title: 'ALERT', cell: (r) => ({ text: r.id, bold: true }) },
  { title: 'PROVIDER', width: 18, cell: (r) => ({ text: r.alert.spec.providerRef.name }) },
  { title: 'SEVERITY', width: 8, cell: (r) => ({ text: r.alert.spec.eventSeverity }) },
  { title: 'SOURCES', width: 5, cell: (r) => ({ text: String(r.alert.spec.eventSources.length) }) },
  { title: 'HITS', width: 6, cell: (r) => ({ text: String(r.hits), dim: r.hits === 0 }) },
  { title: 'SENT', width: 6, cell: (r) => ({ text: String(r.dispatched), color: r.dispatched ? 'green' : undefined, dim: r.dispatched === 0 }) },
  { title: 'LAST MATCH', width: 10, cell: (r) => ({ text: r.lastMatchTime ?? '—', dim: r.lastMatchTime === undefined }) },
  { title: 'STATE', width: 9, cell: (r) => (r.alert.spec.suspend ? { text: 'suspended', color: 'yellow' } : { text: 'active', dim: true }) },
];

const PROVIDER_COLUMNS: Column<ProviderRow>[] = [
  { title: 'PROVIDER', cell: (r) => ({ text: r.id, bold: true }) },
  { title: 'TYPE', width: 14, cell: (r) => ({ text: r.provider.spec.type }) },
  { title: 'ALERTS', width: 6, cell: (r) => ({ text: String(r.alerts) }) },
  { title: 'SENT', width: 6, cell: (r) => ({ text: String(r.deliveries), dim: r.deliveries === 0 }) },
  { title: 'ERRORS', width: 6, cell: (r) => ({ text: String(r.errors), color: r.errors ? 'red' : undefined, dim: r.errors === 0 }) },
  { title: 'LAST', width: 5, cell: (r) => ({ text: r.lastStatus === null ? '—' : String(r.lastStatus), dim: r.lastStatus === null }) },
  { title: 'STATE', width: 9, cell: (r) => (r.provider.spec.suspend ? { text: 'suspended', color: 'yellow' } : { text: 'active', dim: true }) },
];

const OUTBOX_COLUMNS: Column<OutboxEntry>[] = [
  { title: 'TIME', width: 8, cell: (r) => ({ text: eventTime(r.event), dim: true }) },
  { title: 'EVENT', width: 28, cell: (r) => ({ text: `#${r.event.id} ${objectRef(r.event, true)}` }) },
  { title: 'ALERT → PROVIDER', cell: (r) => ({ text: `${r.delivery.alert} → ${r.delivery.provider}` }) },
  { title: 'TYPE', width: 12, cell: (r) => ({ text: r.delivery.type }) },
  { title: 'MODE', width: 4, cell: (r) => ({ text: r.delivery.mode === 'real' ? 'REAL' : 'MOCK', color: r.delivery.mode === 'real' ? 'red' : undefined, dim: r.delivery.mode !== 'real' }) },
  { title: 'OUTCOME', width: 9, cell: (r) => ({ text: r.delivery.outcome, color: outcomeColor(r.delivery.outcome) }) },
  { title: 'HTTP', width: 4, cell: (r) => ({ text: r.delivery.status === null ? '—' : String(r.delivery.status) }) },
];

const LEVEL_COLOR = { info: 'cyan', warning: 'yellow', error: 'red' } as const;

const LOG_COLUMNS: Column<RunnerNotice>[] = [
  { title: 'TIME', width: 8, cell: (n) => ({ text: clockTime(n.at), dim: true }) },
  { title: 'LEVEL', width: 7, cell: (n) => ({ text: n.level, color: LEVEL_COLOR[n.level] }) },
  { title: 'NOTICE', cell: (n) => ({ text: n.text }) },
];

export function AlertsView() {
  const { layout, derived, runner } = useUIState();
  const act = useUIActions();
  const rows = derived.alertRows;
  const empty = runner.catalog.alerts.length === 0 ? 'No alerts loaded: every event is discarded (NC: "no alerts found for the involved object"). Add Alert manifests to the fixtures.' : 'No alert matches the filter (esc clears it).';
  return (
    <Pane title="Alerts" info={`${rows.length}  enter: manifest`} focused width={layout.body.width} height={layout.body.height}>
      <Table columns={ALERT_COLUMNS} rows={rows} cursor={act.listCursorFor('alerts')} width={inner(layout.body.width)} height={inner(layout.body.height)} empty={empty} />
    </Pane>
  );
}

export function ProvidersView() {
  const { layout, derived, providers } = useUIState();
  const act = useUIActions();
  const rows = derived.providerRows;
  const empty = providers.length === 0 ? 'No providers loaded.' : 'No provider matches the filter (esc clears it).';
  return (
    <Pane title="Providers" info={`${rows.length}  enter: manifest`} focused width={layout.body.width} height={layout.body.height}>
      <Table columns={PROVIDER_COLUMNS} rows={rows} cursor={act.listCursorFor('providers')} width={inner(layout.body.width)} height={inner(layout.body.height)} empty={empty} />
    </Pane>
  );
}

export function OutboxView() {
  const { layout, derived, ui } = useUIState();
  const act = useUIActions();
  const rows = derived.outbox;
  const follow = ui.listCursor.outbox === null && rows.length > 0 ? '  ⇣ following' : '';
  return (
    <Pane title="Outbox" info={`${rows.length} deliveries${follow}  enter: request (secrets masked)`} focused width={layout.body.width} height={layout.body.height}>
      <Table columns={OUTBOX_COLUMNS} rows={rows} cursor={act.listCursorFor('outbox')} width={inner(layout.body.width)} height={inner(layout.body.height)} empty={ui.filter ? 'No delivery matches the filter (esc clears it).' : 'No deliveries yet.'} />
    </Pane>
  );
}

export function LogView() {
  const { layout, derived, ui } = useUIState();
  const act = useUIActions();
  const rows = derived.log;
  const follow = ui.listCursor.log === null && rows.length > 0 ? '  ⇣ following' : '';
  return (
    <Pane title="Log" info={`${rows.length} notices${follow}  enter: full text`} focused width={layout.body.width} height={layout.body.height}>
      <Table columns={LOG_COLUMNS} rows={rows} cursor={act.listCursorFor('log')} width={inner(layout.body.width)} height={inner(layout.body.height)} empty={ui.filter ? 'No notice matches the filter (esc clears it).' : 'No notices yet.'} />
    </Pane>
  );
}
