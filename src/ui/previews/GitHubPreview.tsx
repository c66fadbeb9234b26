// GitHub commit status: the status this delivery posted (or, when the notifier only read the
// list, that nothing was posted), then the commit's checks as github.com lists them — newest
// status per context. A dedupe skip shows as "no status posted"; two clusters writing one
// context show in the mock's notes ("replaces failure ... of context ...") under the preview.

import { Box, Text } from 'ink';
import type { GitHubStatusPreview } from '../../runner/preview-model.js';
import { CommitStatusList, shortSha, StatusLine } from './commit-states.js';
import { Header } from './parts.js';
import { Styled } from './styled.js';

export function GitHubPreview({ preview: p }: { preview: GitHubStatusPreview; width: number }) {
  const created = p.operation === 'create';
  const contexts = new Set(p.all.map((s) => s.context)).size;
  return (
    <Box flexDirection="column">
      <Header service="GitHub" parts={[`${p.owner}/${p.repo}`, `commit ${shortSha(p.sha)}`]} />
      <Styled dim>{p.sha}</Styled>
      <Box marginTop={1} flexDirection="column">
        {created ? (
          <>
            <Styled bold>Posted status</Styled>
            <StatusLine state={p.state} context={p.context} description={p.description} targetUrl={p.targetUrl} />
          </>
        ) : (
          // The notifier lists the statuses before posting; ending on the list means its own
          // context already had this state and description.
          <Text>
            <Styled bold>No status posted</Styled>
            <Styled>{' — the statuses were only read: a dedupe skip.'}</Styled>
          </Text>
        )}
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text>
          <Styled bold>{`Checks on ${shortSha(p.sha)}`}</Styled>
          <Styled dim>
            {` · ${contexts} context${contexts === 1 ? '' : 's'} · ${p.postedCount} status${p.postedCount === 1 ? '' : 'es'} posted in total`}
          </Styled>
        </Text>
        <CommitStatusList all={p.all} postedContext={created ? p.context : undefined} />
      </Box>
    </Box>
  );
}
