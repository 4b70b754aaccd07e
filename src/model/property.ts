/**
 * The canonical property: the jCard/jCal shape (RFC 7095, RFC 7265) that ical.js speaks,
 * with the vCard group lifted out of the parameters. Nothing is dropped: unknown and X-
 * properties keep their raw text value (type `unknown`) and all their parameters.
 */
export type ParamValue = string | string[];

/** A single value: text, number, boolean, or a structured value (N, ADR, GEO, REQUEST-STATUS). */
export type PropValue = string | number | boolean | StructuredValue | PeriodValue | RecurValue;
export type StructuredValue = Array<string | string[]>;
export interface PeriodValue { start: string; end?: string; duration?: string }
export type RecurValue = { [part: string]: string | number | Array<string | number> };

export interface Property {
  /** Lower-case property name (`tel`, `x-ablabel`, `dtstart`). */
  name: string;
  /** vCard group (`item1` in `item1.TEL`), lower-case; absent when ungrouped. */
  group?: string;
  /** Lower-case parameter names; values as parsed (TYPE values lower-cased by the codecs). */
  params: Record<string, ParamValue>;
  /** Value type (`text`, `uri`, `date`, `date-time`, `unknown`, …). */
  type: string;
  /** One entry per value (several for multi-valued properties like CATEGORIES). */
  values: PropValue[];
}

/** A component: VCARD, VEVENT, VTODO, VJOURNAL, VALARM, VTIMEZONE, STANDARD, DAYLIGHT… */
export interface Component {
  /** Lower-case component name (`vcard`, `vevent`, `valarm`). */
  name: string;
  props: Property[];
  components: Component[];
}

export function prop(
  name: string,
  type: string,
  values: PropValue[],
  params: Record<string, ParamValue> = {},
  group?: string,
): Property {
  const p: Property = { name: name.toLowerCase(), params, type, values };
  if (group) p.group = group.toLowerCase();
  return p;
}

export function findProp(c: Component, name: string): Property | undefined {
  return c.props.find((p) => p.name === name);
}

export function findProps(c: Component, name: string): Property[] {
  return c.props.filter((p) => p.name === name);
}

/** First value of a property as text ('' when absent). */
export function textOf(c: Component, name: string): string {
  const p = findProp(c, name);
  if (!p || p.values.length === 0) return '';
  const v = p.values[0];
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Parameter as a list (TYPE=work,voice and TYPE=work;TYPE=voice are the same thing). */
export function paramList(p: Property, name: string): string[] {
  const v = p.params[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** JSON with object keys sorted, so parameter order does not count. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * The same property exactly: name, group, parameters (in any order; values in order),
 * value type and values. Two content lines that decode to the same property say the same
 * thing, so either may be written for it (how a member's own form is kept).
 */
export function sameProperty(a: Property, b: Property): boolean {
  return a.name === b.name && (a.group ?? '') === (b.group ?? '') && a.type === b.type
    && stableJson(a.params) === stableJson(b.params) && stableJson(a.values) === stableJson(b.values);
}
