// `githubdispatch`: a repository_dispatch event carrying the Flux event
// (notification-controller internal/notifier/github_dispatch.go, providers §4.23).

import type { FluxEvent } from '../flux/types.js';
import type { Conversation, NotifierOptions, ProviderDefinition } from './types.js';
import { encodeEvent, goQuote } from '../flux/gojson.js';
import { connectGitHub, gitHubCall, planGitHub, shapes } from './github-client.js';

/** `<Kind>/<name>.<namespace>`, what workflows match in `on.repository_dispatch.types`. */
export function dispatchEventType(e: FluxEvent): string {
  const o = e.involvedObject;
  return `${o.kind ?? ''}/${o.name ?? ''}.${o.namespace ?? ''}`;
}

/**
 * The request body. client_payload is the event pre-encoded by json.Marshal (HTML-escaped) and
 * embedded as raw JSON; the outer encoder does not escape HTML and ends with a newline.
 */
export function dispatchBody(e: FluxEvent): string {
  return `{"event_type":${goQuote(dispatchEventType(e), { escapeHTML: false })},"client_payload":${encodeEvent(e)}}\n`;
}

function create(opts: NotifierOptions) {
  const plan = planGitHub(opts, false);
  return {
    *post(e: FluxEvent): Conversation {
      const s = yield* connectGitHub(plan);
      yield* gitHubCall(s.api, {
        method: 'POST',
        path: `repos/${s.owner}/${s.repo}/dispatches`,
        rawBody: dispatchBody(e),
        shape: shapes.repository,
        preflight: false,
        wrap: (err) => `could not send github repository dispatch webhook: ${err}`,
      });
      return { sent: true };
    },
  };
}

export const provider: ProviderDefinition = {
  type: 'githubdispatch',
  transport: 'http',
  create,
  needs: 'address https://github.com/<owner>/<repo> (or a GitHub Enterprise URL), secret token (or password, or GitHub App keys)',
};
