// gitlabmergerequestcomment (providers §4.26): one merge request note per provider and object,
// created once and then edited in place. The note carries a hidden marker; the first note of the
// token's user that contains it is the one updated.

import type { FluxEvent } from '../flux/types.js';
import { parseGitAddress } from './git.js';
import { gitlabCall, gitlabPathEscape, goInt, goString, newGitLabClient, NIL_POINTER_PANIC } from './gitlab-client.js';
import { changeRequestNumber, commentBody, commentKeyMarker } from './git-common.js';
import type { GoType } from './gitlab-client.js';
import { goStrconvQuote } from './gourl.js';
import { markdownPost } from './text.js';
import type { ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

const USER: GoType = { kind: 'struct', go: 'gitlab.User', fields: { id: goInt, username: goString } };

const NOTE: GoType = {
  kind: 'struct',
  go: 'gitlab.Note',
  fields: { id: goInt, body: goString, author: { kind: 'struct', go: 'gitlab.NoteAuthor', fields: { username: goString } } },
};

const NOTES: GoType = { kind: 'slice', go: '[]*gitlab.Note', elem: NOTE, ptrElem: true };

type Note = { id: number; body: string; author: { username: string } } | null;

/** `<!-- flux-mr-comment-key:<providerUID>/<Kind>/<namespace>/<name> -->`. */
export function mrCommentMarker(providerUID: string, e: FluxEvent): string {
  return commentKeyMarker('flux-mr-comment-key', providerUID, e);
}

/** The note text: the marker, a blank line, then the markdown post. */
export function mrCommentBody(providerUID: string, e: FluxEvent): string {
  return commentBody('flux-mr-comment-key', providerUID, e);
}

/** The merge request IID from metadata `change_request` (strconv.ParseInt base 10, 64 bits). */
export function mergeRequestIID(e: FluxEvent): string {
  return changeRequestNumber(e, 'ParseInt').toString();
}

export const provider: ProviderDefinition = {
  type: 'gitlabmergerequestcomment',
  transport: 'http',
  needs: 'address (GitLab project URL), Secret token (or password); events need metadata change_request (MR IID)',
  create(opts) {
    const token = opts.token !== '' ? opts.token : opts.password;
    if (opts.providerUID === '') throw new NotifierError('provider UID cannot be empty');
    if (token === '') throw new NotifierError('gitlab token cannot be empty');
    const { host, id } = parseGitAddress(opts.url);
    const client = newGitLabClient(host, token);
    const project = gitlabPathEscape(id);

    return {
      *post(e) {
        // Upstream asks for the token's user inside the constructor, so a failure here is a
        // factory error there (`failed to initialize notifier: failed to get authenticated user info: …`).
        const user = (yield* gitlabCall(client, {
          method: 'GET',
          path: 'user',
          reply: USER,
          wrap: 'failed to get authenticated user info: ',
          preflight: true,
        })) as { username: string } | null;
        const username = user?.username ?? '';

        const body = mrCommentBody(opts.providerUID, e);
        const iid = mergeRequestIID(e);
        const notesPath = `projects/${project}/merge_requests/${iid}/notes`;

        // Only the first page (100 notes, oldest first) is searched.
        const notes = (yield* gitlabCall(client, {
          method: 'GET',
          path: notesPath,
          query: [['order_by', 'created_at'], ['per_page', '100'], ['sort', 'asc']],
          reply: NOTES,
          wrap: 'failed to list merge request notes: ',
          preflight: true,
        })) as Note[] | null;

        const marker = mrCommentMarker(opts.providerUID, e);
        let existing: Note = null;
        for (const n of notes ?? []) {
          if (n === null) throw new NotifierError(NIL_POINTER_PANIC);
          if (n.author.username === username && n.body.includes(marker)) {
            existing = n;
            break;
          }
        }

        if (existing !== null) {
          yield* gitlabCall(client, {
            method: 'PUT',
            path: `${notesPath}/${existing.id}`,
            body: { body },
            reply: NOTE,
            wrap: 'failed to update merge request note: ',
          });
        } else {
          yield* gitlabCall(client, {
            method: 'POST',
            path: notesPath,
            body: { body },
            reply: NOTE,
            wrap: 'failed to create merge request note: ',
          });
        }
        return { sent: true };
      },
    };
  },
};
