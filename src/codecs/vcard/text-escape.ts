/** RFC 6350 §3.4 text escaping, and structured values split on unescaped separators. */
import type { StructuredValue } from '../../model/property.js';

/** `\n`/`\N` → line break, `\,` `\;` `\\` `\:` → the character; other backslashes stay. */
export function unescapeText(v: string): string {
  return v.replace(/\\([nN,;\\:])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Splits on separators not preceded by an escaping backslash; pieces stay escaped. */
export function splitUnescaped(v: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '\\' && i + 1 < v.length) {
      cur += c + v[i + 1];
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * `Müller;Jörg;;;` → ['Müller','Jörg','','','']; with sub-values (N, ADR) a component
 * `a,b` becomes ['a','b']. Always an array, even for one component (`ORG:Acme`), so the
 * canonical form does not depend on how many separators a writer put in.
 */
export function parseStructured(v: string, subValues: boolean): StructuredValue {
  return splitUnescaped(v, ';').map((c) => {
    if (!subValues) return unescapeText(c);
    const parts = splitUnescaped(c, ',').map(unescapeText);
    return parts.length > 1 ? parts : parts[0];
  });
}

/** Escapes a text value for 3.0/4.0: backslash, comma, semicolon, line breaks. */
export function escapeText(v: string): string {
  return v.replace(/[\\,;]/g, '\\$&').replace(/\r\n|\r|\n/g, '\\n');
}
