// Azure DevOps route discovery across events. Expected values: azure-devops-go-api v6.0.1
// client.go (getResourceLocation reads the package-level apiResourceLocationCache keyed by the
// client's base URL and calls OPTIONS <base>/_apis only on a miss; setApiResourceLocationCache
// runs only after the reply decoded, and the map is built before the location is looked up, so an
// unknown location id is an error on every event without a new discovery), connection.go
// (GetClientByUrl normalises the URL: trailing slashes trimmed, lower-cased), and NC v1.9.3
// azure_devops.go (a new connection and client per notifier, i.e. per event).

import { describe, expect, it } from 'vitest';
import { provider } from '../../src/providers/azuredevops.js';
import { AZDO_STATUSES_LOCATION } from '../../src/runner/healthy-replies.js';
import { ProviderCaches } from '../../src/providers/caches.js';
import type { HttpReply, PlannedHttpRequest, PlannedRequest } from '../../src/providers/types.js';
import { drive, options, reply, sampleEvent, type Driven } from './drive.js';

const SHA = 'abc123def4567890abc123def4567890abc123de';

const event = (message = 'Applied revision') =>
  sampleEvent({ message, metadata: { commit_status: 'update', revision: `main@sha1:${SHA}`, summary: 'Cluster: production' } });

/** The Git statuses location id of the Azure DevOps REST API (expected in error texts). */
const STATUSES_ID = '428dd4fb-fda5-4722-af02-9313b80305da';

// The organisation's answer to OPTIONS <org>/_apis, as the healthy service gives it.
const location = AZDO_STATUSES_LOCATION;

function service(discovery: HttpReply = reply(200, JSON.stringify({ count: 1, value: [location] }))) {
  return (req: PlannedRequest): HttpReply => {
    const r = req as PlannedHttpRequest;
    if (r.method === 'OPTIONS') return discovery;
    if (r.method === 'GET') return reply(200, '{"count":0,"value":[]}');
    return reply(201, '{"id":1,"state":"succeeded"}');
  };
}

const post = (caches: ProviderCaches | undefined, url = 'https://dev.azure.com/MyOrg/MyProject/_git/podinfo', replies = service(), token = 'mypat') =>
  drive(provider.create(options({ url, token, commitStatus: 'kustomization/podinfo/0c9c2e41', caches })).post(event()), replies);

const methods = (d: Driven) => d.requests.map((r) => (r as PlannedHttpRequest).method);

describe('azuredevops route discovery cache', () => {
  it('azuredevops: the first event discovers the routes (OPTIONS, GET, POST); the next ones only GET and POST', () => {
    const caches = new ProviderCaches();
    const first = post(caches);
    expect(first.error).toBeUndefined();
    expect(methods(first)).toEqual(['OPTIONS', 'GET', 'POST']);
    const second = post(caches);
    expect(second.error).toBeUndefined();
    expect(methods(second)).toEqual(['GET', 'POST']);
    expect((second.requests[1] as PlannedHttpRequest).url).toBe(`https://dev.azure.com/myorg/MyProject/_apis/git/repositories/podinfo/commits/${SHA}/statuses`);
    expect((second.requests[1] as PlannedHttpRequest).headers.find(([k]) => k === 'Accept')?.[1]).toBe('application/json;api-version=6.0');
  });

  it('azuredevops: the routes are kept per organisation URL (lower-cased), whatever the Provider, project, repository or token', () => {
    const caches = new ProviderCaches();
    post(caches);
    expect(methods(post(caches, 'https://dev.azure.com/myorg/Other/_git/infra', service(), 'another-pat'))).toEqual(['GET', 'POST']);
    expect(methods(post(caches, 'https://DEV.AZURE.COM/MYORG/MyProject/_git/podinfo'))).toEqual(['GET', 'POST']);
    expect(methods(post(caches, 'https://dev.azure.com/otherorg/MyProject/_git/podinfo'))).toEqual(['OPTIONS', 'GET', 'POST']);
    expect(caches.azureDevOpsLocations.size).toBe(2);
  });

  it('azuredevops: a failed discovery is not cached: the next event asks again', () => {
    const caches = new ProviderCaches();
    const failed = post(caches, undefined, service(reply(500, '')));
    expect((failed.error as Error).message).toBe('could not list commit statuses: Request returned status: 500 Internal Server Error');
    expect(caches.azureDevOpsLocations.size).toBe(0);
    expect(methods(post(caches))).toEqual(['OPTIONS', 'GET', 'POST']);
  });

  it('azuredevops: a reply that does not decode, or an entry without id (a nil pointer in the library), is not cached either', () => {
    const caches = new ProviderCaches();
    expect(post(caches, undefined, service(reply(200, '{"count":1,"value":[{"id":"not-a-uuid"}]}'))).error).toBeDefined();
    expect(post(caches, undefined, service(reply(200, '{"count":1,"value":[{"area":"git"}]}'))).error).toBeDefined();
    expect(caches.azureDevOpsLocations.size).toBe(0);
  });

  it('azuredevops: a discovery without the statuses location is cached, so later events fail at once without asking again', () => {
    const caches = new ProviderCaches();
    const other = reply(200, JSON.stringify({ count: 1, value: [{ ...location, id: 'e81700f7-3be2-46de-8624-2eb35882fcaa' }] }));
    const first = post(caches, undefined, service(other));
    const text = `could not list commit statuses: API resource location ${STATUSES_ID} is not registered on https://dev.azure.com/myorg.`;
    expect((first.error as Error).message).toBe(text);
    const second = post(caches);
    expect(second.requests).toEqual([]);
    expect((second.error as Error).message).toBe(text);
  });

  it('azuredevops: without caches every event discovers again', () => {
    expect(methods(post(undefined))).toEqual(['OPTIONS', 'GET', 'POST']);
    expect(methods(post(undefined))).toEqual(['OPTIONS', 'GET', 'POST']);
  });
});
