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
  // Slices by index, UTF-8 lengths from the code units: building the lines character by
  // character made a megabyte-long value take seconds.
  const out: string[] = [];
  let start = 0;
  let len = 0;
  for (let i = 0; i < line.length;) {
    const c = line.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < line.length && (line.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    // A lone surrogate is written as U+FFFD (3 octets), as Buffer.byteLength counts it.
    const n = pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    if (len + n > max) {
      out.push(`${out.length > 0 ? ' ' : ''}${line.slice(start, i)}`);
      start = i;
      len = 1;
    }
    len += n;
    i += pair ? 2 : 1;
  }
  out.push(`${out.length > 0 ? ' ' : ''}${line.slice(start)}`);
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
