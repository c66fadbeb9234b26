// The 34 provider types of notification-controller v1.9 (spec §7.5), one module each.

import type { NotifierOptions, Notifier, ProviderDefinition } from './types.js';
import { provider as alertmanager } from './alertmanager.js';
import { provider as azuredevops } from './azuredevops.js';
import { provider as azureeventhub } from './azureeventhub.js';
import { provider as bitbucket } from './bitbucket.js';
import { provider as bitbucketserver } from './bitbucketserver.js';
import { provider as datadog } from './datadog.js';
import { provider as discord } from './discord.js';
import { provider as generic } from './generic.js';
import { provider as genericHmac } from './generic-hmac.js';
import { provider as gitea } from './gitea.js';
import { provider as giteapullrequestcomment } from './giteapullrequestcomment.js';
import { provider as github } from './github.js';
import { provider as githubdispatch } from './githubdispatch.js';
import { provider as githubpullrequestcomment } from './githubpullrequestcomment.js';
import { provider as gitlab } from './gitlab.js';
import { provider as gitlabmergerequestcomment } from './gitlabmergerequestcomment.js';
import { provider as googlechat } from './googlechat.js';
import { provider as googlepubsub } from './googlepubsub.js';
import { provider as grafana } from './grafana.js';
import { provider as incidentio } from './incidentio.js';
import { provider as lark } from './lark.js';
import { provider as matrix } from './matrix.js';
import { provider as msteams } from './msteams.js';
import { provider as nats } from './nats.js';
import { provider as opsgenie } from './opsgenie.js';
import { provider as otel } from './otel.js';
import { provider as pagerduty } from './pagerduty.js';
import { provider as rocket } from './rocket.js';
import { provider as sentry } from './sentry.js';
import { provider as slack } from './slack.js';
import { provider as telegram } from './telegram.js';
import { provider as webex } from './webex.js';
import { provider as zoom } from './zoom.js';
import { provider as zulip } from './zulip.js';

const ALL: ProviderDefinition[] = [
  slack, discord, msteams, rocket, generic, genericHmac, github, gitlab, gitea, giteapullrequestcomment, bitbucketserver, bitbucket,
  azuredevops, googlechat, googlepubsub, webex, sentry, azureeventhub, telegram, lark, matrix, opsgenie, alertmanager, grafana,
  githubdispatch, githubpullrequestcomment, gitlabmergerequestcomment, pagerduty, datadog, nats, zulip, otel, zoom, incidentio,
];

export const PROVIDERS: ReadonlyMap<string, ProviderDefinition> = new Map(ALL.map((p) => [p.type, p]));

/** The factory lookup of internal/notifier/factory.go: unknown types are not supported. */
export function createNotifierFromRegistry(type: string, options: NotifierOptions): Notifier {
  const def = PROVIDERS.get(type);
  if (!def) throw new Error(`provider ${type} not supported`);
  return def.create(options);
}
