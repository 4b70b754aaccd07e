import type { Property, Component } from '../model/property.js';
import { sortedParams } from './elements.js';

/**
 * Comparable text of properties: parameter order, parameter value order and groups do not
 * matter (servers reorder them), values and value types do.
 */
export function propsKey(props: readonly Property[] | undefined): string {
  if (!props) return '';
  return JSON.stringify(props.map((p) => [p.name, p.type, sortedParams(p), p.values]).sort(cmpJson));
}

function cmpJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sameProps(a: readonly Property[] | undefined, b: readonly Property[] | undefined): boolean {
  if (!a || a.length === 0) return !b || b.length === 0;
  if (!b) return false;
  return propsKey(a) === propsKey(b);
}

/** Comparable text of a whole sub-component (a VALARM): its properties and children. */
export function componentKey(c: Component | undefined): string {
  if (!c) return '';
  return JSON.stringify([c.name, propsKey(c.props), c.components.map(componentKey).sort()]);
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
