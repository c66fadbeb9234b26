// bitbucketserver (providers §4.21, §4.29): a build status on Bitbucket Server / Data Center,
// through the controller's own go-retryablehttp code. The status key is the SHA-1 of the
// commit status id (Bitbucket caps keys at 40 characters); an identical existing build status
// for that key means nothing is sent.

import { goJson } from '../flux/gojson.js';
import { parseRevision, sha1Hex } from './git.js';
import { goDecode, goInt, goString } from './gitlab-client.js';
import { goStatusText } from './gohttp.js';
import type { GoType } from './gitlab-client.js';
import { encodeValues, goStrconvQuote, GoURL, GoURLError, parseURL } from './gourl.js';
import { basicAuthValue } from './sender.js';
import { nameAndDescription } from './text.js';
import type { HttpReply, PlannedHttpRequest, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** notifier.bbServerBuildStatus: the fields a GET of one build status is decoded into. */
const BUILD_STATUS: GoType = {
  kind: 'struct',
  go: 'notifier.bbServerBuildStatus',
  fields: {
    name: goString,
    key: goString,
    parent: goString,
    state: goString,
    ref: goString,
    buildNumber: goString,
    description: goString,
    duration: { kind: 'int', go: 'int64' },
    updatedDate: { kind: 'int', go: 'int64' },
    createdDate: { kind: 'int', go: 'int64' },
    url: goString,
  },
};

const ADDRESS_ERROR = 'could not parse git address: ';

/**
 * The commits endpoint of a clone URL: `<scheme>://<host><context>/rest/api/latest/projects/<P>/repos/<r>/commits`,
 * where the context path is whatever precedes the last `/scm/`.
 */
export function bitbucketServerCommitsURL(address: string): GoURL {
  let u: GoURL;
  try {
    u = parseURL(address);
  } catch (e) {
    if (e instanceof GoURLError) throw new NotifierError(ADDRESS_ERROR + e.message);
    throw e;
  }
  if (u.scheme !== 'http' && u.scheme !== 'https') {
    throw new NotifierError(`${ADDRESS_ERROR}unsupported scheme type in address: ${u.scheme}. Must be http or https`);
  }
  const idWithContext = u.path.endsWith('.git') ? u.path.slice(0, -'.git'.length) : u.path;
  const at = idWithContext.lastIndexOf('/scm/');
  if (at < 0) throw new NotifierError(`${ADDRESS_ERROR}supplied provider address is not http(s) git clone url`);
  const context = idWithContext.slice(0, at);
  const id = idWithContext.slice(at + '/scm/'.length);
  const comp = id.split('/');
  if (comp.length !== 2) throw new NotifierError(`${ADDRESS_ERROR}invalid repository id ${goStrconvQuote(id)}`);
  // Only Path is replaced upstream; a RawPath from the address stays and is ignored on output
  // once it no longer matches the new path.
  const out = u.clone();
  out.path = `${context}/rest/api/latest/projects/${comp[0]}/repos/${comp[1]}/commits`;
  return out;
}

/** info → SUCCESSFUL, error → FAILED; any other severity is refused. */
export function bitbucketServerState(severity: string): string {
  if (severity === 'info') return 'SUCCESSFUL';
  if (severity === 'error') return 'FAILED';
  throw new NotifierError(
    "couldn't convert to bitbucket server state: bitbucket server state generated on info or error events only",
  );
}

/** Status ≥ 400 is an error upstream (a non-2xx below 400 is accepted). */
const isError = (r: HttpReply) => r.status > 399;

export const provider: ProviderDefinition = {
  type: 'bitbucketserver',
  transport: 'http',
  needs: 'address (HTTP(S) clone URL with /scm/), Secret token, or username + password',
  create(opts) {
    const commits = bitbucketServerCommitsURL(opts.url);
    if (opts.commitStatus === '') throw new NotifierError('commit status cannot be empty');
    if (opts.token === '' && (opts.username === '' || opts.password === '')) {
      throw new NotifierError('invalid credentials, expected to be one of username/password or API Token');
    }
    // A token wins over basic auth; the two Atlassian headers are always sent (names canonicalised).
    const auth: Array<[string, string]> = [
      ['Authorization', opts.token !== '' ? `Bearer ${opts.token}` : basicAuthValue(opts.username, opts.password)],
      ['X-Atlassian-Token', 'no-check'],
      ['X-Requested-With', 'XMLHttpRequest'],
    ];
    const address = opts.url;
    const commitStatus = opts.commitStatus;

    return {
      *post(e) {
        if (e.reason === 'Progressing') return { sent: false, note: 'bitbucketserver skips events with reason Progressing' };
        let sha: string;
        try {
          sha = parseRevision(e.metadata);
        } catch (err) {
          if (err instanceof NotifierError && err.message !== 'missing revision metadata') {
            throw new NotifierError(`could not parse revision: ${err.message}`);
          }
          throw err;
        }
        const state = bitbucketServerState(e.severity);
        const nd = nameAndDescription(e);
        const description = nd.description;
        const name = `${nd.name} [${description}]`;
        const key = sha1Hex(commitStatus);

        // The builds URL is built, printed and parsed again by the request constructor.
        const builds = commits.joinPath(`${sha}/builds`).toString();

        const getErr = 'could not get existing commit status: ';
        const getURL = requestURL(builds, getErr + 'could not check duplicate commit status: could not prepare request: ');
        getURL.rawQuery = encodeValues([['key', key]]);
        const get: PlannedHttpRequest = {
          kind: 'http',
          method: 'GET',
          url: getURL.toString(),
          headers: [...auth],
          preflight: true,
          retry: 'retryablehttp',
          useProxy: false,
          useTLS: true,
          check: (r) => {
            const err = judgeExisting(r, { key, state, description, name });
            return typeof err === 'string' ? getErr + err : null;
          },
        };
        const reply = yield get;
        const existing = judgeExisting(reply, { key, state, description, name });
        if (typeof existing === 'string') throw new NotifierError(getErr + existing);
        if (existing) {
          return { sent: false, note: `build status '${key}' already has state ${state}, name and description` };
        }

        const postErr = 'could not post build status: ';
        const postURL = requestURL(builds, postErr + 'failed preparing request for post build commit status: could not prepare request: ');
        // bbServerBuildStatusSetRequest field order; key, state and url are never omitted.
        const payload: Record<string, unknown> = {};
        if (description !== '') payload.description = description;
        payload.key = key;
        if (name !== '') payload.name = name;
        payload.state = state;
        payload.url = address;
        const post: PlannedHttpRequest = {
          kind: 'http',
          method: 'POST',
          url: postURL.toString(),
          headers: [...auth, ['Content-Type', 'application/json']],
          // json.Encoder adds a newline.
          body: goJson(payload) + '\n',
          retry: 'retryablehttp',
          useProxy: false,
          useTLS: true,
          check: (r) => (isError(r) ? postErr + postFailure(r) : null),
        };
        const posted = yield post;
        if (isError(posted)) throw new NotifierError(postErr + postFailure(posted));
        return { sent: true };
      },
    };
  },
};

/** The URL a request is made with: the printed URL parsed again (http.NewRequest). */
function requestURL(printed: string, wrap: string): GoURL {
  try {
    return parseURL(printed);
  } catch (e) {
    if (e instanceof GoURLError) throw new NotifierError(wrap + e.message);
    throw e;
  }
}

function postFailure(r: HttpReply): string {
  return `could not post build commit status: ${r.status} - ${goStatusText(r.status)}`;
}

/**
 * The duplicate check on the GET reply: true when the existing build status equals ours,
 * false when there is none (404 and any other status below 400 except 200), or the error text.
 */
function judgeExisting(
  r: HttpReply,
  ours: { key: string; state: string; description: string; name: string },
): boolean | string {
  if (isError(r) && r.status !== 404) {
    return `failed api call to check duplicate commit status: ${r.status} - ${goStatusText(r.status)}`;
  }
  if (r.status !== 200) return false;
  const d = goDecode(r.body ?? '', BUILD_STATUS, 'unmarshal');
  if (!d.ok) return `could not unmarshal json response body for duplicate commit status: ${d.error}`;
  const s = d.value as Record<string, string> | null;
  if (s === null) return false;
  return s.key === ours.key && s.state === ours.state && s.description === ours.description && s.name === ours.name;
}
