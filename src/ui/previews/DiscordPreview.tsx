// Discord message: the webhook's username, its content, and the embeds (Slack attachments as
// Discord's /slack endpoint converts them) with their colour bars.

import { Box, Text } from 'ink';
import type { DiscordPreview as DiscordModel } from '../../runner/preview-model.js';
import { AttachmentView } from './attachment.js';
import { Header } from './parts.js';
import { Styled } from './styled.js';

export function DiscordPreview({ preview: p }: { preview: DiscordModel; width: number }) {
  return (
    <Box flexDirection="column">
      <Header service="Discord" parts={[p.api === 'slack-compatible' ? 'Slack-compatible webhook' : 'webhook']} />
      <Text>
        <Styled bold>{p.username || '(webhook default name)'}</Styled>
        <Styled dim>{' BOT'}</Styled>
      </Text>
      {p.content ? <Styled>{p.content}</Styled> : null}
      {p.embeds.map((e, i) => (
        <AttachmentView key={i} attachment={e} />
      ))}
      {!p.content && p.embeds.length === 0 ? <Styled dim>(no content and no embeds)</Styled> : null}
    </Box>
  );
}
