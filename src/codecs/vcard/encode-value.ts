/**
 * Canonical values → the text of one version: RFC 6350 escaping for text, basic ISO 8601
 * forms for 4.0 dates (`19800229`, `--0229`), jCard's extended forms for 3.0 and 2.1
 * (`1980-02-29`, as Apple and Android write them), raw text for URIs and unknown values.
 */
import type { Property, PropValue } from '../../model/property.js';
import { type VCardVersion, V4, isMultiValued, isTextType } from './design.js';
import { escapeText } from '../content-line/escape.js';

const DATE_TYPES = new Set(['date', 'date-time', 'time', 'date-and-or-time', 'timestamp']);

/** A raw value cannot hold a line break; write it as `\n` (what a parser would have given). */
function raw(v: string): string {
  return v.replace(/\r\n|\r|\n/g, '\\n');
}

/** 2.1 text: backslash and `;` escaped, `,` only where it separates values; line breaks kept (→ quoted-printable). */
function escape21(v: string, comma: boolean): string {
  const s = v.replace(/[\\;]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\r\n');
  return comma ? s.replace(/,/g, '\\,') : s;
}

function scalar(v: PropValue, type: string, version: VCardVersion, multi: boolean): string {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return raw(JSON.stringify(v));
  if (isTextType(type)) return version === '2.1' ? escape21(v, multi) : escapeText(v);
  if (version === '4.0' && (DATE_TYPES.has(type) || type === 'utc-offset')) {
    const t = type === 'timestamp' || type === 'utc-offset' ? type : 'date-and-or-time';
    const toICAL = V4.value[t]?.toICAL;
    return toICAL ? toICAL(v) : v;
  }
  return raw(v);
}

/** The value text of a property (without name and parameters). */
export function encodeValue(p: Property, version: VCardVersion): string {
  const multi = isMultiValued(version, p.name);
  return p.values
    .map((v) => {
      if (!Array.isArray(v)) return scalar(v, p.type, version, multi);
      return v
        .map((c) => {
          const parts = Array.isArray(c) ? c : [c];
          const esc = parts.map((x) => (isTextType(p.type) ? (version === '2.1' ? escape21(x, false) : escapeText(x)) : raw(x)));
          return esc.join(',');
        })
        .join(';');
    })
    .join(',');
}
