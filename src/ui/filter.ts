// The `/` filter: space-separated terms, all of which must match (case-insensitive substrings).
// `kind:`, `name:`, `namespace:` (or `ns:`), `reason:` and `severity:` look at one field; a bare
// word looks at every field and the message, so a quick search needs no syntax.

export interface FilterTerm {
  field: 'kind' | 'name' | 'namespace' | 'reason' | 'severity' | 'text';
  value: string;
}

export interface Filterable {
  kind?: string;
  name?: string;
  namespace?: string;
  reason?: string;
  severity?: string;
  /** Free text (event message, provider type...). */
  text?: string;
}

const FIELDS: Record<string, FilterTerm['field']> = {
  kind: 'kind',
  name: 'name',
  namespace: 'namespace',
  ns: 'namespace',
  reason: 'reason',
  severity: 'severity',
  sev: 'severity',
  text: 'text',
};

export function parseFilter(query: string): FilterTerm[] {
  const terms: FilterTerm[] = [];
  for (const raw of query.trim().split(/\s+/)) {
    if (raw === '') continue;
    const colon = raw.indexOf(':');
    const field = colon > 0 ? FIELDS[raw.slice(0, colon).toLowerCase()] : undefined;
    // An unknown prefix (`http://x`) is searched as text rather than rejected: typing never errors.
    if (field) terms.push({ field, value: raw.slice(colon + 1).toLowerCase() });
    else terms.push({ field: 'text', value: raw.toLowerCase() });
  }
  return terms;
}

const has = (v: string | undefined, want: string) => (v ?? '').toLowerCase().includes(want);

export function matchesFilter(terms: readonly FilterTerm[], item: Filterable): boolean {
  for (const t of terms) {
    if (t.value === '') continue;
    if (t.field === 'text') {
      if (!(has(item.kind, t.value) || has(item.name, t.value) || has(item.namespace, t.value) || has(item.reason, t.value) || has(item.severity, t.value) || has(item.text, t.value))) return false;
    } else if (!has(item[t.field], t.value)) return false;
  }
  return true;
}
