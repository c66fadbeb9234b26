// Microsoft Teams: an Adaptive Card (Workflows webhooks) or a legacy MessageCard (Office 365
// connectors), each laid out as Teams draws it, inside a card outline.

import { Box, Text } from 'ink';
import type {
  TeamsAdaptivePreview,
  TeamsMessageCardPreview,
  TeamsTextBlock,
} from '../../runner/preview-model.js';
import { colorLabel, textColor } from './color.js';
import { CARD_INSET, Card, FactTable, Header } from './parts.js';
import { ColorNote, Styled } from './styled.js';

/** Teams shows large or bolder text blocks as headings. */
function isHeading(b: TeamsTextBlock): boolean {
  return b.weight?.toLowerCase() === 'bolder' || ['medium', 'large', 'extralarge'].includes(b.size?.toLowerCase() ?? '');
}

function TextBlockView({ block }: { block: TeamsTextBlock }) {
  return (
    <Text
      // Adaptive Cards default to wrap: false, and Teams then cuts the line with an ellipsis:
      // shown as such, so a card that forgot `wrap` looks as it would in Teams.
      wrap={block.wrap === true ? 'wrap' : 'truncate-end'}
    >
      <Styled bold={isHeading(block)} color={textColor(block.color)}>{block.text}</Styled>
      <ColorNote color={block.color} />
    </Text>
  );
}

function AdaptiveCardView({ preview: p, width }: { preview: TeamsAdaptivePreview; width: number }) {
  const inner = Math.max(10, width - CARD_INSET);
  return (
    <Box flexDirection="column">
      <Header
        service="Microsoft Teams"
        parts={[`Adaptive Card${p.version ? ` ${p.version}` : ''}`, p.width === 'Full' ? 'full width' : undefined]}
      />
      <Card>
        {/* Each block in its own colour: Flux colours the message block (attention) on error. */}
        {p.blocks.map((b, i) => (
          <TextBlockView key={i} block={b} />
        ))}
        {p.facts.length > 0 ? (
          <Box marginTop={p.blocks.length > 0 ? 1 : 0}>
            <FactTable rows={p.facts} width={inner} />
          </Box>
        ) : null}
        {p.blocks.length === 0 && p.facts.length === 0 ? <Styled dim>(empty card)</Styled> : null}
      </Card>
    </Box>
  );
}

function MessageCardView({ preview: p, width }: { preview: TeamsMessageCardPreview; width: number }) {
  const inner = Math.max(10, width - CARD_INSET);
  return (
    <Box flexDirection="column">
      <Header
        service="Microsoft Teams"
        parts={['MessageCard (Office 365 connector)', p.themeColor ? `theme ${colorLabel(p.themeColor)}` : undefined]}
      />
      <Card accent={p.themeColor}>
        {p.title ? <Styled bold>{p.title}</Styled> : null}
        {p.text ? <Styled>{p.text}</Styled> : null}
        {p.sections.map((s, i) => (
          <Box key={i} flexDirection="column" marginTop={i > 0 || p.title || p.text ? 1 : 0}>
            {s.activityTitle ? <Styled bold>{s.activityTitle}</Styled> : null}
            {s.activitySubtitle ? <Styled dim>{s.activitySubtitle}</Styled> : null}
            {s.text ? <Styled>{s.text}</Styled> : null}
            {s.facts.length > 0 ? (
              <Box marginTop={s.activityTitle || s.activitySubtitle || s.text ? 1 : 0}>
                <FactTable rows={s.facts} width={inner} />
              </Box>
            ) : null}
          </Box>
        ))}
        {/* Teams falls back to the summary when a card has nothing else to show. */}
        {!p.title && !p.text && p.sections.length === 0 ? <Styled>{p.summary ?? '(empty card)'}</Styled> : null}
      </Card>
      {p.summary ? <Styled dim>{`notification summary: ${p.summary}`}</Styled> : null}
    </Box>
  );
}

export function TeamsPreview({ preview, width }: { preview: TeamsAdaptivePreview | TeamsMessageCardPreview; width: number }) {
  return preview.kind === 'teams-adaptive' ? (
    <AdaptiveCardView preview={preview} width={width} />
  ) : (
    <MessageCardView preview={preview} width={width} />
  );
}
