// Slack message: where it went (webhook or chat.postMessage, channel), who posted it, the
// top-level text, then each attachment with its colour bar.

import { Box, Text } from 'ink';
import type { SlackPreview as SlackModel } from '../../runner/preview-model.js';
import { AttachmentView } from './attachment.js';
import { Header } from './parts.js';
import { Styled } from './styled.js';

export function SlackPreview({ preview: p }: { preview: SlackModel; width: number }) {
  const surface = p.api === 'webhook' ? 'incoming webhook' : 'chat.postMessage';
  // An empty channel on a webhook means the channel the webhook was created for.
  const channel = p.channel ? `channel ${p.channel}` : p.api === 'webhook' ? "webhook's own channel" : 'no channel';
  return (
    <Box flexDirection="column">
      <Header service="Slack" parts={[surface, channel]} />
      <Text>
        <Styled bold>{p.username || '(app default name)'}</Styled>
        <Styled dim>{' APP'}</Styled>
        {p.icon ? <Styled dim>{`  ${p.icon}`}</Styled> : null}
      </Text>
      {p.text ? <Styled>{p.text}</Styled> : null}
      {p.attachments.map((a, i) => (
        <AttachmentView key={i} attachment={a} />
      ))}
      {!p.text && p.attachments.length === 0 ? <Styled dim>(no text and no attachments)</Styled> : null}
    </Box>
  );
}
