// bitbucket (providers §4.21, §4.30): a build status on Bitbucket Cloud through
// ktrysmt/go-bitbucket. The API host is fixed whatever the address says; the address only names
// the workspace and repository. An existing status under our key with the same state and
// description means nothing is sent.

import { goJson } from '../flux/gojson.js';
import { parseGitAddress, parseRevision, sha1Hex } from './git.js';
import { goDecode, goString, goAny } from './gitlab-client.js';
import { goStatusLine } from './gohttp.js';
import type { GoType } from './gitlab-client.js';
import { goStrconvQuote, GoURL, GoURLError, parseURL } from './gourl.js';
import { basicAuthValue } from './sender.js';
import { nameAndDescription } from './text.js';
import type { HttpReply, PlannedHttpRequest, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/**
 * go-bitbucket's default API base. The library lets the controller's environment variable
 * BITBUCKET_API_BASE_URL replace it; builders here are pure, so only the default is modelled.
 */
export const BITBUCKET_API_BASE = 'https://api.bitbucket.org/2.0';

/** The `url` of every status: fixed upstream, not the repository address. */
const STATUS_URL = 'https://bitbucket.org';

const COMMIT_STATUS_OPTIONS: GoType = {
  kind: 'struct',
  go: 'bitbucket.CommitStatusOptions',
  fields: { key: goString, url: goString, state: goString, name: goString, description: goString },
};

/** info → SUCCESSFUL, error → FAILED; any other severity is refused. */
export function bitbucketState(severity: string): string {
  if (severity === 'info') return 'SUCCESSFUL';
  if (severity === 'error') return 'FAILED';
  throw new NotifierError("can't convert to bitbucket state");
}

/** The library accepts 200, 201, 202 and 204; anything else is an error carrying the status line. */
const accepted = (r: HttpReply) => r.status === 200 || r.status === 201 || r.status === 202 || r.status === 204;

/**
 * The library's result for a reply: null (204 or JSON null), the decoded JSON, or an error:
 * the status line for a refused status, else the json.Unmarshal error of the body.
 */
function libraryResult(r: HttpReply): { error: string; status?: string } | { value: unknown } {
  if (!accepted(r)) return { error: goStatusLine(r.status), status: goStatusLine(r.status) };
  if (r.status === 204) return { value: null };
  const d = goDecode(r.body ?? '', goAny, 'unmarshal');
  return d.ok ? { value: d.value } : { error: d.error };
}

export const provider: ProviderDefinition = {
  type: 'bitbucket',
  transport: 'http',
  needs: 'address (bitbucket.org/<workspace>/<repo>), Secret token as <username>:<app-password>',
  create(opts) {
    if (opts.token === '') throw new NotifierError('bitbucket token cannot be empty');
    if (opts.commitStatus === '') throw new NotifierError('commit status cannot be empty');
    const { id } = parseGitAddress(opts.url);
    const creds = opts.token.split(':');
    if (creds.length !== 2) throw new NotifierError('invalid token format, expected to be <user>:<password>');
    const [username, password] = creds as [string, string];
    const repo = id.split('/');
    if (repo.length !== 2) throw new NotifierError(`invalid repository id ${goStrconvQuote(id)}`);
    const [owner, slug] = repo as [string, string];
    const commitStatus = opts.commitStatus;

    // The library sends basic auth only when both parts are non-empty.
    const auth: Array<[string, string]> =
      username !== '' && password !== '' ? [['Authorization', basicAuthValue(username, password)]] : [];

    return {
      *post(e) {
        if (e.reason === 'Progressing') return { sent: false, note: 'bitbucket skips events with reason Progressing' };
        const sha = parseRevision(e.metadata);
        const state = bitbucketState(e.severity);
        const { name, description } = nameAndDescription(e);
        const key = sha1Hex(commitStatus);
        // Paths are formatted without escaping, then parsed by http.NewRequest.
        const statuses = `${BITBUCKET_API_BASE}/repositories/${owner}/${slug}/commit/${sha}/statuses/build`;

        const getURL = parse(`${statuses}/${key}`, 'could not get commit status: ');
        const getCheck = (r: HttpReply): string | null => {
          const res = libraryResult(r);
          if ('value' in res) return duplicateError(res.value);
          // A 404 (status text "Not Found") means there is no status yet.
          if (res.status !== undefined && res.status.includes('Not Found')) return null;
          return `could not get commit status: ${res.error}`;
        };
        const get: PlannedHttpRequest = {
          kind: 'http',
          method: 'GET',
          url: getURL.toString(),
          headers: [...auth],
          preflight: true,
          retry: 'none',
          useProxy: false,
          useTLS: true,
          check: getCheck,
        };
        const reply = yield get;
        const getErr = getCheck(reply);
        if (getErr !== null) throw new NotifierError(getErr);
        const existing = existingStatus(reply);
        // Only state and description are compared (name and url are not).
        if (existing && existing.state === state && existing.description === description) {
          return { sent: false, note: `build status '${key}' already has state ${state} and description '${description}'` };
        }

        // CommitStatusOptions field order: key, url, state, name, description (json.Marshal, no newline).
        const body = goJson({ key, url: STATUS_URL, state, name, description });
        const postURL = parse(statuses, '');
        const postCheck = (r: HttpReply): string | null => {
          const out = libraryResult(r);
          return 'error' in out ? out.error : null;
        };
        const post: PlannedHttpRequest = {
          kind: 'http',
          method: 'POST',
          url: postURL.toString(),
          headers: [['Content-Type', 'application/json'], ...auth],
          body,
          retry: 'none',
          useProxy: false,
          useTLS: true,
          check: postCheck,
        };
        const posted = yield post;
        const postErr = postCheck(posted);
        if (postErr !== null) throw new NotifierError(postErr);
        return { sent: true };
      },
    };
  },
};

/**
 * Upstream re-encodes whatever the GET returned and decodes it into CommitStatusOptions, so a
 * non-object or a non-string field fails the post with Go's type error (returned unwrapped).
 */
function duplicateError(value: unknown): string | null {
  const d = goDecode(JSON.stringify(value), COMMIT_STATUS_OPTIONS, 'unmarshal');
  return d.ok ? null : d.error;
}

/** The existing status after a successful GET (null for none: 404, 204 or JSON null). */
function existingStatus(r: HttpReply): Record<string, string> | null {
  const res = libraryResult(r);
  if (!('value' in res)) return null;
  const d = goDecode(JSON.stringify(res.value), COMMIT_STATUS_OPTIONS, 'unmarshal');
  return d.ok ? (d.value as Record<string, string> | null) : null;
}

/** http.NewRequest's URL parse; its error is wrapped like the library call that made it. */
function parse(url: string, wrap: string): GoURL {
  try {
    return parseURL(url);
  } catch (e) {
    if (e instanceof GoURLError) throw new NotifierError(wrap + e.message);
    throw e;
  }
}
