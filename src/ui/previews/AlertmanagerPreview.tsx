// Alertmanager: each posted alert as its UI lists it — state, alertname, the labels as
// `name=value` chips, the annotations, and the time window.

import { Box, Text } from 'ink';
import type { AlertmanagerAlert, AlertmanagerPreview as AlertmanagerModel } from '../../runner/preview-model.js';
import { FactTable, Header } from './parts.js';
import { Styled } from './styled.js';

/** Go's zero time: Alertmanager treats it as "not set" and applies its resolve timeout. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

function AlertView({ alert: a, width }: { alert: AlertmanagerAlert; width: number }) {
  // Alertmanager ignores a posted `status` (it derives firing/resolved from endsAt); shown as sent.
  const status = a.status ?? 'firing';
  const firing = status === 'firing';
  const labels = Object.entries(a.labels).filter(([k]) => k !== 'alertname');
  const starts = a.startsAt ? a.startsAt : 'not set (time received)';
  const ends =
    !a.endsAt ? 'not set (resolve timeout applies)'
    : a.endsAt === GO_ZERO_TIME ? `${GO_ZERO_TIME}, i.e. not set (resolve timeout applies)`
    : a.endsAt;
  return (
    <Box flexDirection="column">
      <Text>
        <Styled color={firing ? 'red' : 'green'}>{`${firing ? '●' : '✓'} ${status}`}</Styled>
        <Text>{'  '}</Text>
        <Styled bold>{a.labels.alertname ?? '(no alertname)'}</Styled>
      </Text>
      <Box flexDirection="row" flexWrap="wrap" paddingLeft={2}>
        {labels.map(([k, v]) => (
          <Box key={k} marginRight={2}>
            <Text>
              <Styled dim>{`${k}=`}</Styled>
              <Styled>{v}</Styled>
            </Text>
          </Box>
        ))}
      </Box>
      {Object.keys(a.annotations).length > 0 ? (
        <Box paddingLeft={2}>
          <FactTable rows={Object.entries(a.annotations).map(([name, value]) => ({ name, value }))} width={width - 2} />
        </Box>
      ) : null}
      <Box paddingLeft={2} flexDirection="column">
        <Styled dim>{`starts ${starts}`}</Styled>
        <Styled dim>{`ends   ${ends}`}</Styled>
        {a.generatorURL ? <Styled dim>{a.generatorURL}</Styled> : null}
      </Box>
    </Box>
  );
}

export function AlertmanagerPreview({ preview: p, width }: { preview: AlertmanagerModel; width: number }) {
  return (
    <Box flexDirection="column">
      <Header service="Alertmanager" parts={[`${p.alerts.length} alert${p.alerts.length === 1 ? '' : 's'}`]} />
      {p.alerts.map((a, i) => (
        <Box key={i} marginTop={i > 0 ? 1 : 0}>
          <AlertView alert={a} width={width} />
        </Box>
      ))}
      {p.alerts.length === 0 ? <Styled dim>(empty alert list)</Styled> : null}
    </Box>
  );
}
