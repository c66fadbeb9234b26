// Layout pieces shared by the previews: the service header line, the colour bar of chat
// attachments, the card frame, and two aligned columns for facts.

import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { PreviewColor } from '../../runner/preview-model.js';
import { colorLabel, useColor } from './color.js';
import { Styled } from './styled.js';

/** Columns a string takes; previews hold mostly ASCII, wide glyphs are counted as one. */
export function displayWidth(s: string): number {
  return [...s].length;
}

/** `Slack · incoming webhook · channel #general`: the service in bold, the rest dim. */
export function Header({ service, parts }: { service: string; parts: Array<string | undefined | false> }) {
  const shown = parts.filter((p): p is string => typeof p === 'string' && p !== '');
  return (
    <Text>
      <Styled bold>{service}</Styled>
      {shown.map((p, i) => (
        <Styled key={i} dim>{` · ${p}`}</Styled>
      ))}
    </Text>
  );
}

/**
 * The coloured bar down the left of a Slack attachment or Discord embed. Without colour the bar
 * is a `|` and its first line names the colour, since the colour is the severity.
 */
export function Barred({ color, children }: { color: PreviewColor | undefined; children?: ReactNode }) {
  const on = useColor();
  return (
    <Box
      flexDirection="column"
      borderStyle={on ? 'bold' : 'classic'}
      borderTop={false}
      borderRight={false}
      borderBottom={false}
      borderLeftColor={on ? color?.hex : undefined}
      paddingLeft={1}
    >
      {!on && color !== undefined && (
        <Styled>{`color: ${colorLabel(color)}`}</Styled>
      )}
      {children}
    </Box>
  );
}

/** A card outline; `accent` colours the top edge (a MessageCard's theme colour strip). */
export function Card({ accent, children }: { accent?: PreviewColor; children?: ReactNode }) {
  const on = useColor();
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderDimColor={on && accent?.hex === undefined}
      borderTopColor={on ? accent?.hex : undefined}
      paddingX={1}
    >
      {children}
    </Box>
  );
}

/** Columns a card's content gets inside `width`: border and padding on both sides. */
export const CARD_INSET = 4;
/** Columns an attachment's content gets inside its bar: the bar and one space. */
export const BAR_INSET = 2;

/**
 * Name/value rows as two aligned columns (a Teams FactSet). The name column is as wide as the
 * longest name but at most 40% of the width, so long names wrap instead of squeezing values.
 */
export function FactTable({ rows, width, gap = 2 }: { rows: Array<{ name: string; value: string }>; width: number; gap?: number }) {
  if (rows.length === 0) return null;
  const longest = Math.max(...rows.map((r) => displayWidth(r.name)));
  const nameWidth = Math.max(1, Math.min(longest, Math.floor(width * 0.4)));
  return (
    <Box flexDirection="column">
      {rows.map((r, i) => (
        <Box key={i} flexDirection="row">
          <Box width={nameWidth} flexShrink={0} marginRight={gap}>
            <Styled bold>{r.name}</Styled>
          </Box>
          <Box flexGrow={1} flexShrink={1}>
            <Styled>{r.value}</Styled>
          </Box>
        </Box>
      ))}
    </Box>
  );
}

/** `key: value` lines, the key in bold (Slack fields, Google Chat key-value widgets). */
export function KeyValueLines({ rows }: { rows: Array<{ name: string; value: string }> }) {
  return (
    <>
      {rows.map((r, i) => (
        <Text key={i}>
          <Styled bold>{r.name}</Styled>
          <Styled>{`: ${r.value}`}</Styled>
        </Text>
      ))}
    </>
  );
}
