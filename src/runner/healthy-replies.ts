// What a healthy service answers to each request a notifier plans, for a fresh repository or
// channel (no earlier statuses or comments). `render` and mock delivery drive conversations with
// these replies, so they must be what the real APIs send on success: several notifiers decode
// them (git preflights, Slack's `ok`, GitHub App tokens) and fail on an empty body.
//
// The function sees only the request, so the service is recognised from what the notifier itself
// always sets (library User-Agents, auth schemes, fixed API hosts and paths, the payload's shape)
// rather than from the user's address, which may be any proxy or self-hosted instance.
// Pure: no clock, no randomness; ids and times are fixed (a GitHub App token's expiry follows the
// request's own JWT) so a render is reproducible.

import type { HttpReply, PlannedHttpRequest, PlannedRequest } from '../providers/types.js';
import { SLACK_API_URL } from '../providers/slack.js';

/** The time every created object carries (a fixed instant keeps replies deterministic). */
const REPLY_TIME = '2025-06-01T12:00:01Z';
const REPLY_UNIX = Math.floor(Date.parse(REPLY_TIME) / 1000);
/** The account the token belongs to, on every git host. */
const BOT_LOGIN = 'flux-bot';

const JSON_UTF8 = 'application/json; charset=utf-8';

function json(status: number, value: unknown, contentType = JSON_UTF8): HttpReply {
  return { status, headers: { 'Content-Type': contentType }, body: JSON.stringify(value) };
}

function text(status: number, body: string, contentType: string): HttpReply {
  return { status, headers: { 'Content-Type': contentType }, body };
}

/** A reply without a body (204, 202 from workflow triggers): no Content-Type either. */
function noBody(status: number): HttpReply {
  return { status, headers: {}, body: '' };
}

/** The parts of a request the services are recognised by, parsed once. */
class View {
  readonly url: URL | undefined;
  /** Pathname as sent (percent-encoding kept), '' when the URL does not parse. */
  readonly path: string;
  private parsed: { value: unknown } | undefined;

  constructor(readonly req: PlannedHttpRequest) {
    try {
      this.url = new URL(req.url);
    } catch {
      this.url = undefined;
    }
    this.path = this.url?.pathname ?? '';
  }

  get method(): string {
    return this.req.method;
  }

  get origin(): string {
    return this.url ? `${this.url.protocol}//${this.url.host}` : '';
  }

  get host(): string {
    return this.url?.host ?? '';
  }

  /** Header value by case-insensitive name ('' when absent), as the notifier set it. */
  header(name: string): string {
    const want = name.toLowerCase();
    for (const [k, v] of this.req.headers) if (k.toLowerCase() === want) return v;
    return '';
  }

  /** The request body as JSON (undefined when there is none or it is not JSON). */
  body(): unknown {
    if (!this.parsed) {
      let value: unknown;
      if (typeof this.req.body === 'string') {
        try {
          value = JSON.parse(this.req.body);
        } catch {
          value = undefined;
        }
      }
      this.parsed = { value };
    }
    return this.parsed.value;
  }

  /** A string field of a JSON object body ('' when missing). */
  field(name: string): string {
    const b = this.body();
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return '';
    const v = (b as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : '';
  }

  /** The body as a plain object, or undefined. */
  object(): Record<string, unknown> | undefined {
    const b = this.body();
    return b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : undefined;
  }
}

type Service = (v: View) => HttpReply | undefined;

// ---------------------------------------------------------------------------------------------
// GitHub (go-github sets its own User-Agent on every call, App token exchange included).

function gitHubUser(api: string, web: string): Record<string, unknown> {
  return {
    login: BOT_LOGIN,
    id: 1,
    node_id: 'U_kgDOAAAAAQ',
    avatar_url: `${web}/${BOT_LOGIN}.png`,
    gravatar_id: '',
    url: `${api}users/${BOT_LOGIN}`,
    html_url: `${web}/${BOT_LOGIN}`,
    type: 'User',
    site_admin: false,
    name: 'Flux Bot',
  };
}

/** The App id the JWT was issued for (its `iss` claim); 1 when it cannot be read. */
function jwtClaims(authorization: string): { iss?: unknown; iat?: unknown } {
  try {
    const claims = JSON.parse(Buffer.from(authorization.replace(/^Bearer /, '').split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null ? claims : {};
  } catch {
    return {};
  }
}

function jwtIssuer(authorization: string): number {
  const n = Number(jwtClaims(authorization).iss);
  return Number.isSafeInteger(n) && n > 0 ? n : 1;
}

/**
 * An installation token lives one hour from its creation. The request's only notion of time is
 * the App JWT, issued 30 s before it was signed (fluxcd/pkg githubapp), so the expiry follows
 * the sender's clock and NC's token cache keeps the token for 80% of that hour.
 */
function installationTokenExpiry(authorization: string): string {
  const iat = Number(jwtClaims(authorization).iat);
  const issuedMs = Number.isSafeInteger(iat) ? (iat + 30) * 1000 : Date.parse(REPLY_TIME);
  return new Date(issuedMs + 3600_000).toISOString().replace('.000Z', 'Z');
}

const GITHUB_INSTALLATION_ID = 12345678;

const github: Service = (v) => {
  if (!v.header('User-Agent').startsWith('go-github/')) return undefined;
  // Everything up to the route is the API base (api.github.com, or <host>/api/v3 on Enterprise).
  const route = (re: RegExp) => {
    const m = re.exec(v.path);
    return m ? { api: v.origin + m[1]!, m } : undefined;
  };
  // The web host: github.com for the public API, the Enterprise host itself otherwise.
  const web = v.host === 'api.github.com' ? 'https://github.com' : v.origin;
  let r;
  if (v.method === 'GET' && route(/^(.*\/)repos\/[^/]+\/[^/]+\/commits\/[^/]+\/statuses$/)) return json(200, []);
  if (v.method === 'POST' && (r = route(/^(.*\/)repos\/([^/]+)\/([^/]+)\/statuses\/([^/]+)$/))) {
    return json(201, {
      url: `${r.api}repos/${r.m[2]}/${r.m[3]}/statuses/${r.m[4]}`,
      avatar_url: null,
      id: 1,
      node_id: 'SC_kwDOAAAAAc4AAAAB',
      state: v.field('state'),
      description: v.field('description'),
      target_url: null,
      context: v.field('context'),
      created_at: REPLY_TIME,
      updated_at: REPLY_TIME,
      creator: gitHubUser(r.api, web),
    });
  }
  // repository_dispatch: GitHub answers 204 No Content.
  if (v.method === 'POST' && route(/^(.*\/)repos\/[^/]+\/[^/]+\/dispatches$/)) return noBody(204);
  if (v.method === 'GET' && (r = route(/^(.*\/)user$/))) return json(200, gitHubUser(r.api, web));
  if (v.method === 'GET' && route(/^(.*\/)repos\/[^/]+\/[^/]+\/issues\/(?:\d+\/)?comments$/)) return json(200, []);
  r = route(/^(.*\/)repos\/([^/]+)\/([^/]+)\/issues\/(?:(\d+)\/comments|comments\/(\d+))$/);
  if (r && ((v.method === 'POST' && r.m[4] !== undefined) || (v.method === 'PATCH' && r.m[5] !== undefined))) {
    const id = r.m[5] !== undefined ? Number(r.m[5]) : 1;
    const issue = r.m[4] ?? '1';
    const repo = `${r.m[2]}/${r.m[3]}`;
    return json(v.method === 'POST' ? 201 : 200, {
      id,
      node_id: 'IC_kwDOAAAAAc4AAAAB',
      url: `${r.api}repos/${repo}/issues/comments/${id}`,
      html_url: `${web}/${repo}/pull/${issue}#issuecomment-${id}`,
      body: v.field('body'),
      user: gitHubUser(r.api, web),
      created_at: REPLY_TIME,
      updated_at: REPLY_TIME,
      issue_url: `${r.api}repos/${repo}/issues/${issue}`,
      author_association: 'NONE',
    });
  }
  // GitHub App token exchange (authenticated with the App's JWT).
  if (v.method === 'GET' && (r = route(/^(.*\/)app$/))) {
    return json(200, {
      id: jwtIssuer(v.header('Authorization')),
      slug: BOT_LOGIN,
      node_id: 'A_kwHOAAAAAc4AAAAB',
      name: 'Flux Bot',
      description: '',
      external_url: 'https://fluxcd.io',
      html_url: `${web}/apps/${BOT_LOGIN}`,
      created_at: REPLY_TIME,
      updated_at: REPLY_TIME,
      permissions: { metadata: 'read', pull_requests: 'write', statuses: 'write' },
      events: [],
    });
  }
  if (v.method === 'GET' && (r = route(/^(.*\/)(orgs|users)\/([^/]+)\/installation$/))) {
    return json(200, {
      id: GITHUB_INSTALLATION_ID,
      account: { login: r.m[3], id: 2, type: r.m[2] === 'orgs' ? 'Organization' : 'User' },
      access_tokens_url: `${r.api}app/installations/${GITHUB_INSTALLATION_ID}/access_tokens`,
      app_id: jwtIssuer(v.header('Authorization')),
      app_slug: BOT_LOGIN,
      target_type: r.m[2] === 'orgs' ? 'Organization' : 'User',
      repository_selection: 'all',
      permissions: { metadata: 'read', pull_requests: 'write', statuses: 'write' },
      created_at: REPLY_TIME,
      updated_at: REPLY_TIME,
    });
  }
  if (v.method === 'POST' && route(/^(.*\/)app\/installations\/\d+\/access_tokens$/)) {
    return json(201, {
      token: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
      expires_at: installationTokenExpiry(v.header('Authorization')),
      permissions: { metadata: 'read', pull_requests: 'write', statuses: 'write' },
      repository_selection: 'all',
    });
  }
  return undefined;
};

// ---------------------------------------------------------------------------------------------
// Gitea (the SDK authenticates with `token <t>` under <host>/api/v1).

const giteaUser = (web: string) => ({
  id: 1,
  login: BOT_LOGIN,
  login_name: '',
  source_id: 0,
  full_name: 'Flux Bot',
  email: `${BOT_LOGIN}@noreply.localhost`,
  avatar_url: `${web}/avatars/${BOT_LOGIN}`,
  html_url: `${web}/${BOT_LOGIN}`,
  language: 'en-US',
  is_admin: false,
  last_login: REPLY_TIME,
  created: REPLY_TIME,
  restricted: false,
  active: true,
  prohibit_login: false,
  location: '',
  website: '',
  description: '',
  visibility: 'public',
  followers_count: 0,
  following_count: 0,
  starred_repos_count: 0,
  username: BOT_LOGIN,
});

const gitea: Service = (v) => {
  if (!v.header('Authorization').startsWith('token ')) return undefined;
  const at = v.path.indexOf('/api/v1/');
  if (at < 0) return undefined;
  const web = v.origin + v.path.slice(0, at);
  const api = `${web}/api/v1`;
  const rest = v.path.slice(at + '/api/v1'.length);
  let m;
  // Any release since 1.11 passes the SDK's check; a current one is shown.
  if (v.method === 'GET' && rest === '/version') return json(200, { version: '1.22.0' });
  if (v.method === 'GET' && rest === '/user') return json(200, giteaUser(web));
  if (v.method === 'GET' && /^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+\/statuses$/.test(rest)) return json(200, []);
  if (v.method === 'POST' && (m = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([^/]+)$/.exec(rest))) {
    return json(201, {
      id: 1,
      status: v.field('state'),
      target_url: v.field('target_url'),
      description: v.field('description'),
      url: `${api}/repos/${m[1]}/${m[2]}/statuses/${m[3]}`,
      context: v.field('context'),
      creator: giteaUser(web),
      created_at: REPLY_TIME,
      updated_at: REPLY_TIME,
    });
  }
  if (v.method === 'GET' && /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(rest)) return json(200, []);
  m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(?:(\d+)\/comments|comments\/(\d+))$/.exec(rest);
  if (m && ((v.method === 'POST' && m[3] !== undefined) || (v.method === 'PATCH' && m[4] !== undefined))) {
    const id = m[4] !== undefined ? Number(m[4]) : 1;
    const issue = m[3] ?? '1';
    return json(v.method === 'POST' ? 201 : 200, {
      id,
      html_url: `${web}/${m[1]}/${m[2]}/pulls/${issue}#issuecomment-${id}`,
      pull_request_url: `${web}/${m[1]}/${m[2]}/pulls/${issue}`,
      issue_url: '',
      user: giteaUser(web),
      original_author: '',
      original_author_id: 0,
      body: v.field('body'),
      assets: [],
      created_at: REPLY_TIME,
      updated_at: REPLY_TIME,
    });
  }
  return undefined;
};

// ---------------------------------------------------------------------------------------------
// GitLab (client-go's User-Agent; routes under /api/v4/).

const gitlabUser = (web: string) => ({
  id: 1,
  username: BOT_LOGIN,
  name: 'Flux Bot',
  state: 'active',
  locked: false,
  avatar_url: `${web}/uploads/-/system/user/avatar/1/avatar.png`,
  web_url: `${web}/${BOT_LOGIN}`,
});

const gitlab: Service = (v) => {
  if (v.header('User-Agent') !== 'go-gitlab') return undefined;
  const at = v.path.indexOf('/api/v4/');
  if (at < 0) return undefined;
  const web = v.origin + v.path.slice(0, at);
  const rest = v.path.slice(at + '/api/v4/'.length);
  let m;
  if (v.method === 'GET' && /^projects\/[^/]+\/repository\/commits\/[^/]+\/statuses$/.test(rest)) return json(200, []);
  if (v.method === 'POST' && (m = /^projects\/[^/]+\/statuses\/([^/]+)$/.exec(rest))) {
    const state = v.field('state');
    return json(201, {
      id: 1,
      sha: decodeURIComponent(m[1]!),
      // Without a ref in the request, GitLab records a branch that contains the commit.
      ref: 'main',
      status: state,
      name: v.field('name'),
      target_url: null,
      description: v.field('description'),
      created_at: REPLY_TIME,
      started_at: null,
      finished_at: state === 'success' || state === 'failed' || state === 'canceled' ? REPLY_TIME : null,
      allow_failure: false,
      coverage: null,
      pipeline_id: 1,
      author: gitlabUser(web),
    });
  }
  if (v.method === 'GET' && rest === 'user') return json(200, { ...gitlabUser(web), created_at: REPLY_TIME, bio: '', public_email: '' });
  if (v.method === 'GET' && /^projects\/[^/]+\/merge_requests\/\d+\/notes$/.test(rest)) return json(200, []);
  m = /^projects\/[^/]+\/merge_requests\/(\d+)\/notes(?:\/(\d+))?$/.exec(rest);
  if (m && ((v.method === 'POST' && m[2] === undefined) || (v.method === 'PUT' && m[2] !== undefined))) {
    return json(v.method === 'POST' ? 201 : 200, {
      id: m[2] !== undefined ? Number(m[2]) : 1,
      type: null,
      body: v.field('body'),
      attachment: null,
      author: gitlabUser(web),
      created_at: REPLY_TIME,
      updated_at: REPLY_TIME,
      system: false,
      noteable_id: 1,
      noteable_type: 'MergeRequest',
      project_id: 1,
      resolvable: false,
      confidential: false,
      internal: false,
      noteable_iid: Number(m[1]),
    });
  }
  return undefined;
};

// ---------------------------------------------------------------------------------------------
// Bitbucket Cloud (the API host is fixed by the library) and Bitbucket Server / Data Center.

const bitbucketCloud: Service = (v) => {
  if (v.host !== 'api.bitbucket.org') return undefined;
  const m = /^\/2\.0\/repositories\/([^/]+)\/([^/]+)\/commit\/([^/]+)\/statuses\/build(?:\/([^/]+))?$/.exec(v.path);
  if (!m) return undefined;
  // No build status under our key yet: 404, which the notifier reads as "none".
  if (v.method === 'GET' && m[4] !== undefined) {
    return json(404, { type: 'error', error: { message: 'Not found' } });
  }
  if (v.method === 'POST' && m[4] === undefined) {
    const key = v.field('key');
    const repo = `${m[1]}/${m[2]}`;
    return json(201, {
      type: 'build',
      key,
      state: v.field('state'),
      name: v.field('name'),
      description: v.field('description'),
      url: v.field('url'),
      refname: null,
      created_on: REPLY_TIME,
      updated_on: REPLY_TIME,
      links: {
        self: { href: `https://api.bitbucket.org/2.0/repositories/${repo}/commit/${m[3]}/statuses/build/${key}` },
        commit: { href: `https://api.bitbucket.org/2.0/repositories/${repo}/commit/${m[3]}` },
      },
    });
  }
  return undefined;
};

const bitbucketServer: Service = (v) => {
  // Only this notifier sends Atlassian's XSRF opt-out header.
  if (v.header('X-Atlassian-Token') === '') return undefined;
  if (!/\/commits\/[^/]+\/builds$/.test(v.path)) return undefined;
  if (v.method === 'GET') {
    const key = v.url?.searchParams.get('key') ?? '';
    return json(404, {
      errors: [{ context: null, message: `No build status found for key '${key}'.`, exceptionName: 'com.atlassian.bitbucket.build.NoSuchBuildStatusException' }],
    });
  }
  // Creating a build status answers 204 No Content.
  if (v.method === 'POST') return noBody(204);
  return undefined;
};

// ---------------------------------------------------------------------------------------------
// Azure DevOps (azure-devops-go-api's User-Agent): route discovery, then the Git statuses API.

/** Resource location of Git commit statuses, as the organisation's OPTIONS <org>/_apis lists it. */
export const AZDO_STATUSES_LOCATION = {
  id: '428dd4fb-fda5-4722-af02-9313b80305da',
  area: 'git',
  resourceName: 'statuses',
  routeTemplate: '{project}/_apis/{area}/repositories/{repositoryId}/commits/{commitId}/{resource}',
  resourceVersion: 1,
  minVersion: '1.0',
  maxVersion: '7.2',
  releasedVersion: '7.1',
};

const azureDevOps: Service = (v) => {
  if (!v.header('User-Agent').includes('azure-devops-go-api/')) return undefined;
  // The real answer lists every resource of the organisation (hundreds); the library only looks
  // up the statuses location, so that is the one listed.
  if (v.method === 'OPTIONS' && v.path.endsWith('/_apis')) return json(200, { count: 1, value: [AZDO_STATUSES_LOCATION] });
  if (!/\/_apis\/git\/repositories\/[^/]+\/commits\/[^/]+\/statuses$/.test(v.path)) return undefined;
  if (v.method === 'GET') return json(200, { count: 0, value: [] });
  if (v.method === 'POST') {
    const ctx = v.object()?.context as { name?: unknown; genre?: unknown } | undefined;
    return json(201, {
      id: 1,
      state: v.field('state'),
      description: v.field('description'),
      context: { name: ctx?.name ?? '', genre: ctx?.genre ?? '' },
      creationDate: REPLY_TIME,
      updatedDate: REPLY_TIME,
      createdBy: { displayName: 'Flux Bot', id: '00000000-0000-0000-0000-000000000001', uniqueName: `${BOT_LOGIN}@example.com` },
      url: `${v.req.url.split('?')[0]}/1`,
    });
  }
  return undefined;
};

// ---------------------------------------------------------------------------------------------
// Senders with a library of their own.

const datadog: Service = (v) => {
  if (!v.header('User-Agent').startsWith('datadog-api-client-go/')) return undefined;
  const b = v.object() ?? {};
  const app = v.host.replace(/^api\./, 'app.');
  return json(202, {
    status: 'ok',
    event: {
      id: 7654321098765432,
      id_str: '7654321098765432',
      title: b.title ?? '',
      text: b.text ?? '',
      date_happened: b.date_happened ?? REPLY_UNIX,
      priority: null,
      tags: b.tags ?? [],
      related_event_id: null,
      url: `https://${app}/event/event?id=7654321098765432`,
    },
  }, 'application/json');
};

// Sentry's envelope endpoint answers with the id of the event it stored.
const sentry: Service = (v) =>
  v.header('Content-Type') === 'application/x-sentry-envelope' ? json(200, { id: '0f3a9c2b6e1d4f5a8b7c6d5e4f3a2b1c' }, 'application/json') : undefined;

// An OTLP/HTTP collector accepts with an empty ExportTraceServiceResponse: zero protobuf bytes.
const otel: Service = (v) =>
  v.header('Content-Type') === 'application/x-protobuf' ? text(200, '', 'application/x-protobuf') : undefined;

// ---------------------------------------------------------------------------------------------
// Services behind the shared sender, recognised by header, fixed endpoint or payload shape.

// The forwarder always names the reporting controller. A generic receiver's answer is whatever the
// user's endpoint says; the notifier only looks at the status, so a bare 200 stands for it.
const generic: Service = (v) => (v.header('Gotk-Component') !== '' ? noBody(200) : undefined);

const slackApi: Service = (v) => {
  if (v.req.url !== SLACK_API_URL) return undefined;
  const ts = `${REPLY_UNIX}.000100`;
  return json(200, {
    ok: true,
    // The API answers with the channel's id, whatever name the request used.
    channel: 'C0123456789',
    ts,
    message: { type: 'message', subtype: 'bot_message', text: '', username: v.field('username'), bot_id: 'B0123456789', ts },
  });
};

const opsgenie: Service = (v) =>
  v.header('Authorization').startsWith('GenieKey ')
    ? json(202, { result: 'Request will be processed', took: 0.302, requestId: '43a29c5c-3dbf-4fa4-9c26-f4f71023e120' })
    : undefined;

const matrix: Service = (v) =>
  v.method === 'PUT' && v.path.includes('/_matrix/client/') ? json(200, { event_id: '$YUwRidLecu:example.org' }, 'application/json') : undefined;

const telegram: Service = (v) => {
  if (v.host !== 'api.telegram.org' || !v.path.endsWith('/sendMessage')) return undefined;
  const b = v.object() ?? {};
  const chatId = Number(b.chat_id);
  return json(200, {
    ok: true,
    result: {
      message_id: 1,
      from: { id: 1234567890, is_bot: true, first_name: 'Flux', username: 'flux_bot' },
      chat: Number.isSafeInteger(chatId) ? { id: chatId, title: 'Flux', type: 'supergroup' } : { id: -1001234567890, title: 'Flux', username: String(b.chat_id ?? '').replace(/^@/, ''), type: 'channel' },
      date: REPLY_UNIX,
      text: b.text ?? '',
    },
  }, 'application/json');
};

const pagerduty: Service = (v) => {
  if (v.path === '/v2/enqueue') {
    return json(202, { status: 'success', message: 'Event processed', dedup_key: v.field('dedup_key') || 'a2d5a9c3f2e14b0f8d6e7c1b0a9f8e7d' }, 'application/json');
  }
  if (v.path === '/v2/change/enqueue') return json(202, { status: 'success', message: 'Change event processed' }, 'application/json');
  return undefined;
};

// Only the Zulip notifier sends a form.
const zulip: Service = (v) =>
  v.header('Content-Type') === 'application/x-www-form-urlencoded' ? json(200, { result: 'success', msg: '', id: 42 }, 'application/json') : undefined;

/** Services whose requests are told apart by the JSON they carry. */
const byPayload: Service = (v) => {
  const body = v.body();
  if (Array.isArray(body)) {
    // Alertmanager's POST /api/v2/alerts accepts with an empty 200.
    const first = body[0] as Record<string, unknown> | undefined;
    if (first && typeof first === 'object' && 'labels' in first && 'startsAt' in first) return noBody(200);
    return undefined;
  }
  const b = v.object();
  if (!b) return undefined;
  if (Array.isArray(b.cards)) {
    // Google Chat returns the created message.
    const space = /\/v1\/(spaces\/[^/]+)\/messages$/.exec(v.path)?.[1] ?? 'spaces/AAAAAAAAAAA';
    return json(200, {
      name: `${space}/messages/hy2BZaeKqUY.hy2BZaeKqUY`,
      sender: { name: 'users/114022495153014004089', displayName: 'Flux', type: 'BOT' },
      createTime: REPLY_TIME,
      cards: b.cards,
      thread: { name: `${space}/threads/hy2BZaeKqUY` },
      space: { name: space, type: 'ROOM' },
      argumentText: '',
    });
  }
  if (typeof b.msg_type === 'string') return json(200, { code: 0, data: {}, msg: 'success' });
  if (b['@type'] === 'MessageCard') {
    // The retired Office 365 connectors answered a plain-text `1`.
    return text(200, '1', 'text/plain; charset=utf-8');
  }
  if (b.type === 'message' && Array.isArray(b.attachments)) {
    // A Teams workflow ("When a Teams webhook request is received") accepts and runs later.
    return noBody(202);
  }
  if (typeof b.markdown === 'string') {
    return json(200, {
      id: 'Y2lzY29zcGFyazovL3VzL01FU1NBR0UvZmx1eC1ib3QtbWVzc2FnZQ',
      roomId: b.roomId ?? '',
      roomType: 'group',
      personId: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mbHV4LWJvdA',
      personEmail: `${BOT_LOGIN}@webex.bot`,
      markdown: b.markdown,
      created: REPLY_TIME,
    });
  }
  if (typeof b.when === 'number' && Array.isArray(b.tags)) return json(200, { id: 1, message: 'Annotation added' });
  if (b.content !== null && typeof b.content === 'object' && 'head' in (b.content as object)) {
    // Zoom's incoming webhook accepts with 200; the notifier reads only the status, so no body
    // is made up for it.
    return noBody(200);
  }
  if (typeof b.deduplication_key === 'string' && (b.status === 'firing' || b.status === 'resolved')) {
    return json(202, { deduplication_key: b.deduplication_key, message: 'Event accepted for processing', status: 'success' });
  }
  if (Array.isArray(b.attachments) && 'icon_url' in b) {
    // The Slack-shaped payload of slack, discord and rocket: Rocket's colours are hex codes, and
    // Discord gets no fallback text; Slack and Discord's /slack endpoint both answer `ok`.
    const att = (b.attachments[0] ?? {}) as Record<string, unknown>;
    if (typeof att.color === 'string' && att.color.startsWith('#')) return json(200, { success: true });
    return text(200, 'ok', 'text/html; charset=utf-8');
  }
  return undefined;
};

const SERVICES: Service[] = [
  // First: a generic webhook may carry any Secret header (a User-Agent, `Authorization: token …`),
  // but only the forwarder sets Gotk-Component.
  generic,
  // Library clients: their User-Agent or content type is unambiguous.
  github,
  gitlab,
  azureDevOps,
  datadog,
  sentry,
  otel,
  bitbucketServer,
  bitbucketCloud,
  gitea,
  slackApi,
  opsgenie,
  matrix,
  telegram,
  pagerduty,
  zulip,
  byPayload,
];

/**
 * The reply a healthy service with nothing recorded yet gives to `req`. Non-HTTP messages (nats,
 * googlepubsub, azureeventhub) are delivered: `{status: 200}`.
 */
export function healthyReply(req: PlannedRequest): HttpReply {
  if (req.kind === 'message') return { status: 200, headers: {}, body: '' };
  const v = new View(req);
  for (const service of SERVICES) {
    const r = service(v);
    if (r) return r;
  }
  // A request none of the services above recognises: no notifier decodes such a reply, and an
  // empty JSON object is the success body the widest range of webhook receivers give.
  return json(200, {}, 'application/json');
}
