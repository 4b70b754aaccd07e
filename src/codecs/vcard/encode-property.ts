/**
 * One canonical Property → the folded physical lines of one vCard version. This is the
 * inverse of decode-property: 4.0 data: URIs become 3.0 `ENCODING=b;TYPE=JPEG` or 2.1
 * `ENCODING=BASE64;JPEG` blocks, PREF=1 becomes `TYPE=pref` (3.0) or a bare `PREF` (2.1),
 * geo: URIs become `lat;lon` (3.0) or `lat,lon` (2.1), and VALUE= is written exactly when
 * the decoder would otherwise infer another type.
 */
import type { Property } from '../../model/property.js';
import { paramList } from '../../model/property.js';
import { BINARY_PROPS, type VCardVersion, needsValueParam } from './design.js';
import { encodeValue } from './encode-value.js';
import { FOLD_OCTETS, foldLine, octets } from '../content-line/fold.js';
import { caretEncode, quoteParamValue, v21ParamValue } from '../content-line/params.js';
import { foldQuotedPrintable, qpEncodeAll } from './quoted-printable.js';
import { typeParamOf } from './media-type.js';

export const DATA_URI = /^data:([^,;]*);base64,([A-Za-z0-9+/=]*)$/i;
export const GEO_URI = /^geo:([+-]?\d+(?:\.\d+)?),([+-]?\d+(?:\.\d+)?)$/;

interface Out {
  /** Serialized parameter segments, without the leading ';'. */
  params: string[];
  value: string;
  /** 2.1 base64 block: the value goes on indented lines followed by a blank line. */
  base64?: boolean;
}

function paramText(v: string, version: VCardVersion): string {
  // vCard 2.1 has no caret escapes: what it cannot carry is replaced.
  return quoteParamValue(version === '2.1' ? v21ParamValue(v) : caretEncode(v));
}

function build(p: Property, version: VCardVersion): Out {
  const up = (s: string): string => (version === '4.0' ? s : s.toUpperCase());
  let types = paramList(p, 'type');
  const head: string[] = [];
  const rest: string[] = [];
  let value = encodeValue(p, version);
  let valueType: string | undefined = needsValueParam(version, p.name, p.type) ? p.type : undefined;
  let base64 = false;
  const first = p.values[0];

  if (version !== '4.0' && p.type === 'uri' && typeof first === 'string' && p.values.length === 1) {
    const data = DATA_URI.exec(first);
    const geo = GEO_URI.exec(first);
    if (BINARY_PROPS.has(p.name) && data) {
      const media = typeParamOf(p.name, data[1]);
      types = media ? [media, ...types] : types;
      head.push(version === '3.0' ? 'ENCODING=b' : 'ENCODING=BASE64');
      value = data[2];
      valueType = undefined;
      base64 = version === '2.1';
    } else if (BINARY_PROPS.has(p.name)) {
      valueType = 'uri'; // 2.1/3.0 read a PHOTO without VALUE as inline data
    } else if (p.name === 'geo' && geo) {
      value = version === '3.0' ? `${geo[1]};${geo[2]}` : `${geo[1]},${geo[2]}`;
    }
  }

  for (const [name, v] of Object.entries(p.params)) {
    if (name === 'type') continue;
    if (name === 'pref' && v === '1' && version !== '4.0') {
      types = [...types, 'pref'];
      continue;
    }
    for (const one of Array.isArray(v) ? v : [v]) rest.push(`${name.toUpperCase()}=${paramText(one, version)}`);
  }
  if (types.length > 0) {
    // Bare 2.1 types, except words a 2.1 reader takes for an ENCODING (or a value type).
    if (version === '2.1') head.push(...types.map((t) => (BARE_21_CLASH.has(t.toUpperCase()) || !/^[A-Za-z0-9-]+$/.test(t) ? `TYPE=${paramText(t.toUpperCase(), version)}` : t.toUpperCase())));
    else head.push(`TYPE=${types.map((t) => paramText(up(t), version)).join(',')}`);
  }
  if (valueType !== undefined) rest.push(`VALUE=${version === '2.1' && valueType === 'uri' ? 'URL' : up(valueType)}`);
  return { params: [...head, ...rest], value, base64 };
}

const BARE_21_CLASH = new Set(['B', 'BASE64', '7BIT', '8BIT', 'QUOTED-PRINTABLE', 'INLINE', 'URL', 'CONTENT-ID', 'CID']);

/** The physical lines (without line ends) of one property in one version. */
export function encodeProperty(p: Property, version: VCardVersion): string[] {
  const name = `${p.group ? `${p.group}.` : ''}${p.name.toUpperCase()}`;
  const out = build(p, version);
  const prefix = (params: string[]): string => [name, ...params].join(';') + ':';
  if (version !== '2.1') return foldLine(prefix(out.params) + out.value);

  if (out.base64) {
    // As Android writes photos: the base64 text wrapped on lines indented by one space,
    // then a blank line that ends the block.
    const lines = foldLine(prefix(out.params) + out.value);
    return [...lines, ''];
  }
  const line = prefix(out.params) + out.value;
  if (!/[^\x20-\x7e]/.test(out.value) && octets(line) <= FOLD_OCTETS) return [line];
  const charset = /[^\x00-\x7f]/.test(out.value) ? ['CHARSET=UTF-8'] : [];
  return foldQuotedPrintable(prefix([...out.params, ...charset, 'ENCODING=QUOTED-PRINTABLE']), qpTokens(out.value));
}

/** Quoted-printable tokens: every byte as `=XX` except unescaped `;` separators. */
function qpTokens(v: string): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === ';') tokens.push(';');
    else if (c === '\\' && (v[i + 1] === '\\' || v[i + 1] === ';' || v[i + 1] === ',')) {
      tokens.push(...qpEncodeAll(c + v[i + 1]));
      i++;
    } else {
      const cp = v.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      tokens.push(...qpEncodeAll(ch));
      i += ch.length - 1;
    }
  }
  return tokens;
}
