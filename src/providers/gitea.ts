// `gitea`: a commit status per event (notification-controller internal/notifier/gitea.go,
// providers §4.27). Unlike github, `Progressing` events are sent, as state `pending`.

import type { FluxEvent } from '../flux/types.js';
import type { Conversation, NotifierOptions, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';
import { goJson } from '../flux/gojson.js';
import { queryEscape } from './gourl.js';
import { parseRevision } from './git.js';
import { nameAndDescription } from './text.js';
import { connectGitea, escapeSegments, giteaCall, giteaShapes, planGitea } from './gitea-client.js';

/** Reason Progressing → pending, then severity → state; other severities are refused. */
export function giteaState(e: FluxEvent): string {
  if (e.reason === 'Progressing') return 'pending';
  if (e.severity === 'info') return 'success';
  if (e.severity === 'error') return 'failure';
  throw new NotifierError("can't convert to gitea state");
}

interface GiteaStatus {
  status: string;
  description: string;
  context: string;
}

/** As GitHub: entries with an empty field are ignored; the first one with our context decides. */
export function duplicateGiteaStatus(statuses: Array<GiteaStatus | null> | null, want: { state: string; description: string; context: string }): boolean {
  for (const s of statuses ?? []) {
    if (s === null || s.context === '' || s.status === '' || s.description === '') continue;
    if (s.context === want.context) return s.status === want.state && s.description === want.description;
  }
  return false;
}

function create(opts: NotifierOptions) {
  if (opts.commitStatus === '') throw new NotifierError('commit status cannot be empty');
  const plan = planGitea(opts, false);
  const context = opts.commitStatus;
  return {
    *post(e: FluxEvent): Conversation {
      const s = yield* connectGitea(plan);
      const sha = parseRevision(e.metadata);
      const state = giteaState(e);
      const description = nameAndDescription(e).description;

      const listSegs = escapeSegments(s.owner, s.repo, sha);
      if ('error' in listSegs) throw new NotifierError(`could not list commit statuses: ${listSegs.error}`);
      const [o, r, ref] = listSegs as [string, string, string];
      const list = yield* giteaCall(s, {
        method: 'GET',
        path: `/repos/${o}/${r}/commits/${ref}/statuses?limit=50&page=1`,
        jsonHeader: true,
        preflight: true,
        shape: giteaShapes.statuses,
        wrap: (err) => `could not list commit statuses: ${err}`,
      });
      if (duplicateGiteaStatus(list as Array<GiteaStatus | null> | null, { state, description, context })) {
        return { sent: false, note: `commit status '${context}' is already '${state}' with description '${description}'` };
      }

      // CreateStatusOption, json.Marshal: HTML-escaped, no trailing newline, empty target_url kept.
      const body = goJson({ state, target_url: '', description, context });
      yield* giteaCall(s, {
        method: 'POST',
        path: `/repos/${o}/${r}/statuses/${queryEscape(sha)}`,
        body,
        jsonHeader: true,
        preflight: false,
        shape: giteaShapes.status,
        wrap: (err) => err, // the SDK's error is returned as it is
      });
      return { sent: true };
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'gitea',
  transport: 'http',
  create,
  needs: 'address https://<gitea host>/<owner>/<repo>, secret token (or password); commit status updates only',
};
