// Kubernetes schema.ParseGroupVersion as NC applies it to involvedObject.apiVersion (spec conventions).

const groups = new Map<string, string>();

/** The API group of an apiVersion: "" for "", "/", "v1" or anything with more than one "/". */
let lastVersion = '';
let lastGroup = '';

export function objectGroup(apiVersion: string | undefined): string {
  const av = apiVersion ?? '';
  // one event asks several times in a row
  if (av === lastVersion) return lastGroup;
  let g = groups.get(av);
  if (g === undefined) {
    g = parseGroup(av);
    // apiVersions are few; the bound only guards against hostile input
    if (groups.size > 1000) groups.clear();
    groups.set(av, g);
  }
  lastVersion = av;
  lastGroup = g;
  return g;
}

function parseGroup(av: string): string {
  if (av === '' || av === '/') return '';
  const parts = av.split('/');
  if (parts.length === 1) return '';
  if (parts.length === 2) return parts[0]!;
  return '';
}

/** `<object group>/`: for an event without apiVersion this is just "/". */
export function objectGroupPrefix(apiVersion: string | undefined): string {
  return objectGroupKeys(apiVersion).prefix;
}

/** The object-group metadata keys NC reads, built once per group (equal strings, hashed once). */
export interface ObjectGroupKeys {
  prefix: string;
  checksum: string;
  digest: string;
  token: string;
  commitStatus: string;
  originRevision: string;
  revision: string;
}

const keysByGroup = new Map<string, ObjectGroupKeys>();
let lastKeysGroup: string | undefined;
let lastKeys: ObjectGroupKeys | undefined;

export function objectGroupKeys(apiVersion: string | undefined): ObjectGroupKeys {
  const group = objectGroup(apiVersion);
  if (group === lastKeysGroup) return lastKeys!;
  let k = keysByGroup.get(group);
  if (!k) {
    const prefix = group + '/';
    k = Object.freeze({
      prefix,
      checksum: `${prefix}checksum`,
      digest: `${prefix}digest`,
      token: `${prefix}token`,
      commitStatus: `${prefix}commit_status`,
      originRevision: `${prefix}originRevision`,
      revision: `${prefix}revision`,
    });
    if (keysByGroup.size > 1000) keysByGroup.clear();
    keysByGroup.set(group, k);
  }
  lastKeysGroup = group;
  return (lastKeys = k);
}

/** The version part, or "" when the apiVersion does not parse. */
export function objectVersion(apiVersion: string | undefined): string {
  const av = apiVersion ?? '';
  const parts = av.split('/');
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2) return parts[1]!;
  return '';
}
