// TLS material from a Secret as fluxcd/pkg runtime/secrets reads it (spec §6.3): standard keys
// win over legacy ones, a CA and/or a client pair, and the same validation errors.

import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { Secret } from './types.js';

export interface TlsData {
  ca?: string;
  cert?: string;
  key?: string;
  /** Legacy keys used (NC logs "using legacy key in secret data"). */
  legacyKeys: string[];
}

/** A structural problem (missing half, nothing at all): AuthMethodsFromSecret ignores these. */
export class TlsValidationError extends Error {}
/** A parse failure: fatal wherever TLS is built. */
export class TlsParseError extends Error {}

function pick(secret: Secret, key: string, legacy: string, used: string[]): Buffer | undefined {
  if (key in secret.data) return secret.data[key];
  if (legacy in secret.data) {
    used.push(legacy);
    return secret.data[legacy];
  }
  return undefined;
}

function ref(secret: Secret): string {
  return `${secret.metadata.namespace}/${secret.metadata.name}`;
}

/** Reads and checks the material; throws TlsValidationError / TlsParseError with pkg's texts. */
export function tlsFromSecret(secret: Secret): TlsData {
  const legacyKeys: string[] = [];
  const cert = pick(secret, 'tls.crt', 'certFile', legacyKeys);
  const key = pick(secret, 'tls.key', 'keyFile', legacyKeys);
  const ca = pick(secret, 'ca.crt', 'caFile', legacyKeys);
  const hasCert = !!cert && cert.length > 0;
  const hasKey = !!key && key.length > 0;
  const hasCA = !!ca && ca.length > 0;
  if (hasCert !== hasKey) {
    throw new TlsValidationError(
      hasCert ? `secret '${ref(secret)}' contains 'tls.crt' but missing 'tls.key'` : `secret '${ref(secret)}' contains 'tls.key' but missing 'tls.crt'`,
    );
  }
  if (!hasCert && !hasCA) {
    throw new TlsValidationError(`secret '${ref(secret)}' must contain either 'ca.crt' or both 'tls.crt' and 'tls.key'`);
  }
  const out: TlsData = { legacyKeys };
  if (hasCert) {
    try {
      const x = new X509Certificate(cert!);
      const k = createPrivateKey(key!);
      if (!x.checkPrivateKey(k)) throw new Error('tls: private key does not match public key');
    } catch (e) {
      throw new TlsParseError(`failed to parse TLS certificate and key: ${(e as Error).message}`);
    }
    out.cert = cert!.toString('utf8');
    out.key = key!.toString('utf8');
  }
  if (hasCA) {
    if (!pemHasCertificate(ca!)) throw new TlsParseError('failed to parse CA certificate');
    out.ca = ca!.toString('utf8');
  }
  return out;
}

/** Go's CertPool.AppendCertsFromPEM: true when at least one CERTIFICATE block parses. */
function pemHasCertificate(pem: Buffer): boolean {
  const text = pem.toString('latin1');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  for (const b of blocks) {
    try {
      new X509Certificate(b);
      return true;
    } catch {
      // try the next block, as Go does
    }
  }
  return false;
}
