// `github`: a commit status per event (notification-controller internal/notifier/github.go,
// providers §4.22). Lists the commit's statuses first and writes only when the newest status
// with our context differs in state or description.

import type { FluxEvent } from '../flux/types.js';
import type { Conversation, NotifierOptions, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';
import { parseRevision } from './git.js';
import { nameAndDescription } from './text.js';
import { connectGitHub, gitHubCall, planGitHub, refURLEscape, shapes } from './github-client.js';

/** Severity → GitHub state; other severities are refused. */
export function gitHubState(severity: string): string {
  if (severity === 'info') return 'success';
  if (severity === 'error') return 'failure';
  throw new NotifierError("can't convert to github state");
}

interface RepoStatus {
  state: string | null;
  description: string | null;
  context: string | null;
}

/**
 * Duplicate rule: entries missing context, state or description are ignored; the first entry
 * (GitHub lists newest first) with our context decides.
 */
export function duplicateGitHubStatus(statuses: Array<RepoStatus | null> | null, want: { state: string; description: string; context: string }): boolean {
  for (const s of statuses ?? []) {
    if (s === null || s.context === null || s.state === null || s.description === null) continue;
    if (s.context === want.context) return s.state === want.state && s.description === want.description;
  }
  return false;
}

function create(opts: NotifierOptions) {
  if (opts.commitStatus === '') throw new NotifierError('commit status cannot be empty');
  const plan = planGitHub(opts, false);
  const context = opts.commitStatus;
  return {
    *post(e: FluxEvent): Conversation {
      const s = yield* connectGitHub(plan);
      if (e.reason === 'Progressing') return { sent: false, note: 'github skips events with reason Progressing' };
      const sha = parseRevision(e.metadata);
      const state = gitHubState(e.severity);
      const description = nameAndDescription(e).description;
      const ref = refURLEscape(sha);

      const list = yield* gitHubCall(s.api, {
        method: 'GET',
        path: `repos/${s.owner}/${s.repo}/commits/${ref}/statuses`,
        query: 'per_page=50',
        shape: shapes.repoStatuses,
        preflight: true,
        wrap: (err) => `could not list commit statuses: ${err}`,
      });
      if (duplicateGitHubStatus(list.value as Array<RepoStatus | null> | null, { state, description, context })) {
        return { sent: false, note: `commit status '${context}' is already '${state}' with description '${description}'` };
      }

      yield* gitHubCall(s.api, {
        method: 'POST',
        path: `repos/${s.owner}/${s.repo}/statuses/${ref}`,
        // go-github RepoStatus field order; target_url is left out (nil pointer, omitempty).
        body: { state, description, context },
        shape: shapes.repoStatus,
        preflight: false,
        wrap: (err) => `could not create commit status: ${err}`,
      });
      return { sent: true };
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'github',
  transport: 'http',
  create,
  needs: 'address https://github.com/<owner>/<repo> (or a GitHub Enterprise URL), secret token (or password, or GitHub App keys); commit status updates only',
};
