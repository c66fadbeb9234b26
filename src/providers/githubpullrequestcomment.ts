// `githubpullrequestcomment`: one comment per Provider and Flux object on the pull request named
// by metadata `change_request`, rewritten on every event (notification-controller
// internal/notifier/github_pull_request_comment.go, providers §4.24).

import type { FluxEvent } from '../flux/types.js';
import type { Conversation, NotifierOptions, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';
import { changeRequestNumber, commentBody, commentKeyMarker } from './git-common.js';
import { GITHUB_MEDIA_REACTIONS, connectGitHub, gitHubCall, planGitHub, shapes } from './github-client.js';

export const COMMENT_KEY_PREFIX = 'flux-pr-comment-key';

interface IssueComment {
  id: bigint | null;
  body: string | null;
  user: { login: string | null } | null;
}

function create(opts: NotifierOptions) {
  if (opts.providerUID === '') throw new NotifierError('provider UID cannot be empty');
  const plan = planGitHub(opts, true);
  const uid = opts.providerUID;
  return {
    *post(e: FluxEvent): Conversation {
      const s = yield* connectGitHub(plan);
      const body = commentBody(COMMENT_KEY_PREFIX, uid, e);
      const n = changeRequestNumber(e);
      const repo = `repos/${s.owner}/${s.repo}`;

      // Only the first page (100, the maximum): our comment is usually among the first ones.
      // Number 0 lists the whole repository's comments, as go-github does.
      const list = yield* gitHubCall(s.api, {
        method: 'GET',
        path: n === 0n ? `${repo}/issues/comments` : `${repo}/issues/${n}/comments`,
        query: 'direction=asc&per_page=100&sort=created',
        accept: GITHUB_MEDIA_REACTIONS,
        shape: shapes.issueComments,
        preflight: true,
        wrap: (err) => `failed to list pull request comments: ${err}`,
      });

      // A GitHub App posts as "<slug>[bot]".
      const login = s.appSlug !== '' ? `${s.appSlug}[bot]` : s.userLogin;
      const marker = commentKeyMarker(COMMENT_KEY_PREFIX, uid, e);
      const comments = (list.value as Array<IssueComment | null> | null) ?? [];
      const mine = comments.find((c) => c !== null && (c.user?.login ?? '') === login && (c.body ?? '').includes(marker));

      if (mine) {
        yield* gitHubCall(s.api, {
          method: 'PATCH',
          path: `${repo}/issues/comments/${mine.id ?? 0n}`,
          body: { body },
          shape: shapes.issueComment,
          preflight: false,
          wrap: (err) => `failed to update pull request comment: ${err}`,
        });
      } else {
        yield* gitHubCall(s.api, {
          method: 'POST',
          path: `${repo}/issues/${n}/comments`,
          body: { body },
          shape: shapes.issueComment,
          preflight: false,
          wrap: (err) => `failed to create pull request comment: ${err}`,
        });
      }
      return { sent: true };
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'githubpullrequestcomment',
  transport: 'http',
  create,
  needs: 'address https://github.com/<owner>/<repo>, secret token (or password, or GitHub App keys); events need metadata change_request',
};
