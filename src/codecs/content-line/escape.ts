/** Text values (RFC 5545 §3.3.11, RFC 6350 §3.4): backslash escaping and splitting on unescaped separators. */

/** Splits at unescaped `sep`, skipping every `\x` pair; pieces stay escaped. */
export function splitEscaped(raw: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      cur += c + raw[i + 1];
      i++;
    } else if (c === sep) {
      parts.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  parts.push(cur);
  return parts;
}

const ESCAPED = /\\([\\;,nN])/g;
/** vCard 3.0 (RFC 2426 §5.8.4) also escapes `:`, and 4.0 readers accept it. */
const ESCAPED_WITH_COLON = /\\([\\;,nN:])/g;

/** `\n`/`\N` → line break, `\,` `\;` `\\` (and with `colon`, `\:`) → the character; other pairs stay as written. */
export function unescapeText(v: string, opts: { colon?: boolean } = {}): string {
  return v.replace(opts.colon ? ESCAPED_WITH_COLON : ESCAPED, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Escapes a text value: backslash, comma, semicolon, line breaks. */
export function escapeText(v: string): string {
  return v.replace(/[\\,;]/g, '\\$&').replace(/\r\n|\r|\n/g, '\\n');
}
