// The small HTML subset Google Chat renders in card text (cards v1 "text formatting"): <b>, <i>,
// <u>, <strike>, <font color>, <a href>, <br>, and the basic entities. Anything else is shown as
// written, as Chat would not format it either.

export interface ChatSpan {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  /** `#rrggbb` from a <font color>. */
  color?: string;
  href?: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const cp = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const TAG = /<(\/?)(b|i|u|strike|s|font|a|br)\b([^>]*)>/gi;

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** Splits formatted text into styled spans; <br> becomes a newline. */
export function parseChatHtml(html: string): ChatSpan[] {
  const spans: ChatSpan[] = [];
  // One entry per open tag, so a closing tag undoes only its own kind.
  const stack: Array<{ tag: string; style: Partial<ChatSpan> }> = [];
  const current = (): Partial<ChatSpan> => Object.assign({}, ...stack.map((s) => s.style));
  const push = (raw: string) => {
    if (raw === '') return;
    spans.push({ ...current(), text: decodeEntities(raw) });
  };
  let last = 0;
  for (const m of html.matchAll(TAG)) {
    push(html.slice(last, m.index));
    last = m.index + m[0].length;
    const closing = m[1] === '/';
    const tag = m[2]!.toLowerCase() === 's' ? 'strike' : m[2]!.toLowerCase();
    if (tag === 'br') {
      spans.push({ ...current(), text: '\n' });
      continue;
    }
    if (closing) {
      const at = stack.map((s) => s.tag).lastIndexOf(tag);
      if (at >= 0) stack.splice(at, 1);
      continue;
    }
    const attrs = m[3] ?? '';
    const style: Partial<ChatSpan> =
      tag === 'b' ? { bold: true }
      : tag === 'i' ? { italic: true }
      : tag === 'u' ? { underline: true }
      : tag === 'strike' ? { strike: true }
      : tag === 'font' ? (attr(attrs, 'color') !== undefined ? { color: attr(attrs, 'color')! } : {})
      : { href: attr(attrs, 'href') ?? '' };
    stack.push({ tag, style });
  }
  push(html.slice(last));
  return spans;
}
