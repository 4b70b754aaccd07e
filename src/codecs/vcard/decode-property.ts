/**
 * One content line → one canonical Property (vCard 4.0 semantics). The value is decoded
 * here (quoted-printable, CHARSET, base64), 2.1 text is re-escaped as 3.0 text, and
 * ical.js parses the value with the right design set; then 2.1/3.0 forms are mapped to
 * their 4.0 equivalents (photos to data: URIs, TYPE=pref to PREF=1, GEO to a geo: URI…).
 */
import ICAL from 'ical.js';
import type { ParamValue, Property, PropValue } from '../../model/property.js';
import { prop } from '../../model/property.js';
import { caretDecode } from '../content-line/params.js';
import { splitEscaped, unescapeText } from '../content-line/escape.js';
import { bytesOf, decodeByteString, decodeBytes, isValidUtf8, normalizeBase64 } from './bytes.js';
import type { ContentLine } from './content-line.js';
import {
  BINARY_PROPS, DATE_FAMILY, DATE_LIKE, DATE_PROPS, type DesignSet, type VCardVersion, dateShape, designFor, isMultiValued, isStructured, propDesign,
} from './design.js';
import { mediaTypeOf } from './media-type.js';
import { qpDecode } from './quoted-printable.js';
import { parseStructured } from './structured-value.js';

export interface DecodeContext {
  version: VCardVersion;
  /** Charset of values that name none: 'utf-8', or 'windows-1252' for a card that is not UTF-8. */
  defaultCharset: string;
}

const ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);
const URI_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

interface Params {
  params: Record<string, ParamValue>;
  types: string[];
  encoding?: string;
  charset?: string;
  value?: string;
}

function collectParams(line: ContentLine, ctx: DecodeContext): Params {
  const out: Params = { params: {}, types: [] };
  const text = (v: string): string => {
    const t = decodeByteString(v, ctx.defaultCharset);
    return ctx.version === '2.1' ? t : caretDecode(t);
  };
  for (const p of line.params) {
    const value = text(p.value);
    if (p.name === null) {
      const up = value.toUpperCase();
      if (ENCODINGS.has(up)) out.encoding = up;
      else out.types.push(...splitList(value));
      continue;
    }
    switch (p.name) {
      case 'TYPE': out.types.push(...splitList(value)); break;
      case 'ENCODING': out.encoding = value.toUpperCase(); break;
      case 'CHARSET': out.charset = value; break;
      case 'VALUE': out.value = valueTypeOf(value); break;
      default: {
        const key = p.name.toLowerCase();
        const prev = out.params[key];
        out.params[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
      }
    }
  }
  const types = [...new Set(out.types.map((t) => t.toLowerCase()))];
  out.types = types.filter((t) => t !== 'pref');
  if (types.includes('pref') && out.params.pref === undefined) out.params.pref = '1';
  return out;
}

function splitList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function valueTypeOf(v: string): string | undefined {
  const t = v.toLowerCase();
  if (t === 'url' || t === 'content-id' || t === 'cid') return 'uri';
  if (t === 'inline') return undefined;
  return t;
}

export function decodeProperty(line: ContentLine, ctx: DecodeContext): Property {
  const name = line.name.toLowerCase();
  const p = collectParams(line, ctx);
  const withTypes = (params: Record<string, ParamValue>, types: string[]): Record<string, ParamValue> =>
    types.length > 0 ? { type: types, ...params } : params;

  // Inline binaries (3.0 ENCODING=b, 2.1 ENCODING=BASE64, or a 2.1/3.0 PHOTO without VALUE=uri).
  const implicitBinary = p.encoding === undefined && p.value === undefined && BINARY_PROPS.has(name)
    && ctx.version !== '4.0' && name !== 'key' && !URI_LIKE.test(line.value.trim());
  if (p.encoding === 'B' || p.encoding === 'BASE64' || p.value === 'binary' || implicitBinary) {
    const [media, ...rest] = p.types;
    const b64 = normalizeBase64(line.value);
    return prop(name, 'uri', [`data:${mediaTypeOf(name, media)};base64,${b64}`], withTypes(p.params, rest), line.group);
  }

  const qp = p.encoding === 'QUOTED-PRINTABLE';
  let text: string;
  if (qp) text = decodeBytes(qpDecode(line.value), p.charset ?? ctx.defaultCharset);
  // Raw 8-bit text that is valid UTF-8 in a UTF-8 card was written (or handed to us) as
  // UTF-8 whatever its CHARSET says; only quoted-printable bytes are trusted to match it.
  else if (p.charset !== undefined && ctx.defaultCharset === 'utf-8' && isValidUtf8(bytesOf(line.value))) text = decodeByteString(line.value, 'utf-8');
  else text = decodeByteString(line.value, p.charset ?? ctx.defaultCharset);

  let type = p.value;
  if (type === undefined) {
    if (name === 'tel') type = 'text';
    else if (BINARY_PROPS.has(name) && ctx.version !== '4.0') type = URI_LIKE.test(text.trim()) ? 'uri' : 'text';
  }
  const effective = type ?? propDesign(ctx.version, name)?.defaultType ?? 'unknown';
  if (ctx.version === '2.1' || qp) text = escape21As30(text, effective === 'text' ? kindOf(ctx.version, name) : 'raw', ctx.version === '2.1');

  const design = designFor(ctx.version, name);
  let ptype: string;
  let values: PropValue[];
  if (effective === 'text' && !hasDetectType(design, name)) {
    // Text is split and unescaped below whatever ical.js makes of it: only other types need its parser.
    ptype = 'text';
    values = [];
  } else {
    const jcard = ICAL.parse.property(`${line.name}${type ? `;VALUE=${type}` : ''}:${text}`, design) as unknown[];
    ptype = String(jcard[2]);
    values = jcard.slice(3) as PropValue[];
  }

  if (ptype === 'text' && isStructured(ctx.version, name)) {
    values = [parseStructured(text, isMultiValuedComponent(ctx.version, name))];
  } else if (ptype === 'text') {
    // ical.js leaves `\;` escaped in single text values; unescape the text ourselves.
    values = (isMultiValued(ctx.version, name) ? splitEscaped(text, ',') : [text]).map((v) => unescapeText(v, { colon: true }));
  } else if (name === 'geo' && p.value !== 'text') {
    const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*[;,]\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(text);
    if (m) { ptype = 'uri'; values = [`geo:${m[1]},${m[2]}`]; }
    // ical.js reads anything but two numbers as 0;0: keep the text (a geo: URI with parameters, or words).
    else if (ptype === 'float') { ptype = /^geo:/i.test(text) ? 'uri' : 'unknown'; values = [text]; }
  } else if (DATE_PROPS.has(name) && DATE_FAMILY.has(ptype)) {
    const v = String(values[0] ?? '');
    if (DATE_LIKE.test(v)) ptype = dateShape(v);
    else { ptype = 'text'; values = [text]; }
  } else if (name === 'rev' && ptype === 'date-time') {
    ptype = 'timestamp';
  } else if (ptype === 'phone-number') {
    ptype = 'text';
  } else if (ptype === 'uri' && BINARY_PROPS.has(name)) {
    values = values.map(normalizeDataUri);
  }
  return prop(name, ptype, values, withTypes(p.params, p.types), line.group);
}

/** ical.js infers some properties' type from the value (BDAY, REV in 3.0), even over a VALUE parameter. */
function hasDetectType(design: DesignSet, name: string): boolean {
  return Object.hasOwn(design.property, name) && 'detectType' in design.property[name]!;
}

function isMultiValuedComponent(version: VCardVersion, name: string): boolean {
  return designFor(version, name).property[name]?.multiValue === ',';
}

type TextKind = 'raw' | 'structured' | 'multi' | 'text';

function kindOf(version: VCardVersion, name: string): TextKind {
  if (isStructured(version, name)) return 'structured';
  if (isMultiValued(version, name)) return 'multi';
  return 'text';
}

/**
 * vCard 2.1 text (and quoted-printable text in any version) → 3.0 escaped text: real line
 * breaks become `\n`; `;` is a separator only in structured values and `,` only in
 * multi-valued ones (and in 3.0/4.0 structured ones: 2.1 has no sub-values, and Android
 * writes `Hauptstr. 1, Hinterhaus` unescaped), otherwise both are literal; `\;` `\,` `\n` `\\` keep their meaning
 * and any other backslash is literal. Raw (non-text) values only get their line breaks
 * escaped, since ical.js keeps them verbatim.
 */
export function escape21As30(v: string, kind: TextKind, commaLiteralInStructured: boolean): string {
  if (kind === 'raw') return v.replace(/\r\n|\r|\n/g, '\\n');
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '\\') {
      const n = v[i + 1];
      if (n === ';' || n === ',' || n === '\\') { out += `\\${n}`; i++; }
      else if (n === 'n' || n === 'N') { out += '\\n'; i++; }
      else if (n === ':') { out += ':'; i++; }
      else out += '\\\\';
    } else if (c === '\r' || c === '\n') {
      out += '\\n';
      if (c === '\r' && v[i + 1] === '\n') i++;
    } else if (c === ';') out += kind === 'structured' ? ';' : '\\;';
    else if (c === ',') out += kind === 'multi' || (kind === 'structured' && !commaLiteralInStructured) ? ',' : '\\,';
    else out += c;
  }
  return out;
}

export function normalizeDataUri(v: PropValue): PropValue {
  if (typeof v !== 'string') return v;
  const m = /^data:([^,]*);base64,(.*)$/is.exec(v);
  return m ? `data:${m[1]};base64,${normalizeBase64(m[2])}` : v;
}
