// Google Chat: a plain text message, or a cards v1 card (header title and subtitle, sections of
// text paragraphs and key-value widgets) with Chat's text formatting applied.

import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { GoogleChatPreview as ChatModel, GoogleChatWidget } from '../../runner/preview-model.js';
import { parseChatHtml } from './chat-html.js';
import { namedColor, useColor } from './color.js';
import { CARD_INSET, Card, FactTable, Header } from './parts.js';
import { Styled } from './styled.js';

const NAMED = new Set(['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey']);

/** A <font color> value as a terminal colour: hex to its nearest name, basic names as they are. */
function fontColor(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  return namedColor(v) ?? (NAMED.has(v.toLowerCase()) ? v.toLowerCase() : undefined);
}

/** Card text with Chat's formatting; without colour a <font color> is named after its text. */
function ChatText({ html }: { html: string }) {
  const on = useColor();
  return (
    <Text>
      {parseChatHtml(html).map((s, i) => (
        <Text key={i}>
          <Styled bold={s.bold} italic={s.italic} underline={s.underline || s.href !== undefined} strikethrough={s.strike} color={fontColor(s.color)}>
            {s.text}
          </Styled>
          {s.href && s.href !== s.text ? <Styled dim>{` (${s.href})`}</Styled> : null}
          {!on && s.color ? <Styled>{` [${s.color}]`}</Styled> : null}
        </Text>
      ))}
    </Text>
  );
}

/** Consecutive key-value widgets form one aligned table; a text paragraph breaks it. */
function Widgets({ widgets, width }: { widgets: GoogleChatWidget[]; width: number }) {
  const out: ReactElement[] = [];
  let rows: Array<{ name: string; value: string }> = [];
  const flush = () => {
    if (rows.length > 0) out.push(<FactTable key={`kv${out.length}`} rows={rows} width={width} />);
    rows = [];
  };
  for (const w of widgets) {
    if (w.topLabel !== undefined || w.content !== undefined) {
      rows.push({ name: w.topLabel ?? '', value: w.content ?? '' });
      continue;
    }
    flush();
    out.push(<ChatText key={`t${out.length}`} html={w.text ?? ''} />);
  }
  flush();
  return <Box flexDirection="column">{out}</Box>;
}

export function GoogleChatPreview({ preview: p, width }: { preview: ChatModel; width: number }) {
  const inner = Math.max(10, width - CARD_INSET);
  const isCard = p.title !== undefined || p.subtitle !== undefined || p.sections.length > 0;
  return (
    <Box flexDirection="column">
      <Header service="Google Chat" parts={[isCard ? 'card' : 'text message']} />
      {p.text ? <ChatText html={p.text} /> : null}
      {isCard ? (
        <Card>
          {p.title ? <Styled bold>{p.title}</Styled> : null}
          {p.subtitle ? <Styled dim>{p.subtitle}</Styled> : null}
          {p.sections.map((s, i) => (
            <Box key={i} flexDirection="column" marginTop={i > 0 || p.title || p.subtitle ? 1 : 0}>
              {s.header ? <Styled bold>{s.header}</Styled> : null}
              <Widgets widgets={s.widgets} width={inner} />
            </Box>
          ))}
        </Card>
      ) : null}
      {!p.text && !isCard ? <Styled dim>(empty message)</Styled> : null}
    </Box>
  );
}
