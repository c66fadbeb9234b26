// The service said no: its status and error text, and what was wrong with the request.

import { Box, Text } from 'ink';
import type { PreviewError } from '../../runner/preview-model.js';
import { serviceName } from './services.js';
import { Styled } from './styled.js';

export function PreviewErrorView({ error: e }: { error: PreviewError; width: number }) {
  return (
    <Box flexDirection="column">
      <Text>
        <Styled color="red" bold>{'✗ '}</Styled>
        <Styled bold>{`${serviceName(e.service)} rejected the request`}</Styled>
        <Styled>{` — HTTP ${e.status}`}</Styled>
        {e.error ? <Styled color="red">{` ${e.error}`}</Styled> : null}
      </Text>
      {e.detail ? (
        <Box paddingLeft={2}>
          <Styled>{e.detail}</Styled>
        </Box>
      ) : null}
    </Box>
  );
}
