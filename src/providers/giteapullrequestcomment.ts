// `giteapullrequestcomment`: one comment per Provider and Flux object on the pull request named
// by metadata `change_request` (notification-controller
// internal/notifier/gitea_pull_request_comment.go, providers §4.28).

import type { FluxEvent } from '../flux/types.js';
import type { Conversation, NotifierOptions, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';
import { goJson } from '../flux/gojson.js';
import { GoURLError, parseURL } from './gourl.js';
import { changeRequestNumber, commentBody, commentKeyMarker } from './git-common.js';
import { connectGitea, escapeSegments, giteaCall, giteaShapes, planGitea } from './gitea-client.js';

export const COMMENT_KEY_PREFIX = 'flux-pr-comment-key';

interface GiteaComment {
  id: bigint;
  body: string;
  user: { login: string } | null;
}

/** The SDK builds the list path with url.Parse and prints it back with its query. */
function withQuery(path: string, query: string): string {
  try {
    const u = parseURL(path);
    u.rawQuery = query;
    return u.toString();
  } catch (e) {
    if (!(e instanceof GoURLError)) throw e;
    return `${path}?${query}`;
  }
}

function create(opts: NotifierOptions) {
  if (opts.providerUID === '') throw new NotifierError('provider UID cannot be empty');
  const plan = planGitea(opts, true);
  const uid = opts.providerUID;
  return {
    *post(e: FluxEvent): Conversation {
      const s = yield* connectGitea(plan);
      const body = commentBody(COMMENT_KEY_PREFIX, uid, e);
      const n = changeRequestNumber(e);

      const segs = escapeSegments(s.owner, s.repo);
      if ('error' in segs) throw new NotifierError(`failed to list pull request comments: ${segs.error}`);
      const [o, r] = segs as [string, string];
      // First page of 100 only, like upstream.
      const list = yield* giteaCall(s, {
        method: 'GET',
        path: withQuery(`/repos/${o}/${r}/issues/${n}/comments`, 'limit=100&page=1'),
        jsonHeader: false,
        preflight: true,
        shape: giteaShapes.comments,
        wrap: (err) => `failed to list pull request comments: ${err}`,
      });

      const marker = commentKeyMarker(COMMENT_KEY_PREFIX, uid, e);
      const comments = (list as Array<GiteaComment | null> | null) ?? [];
      const mine = comments.find((c) => c !== null && c.user !== null && c.user.login === s.username && c.body.includes(marker));
      // EditIssueCommentOption / CreateIssueCommentOption, json.Marshal (HTML-escaped).
      const payload = goJson({ body });

      if (mine) {
        yield* giteaCall(s, {
          method: 'PATCH',
          path: `/repos/${o}/${r}/issues/comments/${mine.id}`,
          body: payload,
          jsonHeader: true,
          preflight: false,
          shape: giteaShapes.comment,
          wrap: (err) => `failed to update pull request comment: ${err}`,
        });
      } else {
        yield* giteaCall(s, {
          method: 'POST',
          path: `/repos/${o}/${r}/issues/${n}/comments`,
          body: payload,
          jsonHeader: true,
          preflight: false,
          shape: giteaShapes.comment,
          wrap: (err) => `failed to create pull request comment: ${err}`,
        });
      }
      return { sent: true };
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'giteapullrequestcomment',
  transport: 'http',
  create,
  needs: 'address https://<gitea host>/<owner>/<repo>, secret token (or password); events need metadata change_request',
};
