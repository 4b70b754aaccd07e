/** Structured vCard values (N, ADR, ORG…) split on their unescaped separators. */
import type { StructuredValue } from '../../model/property.js';
import { splitEscaped, unescapeText } from '../content-line/escape.js';

const unescape = (v: string): string => unescapeText(v, { colon: true });

/**
 * `Müller;Jörg;;;` → ['Müller','Jörg','','','']; with sub-values (N, ADR) a component
 * `a,b` becomes ['a','b']. Always an array, even for one component (`ORG:Acme`), so the
 * canonical form does not depend on how many separators a writer put in.
 */
export function parseStructured(v: string, subValues: boolean): StructuredValue {
  return splitEscaped(v, ';').map((c) => {
    if (!subValues) return unescape(c);
    const parts = splitEscaped(c, ',').map(unescape);
    return parts.length > 1 ? parts : parts[0];
  });
}
