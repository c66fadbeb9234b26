// What NC hands the notifier factory for a Provider (spec §6.1–6.4): secrets read from the
// Provider's namespace, address/proxy/headers/token/basic auth precedence, TLS, and the exact
// errors of createNotifier in its order. Values to mask are collected on the way.

import { parse as parseYaml } from 'yaml';
import { parseURL } from '../providers/gourl.js';
import type { NotifierOptions } from '../providers/types.js';
import { isCommitStatusProvider } from './provider-classes.js';
import { tlsFromSecret, TlsParseError, TlsValidationError, type TlsData } from './tls-material.js';
import type { Provider, Secret } from './types.js';

export type FindSecret = (namespace: string, name: string) => Secret | undefined;

export interface AssembledOptions {
  options: NotifierOptions;
  /** Trimmed secret token: NC masks it in asynchronous send errors (§6.6). */
  maskToken: string;
  /** Every secret value we must never print unmasked. */
  secretValues: string[];
  /** Log lines NC writes while assembling (deprecations, legacy keys). */
  logs: string[];
  /** Where each setting came from, for explain's detail. */
  origins: Record<string, string>;
}

export class OptionsError extends Error {}

function getSecret(find: FindSecret, name: string, namespace: string): Secret {
  const s = find(namespace, name);
  if (!s) throw new OptionsError(`failed to get secret '${namespace}/${name}': secrets "${name}" not found`);
  return s;
}

const utf8 = (b: Buffer | undefined) => (b ? b.toString('utf8') : '');

/** sigs.k8s.io/yaml into map[string]string: scalars become strings; anything else is an error. */
function parseHeaders(raw: Buffer): Record<string, string> {
  let doc: unknown;
  try {
    doc = parseYaml(raw.toString('utf8'), { version: '1.1' });
  } catch (e) {
    throw new OptionsError(`failed to read headers from secret: error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new OptionsError(`failed to read headers from secret: error unmarshaling JSON: json: cannot unmarshal ${Array.isArray(doc) ? 'array' : typeof doc} into Go value of type map[string]string`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (v === null) out[k] = '';
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out[k] = String(v);
    else throw new OptionsError(`failed to read headers from secret: error unmarshaling JSON: json: cannot unmarshal object into Go value of type string`);
  }
  return out;
}

interface AuthMethods {
  token?: string;
  basic?: { username: string; password: string };
  tls?: TlsData;
}

/**
 * fluxcd/pkg AuthMethodsFromSecret: an error means the whole result is discarded by NC for
 * non-commit-status providers (silent auth loss, §6.2); the error text is kept for explain.
 */
function authMethods(secret: Secret): { methods?: AuthMethods; error?: string } {
  const d = secret.data;
  const ref = `${secret.metadata.namespace}/${secret.metadata.name}`;
  const m: AuthMethods = {};
  const hasU = 'username' in d;
  const hasP = 'password' in d;
  if (hasU && !hasP) return { error: `secret '${ref}': malformed basic auth - has 'username' but missing 'password'` };
  if (!hasU && hasP) return { error: `secret '${ref}': malformed basic auth - has 'password' but missing 'username'` };
  if (hasU && hasP) m.basic = { username: utf8(d.username), password: utf8(d.password) };
  if ('token' in d) m.token = utf8(d.token);
  const hasAppID = 'githubAppID' in d;
  const hasOwner = 'githubAppInstallationOwner' in d;
  const hasInstID = 'githubAppInstallationID' in d;
  const hasKey = 'githubAppPrivateKey' in d;
  if (hasAppID && hasKey && hasOwner === hasInstID) {
    return { error: `secret '${ref}' must contain exactly one of 'githubAppInstallationOwner' or 'githubAppInstallationID'` };
  }
  try {
    m.tls = tlsFromSecret(secret);
  } catch (e) {
    if (e instanceof TlsValidationError) {
      // structural TLS problems are ignored by AuthMethodsFromSecret
    } else if (e instanceof TlsParseError) {
      return { error: e.message };
    } else throw e;
  }
  return { methods: m };
}

/** fluxcd/pkg ProxyURLFromSecret (§6.4). */
function proxyFromSecret(secret: Secret): string {
  const ref = `${secret.metadata.namespace}/${secret.metadata.name}`;
  if (!('address' in secret.data)) throw new OptionsError(`failed to get proxy URL: secret '${ref}': key 'address' not found`);
  const address = utf8(secret.data.address);
  if (address === '') throw new OptionsError(`failed to get proxy URL: secret '${ref}': proxy address is empty`);
  if (address.length > 2048) throw new OptionsError(`failed to get proxy URL: secret '${ref}': proxy URL exceeds maximum length of 2048 characters`);
  let u;
  try {
    u = parseURL(address);
  } catch (e) {
    throw new OptionsError(`failed to get proxy URL: secret '${ref}': failed to parse proxy address '${address}': ${(e as Error).message}`);
  }
  if (!['http', 'https', 'socks5'].includes(u.scheme)) {
    throw new OptionsError(`failed to get proxy URL: secret '${ref}': proxy URL must use one of the supported schemes (http, https, socks5), got '${u.scheme}'`);
  }
  const hasU = 'username' in secret.data;
  const hasP = 'password' in secret.data;
  if (hasU) u.user = { username: utf8(secret.data.username), password: hasP ? utf8(secret.data.password) : '', passwordSet: hasP };
  return u.toString();
}

/** Assembles NotifierOptions exactly as createNotifier does; throws OptionsError with NC's text. */
export function assembleNotifierOptions(provider: Provider, commitStatus: string, find: FindSecret): AssembledOptions {
  const spec = provider.spec;
  const ns = provider.metadata.namespace;
  const logs: string[] = [];
  const secretValues: string[] = [];
  const origins: Record<string, string> = {};
  const o: NotifierOptions = {
    url: '',
    proxyURL: '',
    username: '',
    channel: '',
    token: '',
    password: '',
    headers: {},
    commitStatus,
    providerUID: provider.metadata.uid ?? '',
    providerName: provider.metadata.name,
    providerNamespace: ns,
    secretData: {},
    serviceAccountName: spec.serviceAccountName ?? '',
  };
  if (spec.channel) {
    o.channel = spec.channel;
    origins.channel = 'spec.channel';
  }
  if (spec.username) {
    o.username = spec.username;
    origins.username = 'spec.username';
  }
  if (spec.proxy) {
    logs.push('warning: spec.proxy is deprecated, please use spec.proxySecretRef instead. Support for this field will be removed in v1.');
    o.proxyURL = spec.proxy;
    origins.proxy = 'spec.proxy';
  }
  let webhook = spec.address ?? '';
  if (webhook) origins.address = 'spec.address';
  let maskToken = '';
  let providerSecret: Secret | undefined;
  if (spec.secretRef) {
    const secret = getSecret(find, spec.secretRef.name, ns);
    providerSecret = secret;
    const d = secret.data;
    const sref = `${ns}/${secret.metadata.name}`;
    if ('address' in d && d.address!.length > 2048) {
      throw new OptionsError('invalid address in secret: address exceeds maximum length of 2048 bytes');
    }
    if ('proxy' in d) {
      const p = utf8(d.proxy).trim();
      try {
        parseURL(p);
      } catch {
        throw new OptionsError(`invalid 'proxy' in secret '${sref}'`);
      }
      logs.push("warning: specifying proxy with 'proxy' key in the referenced secret is deprecated, use spec.proxySecretRef with 'address' key instead. Support for the 'proxy' key will be removed in v1.");
      o.proxyURL = p;
      origins.proxy = `secret ${sref} key proxy`;
      secretValues.push(p);
    }
    if ('headers' in d) {
      o.headers = parseHeaders(d.headers!);
      origins.headers = `secret ${sref} key headers`;
      secretValues.push(...Object.values(o.headers).filter((v) => v.length >= 4));
    }
    const auth = authMethods(secret);
    if (auth.methods) {
      if (auth.methods.token) {
        o.token = auth.methods.token;
        origins.token = `secret ${sref} key token`;
      }
      if (auth.methods.basic) {
        o.username = auth.methods.basic.username;
        o.password = auth.methods.basic.password;
        origins.username = `secret ${sref} key username`;
        origins.password = `secret ${sref} key password`;
      }
    } else if (auth.error) {
      origins.authDiscarded = `secret ${sref}: ${auth.error} — token, username and password from this secret are silently ignored (spec §6.2)`;
    }
    o.secretData = { ...d };
    if ('address' in d) {
      webhook = utf8(d.address).trim();
      origins.address = `secret ${sref} key address`;
      if (webhook) secretValues.push(webhook);
    }
    if ('token' in d) maskToken = utf8(d.token).trim();
    for (const k of ['token', 'password', 'githubAppPrivateKey', 'nkey', 'creds', 'bearerToken']) {
      const v = utf8(d[k]);
      if (v) secretValues.push(v, v.trim());
    }
  }
  if (spec.proxySecretRef) {
    const secret = getSecret(find, spec.proxySecretRef.name, ns);
    o.proxyURL = proxyFromSecret(secret);
    origins.proxy = `proxySecretRef ${ns}/${secret.metadata.name}`;
    const pw = utf8(secret.data.password);
    if (pw) secretValues.push(pw);
  }
  let certSecret: Secret | undefined;
  if (spec.certSecretRef) certSecret = getSecret(find, spec.certSecretRef.name, ns);
  // TLS: certSecretRef wins; commit-status providers may also use TLS keys in secretRef.
  if (certSecret) {
    try {
      const t = tlsFromSecret(certSecret);
      o.tls = { ca: t.ca, cert: t.cert, key: t.key };
      origins.tls = `certSecretRef ${ns}/${certSecret.metadata.name}`;
      for (const k of t.legacyKeys) logs.push(`using legacy key in secret data: ${k}`);
    } catch (e) {
      if (e instanceof TlsValidationError || e instanceof TlsParseError) throw new OptionsError(`failed to get TLS config: ${e.message}`);
      throw e;
    }
  } else if (providerSecret && isCommitStatusProvider(spec.type)) {
    const auth = authMethods(providerSecret);
    if (auth.error) throw new OptionsError(`failed to get TLS config: ${auth.error}`);
    if (auth.methods?.tls) {
      o.tls = auth.methods.tls;
      origins.tls = `secretRef ${ns}/${providerSecret.metadata.name} (commit-status provider)`;
    }
  }
  if (o.tls?.key) secretValues.push(o.tls.key);
  o.url = webhook;
  return { options: o, maskToken, secretValues: [...new Set(secretValues.filter((v) => v !== ''))], logs, origins };
}
