// The preview pane's content: picks the view for a preview model (or the service's rejection)
// and lays it out in the given number of columns.

import { Box, Text } from 'ink';
import type { Preview, PreviewError } from '../../runner/preview-model.js';
import { AlertmanagerPreview } from './AlertmanagerPreview.js';
import { DiscordPreview } from './DiscordPreview.js';
import { GenericPreview } from './GenericPreview.js';
import { GitHubPreview } from './GitHubPreview.js';
import { GitLabPreview } from './GitLabPreview.js';
import { GoogleChatPreview } from './GoogleChatPreview.js';
import { PreviewErrorView } from './PreviewErrorView.js';
import { SlackPreview } from './SlackPreview.js';
import { Styled } from './styled.js';
import { TeamsPreview } from './TeamsPreview.js';

export { ColorProvider, colorEnabled, useColor } from './color.js';

/** A PreviewError has no `kind`: that is what tells it from a preview. */
export function isPreviewError(p: Preview | PreviewError): p is PreviewError {
  return !('kind' in p);
}

function Body({ preview, width }: { preview: Preview | PreviewError | undefined; width: number }) {
  if (preview === undefined) return <Styled dim>No preview: nothing was received for this delivery.</Styled>;
  if (isPreviewError(preview)) return <PreviewErrorView error={preview} width={width} />;
  switch (preview.kind) {
    case 'slack':
      return <SlackPreview preview={preview} width={width} />;
    case 'teams-adaptive':
    case 'teams-messagecard':
      return <TeamsPreview preview={preview} width={width} />;
    case 'github-status':
      return <GitHubPreview preview={preview} width={width} />;
    case 'gitlab-status':
      return <GitLabPreview preview={preview} width={width} />;
    case 'discord':
      return <DiscordPreview preview={preview} width={width} />;
    case 'googlechat':
      return <GoogleChatPreview preview={preview} width={width} />;
    case 'alertmanager':
      return <AlertmanagerPreview preview={preview} width={width} />;
    case 'generic':
      return <GenericPreview preview={preview} width={width} />;
    default: {
      // Models can arrive from NDJSON written by another version: show the data, do not crash.
      const unknown = preview as { kind?: unknown };
      return (
        <Box flexDirection="column">
          <Styled dim>{`No view for preview kind '${String(unknown.kind)}'; its data:`}</Styled>
          <Styled>{JSON.stringify(preview, null, 2)}</Styled>
        </Box>
      );
    }
  }
}

/** What the service would do differently from what was sent (the mock's notes). */
function Notes({ notes }: { notes: string[] | undefined }) {
  if (!notes || notes.length === 0) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {notes.map((n, i) => (
        <Text key={i}>
          <Styled color="yellow">note</Styled>
          <Styled>{`: ${n}`}</Styled>
        </Text>
      ))}
    </Box>
  );
}

export function PreviewView({ preview, width }: { preview: Preview | PreviewError | undefined; width: number }) {
  return (
    <Box flexDirection="column" width={width}>
      <Body preview={preview} width={width} />
      {preview !== undefined && !isPreviewError(preview) ? <Notes notes={preview.notes} /> : null}
    </Box>
  );
}
