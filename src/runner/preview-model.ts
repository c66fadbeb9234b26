// The preview model: what a mock endpoint made of the request bytes it received, as plain JSON
// data (no classes, no Dates, no Maps) so it can go into the outbox, NDJSON output and the UI
// alike. Every value here was read back from the wire body, never from the event, so a preview
// shows exactly what the receiving service would have shown, including a wrong payload.

/** Every preview may carry notes: what the service would do differently from what was sent. */
export interface PreviewNotes {
  /** E.g. "app webhooks ignore the channel in the payload". */
  notes?: string[];
}

/** A colour as the service names it, with the hex it is drawn in (for the TUI). */
export interface PreviewColor {
  /** What the payload said: `good`, `danger`, `warning`, `#aabbcc`, `attention`, `FF0000`... */
  raw: string;
  /** A readable name: `green`, `red`, `yellow`, `blue`, or the raw value when it is a hex. */
  name: string;
  /** `#rrggbb`, or undefined when the service would not recognise the value (drawn uncoloured). */
  hex?: string;
}

export interface SlackField {
  title: string;
  value: string;
  short: boolean;
}

export interface SlackAttachment {
  color?: PreviewColor;
  fallback?: string;
  authorName?: string;
  title?: string;
  titleLink?: string;
  pretext?: string;
  text?: string;
  /** Which attachment parts Slack would render as mrkdwn. */
  mrkdwnIn?: string[];
  fields: SlackField[];
  footer?: string;
}

export interface SlackPreview extends PreviewNotes {
  kind: 'slack';
  /** Which Slack surface received it: an incoming webhook, or the Web API. */
  api: 'webhook' | 'chat.postMessage';
  /** The channel named in the payload (a webhook may ignore it: see notes). */
  channel?: string;
  username?: string;
  /** icon_url or icon_emoji, whichever was set. */
  icon?: string;
  /** Top-level `text` (Slack shows it above the attachments). */
  text?: string;
  attachments: SlackAttachment[];
}

export interface TeamsTextBlock {
  text: string;
  size?: string;
  weight?: string;
  /** Adaptive Card colour name (`attention`, `good`, `accent`...), with its hex for drawing. */
  color?: PreviewColor;
  wrap?: boolean;
}

export interface TeamsFact {
  name: string;
  value: string;
}

export interface TeamsAdaptivePreview extends PreviewNotes {
  kind: 'teams-adaptive';
  /** The card version from the payload (`1.4`). */
  version?: string;
  /** The first text block, as Teams makes it the heading of the card. */
  title?: string;
  titleColor?: PreviewColor;
  /** Every TextBlock in order (the title included), walked through Containers. */
  blocks: TeamsTextBlock[];
  /** The facts of every FactSet, in order. */
  facts: TeamsFact[];
  /** `msteams.width` (`Full` makes the card full width). */
  width?: string;
}

export interface TeamsMessageCardSection {
  activityTitle?: string;
  activitySubtitle?: string;
  text?: string;
  facts: TeamsFact[];
}

export interface TeamsMessageCardPreview extends PreviewNotes {
  kind: 'teams-messagecard';
  themeColor?: PreviewColor;
  summary?: string;
  title?: string;
  text?: string;
  sections: TeamsMessageCardSection[];
}

export type CommitState = 'error' | 'failure' | 'pending' | 'success';

export interface CommitStatusEntry {
  id: number;
  state: string;
  context: string;
  description?: string;
  targetUrl?: string;
  createdAt: string;
}

export interface GitHubStatusPreview extends PreviewNotes {
  kind: 'github-status';
  /**
   * `create`: a status was posted (state/context... are the posted one). `list`: the statuses were
   * read (the engine's dedupe check); state/context... are the newest listed, empty when none.
   */
  operation: 'create' | 'list';
  owner: string;
  repo: string;
  sha: string;
  state: string;
  context: string;
  description?: string;
  targetUrl?: string;
  /**
   * Every status now on the commit, newest per context first (what GitHub's combined view shows),
   * so a context collision between two alerts, or a dedupe skip, is visible.
   */
  all: CommitStatusEntry[];
  /** Statuses posted to the commit in total, including superseded ones. */
  postedCount: number;
}

export interface GitLabStatusPreview extends PreviewNotes {
  kind: 'gitlab-status';
  operation: 'create' | 'list';
  /** The project as the URL names it, decoded: a numeric id or the path (`group/project`). */
  project: string;
  sha: string;
  state: string;
  name: string;
  description?: string;
  targetUrl?: string;
  all: CommitStatusEntry[];
}

export interface DiscordPreview extends PreviewNotes {
  kind: 'discord';
  /** Discord's `/slack` compatibility endpoint, or its native execute-webhook body. */
  api: 'slack-compatible' | 'native';
  username?: string;
  content?: string;
  /** Attachments as Discord turns them into embeds. */
  embeds: SlackAttachment[];
}

export interface GoogleChatWidget {
  /** A textParagraph or a keyValue widget. */
  text?: string;
  topLabel?: string;
  content?: string;
}

export interface GoogleChatPreview extends PreviewNotes {
  kind: 'googlechat';
  /** Plain `text` messages (no cards). */
  text?: string;
  title?: string;
  subtitle?: string;
  sections: Array<{ header?: string; widgets: GoogleChatWidget[] }>;
}

export interface AlertmanagerAlert {
  status?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerPreview extends PreviewNotes {
  kind: 'alertmanager';
  alerts: AlertmanagerAlert[];
}

export interface GenericPreview extends PreviewNotes {
  kind: 'generic';
  /** The provider type or host group the capture endpoint stood in for (`telegram`, `generic`...). */
  service: string;
  method: string;
  url: string;
  /** Request headers with credentials masked. */
  headers: Record<string, string>;
  /** The body parsed as JSON when it is JSON... */
  json?: unknown;
  /** ...else the body text (form data, plain text); absent for an empty body. */
  text?: string;
  /**
   * generic-hmac: whether X-Signature matches the HMAC of the body under the key the mock was
   * told; absent when there is no signature header or the mock knows no key.
   */
  signatureValid?: boolean;
  /** The algorithm named in the signature (`sha256`...). */
  signatureAlgorithm?: string;
}

export type Preview =
  | SlackPreview
  | TeamsAdaptivePreview
  | TeamsMessageCardPreview
  | GitHubStatusPreview
  | GitLabStatusPreview
  | DiscordPreview
  | GoogleChatPreview
  | AlertmanagerPreview
  | GenericPreview;

export type PreviewKind = Preview['kind'];

/** The service rejected the payload: what it answered and what was wrong with the request. */
export interface PreviewError {
  /** The service the mock stands in for (`slack`, `github`...). */
  service: string;
  /** HTTP status the service answered. */
  status: number;
  /** The service's own error text (`channel_not_found`, `Validation Failed`, `invalid_payload`...). */
  error: string;
  /** Why, in words: which field was wrong and what was expected. */
  detail: string;
}
