/**
 * ical.js's vCard design sets, and the per-property value-type rules that make the
 * canonical form the same whichever version a card came in. The decoder and the
 * encoders both ask `designFor` and `canonicalDefaultType`, so a type the encoder leaves
 * implicit is exactly the type the decoder infers.
 */
import ICAL from 'ical.js';

export type VCardVersion = '2.1' | '3.0' | '4.0';

export interface PropDesign {
  defaultType: string;
  structuredValue?: string;
  multiValue?: string;
  allowedTypes?: string[];
}

export interface DesignSet {
  property: Record<string, PropDesign>;
  value: Record<string, { toICAL?: (v: string) => string }>;
  param: Record<string, unknown>;
  propertyGroups: boolean;
}

const designs = ICAL.design as unknown as { vcard: DesignSet; vcard3: DesignSet };

/** vCard 4.0 as ical.js defines it. */
export const V4: DesignSet = designs.vcard;

/**
 * vCard 3.0 as ical.js defines it, except NOTE: ical.js marks it multi-valued (`,`), which
 * would split `NOTE:a,b` into two values; RFC 2426 NOTE is one text value.
 */
export const V3: DesignSet = {
  ...designs.vcard3,
  property: { ...designs.vcard3.property, note: { defaultType: 'text' } },
};

/**
 * The design set a property is parsed and written with: the version's own, or the other
 * one when only that one knows the property (KIND or MEMBER in a 3.0 card, LABEL or
 * MAILER in a 4.0 card), so such properties keep their value type across versions.
 */
export function designFor(version: VCardVersion, name: string): DesignSet {
  const [own, other] = version === '4.0' ? [V4, V3] : [V3, V4];
  if (Object.hasOwn(own.property, name)) return own;
  if (Object.hasOwn(other.property, name)) return other;
  return own;
}

export function propDesign(version: VCardVersion, name: string): PropDesign | undefined {
  const d = designFor(version, name);
  return Object.hasOwn(d.property, name) ? d.property[name] : undefined;
}

/** Properties whose value is a date, a date-time, a time (or text). */
export const DATE_PROPS = new Set(['bday', 'anniversary', 'deathdate']);
/** The value types of the date family, which a reader gives by the value's shape (`dateShape`). */
export const DATE_FAMILY: ReadonlySet<string> = new Set(['date', 'date-time', 'time', 'date-and-or-time']);
/** A value that looks like a date, a date-time or a time (else a date property's value is text). */
export const DATE_LIKE = /^(?:\d{4}|--|T\d)/;
/** Properties that carry inline binaries in 2.1/3.0 (`ENCODING=b`). */
export const BINARY_PROPS = new Set(['photo', 'logo', 'sound', 'key']);
/** Structured (`;`-separated) properties. */
export function isStructured(version: VCardVersion, name: string): boolean {
  return propDesign(version, name)?.structuredValue === ';' && name !== 'geo';
}
export function isMultiValued(version: VCardVersion, name: string): boolean {
  return propDesign(version, name)?.multiValue === ',' && !isStructured(version, name);
}

/**
 * The canonical value type a property has when its version's text gives no VALUE.
 * `date-and-or-time` stands for the date/date-time/time family; concrete canonical
 * values use `date`, `date-time` or `time`.
 */
export function canonicalDefaultType(version: VCardVersion, name: string): string {
  if (name === 'tel') return 'text'; // RFC 6350 §6.4.1: free-form text unless VALUE=uri
  if (name === 'rev') return 'timestamp';
  if (name === 'geo') return 'uri';
  const t = propDesign(version, name)?.defaultType ?? 'unknown';
  if (DATE_PROPS.has(name) && (t === 'date-time' || t === 'date-and-or-time')) return 'date-and-or-time';
  if (t === 'binary') return 'uri';
  if (t === 'phone-number') return 'text';
  return t;
}

/** Concrete type of a date-family value in jCard form (`1980-02-29`, `T10:30`, `--02-29T10`). */
export function dateShape(value: string): 'date' | 'date-time' | 'time' {
  if (value.startsWith('T')) return 'time';
  return value.includes('T') ? 'date-time' : 'date';
}

/** Whether an encoder must write VALUE= for this canonical type in this version. */
export function needsValueParam(version: VCardVersion, name: string, type: string): boolean {
  const d = canonicalDefaultType(version, name);
  if (d === 'date-and-or-time') {
    return version === '4.0' ? !['date', 'date-time', 'time'].includes(type) : !['date', 'date-time'].includes(type);
  }
  return type !== d;
}

/** Value types whose text is escaped (RFC 6350 §3.4) rather than written raw. */
export function isTextType(type: string): boolean {
  return type === 'text' || type === 'phone-number' || type === 'vcard';
}
