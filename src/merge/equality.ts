import { ruleFor, type FieldRule } from '../model/field-rules.js';
import type { Property, Component } from '../model/property.js';
import { meaningText } from '../normalize/meaning.js';
import type { Keyer } from './elements.js';

/** How properties are compared: the field rules of the item's format and the value keys. */
export interface Comparison {
  table: Record<string, FieldRule>;
  keyOf: Keyer;
}

/**
 * Comparable text of properties: what they mean (src/normalize/meaning.ts), so values that
 * differ only in form (phone formatting, parameter order and case, `pref` spelling) are
 * equal; groups do not matter (servers renumber them).
 */
export function propsKey(props: readonly Property[] | undefined, cmp: Comparison, withPref = true): string {
  if (!props || props.length === 0) return '';
  if (props.length === 1) return meaningText(props[0]!, ruleFor(cmp.table, props[0]!.name), cmp.keyOf, withPref);
  // Meaning texts are JSON, which never holds a raw line feed: joined by one, the order-free text of the list.
  return props.map((p) => meaningText(p, ruleFor(cmp.table, p.name), cmp.keyOf, withPref)).sort().join('\n');
}

/** Two values that differ at most in their preference flag (SPEC §4: `pref` is no conflict). */
export function samePrefAside(a: readonly Property[] | undefined, b: readonly Property[] | undefined, cmp: Comparison): boolean {
  return !!a && !!b && a.length > 0 && b.length > 0 && propsKey(a, cmp, false) === propsKey(b, cmp, false);
}

export function sameProps(a: readonly Property[] | undefined, b: readonly Property[] | undefined, cmp: Comparison): boolean {
  if (!a || a.length === 0) return !b || b.length === 0;
  if (!b) return false;
  // Most fields of most merges are the same on every side, in the same form: properties
  // equal as data mean the same, and comparing data costs a fraction of their meaning texts.
  if (a === b || sameForm(a, b)) return true;
  return propsKey(a, cmp) === propsKey(b, cmp);
}

/** Comparable text of a whole sub-component (a VALARM): its properties and children. */
export function componentKey(c: Component | undefined, cmp: Comparison): string {
  if (!c) return '';
  return JSON.stringify([c.name, propsKey(c.props, cmp), c.components.map((s) => componentKey(s, cmp)).sort()]);
}

/** How a person reads a field's value, for the merge log: values, then TYPE/PREF when present. */
export function displayValue(props: readonly Property[] | undefined): string | null {
  if (!props || props.length === 0) return null;
  return props.map(displayProp).join(' | ');
}

function displayProp(p: Property): string {
  const value = p.values
    .map((v) => (typeof v === 'string' ? v : Array.isArray(v) ? v.map((x) => (Array.isArray(x) ? x.join(',') : x)).join(';') : JSON.stringify(v)))
    .join(',');
  const type = p.params.type;
  const tags = [...(type === undefined ? [] : Array.isArray(type) ? type : [type]), ...(p.params.pref !== undefined ? [`pref=${String(p.params.pref)}`] : [])];
  return tags.length > 0 ? `${value} (${tags.join(',')})` : value;
}

/**
 * Whether two property lists are the same data, in the same order. A cheap test that
 * implies equal meaning (never the reverse): a plain walk over the JSON-like shapes of
 * src/model/property.ts, several times faster than util.isDeepStrictEqual here.
 */
export function sameForm(a: readonly Property[], b: readonly Property[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x.name !== y.name || x.group !== y.group || x.type !== y.type || !sameData(x.params, y.params) || !sameData(x.values, y.values)) return false;
  }
  return true;
}

function sameData(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i += 1) if (!sameData(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(y)) return false;
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  let n = 0;
  for (const k in xo) {
    if (!Object.hasOwn(yo, k) || !sameData(xo[k], yo[k])) return false;
    n += 1;
  }
  for (const k in yo) if (Object.hasOwn(yo, k)) n -= 1;
  return n === 0;
}
