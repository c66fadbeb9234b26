// gitlab (providers §4.21, §4.25): a GitLab commit status through client-go. The latest
// statuses of the commit with our name are read first; an identical one means nothing is sent.

import { parseGitAddress, parseRevision } from './git.js';
import { gitlabCall, gitlabPathEscape, goInt, goString, newGitLabClient, NIL_POINTER_PANIC } from './gitlab-client.js';
import type { GoType } from './gitlab-client.js';
import { pathEscape } from './gourl.js';
import { nameAndDescription } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** The fields of gitlab.CommitStatus the notifier reads. */
const COMMIT_STATUS: GoType = {
  kind: 'struct',
  go: 'gitlab.CommitStatus',
  fields: { id: goInt, sha: goString, status: goString, name: goString, description: goString },
};

const COMMIT_STATUSES: GoType = { kind: 'slice', go: '[]*gitlab.CommitStatus', elem: COMMIT_STATUS, ptrElem: true };

type Status = Record<'sha' | 'status' | 'name' | 'description', string> | null;

/** info → success, error → failed; any other severity is refused. */
export function gitlabState(severity: string): string {
  if (severity === 'info') return 'success';
  if (severity === 'error') return 'failed';
  throw new NotifierError("can't convert to gitlab state");
}

export const provider: ProviderDefinition = {
  type: 'gitlab',
  transport: 'http',
  needs: 'address (GitLab project URL, nested groups allowed), Secret token (or password)',
  create(opts) {
    // The factory falls back to the password when there is no token.
    const token = opts.token !== '' ? opts.token : opts.password;
    if (token === '') throw new NotifierError('gitlab token cannot be empty');
    const { host, id } = parseGitAddress(opts.url);
    if (opts.commitStatus === '') throw new NotifierError('commit status cannot be empty');
    const client = newGitLabClient(host, token);
    const commitStatus = opts.commitStatus;
    const project = gitlabPathEscape(id);

    return {
      *post(e) {
        if (e.reason === 'Progressing') return { sent: false, note: 'gitlab skips events with reason Progressing' };
        const sha = parseRevision(e.metadata);
        const state = gitlabState(e.severity);
        const { description } = nameAndDescription(e);

        const statuses = (yield* gitlabCall(client, {
          method: 'GET',
          path: `projects/${project}/repository/commits/${pathEscape(sha)}/statuses`,
          query: [['name', commitStatus]],
          reply: COMMIT_STATUSES,
          wrap: 'unable to list commit status: ',
          preflight: true,
        })) as Status[] | null;

        // Any listed status equal in sha, state, description and name makes this a duplicate.
        for (const s of statuses ?? []) {
          if (s === null) throw new NotifierError(NIL_POINTER_PANIC);
          if (s.sha === sha && s.status === state && s.description === description && s.name === commitStatus) {
            return { sent: false, note: `commit status '${commitStatus}' already has state ${state} and description '${description}'` };
          }
        }

        yield* gitlabCall(client, {
          method: 'POST',
          path: `projects/${project}/statuses/${pathEscape(sha)}`,
          // SetCommitStatusOptions field order; ref, context, target_url, coverage are nil.
          body: { state, name: commitStatus, description },
          reply: COMMIT_STATUS,
        });
        return { sent: true };
      },
    };
  },
};
