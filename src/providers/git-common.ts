// Pieces shared by the GitHub and Gitea notifier families: the change-request comment
// (git_change_request_comment.go, markdown.go), Go's integer parsing texts, reply header
// lookup, and the marker for errors that upstream raises while *building* the notifier.

import type { FluxEvent } from '../flux/types.js';
import { goStrconvQuote } from './gourl.js';
import { markdownPost } from './text.js';
import type { HttpReply } from './types.js';
import { NotifierError } from './types.js';

/**
 * An error upstream returns from the notifier constructor although it needs the network first
 * (GitHub App token exchange, `GET /user`, Gitea's version probe). We can only meet it inside
 * the conversation, so it is marked: the controller reports such errors as
 * `failed to initialize notifier for provider '<name>': failed to initialize notifier: <text>`.
 */
export class NotifierInitError extends NotifierError {
  override name = 'NotifierInitError';
}

// ---------------------------------------------------------------------------------------------
// Change-request comments (GitHub and Gitea use the prefix `flux-pr-comment-key`).

/** `<!-- <prefix>:<providerUID>/<Kind>/<namespace>/<name> -->` — finds our comment again. */
export function commentKeyMarker(prefix: string, providerUID: string, e: FluxEvent): string {
  const o = e.involvedObject;
  return `<!-- ${prefix}:${providerUID}/${o.kind ?? ''}/${o.namespace ?? ''}/${o.name ?? ''} -->`;
}

/** The comment: the hidden marker, a blank line, then the markdown post (providers §3.5). */
export function commentBody(prefix: string, providerUID: string, e: FluxEvent): string {
  return `${commentKeyMarker(prefix, providerUID, e)}\n\n${markdownPost(e)}`;
}

const CHANGE_REQUEST_KEY = 'change_request';

/** The pull request number from metadata `change_request` (strconv.Atoi, 64-bit int). */
/** The change request number from metadata `change_request`: GitHub/Gitea use Atoi, GitLab ParseInt. */
export function changeRequestNumber(e: FluxEvent, fn: 'Atoi' | 'ParseInt' = 'Atoi'): bigint {
  const md = e.metadata;
  if (!md || !Object.prototype.hasOwnProperty.call(md, CHANGE_REQUEST_KEY)) {
    throw new NotifierError(`missing ${goStrconvQuote(CHANGE_REQUEST_KEY)} metadata key`);
  }
  const raw = md[CHANGE_REQUEST_KEY]!;
  const n = goParseInt64(raw, fn);
  if (n.error !== undefined) {
    throw new NotifierError(`invalid ${goStrconvQuote(CHANGE_REQUEST_KEY)} metadata value ${goStrconvQuote(raw)}: ${n.error}`);
  }
  return n.value;
}

// ---------------------------------------------------------------------------------------------
// Go integer parsing.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * strconv.ParseInt(s, 10, 64) (or Atoi): the value and, on failure, Go's error text. Like Go,
 * an out-of-range number still yields the clamped value alongside the error.
 */
export function goParseInt64(s: string, fn: 'ParseInt' | 'Atoi' = 'ParseInt'): { value: bigint; error?: string } {
  const fail = (why: string) => `strconv.${fn}: parsing ${goStrconvQuote(s)}: ${why}`;
  const m = /^([+-]?)([0-9]+)$/.exec(s);
  if (!m) return { value: 0n, error: fail('invalid syntax') };
  const n = BigInt(m[1] === '-' ? `-${m[2]}` : m[2]!);
  if (n > INT64_MAX) return { value: INT64_MAX, error: fail('value out of range') };
  if (n < INT64_MIN) return { value: INT64_MIN, error: fail('value out of range') };
  return { value: n };
}

// ---------------------------------------------------------------------------------------------
// Replies.

/** Header.Get: case-insensitive lookup, `` when absent. */



