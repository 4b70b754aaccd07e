/**
 * Line folding for output (RFC 6350 §3.2): lines of at most 75 octets, continuation lines
 * start with one space, and a UTF-8 sequence (or a surrogate pair) is never split.
 */
export const MAX_OCTETS = 75;

export function octets(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function foldLine(line: string, max = MAX_OCTETS): string[] {
  if (octets(line) <= max) return [line];
  const out: string[] = [];
  let cur = '';
  let curLen = 0;
  let limit = max;
  for (const ch of line) {
    const n = octets(ch);
    if (curLen + n > limit) {
      out.push(cur);
      cur = ' ';
      curLen = 1;
      limit = max;
    }
    cur += ch;
    curLen += n;
  }
  out.push(cur);
  return out;
}

/**
 * Quoted-printable lines for vCard 2.1: `prefix` (name and parameters, ending in ':')
 * followed by `=XX` tokens and literal characters, broken with `=` soft breaks so that no
 * line exceeds `max` octets and no token is split.
 */
export function foldQuotedPrintable(prefix: string, tokens: string[], max = MAX_OCTETS): string[] {
  // A prefix too long for one line (long parameter values) is folded the usual way; the
  // quoted-printable text then starts on its last line.
  const out = foldLine(prefix, max - 1);
  let cur = out.pop() ?? '';
  for (const t of tokens) {
    if (octets(cur) + t.length + 1 > max && cur.trim() !== '') {
      out.push(`${cur}=`);
      cur = '';
    }
    cur += t;
  }
  out.push(cur);
  return out;
}
