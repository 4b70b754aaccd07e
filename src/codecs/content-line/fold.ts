/**
 * Folding for output (RFC 5545 §3.1, RFC 6350 §3.2): physical lines of at most 75 octets,
 * continuation lines start with one space (counted in the 75), and a UTF-8 sequence (or a
 * surrogate pair) is never split. Unfolding the result gives back the input exactly.
 */
export const FOLD_OCTETS = 75;

export function octets(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The physical lines of one content line, without line ends. */
export function foldLine(line: string, max = FOLD_OCTETS): string[] {
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

/** Content lines as text: each folded, `eol` after every physical line. */
export function joinFolded(lines: string[], eol = '\r\n'): string {
  return lines.map((l) => foldLine(l).join(eol) + eol).join('');
}
