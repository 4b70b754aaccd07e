/**
 * jCal (RFC 7265, the shape ical.js parses to) ⇄ the canonical Property/Component, and
 * Component → unfolded content lines through ical.js's property writer.
 */
import ICAL from 'ical.js';
import { writeParams } from './params.js';
import type { Component, ParamValue, PeriodValue, Property, PropValue } from '../../model/property.js';

/** A jCal property: `[name, params, type, ...values]`. */
export type JCalProperty = [string, Record<string, unknown>, string, ...unknown[]];
/** A jCal component: `[name, properties, components]`. */
export type JCalComponent = [string, JCalProperty[], JCalComponent[]];

const DESIGN = ICAL.design.icalendar;

function isDuration(s: string): boolean {
  return /^[+-]?P/i.test(s);
}

function paramsFromJCal(params: Record<string, unknown>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(params)) {
    out[k.toLowerCase()] = Array.isArray(v) ? v.map(String) : String(v);
  }
  return out;
}

function valueFromJCal(type: string, v: unknown): PropValue {
  if (type === 'period' && Array.isArray(v)) {
    const [start, second] = v.map(String);
    return isDuration(second) ? { start, duration: second } : { start, end: second };
  }
  if (Array.isArray(v)) {
    // structured values (GEO, REQUEST-STATUS): the model holds their parts as text
    return v.map((part) => (Array.isArray(part) ? part.map(String) : String(part)));
  }
  if (v !== null && typeof v === 'object') {
    return { ...(v as Record<string, string | number | Array<string | number>>) };
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

export function propertyFromJCal(jp: JCalProperty): Property {
  const [name, params, type, ...values] = jp;
  return {
    name: name.toLowerCase(),
    params: paramsFromJCal(params),
    type,
    values: values.map((v) => valueFromJCal(type, v)),
  };
}

export function componentFromJCal(jc: JCalComponent): Component {
  return {
    name: jc[0].toLowerCase(),
    props: jc[1].map(propertyFromJCal),
    components: jc[2].map(componentFromJCal),
  };
}

function isPeriod(v: PropValue): v is PeriodValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as PeriodValue).start === 'string'
    && ('end' in v || 'duration' in v);
}

function valueToJCal(p: Property, v: PropValue): unknown {
  if (p.type === 'period' && isPeriod(v)) return [v.start, v.end ?? v.duration ?? ''];
  if (Array.isArray(v)) return v.map((x) => (Array.isArray(x) ? [...x] : x));
  if (typeof v === 'string' && p.type === 'unknown') {
    // A raw value cannot hold a line break; write it as the text escape instead of
    // breaking the line structure of the output.
    return v.replace(/\r\n|\r|\n/g, '\\n');
  }
  if (typeof v === 'object' && v !== null) return { ...v };
  return v;
}

function paramsToJCal(params: Record<string, ParamValue>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(params)) {
    const key = k.toLowerCase();
    const multi = (DESIGN.param as Record<string, { multiValue?: string }>)[key]?.multiValue;
    // ical.js only accepts lists for parameters its design declares multi-valued
    out[key] = Array.isArray(v) && !multi ? v.join(',') : Array.isArray(v) ? [...v] : v;
  }
  return out;
}

export function propertyToJCal(p: Property): JCalProperty {
  return [p.name, paramsToJCal(p.params), p.type, ...p.values.map((v) => valueToJCal(p, v))];
}

/** One property as one unfolded content line. */
export function propertyLine(p: Property): string {
  // parameters are written by writeParams (see params.ts); ical.js writes name, VALUE and value
  const [name, , ...rest] = propertyToJCal(p);
  const line = ICAL.stringify.property([name, {}, ...rest], DESIGN, true);
  return name.toUpperCase() + writeParams(p.params) + line.slice(name.length);
}

/** A component as unfolded content lines: BEGIN, properties, sub-components, END. */
export function componentLines(c: Component, out: string[] = []): string[] {
  const name = c.name.toUpperCase();
  out.push(`BEGIN:${name}`);
  for (const p of c.props) out.push(propertyLine(p));
  for (const sub of c.components) componentLines(sub, out);
  out.push(`END:${name}`);
  return out;
}
