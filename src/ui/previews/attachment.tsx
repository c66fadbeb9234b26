// One Slack attachment (legacy secondary attachment), as Slack lays it out: pretext above the
// bar, then author, title, text, fields, footer beside the colour bar. Discord turns the same
// attachment into an embed with the same parts, so both previews use this.

import { Box } from 'ink';
import type { SlackAttachment } from '../../runner/preview-model.js';
import { Barred, KeyValueLines } from './parts.js';
import { Styled } from './styled.js';

export function AttachmentView({ attachment: a }: { attachment: SlackAttachment }) {
  const hasBody = Boolean(a.authorName || a.title || a.text || a.footer || a.fields.length > 0);
  return (
    <Box flexDirection="column">
      {a.pretext ? <Styled>{a.pretext}</Styled> : null}
      <Barred color={a.color}>
        {a.authorName ? <Styled bold>{a.authorName}</Styled> : null}
        {a.title ? <Styled bold color={a.titleLink ? 'blue' : undefined}>{a.title}</Styled> : null}
        {a.title && a.titleLink ? <Styled dim>{a.titleLink}</Styled> : null}
        {a.text ? <Styled>{a.text}</Styled> : null}
        <KeyValueLines rows={a.fields.map((f) => ({ name: f.title, value: f.value }))} />
        {a.footer ? <Styled dim>{a.footer}</Styled> : null}
        {/* Slack shows only the fallback when an attachment has nothing else to draw. */}
        {!hasBody && a.fallback ? <Styled>{a.fallback}</Styled> : null}
        {!hasBody && !a.fallback ? <Styled dim>(empty attachment)</Styled> : null}
      </Barred>
    </Box>
  );
}
