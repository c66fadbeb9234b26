// A captured request for services without a dedicated preview (generic, generic-hmac, and the
// other HTTP types): method and URL, headers, the HMAC verdict, and the body — JSON indented,
// anything else as text.

import { Box, Text } from 'ink';
import type { GenericPreview as GenericModel } from '../../runner/preview-model.js';
import { Header } from './parts.js';
import { serviceName } from './services.js';
import { Styled } from './styled.js';

export function GenericPreview({ preview: p }: { preview: GenericModel; width: number }) {
  const headers = Object.entries(p.headers);
  return (
    <Box flexDirection="column">
      <Header
        service={serviceName(p.service)}
        parts={[serviceName(p.service) !== p.service ? `type ${p.service}` : undefined, 'request as received']}
      />
      <Text>
        <Styled bold>{p.method}</Styled>
        <Styled>{` ${p.url}`}</Styled>
      </Text>
      {headers.map(([k, v]) => (
        <Text key={k}>
          <Styled dim>{`${k}: `}</Styled>
          <Styled>{v}</Styled>
        </Text>
      ))}
      {p.signatureValid !== undefined ? (
        <Text>
          <Styled color={p.signatureValid ? 'green' : 'red'}>{p.signatureValid ? '✓ ' : '✗ '}</Styled>
          <Styled>
            {`signature ${p.signatureValid ? 'matches' : 'does not match'} the body` +
              (p.signatureAlgorithm ? ` (HMAC ${p.signatureAlgorithm})` : '')}
          </Styled>
        </Text>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        {p.json !== undefined ? (
          <Styled>{JSON.stringify(p.json, null, 2)}</Styled>
        ) : p.text !== undefined ? (
          <Styled>{p.text}</Styled>
        ) : (
          <Styled dim>(no body)</Styled>
        )}
      </Box>
    </Box>
  );
}
