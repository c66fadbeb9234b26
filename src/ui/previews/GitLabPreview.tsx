// GitLab commit status: the status this delivery set (or, when the notifier only read the list,
// the latest one of its name it compared against), then the commit's latest status per name.

import { Box, Text } from 'ink';
import type { GitLabStatusPreview } from '../../runner/preview-model.js';
import { CommitStatusList, shortSha, StatusLine } from './commit-states.js';
import { Header } from './parts.js';
import { Styled } from './styled.js';

export function GitLabPreview({ preview: p }: { preview: GitLabStatusPreview; width: number }) {
  const created = p.operation === 'create';
  return (
    <Box flexDirection="column">
      <Header service="GitLab" parts={[p.project, `commit ${shortSha(p.sha)}`]} />
      <Styled dim>{p.sha}</Styled>
      <Box marginTop={1} flexDirection="column">
        {created ? (
          <>
            <Styled bold>Posted status</Styled>
            <StatusLine state={p.state} context={p.name} description={p.description} targetUrl={p.targetUrl} />
          </>
        ) : (
          <>
            <Text>
              <Styled bold>No status posted</Styled>
              <Styled>{' — the statuses were only read: a dedupe skip.'}</Styled>
            </Text>
            <Styled dim>The latest status of this name, which it matched:</Styled>
            {p.state ? (
              <StatusLine state={p.state} context={p.name} description={p.description} targetUrl={p.targetUrl} />
            ) : (
              <Styled dim>{`(none named '${p.name}')`}</Styled>
            )}
          </>
        )}
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Styled bold>{`Statuses on ${shortSha(p.sha)}`}</Styled>
        <CommitStatusList all={p.all} postedContext={created ? p.name : undefined} />
      </Box>
    </Box>
  );
}
