// What the kubeconfig user authenticates with, and why the API server may refuse it, in words a
// user can act on. A 401 from kube-apiserver only ever says "Unauthorized"; the likely cause is
// found on our side: an expired client certificate (kind's last a year), one signed by another
// cluster's CA (a recreated kind cluster), a stale token, a failing exec plugin.

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KubeConfig, User } from '@kubernetes/client-node';

function clientCertificate(user: User): X509Certificate | string | undefined {
  try {
    const pem = user.certFile ? readFileSync(user.certFile) : user.certData ? Buffer.from(user.certData, 'base64') : undefined;
    return pem ? new X509Certificate(pem) : undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const cn = (subject: string) => /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? subject.replace(/\n/g, ', ');
const day = (s: string) => new Date(s).toISOString().slice(0, 10);

/** A short description of the credentials: "client certificate CN=kubernetes-admin", "exec plugin aws", … */
export function describeCredentials(kc: KubeConfig): string {
  const user = kc.getCurrentUser();
  if (!user) return 'no user';
  const parts: string[] = [];
  const cert = clientCertificate(user);
  if (cert instanceof X509Certificate) parts.push(`client certificate CN=${cn(cert.subject)}`);
  else if (typeof cert === 'string') parts.push(`an unreadable client certificate (${cert})`);
  if (user.exec) parts.push(`exec plugin "${String((user.exec as { command?: unknown }).command ?? '')}"`);
  if (user.authProvider) parts.push(`auth-provider ${String((user.authProvider as { name?: unknown }).name ?? '')}`);
  if (user.token) parts.push('a bearer token');
  if (user.username) parts.push(`basic auth as ${user.username}`);
  return parts.length ? parts.join(' + ') : 'no credentials';
}

/**
 * Why a 401 likely happened, from what the kubeconfig user presents. The cause comes first: the
 * status bar and the footer show only the start of the line.
 */
export function explainUnauthorized(kc: KubeConfig, context: string, now: number = Date.now()): string {
  const user = kc.getCurrentUser();
  const who = `user "${user?.name ?? ''}", context ${context}`;
  if (!user) return `credentials refused (401 Unauthorized): ${who}`;
  const cert = clientCertificate(user);
  if (cert instanceof X509Certificate && !user.token && !user.exec && !user.authProvider) {
    const id = `CN=${cn(cert.subject)}, issued by ${cn(cert.issuer)}`;
    if (Date.parse(cert.validTo) < now) {
      return `client certificate expired on ${day(cert.validTo)} (401 Unauthorized): ${id}; kind's client certificates last one year: renew them (or recreate the cluster) and export the kubeconfig again (${who})`;
    }
    if (Date.parse(cert.validFrom) > now) return `client certificate not valid before ${day(cert.validFrom)} (401 Unauthorized): ${id}; check this machine's clock (${who})`;
    return `client certificate not trusted by the API server (401 Unauthorized): ${id}; if the cluster was recreated, export its kubeconfig again (kind: kind export kubeconfig --name NAME) (${who})`;
  }
  if (user.exec) return `token from exec plugin "${String((user.exec as { command?: unknown }).command ?? '')}" refused (401 Unauthorized): expired, or for another cluster? (${who})`;
  if (user.token) return `bearer token refused (401 Unauthorized): expired or revoked? (${who})`;
  return `credentials refused (401 Unauthorized): ${describeCredentials(kc)} (${who})`;
}

/** A 403 for system:anonymous: the request carried no credential the server recognises. */
export function explainAnonymous(kc: KubeConfig, context: string): string {
  const user = kc.getCurrentUser();
  const has = describeCredentials(kc);
  const what = has === 'no credentials' ? 'it has no client certificate, token or exec plugin' : `it presents ${has}, and the server recognised none of it`;
  return `no credentials the API server recognises (403 for system:anonymous): ${what} (user "${user?.name ?? ''}", context ${context})`;
}
