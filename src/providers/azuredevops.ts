// azuredevops (providers §4.21, §4.31): a Git commit status on Azure DevOps through
// azure-devops-go-api v6. The library first discovers the API routes of the organisation
// (OPTIONS <org>/_apis, once per organisation per process: NotifierOptions.caches), then lists
// the commit's statuses and posts ours unless the first status with our context already has the
// same state and description.

import { goJson } from '../flux/gojson.js';
import type { FluxEvent } from '../flux/types.js';
import { parseGitAddress, parseRevision } from './git.js';
import { goAny, goDecode, goInt, goString, NIL_POINTER_PANIC } from './gitlab-client.js';
import { goParseInt64 } from './git-common.js';
import { goStatusLine, replyHeader } from './gohttp.js';
import type { GoType } from './gitlab-client.js';
import { goStrconvQuote, GoURLError, parseURL, pathEscape } from './gourl.js';
import { basicAuthValue, canonicalHeaderKey } from './sender.js';
import { nameAndDescription } from './text.js';
import type { HttpReply, PlannedHttpRequest, ProviderDefinition } from './types.js';
import { NotifierError } from './types.js';

/** Resource location of the Git statuses API (area `git`, resource `statuses`). */
export const STATUSES_LOCATION_ID = '428dd4fb-fda5-4722-af02-9313b80305da';

/** The API version the Git client asks for. */
const REQUESTED_VERSION = '6.0';

/**
 * The library's User-Agent: Go version, OS and architecture of the controller build
 * (notification-controller v1.9.3 is built with Go 1.26 for linux; the patch release and the
 * architecture depend on the image, amd64 assumed), then the library's hard-coded version.
 */
export const AZURE_DEVOPS_USER_AGENT = 'go/go1.26.0 (linux amd64) azure-devops-go-api/6.0.0-b1 (dev)';

/**
 * X-TFS-Session: upstream a random UUID drawn once per controller process. A fixed value keeps
 * the planned requests deterministic.
 */
export const AZURE_DEVOPS_SESSION_ID = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';

const WRAP_LIST = 'could not list commit statuses: ';
const WRAP_CREATE = 'could not create commit status: ';

const LOCATION: GoType = {
  kind: 'struct',
  go: 'azuredevops.ApiResourceLocation',
  pointers: true,
  fields: {
    area: goString,
    id: { kind: 'uuid' },
    maxVersion: goString,
    minVersion: goString,
    releasedVersion: goString,
    resourceName: goString,
    resourceVersion: goInt,
    routeTemplate: goString,
  },
};

const STATUS_CONTEXT: GoType = {
  kind: 'struct',
  go: 'git.GitStatusContext',
  pointers: true,
  fields: { genre: goString, name: goString },
};

const GIT_STATUS: GoType = {
  kind: 'struct',
  go: 'git.GitStatus',
  pointers: true,
  fields: {
    _links: goAny,
    context: STATUS_CONTEXT,
    createdBy: goAny,
    creationDate: goAny,
    description: goString,
    id: goInt,
    state: { kind: 'string', go: 'git.GitStatusState' },
    targetUrl: goString,
    updatedDate: goAny,
  },
};

/** UnmarshalCollectionJson decodes `{"count":n,"value":[…]}` into an anonymous struct. */
function collection(elem: GoType, elemGo: string): GoType {
  return {
    kind: 'struct',
    go: `struct { Count int; Value []${elemGo} }`,
    name: '',
    fields: { Count: goInt, Value: { kind: 'slice', go: `[]${elemGo}`, elem } },
  };
}

const LOCATIONS = collection(LOCATION, 'azuredevops.ApiResourceLocation');
const STATUSES = collection(GIT_STATUS, 'git.GitStatus');

const WRAPPED_ERROR: GoType = {
  kind: 'struct',
  go: 'azuredevops.WrappedError',
  pointers: true,
  fields: {
    $id: goString,
    innerException: goAny,
    message: goString,
    typeName: goString,
    typeKey: goString,
    errorCode: goInt,
    eventId: goInt,
    customProperties: goAny,
  },
};

const WRAPPED_IMPROPER_ERROR: GoType = {
  kind: 'struct',
  go: 'azuredevops.WrappedImproperError',
  pointers: true,
  fields: {
    count: goInt,
    value: { kind: 'struct', go: 'azuredevops.ImproperError', pointers: true, fields: { Message: goString } },
  },
};

/** An API resource location as decoded from the discovery reply (null: absent in the JSON). */
export type AzureDevOpsLocation = Record<
  'area' | 'id' | 'maxVersion' | 'minVersion' | 'releasedVersion' | 'resourceName' | 'routeTemplate',
  string | null
>;
type Location = AzureDevOpsLocation;

type GitStatus = {
  context: { genre: string | null; name: string | null } | null;
  description: string | null;
  state: string | null;
};

/** info → succeeded, error → error; any other severity is refused. */
export function azureDevOpsState(severity: string): string {
  if (severity === 'info') return 'succeeded';
  if (severity === 'error') return 'error';
  throw new NotifierError("can't convert to azure devops state");
}

/** `fluxcd`, or `fluxcd:<summary>` when the metadata has a `summary` key. */
export function azureDevOpsGenre(e: FluxEvent): string {
  const m = e.metadata ?? {};
  return Object.prototype.hasOwnProperty.call(m, 'summary') ? `fluxcd:${m['summary']}` : 'fluxcd';
}

/** The library's normalizeUrl: trailing slashes removed, then the whole URL lower-cased. */
function normalizeUrl(u: string): string {
  return u.replace(/\/+$/, '').toLowerCase();
}

function combineUrl(a: string, b: string): string {
  return a.replace(/\/+$/, '') + '/' + b.replace(/^\/+/, '');
}

/** Body bytes without a UTF-8 byte order mark. */
function trimBom(s: string): string {
  return s.startsWith('\ufeff') ? s.slice(1) : s;
}

/** Version.NewVersion: `major.minor`, each strconv.Atoi. */
function newVersion(v: string): { major: bigint; minor: bigint } | { error: string } {
  const split = v.split('.');
  if (split.length < 2) return { error: `The version string was invalid: ${v}` };
  const major = goParseInt64(split[0]!, 'Atoi');
  if (major.error !== undefined) return { error: major.error };
  const minor = goParseInt64(split[1]!, 'Atoi');
  if (minor.error !== undefined) return { error: minor.error };
  return { major: major.value, minor: minor.value };
}

function compareVersions(a: { major: bigint; minor: bigint }, b: { major: bigint; minor: bigint }): number {
  if (a.major !== b.major) return a.major > b.major ? 1 : -1;
  if (a.minor !== b.minor) return a.minor > b.minor ? 1 : -1;
  return 0;
}

const byteCompare = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * negotiateRequestVersion for a released request (`6.0`): the server's max when it is older
 * (`-preview` when its released version sorts below the max), `6.0-preview` when 6.0 is not
 * released there, otherwise `6.0`. Missing version fields crash the library (nil pointer).
 */
export function negotiateVersion(loc: Location): { version: string } | { error: string } {
  const requested = newVersion(REQUESTED_VERSION) as { major: bigint; minor: bigint };
  if (loc.minVersion === null) return { error: NIL_POINTER_PANIC };
  const min = newVersion(loc.minVersion);
  if ('error' in min) return min;
  if (compareVersions(min, requested) > 0) return { version: REQUESTED_VERSION };
  if (loc.maxVersion === null) return { error: NIL_POINTER_PANIC };
  const max = newVersion(loc.maxVersion);
  if ('error' in max) return max;
  if (compareVersions(max, requested) < 0) {
    if (loc.releasedVersion === null) return { error: NIL_POINTER_PANIC };
    // A plain string comparison upstream.
    const preview = byteCompare(loc.releasedVersion, loc.maxVersion) < 0;
    return { version: loc.maxVersion + (preview ? '-preview' : '') };
  }
  if (loc.releasedVersion === null) return { error: NIL_POINTER_PANIC };
  const released = newVersion(loc.releasedVersion);
  if ('error' in released) return released;
  const unreleased = (released.major === 0n && released.minor === 0n) || compareVersions(released, requested) < 0;
  return { version: REQUESTED_VERSION + (unreleased ? '-preview' : '') };
}

/**
 * transformRouteTemplate: `{name}` segments become the path-escaped route value (or vanish when
 * there is none), then any `{name}` left inside a segment is replaced by the raw value.
 */
export function expandRouteTemplate(template: string, values: Array<[string, string]>): string {
  const byName = new Map(values);
  let out = '';
  for (const seg of template.replaceAll('{*', '{').split('/')) {
    if (seg.length <= 2 || seg[0] !== '{' || seg[seg.length - 1] !== '}') {
      out += '/' + seg;
    } else {
      const v = byName.get(seg.slice(1, -1));
      if (v !== undefined) out += '/' + pathEscape(v);
    }
  }
  for (const [k, v] of values) out = out.replaceAll(`{${k}}`, v);
  return out;
}

/** The library's UnwrapError: the message of a refused reply. */
export function azureDevOpsReplyError(r: HttpReply): string {
  const body = r.body ?? '';
  if (body === '') return `Request returned status: ${goStatusLine(r.status)}`;
  const text = trimBom(body);
  if (replyHeader(r, 'Content-Type').includes('text/plain')) return text;
  const d = goDecode(text, WRAPPED_ERROR, 'unmarshal');
  if (!d.ok) return d.error;
  const message = (d.value as { message: string | null } | null)?.message ?? null;
  if (message !== null) return message;
  const imp = goDecode(text, WRAPPED_IMPROPER_ERROR, 'unmarshal');
  if (imp.ok) {
    const m = (imp.value as { value: { Message: string | null } | null } | null)?.value?.Message ?? null;
    if (m !== null) return m;
  }
  return `REST call returned status code ${r.status}`;
}

const ok2xx = (r: HttpReply) => r.status >= 200 && r.status < 300;

/** Judges a reply: the library error (refused status or body not decodable into `t`) or null. */
function replyError(r: HttpReply, t: GoType): string | null {
  if (!ok2xx(r)) return azureDevOpsReplyError(r);
  const d = goDecode(trimBom(r.body ?? ''), t, 'unmarshal');
  return d.ok ? null : d.error;
}

function decoded(r: HttpReply, t: GoType): unknown {
  const d = goDecode(trimBom(r.body ?? ''), t, 'unmarshal');
  return d.ok ? d.value : null;
}

export const provider: ProviderDefinition = {
  type: 'azuredevops',
  transport: 'http',
  needs: 'address (https://dev.azure.com/<org>/<project>/_git/<repo>), Secret token (PAT)',
  create(opts) {
    if (opts.token === '') {
      // Upstream falls back to a workload-identity token, which the simulator cannot obtain.
      throw new NotifierError(
        'failed to acquire azure devops token: failed to get token: workload identity tokens are not available in the simulator',
      );
    }
    const { host, id } = parseGitAddress(opts.url);
    if (opts.commitStatus === '') throw new NotifierError('commit status cannot be empty');
    const comp = id.split('/');
    if (comp.length !== 4) throw new NotifierError(`invalid repository id ${goStrconvQuote(id)}`);
    const [org, project, , repo] = comp as [string, string, string, string];
    const baseUrl = normalizeUrl(`${host}/${org}`);
    const commitStatus = opts.commitStatus;

    const headers = (accept: string, contentType?: string): Array<[string, string]> => {
      const h: Array<[string, string]> = [
        ['Authorization', basicAuthValue('', opts.token)],
        ['Accept', accept],
      ];
      if (contentType) h.push(['Content-Type', contentType]);
      h.push([canonicalHeaderKey('X-TFS-FedAuthRedirect'), 'Suppress']);
      h.push([canonicalHeaderKey('X-TFS-Session'), AZURE_DEVOPS_SESSION_ID]);
      h.push(['User-Agent', AZURE_DEVOPS_USER_AGENT]);
      return h;
    };

    /** http.NewRequest's parse of a URL; its error belongs to the calling library method. */
    const requestURL = (u: string, wrap: string): string => {
      try {
        return parseURL(u).toString();
      } catch (e) {
        if (e instanceof GoURLError) throw new NotifierError(wrap + e.message);
        throw e;
      }
    };

    return {
      *post(e) {
        if (e.reason === 'Progressing') return { sent: false, note: 'azuredevops skips events with reason Progressing' };
        const sha = parseRevision(e.metadata);
        const state = azureDevOpsState(e.severity);
        const genre = azureDevOpsGenre(e);
        const { description } = nameAndDescription(e);

        if (repo === '') throw new NotifierError(WRAP_LIST + 'Argument args.RepositoryId can not be nil or empty');

        // Route discovery: once per organisation URL for the life of the process (the library's
        // package-level map, shared by every Provider and token), stored only when the reply
        // decodes and every entry has an id; later errors (an unknown location) keep it stored.
        const cache = opts.caches?.azureDevOpsLocations;
        let byId = cache?.get(baseUrl);
        if (!byId) {
          const discovery: PlannedHttpRequest = {
            kind: 'http',
            method: 'OPTIONS',
            url: requestURL(combineUrl(baseUrl, '_apis'), WRAP_LIST),
            headers: headers('application/json'),
            preflight: true,
            retry: 'none',
            useProxy: false,
            useTLS: true,
            check: (r) => {
              const err = replyError(r, LOCATIONS);
              return err === null ? null : WRAP_LIST + err;
            },
          };
          const found = yield discovery;
          const foundErr = replyError(found, LOCATIONS);
          if (foundErr !== null) throw new NotifierError(WRAP_LIST + foundErr);
          const locations = ((decoded(found, LOCATIONS) as { Value: Array<Location> | null } | null)?.Value ?? []);
          const fresh = new Map<string, Location>();
          for (const l of locations) {
            if (l.id === null) throw new NotifierError(NIL_POINTER_PANIC);
            fresh.set(l.id, l); // a later entry with the same id wins (map)
          }
          cache?.set(baseUrl, fresh);
          byId = fresh;
        }
        const location = byId.get(STATUSES_LOCATION_ID);
        if (!location) {
          throw new NotifierError(`${WRAP_LIST}API resource location ${STATUSES_LOCATION_ID} is not registered on ${baseUrl}.`);
        }
        if (location.routeTemplate === null || location.area === null || location.resourceName === null) {
          throw new NotifierError(NIL_POINTER_PANIC);
        }
        const route: Array<[string, string]> = [];
        if (project !== '') route.push(['project', project]);
        route.push(['commitId', sha], ['repositoryId', repo], ['area', location.area], ['resource', location.resourceName]);
        const statusesURL = combineUrl(baseUrl, expandRouteTemplate(location.routeTemplate, route));
        const negotiated = negotiateVersion(location);
        if ('error' in negotiated) throw new NotifierError(WRAP_LIST + negotiated.error);
        const accept = 'application/json' + (negotiated.version !== '' ? `;api-version=${negotiated.version}` : '');

        const list: PlannedHttpRequest = {
          kind: 'http',
          method: 'GET',
          url: requestURL(statusesURL, WRAP_LIST),
          headers: headers(accept),
          preflight: true,
          retry: 'none',
          useProxy: false,
          useTLS: true,
          check: (r) => {
            const err = replyError(r, STATUSES);
            return err === null ? null : WRAP_LIST + err;
          },
        };
        const listed = yield list;
        const listErr = replyError(listed, STATUSES);
        if (listErr !== null) throw new NotifierError(WRAP_LIST + listErr);
        const statuses = (decoded(listed, STATUSES) as { Value: GitStatus[] | null } | null)?.Value ?? [];

        // The first complete status with our context name and genre decides.
        for (const s of statuses) {
          const c = s.context;
          if (c === null || c.name === null || c.genre === null || s.state === null || s.description === null) continue;
          if (c.name === commitStatus && c.genre === genre) {
            if (s.state === state && s.description === description) {
              return { sent: false, note: `status '${commitStatus}' (${genre}) already has state ${state} and description '${description}'` };
            }
            break;
          }
        }

        const create: PlannedHttpRequest = {
          kind: 'http',
          method: 'POST',
          url: requestURL(statusesURL, WRAP_CREATE),
          headers: headers(accept, 'application/json;charset=utf-8'),
          // git.GitStatus field order (nil fields omitted): context{genre,name}, description, state.
          body: goJson({ context: { genre, name: commitStatus }, description, state }),
          retry: 'none',
          useProxy: false,
          useTLS: true,
          check: (r) => {
            const err = replyError(r, GIT_STATUS);
            return err === null ? null : WRAP_CREATE + err;
          },
        };
        const created = yield create;
        const createErr = replyError(created, GIT_STATUS);
        if (createErr !== null) throw new NotifierError(WRAP_CREATE + createErr);
        return { sent: true };
      },
    };
  },
};
