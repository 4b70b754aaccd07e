/**
 * A card as a vCard version (or Android's export of it) stores it, computed on the model:
 * which properties the version writes, which parameters and values it can carry, and what
 * reading it back makes of them. The sync engine compares and merges these projections, so
 * what a format drops is never taken for an edit (src/model/capabilities.ts). The rules are
 * those of the encoder (encode-property.ts, encode-value.ts) and the decoder
 * (decode-property.ts) taken together; test/codecs/vcard-projection.test.ts checks them
 * against an actual write and read.
 */
import { paramList, type Component, type ParamValue, type Property, type PropValue } from '../../model/property.js';
import { normalizeBase64 } from './bytes.js';
import { readAndroidRows, writeAndroidRows } from './android-custom.js';
import { appleGroupForm, readAppleGroup } from './apple-group.js';
import {
  BINARY_PROPS, DATE_FAMILY, DATE_LIKE, DATE_PROPS, type VCardVersion, dateShape, designFor, isMultiValued, isStructured, isTextType,
} from './design.js';
import { normalizeDataUri } from './decode-property.js';
import { v21ParamValue } from '../content-line/params.js';
import { DATA_URI } from './encode-property.js';
import { VCARD_ANDROID_HOLDS, VCARD_HOLDS } from './holds.js';
import { mediaTypeOf, typeParamOf } from './media-type.js';

/** Parameters the decoder reads as instructions (how to decode), not as parameters of the property. */
const CONSUMED = new Set(['type', 'encoding', 'charset', 'value']);
const PARAM_NAME = /^[A-Za-z0-9_-]+$/;

const lineBreaksAsLf = (s: string): string => s.replace(/\r\n|\r/g, '\n');

/** The card as `version` stores it; unchanged when the version cannot write it so that it reads back at all. */
export function projectCard(c: Component, version: VCardVersion, android: boolean): Component {
  const holds = (android ? VCARD_ANDROID_HOLDS : VCARD_HOLDS)[version];
  const props: Property[] = [];
  for (const p of android ? writeAndroidRows(c.props, version) : c.props) {
    if (p.name === 'version' || !holds(p, c)) continue;
    const q = projectProperty(appleGroupForm(p, version), version);
    // A card with a line no reader takes apart is not one the format holds: nothing to compare.
    if (q === undefined) return c;
    if (q !== null) props.push(q);
  }
  return { name: 'vcard', props: readAppleGroup(readAndroidRows(props)), components: [] };
}

/**
 * A parameter value as it reads back. 3.0 and 4.0 carry any text (RFC 6868 caret escapes;
 * line breaks come back as LF); 2.1 carries what `v21ParamValue` makes of it.
 */
function readParam(version: VCardVersion, v: string): string {
  return version === '2.1' ? v21ParamValue(v) : lineBreaksAsLf(v);
}

/**
 * Values 2.1 and 3.0 write but do not read back as written (ical.js's vCard 3 parser): a
 * time without a date (`T10:00` comes back `T10::00`). The format does not hold it: what
 * the store has is kept, and what such a member sends back is never taken for an edit.
 */
function heldValue(p: Property, version: VCardVersion): boolean {
  return version === '4.0' || p.type !== 'time';
}

/** One property as the version stores it; null when it does not hold it, undefined when its line would not read back. */
function projectProperty(p: Property, version: VCardVersion): Property | null | undefined {
  if (!PARAM_NAME.test(p.name) || (p.group !== undefined && !PARAM_NAME.test(p.group))) return undefined;
  if (!heldValue(p, version)) return null;
  let types = paramList(p, 'type');
  let data: RegExpExecArray | null = null;
  const first = p.values[0];
  if (version !== '4.0' && p.type === 'uri' && typeof first === 'string' && p.values.length === 1 && BINARY_PROPS.has(p.name)) {
    data = DATA_URI.exec(first);
    const media = data ? typeParamOf(p.name, data[1]!) : undefined;
    if (media) types = [media, ...types];
  }
  const rest: Array<[string, string]> = [];
  for (const [name, v] of Object.entries(p.params)) {
    if (name === 'type') continue;
    if (!PARAM_NAME.test(name) || CONSUMED.has(name.toLowerCase())) return undefined;
    if (name === 'pref' && v === '1' && version !== '4.0') {
      types = [...types, 'pref'];
      continue;
    }
    for (const one of Array.isArray(v) ? v : [v]) {
      const read = readParam(version, one);
      // Names are written upper-case and read lower-case (`ß` comes back `ss`).
      rest.push([name.toUpperCase().toLowerCase(), read]);
    }
  }
  // Types are written upper-case before 4.0, read lower-case, split at commas, each once; PREF is a parameter.
  const written = types.map((t) => readParam(version, version === '4.0' ? t : t.toUpperCase()));
  const read = written
    .flatMap((t) => t.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
  const unique = [...new Set(read)];
  let outTypes = unique.filter((t) => t !== 'pref');
  const params: Record<string, ParamValue> = {};
  for (const [name, v] of rest) {
    const prev = params[name];
    params[name] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  if (unique.includes('pref') && params.pref === undefined) params.pref = '1';

  let type = p.type;
  let values: PropValue[];
  if (data) {
    const [media, ...others] = outTypes;
    outTypes = others;
    values = [`data:${mediaTypeOf(p.name, media)};base64,${normalizeBase64(data[2]!)}`];
  } else {
    values = projectValues(p, version);
    if (type === 'uri' && BINARY_PROPS.has(p.name)) values = values.map(normalizeDataUri);
    ({ type, values } = typeAsRead(p.name, type, values));
  }
  const out: Property = { name: p.name, params: outTypes.length > 0 ? { type: outTypes, ...params } : params, type, values };
  if (p.group !== undefined) out.group = p.group.toLowerCase();
  return out;
}

/** The values as read back: line breaks as LF, separators a property has no place for taken as text. */
function projectValues(p: Property, version: VCardVersion): PropValue[] {
  if (!isTextType(p.type)) {
    // Raw values cannot hold a line break: the writer puts `\n` there, which reads back as
    // those two characters. Several values are written joined by `,`, which only a
    // property with a list value splits again.
    const raw = p.values.map((v) => (typeof v === 'string' ? v.replace(/\r\n|\r|\n/g, '\\n') : v));
    if (raw.length <= 1) return raw;
    const joined = raw.map(String).join(',');
    return designFor(version, p.name).property[p.name]?.multiValue === ',' ? joined.split(',') : [joined];
  }
  if (isStructured(version, p.name)) return [projectStructured(p, version)];
  if (isMultiValued(version, p.name)) return p.values.map((v) => (typeof v === 'string' ? lineBreaksAsLf(v) : v));
  return p.values.length > 1 ? [p.values.map(String).map(lineBreaksAsLf).join(',')] : p.values.map((v) => (typeof v === 'string' ? lineBreaksAsLf(v) : v));
}

/**
 * A structured value as read back: always one value, its components split at `;`. Several
 * values are written one after the other with `,`, so the last component of one and the
 * first of the next become sub-values of one component; sub-values survive only where the
 * version's property has them (3.0/4.0 N, ADR…), elsewhere they are one text joined by `,`.
 */
function projectStructured(p: Property, version: VCardVersion): Array<string | string[]> {
  const subValues = version !== '2.1' && designFor(version, p.name).property[p.name]?.multiValue === ',';
  const components: string[][] = [];
  p.values.forEach((v, i) => {
    const comps = (Array.isArray(v) ? v : [String(v)]).map((c) => (Array.isArray(c) ? (c.length > 0 ? c : ['']) : [c]).map(lineBreaksAsLf));
    if (comps.length === 0) comps.push([]);
    if (i > 0) components[components.length - 1]!.push(...comps.shift()!);
    components.push(...comps);
  });
  return components.map((parts) => {
    if (!subValues || parts.length <= 1) return parts.join(',');
    return parts;
  });
}

/** The value type the reader gives what was written: a date family member by its shape, REV a timestamp. */
function typeAsRead(name: string, type: string, values: PropValue[]): { type: string; values: PropValue[] } {
  if (DATE_PROPS.has(name) && DATE_FAMILY.has(type)) {
    const v = String(values[0] ?? '');
    return DATE_LIKE.test(v) ? { type: dateShape(v), values } : { type: 'text', values: [v] };
  }
  if (name === 'rev' && type === 'date-time') return { type: 'timestamp', values };
  if (type === 'phone-number') return { type: 'text', values };
  return { type, values };
}
