// azuredevops commit status. Expected values: providers spec §1.4 (Variant G), §4.21, §4.31, §5
// (Azure DevOps auth `Basic Om15cGF0`); notification-controller azure_devops.go / azure_devops_test.go
// (genre, duplicate table); azure-devops-go-api v6.0.1 client.go, connection.go,
// versionnegotiation.go, models.go (discovery, headers, URL building, error unwrapping).

import { describe, expect, it } from 'vitest';
import { expandRouteTemplate, negotiateVersion, provider } from '../../src/providers/azuredevops.js';
import type { HttpReply, PlannedHttpRequest, PlannedRequest } from '../../src/providers/types.js';
import { drive, errorText, options, reply, sampleEvent, thrown } from './drive.js';

const SHA = 'abc123def4567890abc123def4567890abc123de';
const STATUS_ID = 'kustomization/podinfo/0c9c2e41';
const STATUSES_URL = `https://dev.azure.com/myorg/MyProject/_apis/git/repositories/podinfo/commits/${SHA}/statuses`;
const UA = 'go/go1.26.0 (linux amd64) azure-devops-go-api/6.0.0-b1 (dev)';

const variantG = (o: Parameters<typeof sampleEvent>[0] = {}) =>
  sampleEvent({
    metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' },
    ...o,
  });

const opts = (o: Parameters<typeof options>[0] = {}) =>
  options({ url: 'https://dev.azure.com/MyOrg/MyProject/_git/podinfo', token: 'mypat', commitStatus: STATUS_ID, ...o });

const statusesLocation = (o: Record<string, unknown> = {}) => ({
  id: '428dd4fb-fda5-4722-af02-9313b80305da',
  area: 'git',
  resourceName: 'statuses',
  routeTemplate: '{project}/_apis/{area}/repositories/{repositoryId}/commits/{commitId}/{resource}',
  resourceVersion: 1,
  minVersion: '4.1',
  maxVersion: '7.2',
  releasedVersion: '7.1',
  ...o,
});

const locations = (...extra: unknown[]) =>
  reply(200, JSON.stringify({ count: 2, value: [{ id: 'e81700f7-3be2-46de-8624-2eb35882fcaa', area: 'location' }, statusesLocation(), ...extra] }));

const statusList = (...value: unknown[]) => reply(200, JSON.stringify({ count: value.length, value }));
const created = reply(201, '{"id":1,"state":"succeeded"}');

const http = (r: PlannedRequest | undefined) => r as PlannedHttpRequest;
const run = (replies: HttpReply[], o: Parameters<typeof options>[0] = {}, e = variantG()) =>
  drive(provider.create(opts(o)).post(e), replies);

describe('azuredevops: Variant G sample (providers §4.31)', () => {
  const d = run([locations(), statusList(), created]);

  it('azuredevops: OPTIONS discovery on the lower-cased organisation URL, then GET and POST the statuses', () => {
    expect(d.error).toBeUndefined();
    expect(d.outcome).toEqual({ sent: true });
    expect(d.requests.map((r) => `${http(r).method} ${http(r).url}`)).toEqual([
      'OPTIONS https://dev.azure.com/myorg/_apis',
      `GET ${STATUSES_URL}`,
      `POST ${STATUSES_URL}`,
    ]);
    expect(http(d.requests[0]).preflight).toBe(true);
    expect(http(d.requests[1]).preflight).toBe(true);
  });

  it('azuredevops: the POST body has context{genre,name}, description, state, the genre carrying the summary', () => {
    expect(http(d.requests[2]).body).toBe(
      '{"context":{"genre":"fluxcd:Cluster: production","name":"kustomization/podinfo/0c9c2e41"},"description":"reconciliation succeeded","state":"succeeded"}',
    );
  });

  it('azuredevops: PAT basic auth with an empty user name (conformance vector Basic Om15cGF0)', () => {
    for (const r of d.requests) expect(http(r).headers[0]).toEqual(['Authorization', 'Basic Om15cGF0']);
  });

  it('azuredevops: discovery asks for plain JSON; API calls carry the negotiated api-version; POST adds the charset', () => {
    const names = ['Authorization', 'Accept', 'X-Tfs-Fedauthredirect', 'X-Tfs-Session', 'User-Agent'];
    expect(http(d.requests[0]).headers.map(([k]) => k)).toEqual(names);
    expect(http(d.requests[0]).headers[1]).toEqual(['Accept', 'application/json']);
    expect(http(d.requests[1]).headers[1]).toEqual(['Accept', 'application/json;api-version=6.0']);
    expect(http(d.requests[2]).headers.slice(1, 3)).toEqual([
      ['Accept', 'application/json;api-version=6.0'],
      ['Content-Type', 'application/json;charset=utf-8'],
    ]);
    for (const r of d.requests) {
      expect(http(r).headers).toContainEqual(['X-Tfs-Fedauthredirect', 'Suppress']);
      expect(http(r).headers).toContainEqual(['User-Agent', UA]);
      expect(http(r).headers.find(([k]) => k === 'X-Tfs-Session')?.[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('azuredevops: no retries, TLS material applies, no provider proxy', () => {
    for (const r of d.requests.map(http)) {
      expect(r.retry).toBe('none');
      expect(r.useTLS).toBe(true);
      expect(r.useProxy).toBe(false);
    }
  });
});

describe('azuredevops: genre and state (azure_devops_test.go TestAzureDevOps_Post)', () => {
  it('azuredevops: without a summary the genre is fluxcd', () => {
    const e = variantG({ metadata: { revision: 'main@sha1:69b59063470310ebbd88a9156325322a124e55a3' }, reason: 'ApplySucceeded' });
    const d = run([locations(), statusList(), created], {}, e);
    expect(http(d.requests[2]).body).toBe(
      '{"context":{"genre":"fluxcd","name":"kustomization/podinfo/0c9c2e41"},"description":"apply succeeded","state":"succeeded"}',
    );
    expect(http(d.requests[2]).url).toContain('/commits/69b59063470310ebbd88a9156325322a124e55a3/statuses');
  });

  it('azuredevops: error severity maps to state error', () => {
    const d = run([locations(), statusList(), created], {}, variantG({ severity: 'error' }));
    expect(http(d.requests[2]).body).toContain('"state":"error"');
  });

  it("azuredevops: other severities fail with can't convert to azure devops state", () => {
    expect(errorText(run([], {}, variantG({ severity: 'trace' })))).toBe("can't convert to azure devops state");
  });

  it('azuredevops: Progressing events are skipped without a request', () => {
    const d = run([], {}, variantG({ reason: 'Progressing' }));
    expect(d.requests).toHaveLength(0);
    expect(d.outcome?.sent).toBe(false);
  });
});

describe('azuredevops: factory errors, in upstream order (providers §4.31)', () => {
  it('azuredevops: no PAT means a workload-identity token, which fails here (failed to acquire azure devops token: …)', () => {
    expect(thrown(() => provider.create(opts({ token: '', commitStatus: '' })))).toMatch(/^failed to acquire azure devops token: /);
  });

  it('azuredevops: an empty commit status id', () => {
    expect(thrown(() => provider.create(opts({ commitStatus: '', url: 'https://dev.azure.com/foo/bar/baz' })))).toBe(
      'commit status cannot be empty',
    );
  });

  it('azuredevops: an empty repository segment fails at send time, before any request', () => {
    const d = run([], { url: 'https://dev.azure.com/foo/bar/_git/' });
    expect(errorText(d)).toBe('could not list commit statuses: Argument args.RepositoryId can not be nil or empty');
    expect(d.requests).toHaveLength(0);
  });

  it('azuredevops: an id that is not four segments (TestNewAzureDevOpsInvalidUrl)', () => {
    expect(thrown(() => provider.create(opts({ url: 'https://dev.azure.com/foo/bar/baz' })))).toBe(
      'invalid repository id "foo/bar/baz"',
    );
  });
});

describe('azuredevops: duplicate rule (azure_devops_test.go TestDuplicateAzureDevOpsStatus)', () => {
  const st = (state: string, name: string, description: string, genre = 'fluxcd:Cluster: production') => ({
    context: { name, genre },
    description,
    state,
  });
  const sent = (...value: unknown[]) => run([locations(), statusList(...value), created]).requests.length === 3;

  it('azuredevops: same context, state and description is a duplicate', () => {
    expect(sent(st('succeeded', STATUS_ID, 'reconciliation succeeded'))).toBe(false);
  });

  it('azuredevops: a different state or description is not', () => {
    expect(sent(st('failed', STATUS_ID, 'reconciliation succeeded'))).toBe(true);
    expect(sent(st('succeeded', STATUS_ID, 'other'))).toBe(true);
  });

  it('azuredevops: another context name or genre is not', () => {
    expect(sent(st('succeeded', 'baz', 'reconciliation succeeded'))).toBe(true);
    expect(sent(st('succeeded', STATUS_ID, 'reconciliation succeeded', 'fluxcd'))).toBe(true);
  });

  it('azuredevops: the first entry with our context decides, later ones are not looked at', () => {
    expect(sent(st('succeeded', 'baz', 'x'), st('succeeded', STATUS_ID, 'reconciliation succeeded'))).toBe(false);
    expect(sent(st('failed', STATUS_ID, 'x'), st('succeeded', STATUS_ID, 'reconciliation succeeded'))).toBe(true);
  });

  it('azuredevops: incomplete entries are skipped', () => {
    expect(sent({ context: { name: STATUS_ID, genre: 'fluxcd:Cluster: production' }, state: 'failed' }, st('succeeded', STATUS_ID, 'reconciliation succeeded'))).toBe(false);
  });
});

describe('azuredevops: API version negotiation (versionnegotiation.go)', () => {
  const loc = (minVersion: string, maxVersion: string, releasedVersion: string) => ({
    area: 'git', id: 'x', resourceName: 'statuses', routeTemplate: 't', minVersion, maxVersion, releasedVersion,
  });

  it('azuredevops: a server supporting released 6.0 gets 6.0', () => {
    expect(negotiateVersion(loc('1.0', '7.2', '7.1'))).toEqual({ version: '6.0' });
  });

  it('azuredevops: an older server gets its max, -preview when its released version is below the max', () => {
    expect(negotiateVersion(loc('1.0', '5.1', '5.1'))).toEqual({ version: '5.1' });
    expect(negotiateVersion(loc('1.0', '5.1', '5.0'))).toEqual({ version: '5.1-preview' });
  });

  it('azuredevops: 6.0 not released on the server gets 6.0-preview', () => {
    expect(negotiateVersion(loc('1.0', '7.0', '5.0'))).toEqual({ version: '6.0-preview' });
    expect(negotiateVersion(loc('1.0', '7.0', '0.0'))).toEqual({ version: '6.0-preview' });
  });

  it('azuredevops: a server whose minimum is above 6.0 still gets 6.0', () => {
    expect(negotiateVersion(loc('7.0', '7.2', '7.1'))).toEqual({ version: '6.0' });
  });

  it('azuredevops: an unparsable version is the library error', () => {
    expect(negotiateVersion(loc('1', '7.2', '7.1'))).toEqual({ error: 'The version string was invalid: 1' });
    expect(negotiateVersion(loc('1.x', '7.2', '7.1'))).toEqual({ error: 'strconv.Atoi: parsing "x": invalid syntax' });
  });

  it('azuredevops: the negotiated version is sent in Accept', () => {
    const d = run([reply(200, JSON.stringify({ count: 1, value: [statusesLocation({ maxVersion: '5.1', releasedVersion: '5.0' })] })), statusList(), created]);
    expect(http(d.requests[1]).headers[1]).toEqual(['Accept', 'application/json;api-version=5.1-preview']);
  });
});

describe('azuredevops: route template (client.go transformRouteTemplate)', () => {
  it('azuredevops: route values are path-escaped; a missing value drops its segment', () => {
    const t = '{project}/_apis/{area}/repositories/{repositoryId}/commits/{commitId}/{resource}';
    expect(expandRouteTemplate(t, [['project', 'My Project'], ['commitId', 'c'], ['repositoryId', 'a/b'], ['area', 'git'], ['resource', 'statuses']])).toBe(
      '/My%20Project/_apis/git/repositories/a%2Fb/commits/c/statuses',
    );
    expect(expandRouteTemplate(t, [['commitId', 'c'], ['repositoryId', 'r'], ['area', 'git'], ['resource', 'statuses']])).toBe(
      '/_apis/git/repositories/r/commits/c/statuses',
    );
  });

  it('azuredevops: organisation is lower-cased, project and repository keep their case', () => {
    const d = run([locations(), statusList(), created], { url: 'https://dev.azure.com/ACME/Web Shop/_git/Front.End' });
    expect(http(d.requests[0]).url).toBe('https://dev.azure.com/acme/_apis');
    expect(http(d.requests[1]).url).toBe(
      `https://dev.azure.com/acme/Web%20Shop/_apis/git/repositories/Front.End/commits/${SHA}/statuses`,
    );
  });
});

describe('azuredevops: replies and error texts (client.go UnwrapError)', () => {
  it('azuredevops: a refused call with a JSON error body gives its message, wrapped', () => {
    const body = JSON.stringify({ $id: '1', innerException: null, message: 'TF401019: The Git repository does not exist.', typeName: 'x', errorCode: 0, eventId: 3000 });
    expect(errorText(run([locations(), reply(404, body, { 'Content-Type': 'application/json; charset=utf-8' })]))).toBe(
      'could not list commit statuses: TF401019: The Git repository does not exist.',
    );
  });

  it('azuredevops: an empty refused reply is Request returned status: <status line>', () => {
    expect(errorText(run([reply(401, '')]))).toBe('could not list commit statuses: Request returned status: 401 Unauthorized');
  });

  it('azuredevops: a text/plain refused reply is its body', () => {
    expect(errorText(run([locations(), statusList(), reply(400, 'bad thing', { 'content-type': 'text/plain' })]))).toBe(
      'could not create commit status: bad thing',
    );
  });

  it('azuredevops: a JSON body without a message falls back to value.Message, then to the status code', () => {
    expect(errorText(run([reply(500, '{"count":1,"value":{"Message":"inner"}}')]))).toBe('could not list commit statuses: inner');
    expect(errorText(run([reply(500, '{"other":1}')]))).toBe('could not list commit statuses: REST call returned status code 500');
  });

  it('azuredevops: a sign-in page answered with 203 fails to decode (JSON syntax error)', () => {
    expect(errorText(run([reply(203, '<!DOCTYPE html><html></html>')]))).toBe(
      "could not list commit statuses: invalid character '<' looking for beginning of value",
    );
  });

  it('azuredevops: discovery without the statuses location is not registered', () => {
    expect(errorText(run([reply(200, '{"count":0,"value":[]}')]))).toBe(
      'could not list commit statuses: API resource location 428dd4fb-fda5-4722-af02-9313b80305da is not registered on https://dev.azure.com/myorg.',
    );
  });

  it('azuredevops: location ids are matched as UUIDs (case-insensitive)', () => {
    const upper = reply(200, JSON.stringify({ count: 1, value: [statusesLocation({ id: '428DD4FB-FDA5-4722-AF02-9313B80305DA' })] }));
    expect(run([upper, statusList(), created]).outcome).toEqual({ sent: true });
  });

  it('azuredevops: a failed POST is could not create commit status: <err>', () => {
    expect(errorText(run([locations(), statusList(), reply(403, '{"message":"denied"}')]))).toBe('could not create commit status: denied');
  });

  it('azuredevops: an accepted POST with an empty body fails to decode', () => {
    expect(errorText(run([locations(), statusList(), reply(201, '')]))).toBe('could not create commit status: unexpected end of JSON input');
  });

  it('azuredevops: a UTF-8 byte order mark before the JSON is ignored', () => {
    expect(run([locations(), reply(200, '\ufeff{"count":0,"value":[]}'), created]).outcome).toEqual({ sent: true });
  });
});
