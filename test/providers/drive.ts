// Shared test helper for provider modules: builds NotifierOptions, holds the spec's sample event
// E (providers §1.3), and drives a notifier conversation by feeding canned replies.

import type { FluxEvent } from '../../src/flux/types.js';
import type {
  Conversation,
  HttpReply,
  NotifierOptions,
  PlannedHttpRequest,
  PlannedRequest,
  PostOutcome,
  PlannedMessage,
} from '../../src/providers/types.js';
import { NotifierError } from '../../src/providers/types.js';
import { afterEach, beforeEach } from 'vitest';
import { githubClock } from '../../src/providers/github-client.js';

/** NotifierOptions with everything empty, overridden by `o`. */
export function options(o: Partial<NotifierOptions> = {}): NotifierOptions {
  return {
    url: '',
    proxyURL: '',
    username: '',
    channel: '',
    token: '',
    password: '',
    headers: {},
    commitStatus: '',
    providerUID: '',
    providerName: '',
    providerNamespace: '',
    secretData: {},
    serviceAccountName: '',
    ...o,
  };
}

/** The sample event `E` of providers §1.3 (a fresh copy each call). */
export function sampleEvent(o: Partial<FluxEvent> = {}): FluxEvent {
  return {
    involvedObject: {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'podinfo',
      uid: '7d0cdc51-ddcf-4743-b223-83ca5c699632',
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      resourceVersion: '123456',
    },
    severity: 'info',
    timestamp: '2025-06-01T12:00:00Z',
    message: 'Applied revision: main@sha1:abc123',
    reason: 'ReconciliationSucceeded',
    metadata: { revision: 'main@sha1:abc123', summary: 'Cluster: production' },
    reportingController: 'kustomize-controller',
    reportingInstance: 'kustomize-controller-5f6b8d9c7d-x2x4z',
    ...o,
  };
}

/** The wire bytes of `sampleEvent()` as Go encodes it, copied from providers §1.3 (not computed). */
export const SAMPLE_EVENT_WIRE =
  '{"involvedObject":{"kind":"Kustomization","namespace":"flux-system","name":"podinfo","uid":"7d0cdc51-ddcf-4743-b223-83ca5c699632","apiVersion":"kustomize.toolkit.fluxcd.io/v1","resourceVersion":"123456"},"severity":"info","timestamp":"2025-06-01T12:00:00Z","message":"Applied revision: main@sha1:abc123","reason":"ReconciliationSucceeded","metadata":{"revision":"main@sha1:abc123","summary":"Cluster: production"},"reportingController":"kustomize-controller","reportingInstance":"kustomize-controller-5f6b8d9c7d-x2x4z"}';

/**
 * Puts the GitHub App JWT clock under the test's control for every test of the file: the returned
 * object's `now` (epoch ms) is the clock, reset to `start` before each test.
 */
export function useGitHubClock(start: number): { now: number } {
  const clock = { now: start };
  const realNow = githubClock.now;
  beforeEach(() => {
    clock.now = start;
    githubClock.now = () => clock.now;
  });
  afterEach(() => {
    githubClock.now = realNow;
  });
  return clock;
}

export function reply(status = 200, body = '', headers: Record<string, string> = {}): HttpReply {
  return { status, headers, body };
}

export interface Driven {
  requests: PlannedRequest[];
  outcome?: PostOutcome;
  error?: unknown;
}

/**
 * Runs a conversation to its end. Replies are taken in order from the list (the last one is
 * reused when the list runs out) or computed by a function of the request.
 */
export function drive(conv: Conversation, replies: HttpReply[] | ((req: PlannedRequest, i: number) => HttpReply) = [reply()]): Driven {
  const requests: PlannedRequest[] = [];
  const answer = (req: PlannedRequest, i: number): HttpReply => {
    if (typeof replies === 'function') return replies(req, i);
    const r = replies[Math.min(i, replies.length - 1)];
    if (!r) throw new Error('drive: no reply to give');
    return r;
  };
  try {
    let step = conv.next();
    while (!step.done) {
      requests.push(step.value);
      step = conv.next(answer(step.value, requests.length - 1));
    }
    return { requests, outcome: step.value };
  } catch (error) {
    return { requests, error };
  }
}

/** The only request of a conversation, which must be HTTP; throws otherwise. */
export function onlyHttp(d: Driven): PlannedHttpRequest {
  if (d.requests.length !== 1) throw new Error(`expected one request, got ${d.requests.length}`);
  const r = d.requests[0]!;
  if (r.kind !== 'http') throw new Error(`expected an HTTP request, got ${r.kind}`);
  return r;
}

/** The single planned non-HTTP message of a conversation that succeeded. */
export function onlyMessage(d: Driven): PlannedMessage {
  if (d.error !== undefined) throw new Error(`the conversation failed: ${String(d.error)}`);
  if (d.requests.length !== 1) throw new Error(`expected one message, got ${d.requests.length}`);
  const m = d.requests[0]!;
  if (m.kind !== 'message') throw new Error(`expected a message, got ${m.kind}`);
  return m;
}

/** The NotifierError message of a driven conversation; throws when it did not fail that way. */
export function errorText(d: Driven): string {
  if (d.error === undefined) throw new Error('the conversation did not fail');
  if (d.error instanceof NotifierError) return d.error.message;
  throw d.error;
}

/** The message of the NotifierError `fn` throws (fails the test for any other outcome). */
export function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof NotifierError) return err.message;
    throw err;
  }
  throw new Error('expected a NotifierError, nothing was thrown');
}
