// Git helpers of the commit-status notifiers (notification-controller internal/notifier/util.go,
// providers §3.5 and §4.21): the commit SHA of an event, the host and repository id of a Git
// address (chainguard-dev/git-urls v1.0.2 parsing), and the hash helpers used for status keys.

import { createHash } from 'node:crypto';
import { GoURLError, parseURL, type GoURL } from './gourl.js';
import { NotifierError } from './types.js';

/** Metadata keys that may carry the revision, in the order the controller looks them up. */
const REVISION_KEYS = ['commit', 'originRevision', 'revision'] as const;

/**
 * The 40-character commit id of an event (event.GetRevision + parseRevision upstream).
 * Throws NotifierError `missing revision metadata` when no revision key is present (an empty
 * value counts as present), and `failed to extract commit hash from '<rev>' revision` when
 * the hash part is not exactly 40 bytes long (SHA-256 revisions included; no hex check).
 */
export function parseRevision(metadata: Record<string, string> | undefined): string {
  let rev: string | undefined;
  for (const key of REVISION_KEYS) {
    if (metadata && Object.prototype.hasOwnProperty.call(metadata, key)) {
      rev = metadata[key];
      break;
    }
  }
  if (rev === undefined) throw new NotifierError('missing revision metadata');
  const hash = extractHash(transformRevision(rev));
  if (Buffer.byteLength(hash, 'utf8') !== 40) {
    throw new NotifierError(`failed to extract commit hash from '${rev}' revision`);
  }
  return hash;
}

// fluxcd/pkg git: legacy `<branch>/<sha>` revisions are first rewritten to `<branch>@sha1:<sha>`,
// then the hash is read back. Reproduced step by step because the round trip has edge cases
// (a trailing `/`) that a direct "after the last ':' or '/'" rule gets wrong.

/** git.ExtractHashFromRevision (as a string; `` for an empty revision). */
function extractHash(rev: string): string {
  if (rev === '') return '';
  const colon = rev.lastIndexOf(':');
  if (colon !== -1) return rev.slice(colon + 1);
  const parts = rev.split('/');
  if (parts.length > 1) return parts[parts.length - 1]!;
  return rev;
}

/** Hash.Digest: `<algorithm>:<hash>`, the algorithm guessed from the length. */
function digest(hash: string): string {
  if (hash === '') return '';
  const algo = Buffer.byteLength(hash, 'utf8') === 40 ? 'sha1' : '<unknown>';
  return `${algo}:${hash}`;
}

/** git.ExtractNamedPointerFromRevision. */
function namedPointer(rev: string): string {
  const at = rev.lastIndexOf('@');
  if (at !== -1) return rev.slice(0, at);
  const slash = rev.lastIndexOf('/');
  if (slash !== -1) {
    const p = rev.slice(0, slash);
    if (p !== 'HEAD') return p;
  }
  return '';
}

/** git.TransformRevision: legacy forms to `<pointer>@<digest>`; anything with ':' unchanged. */
function transformRevision(rev: string): string {
  if (rev === '' || rev.includes(':')) return rev;
  const pointer = namedPointer(rev);
  const d = digest(extractHash(rev));
  return pointer === '' ? d : `${pointer}@${d}`;
}

/** Schemes git-urls accepts from a standard URL; anything else is tried as scp syntax. */
const GIT_TRANSPORTS = new Set(['ssh', 'git', 'git+ssh', 'http', 'https', 'ftp', 'ftps', 'rsync', 'file']);

/**
 * git-urls' scp syntax `[user@]host:path[?query]`. Same pattern as upstream, with `.` written
 * as `[^\n]` because Go's `.` only excludes a newline (JS also excludes \r, U+2028, U+2029).
 */
const SCP_SYNTAX = /^([a-zA-Z0-9\-._~]+@)?([a-zA-Z0-9._-]+):([a-zA-Z0-9./._-]+)(?:\?||$)([^\n]*)$/;

/** git-urls refuses longer scp candidates (ReDoS guard); they fall through to a local path. */
const SCP_MAX_BYTES = 2048;

interface GitURLParts {
  scheme: string;
  host: string;
  path: string;
}

/** giturls.Parse: standard URL with a Git transport, else scp syntax, else a local path. */
function parseGitURL(address: string): GitURLParts {
  let u: GoURL | undefined;
  try {
    u = parseURL(address);
  } catch (e) {
    if (!(e instanceof GoURLError)) throw e;
  }
  if (u && GIT_TRANSPORTS.has(u.scheme)) return { scheme: u.scheme, host: u.host, path: u.path };
  if (Buffer.byteLength(address, 'utf8') <= SCP_MAX_BYTES) {
    const m = SCP_SYNTAX.exec(address);
    if (m) return { scheme: 'ssh', host: m[2]!, path: m[3]! };
  }
  return { scheme: 'file', host: '', path: address };
}

/**
 * Host base URL and repository id of a Git address (util.go parseGitAddress): ssh becomes
 * https, user info and query are dropped, the id loses every leading `/` and one `.git`.
 * Never fails: anything unparseable is read as a local path (`file://`, the whole text as id).
 */
export function parseGitAddress(address: string): { host: string; id: string } {
  const u = parseGitURL(address);
  const scheme = u.scheme === 'ssh' ? 'https' : u.scheme;
  let id = u.path.replace(/^\/+/, '');
  if (id.endsWith('.git')) id = id.slice(0, -'.git'.length);
  return { host: `${scheme}://${u.host}`, id };
}

/** Lower-case hex SHA-1 of the UTF-8 bytes (util.go sha1String). */
export function sha1Hex(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('hex');
}

/** Lower-case hex SHA-256 of the UTF-8 bytes. */
export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}
