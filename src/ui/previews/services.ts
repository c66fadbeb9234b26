// Display names of the services a preview stands for (the model carries provider type names).

const NAMES: Record<string, string> = {
  slack: 'Slack',
  msteams: 'Microsoft Teams',
  teams: 'Microsoft Teams',
  github: 'GitHub',
  gitlab: 'GitLab',
  discord: 'Discord',
  googlechat: 'Google Chat',
  alertmanager: 'Alertmanager',
  generic: 'Webhook',
  'generic-hmac': 'Webhook (HMAC)',
};

export function serviceName(service: string): string {
  return NAMES[service] ?? service;
}
