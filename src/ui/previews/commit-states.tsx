// Commit status rows as the forges list their checks: a state glyph in the state's colour, the
// context in bold, the description, the target URL. The glyphs carry the state on their own, so
// the list reads the same without colour. Shared by the GitHub and GitLab previews.

import { Box, Text } from 'ink';
import type { CommitStatusEntry } from '../../runner/preview-model.js';
import { Styled } from './styled.js';

/** The 7-character form the forges show for a full SHA-1. */
export function shortSha(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

export interface StateLook {
  glyph: string;
  color?: string;
}

/** GitHub (success, failure, error, pending) and GitLab (success, failed, pending, running, ...). */
export function stateLook(state: string): StateLook {
  switch (state.toLowerCase()) {
    case 'success':
      return { glyph: '✓', color: 'green' };
    case 'failure':
    case 'failed':
    case 'error':
      return { glyph: '✗', color: 'red' };
    case 'pending':
    case 'created':
    case 'waiting_for_resource':
    case 'preparing':
    case 'scheduled':
      return { glyph: '●', color: 'yellow' };
    case 'running':
      return { glyph: '●', color: 'blue' };
    case 'canceled':
    case 'skipped':
    case 'manual':
      return { glyph: '○', color: 'gray' };
    default:
      // A state the forge would refuse; shown, but marked as unknown.
      return { glyph: '?', color: 'magenta' };
  }
}

export function StateGlyph({ state }: { state: string }) {
  const look = stateLook(state);
  return <Styled color={look.color}>{look.glyph}</Styled>;
}

/**
 * `✓ context — description`, then a dim line with the state and any remarks (time, whose it
 * is), then the target URL: the glyph says the state at a glance, the word says which one.
 */
export function StatusLine({
  state,
  context,
  description,
  targetUrl,
  meta = [],
  dim,
}: {
  state: string;
  context: string;
  description?: string;
  targetUrl?: string;
  meta?: string[];
  dim?: boolean;
}) {
  return (
    <Box flexDirection="row">
      <Box width={2} flexShrink={0}>
        <StateGlyph state={state} />
      </Box>
      <Box flexDirection="column" flexGrow={1} flexShrink={1}>
        <Text>
          <Styled bold={!dim} dim={dim}>{context}</Styled>
          <Styled dim={dim}>{description ? ` — ${description}` : ''}</Styled>
        </Text>
        <Styled dim>{[state || '(no state)', ...meta].join(' · ')}</Styled>
        {targetUrl ? <Styled dim>{targetUrl}</Styled> : null}
      </Box>
    </Box>
  );
}

/**
 * The commit's statuses as the model lists them (newest per context first, as the forge's
 * combined view), with the posted status's context marked.
 */
export function CommitStatusList({ all, postedContext }: { all: CommitStatusEntry[]; postedContext?: string }) {
  if (all.length === 0) return <Styled dim>(no statuses on this commit)</Styled>;
  return (
    <Box flexDirection="column">
      {all.map((s) => (
        <StatusLine
          key={s.id}
          state={s.state}
          context={s.context}
          description={s.description}
          targetUrl={s.targetUrl}
          meta={s.context === postedContext ? [s.createdAt, '◀ this alert'] : [s.createdAt]}
        />
      ))}
    </Box>
  );
}
