// Go time.Parse(time.RFC3339, …) followed by metav1.Time's marshalling (UTC, whole seconds).

export class TimestampError extends Error {}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses an RFC 3339 string as Go does and returns epoch milliseconds truncated to seconds. */
export function parseRfc3339(s: string): number {
  const m = RFC3339.exec(s);
  if (!m) throw new TimestampError(`parsing time ${JSON.stringify(s)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
  const [year, month, day, hour, min, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12) throw new TimestampError(`parsing time ${JSON.stringify(s)}: month out of range`);
  if (day < 1 || day > daysIn(year, month)) throw new TimestampError(`parsing time ${JSON.stringify(s)}: day out of range`);
  if (hour > 23) throw new TimestampError(`parsing time ${JSON.stringify(s)}: hour out of range`);
  if (min > 59) throw new TimestampError(`parsing time ${JSON.stringify(s)}: minute out of range`);
  if (sec > 59) throw new TimestampError(`parsing time ${JSON.stringify(s)}: second out of range`);
  let offsetMin = 0;
  const zone = m[8]!;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) throw new TimestampError(`parsing time ${JSON.stringify(s)}: time zone offset out of range`);
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, min, sec) - offsetMin * 60_000;
  // Date.UTC maps years 0–99 to 1900+; fix them up.
  const d = new Date(utc);
  if (year < 100) d.setUTCFullYear(d.getUTCFullYear() - 1900);
  return d.getTime();
}

/** metav1.Time marshalling: RFC 3339 in UTC with whole seconds. */
export function formatRfc3339(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const y = d.getUTCFullYear();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

/** Normalises an input timestamp to the form NC re-encodes. */
export function normaliseTimestamp(s: string): string {
  return formatRfc3339(parseRfc3339(s));
}
