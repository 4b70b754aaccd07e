import { assertNever } from '../core/errors.js';
import type { FieldRule, KeyKind } from '../model/field-rules.js';
import { ruleFor } from '../model/field-rules.js';
import type { Component, Property } from '../model/property.js';

/** Computes a set element's identity from its main property (src/normalize/keys.ts). */
export type Keyer = (kind: KeyKind, p: Property) => string;

/**
 * A component seen as fields: field name → element key → the properties of that element.
 * A scalar field has one element with key ''. A set element bundles a property with the
 * properties sharing its vCard group (Apple's `item1.TEL` + `item1.X-ABLabel`), so a
 * label travels with its phone number and groups can be renumbered freely.
 */
export type FieldMap = Map<string, Map<string, Property[]>>;

export interface SplitComponent {
  fields: FieldMap;
  /** Volatile properties (REV, DTSTAMP…), kept aside: never compared. */
  volatile: Property[];
}

function explodeValues(p: Property, rule: FieldRule): Property[] {
  if (rule.kind !== 'set' || !rule.explode || p.values.length <= 1) return [p];
  return p.values.map((v) => ({ ...p, values: [v] }));
}

function isAttachment(p: Property): boolean {
  return p.name.startsWith('x-');
}

/** Picks the main property of each group: the first that is not an X- property. */
function groupMains(props: Property[]): Map<string, Property> {
  const mains = new Map<string, Property>();
  for (const p of props) {
    if (!p.group) continue;
    const m = mains.get(p.group);
    if (!m || (isAttachment(m) && !isAttachment(p))) mains.set(p.group, p);
  }
  return mains;
}

export function splitComponent(c: Component, table: Record<string, FieldRule>, keyOf: Keyer): SplitComponent {
  const fields: FieldMap = new Map();
  const volatile: Property[] = [];
  const mains = groupMains(c.props);
  const attached = new Map<string, Property[]>();
  for (const p of c.props) {
    if (p.group && mains.get(p.group) !== p) {
      const list = attached.get(p.group) ?? [];
      list.push(p);
      attached.set(p.group, list);
    }
  }
  const add = (field: string, key: string, props: Property[]) => {
    let m = fields.get(field);
    if (!m) fields.set(field, (m = new Map()));
    const existing = m.get(key);
    if (existing) existing.push(...props);
    else m.set(key, props);
  };
  for (const p of c.props) {
    if (p.group && mains.get(p.group) !== p) continue;
    const rule = ruleFor(table, p.name);
    const extras = p.group ? attached.get(p.group) ?? [] : [];
    switch (rule.kind) {
      case 'volatile':
        volatile.push(p);
        break;
      case 'scalar':
        add(p.name, '', [stripGroup(p), ...extras.map(stripGroup)]);
        break;
      case 'set':
        for (const one of explodeValues(p, rule)) {
          add(p.name, keyOf(rule.key, one), [stripGroup(one), ...extras.map(stripGroup)]);
        }
        break;
      default:
        assertNever(rule, 'field rule');
    }
  }
  return { fields, volatile };
}

function stripGroup(p: Property): Property {
  if (p.group === undefined) return p;
  const { group: _group, ...rest } = p;
  return rest;
}

/**
 * Back to properties. Elements with more than one property get a fresh group `itemN`,
 * numbered in order, so groups never collide after a merge.
 */
export function joinFields(fields: FieldMap, volatile: Property[], order: string[], table: Record<string, FieldRule>): Property[] {
  const out: Property[] = [];
  let group = 0;
  const names = [...fields.keys()].sort((a, b) => rank(order, a) - rank(order, b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const elements = fields.get(name)!;
    const rule = ruleFor(table, name);
    if (rule.kind === 'set' && rule.explode) {
      out.push(...rejoinValues([...elements.values()].flat()));
      continue;
    }
    for (const props of elements.values()) {
      if (props.length > 1 && props.some(isAttachment) && !props.every((p) => p.name === props[0]!.name)) {
        group += 1;
        for (const p of props) out.push({ ...p, group: `item${group}` });
      } else {
        out.push(...props);
      }
    }
  }
  return [...out, ...volatile];
}

/** CATEGORIES:a and CATEGORIES:b with the same parameters become CATEGORIES:a,b again. */
function rejoinValues(props: Property[]): Property[] {
  const out: Property[] = [];
  for (const p of props) {
    const prev = out[out.length - 1];
    if (prev && !p.group && !prev.group && prev.type === p.type && sameParams(prev, p)) {
      out[out.length - 1] = { ...prev, values: [...prev.values, ...p.values] };
    } else out.push(p);
  }
  return out;
}

function sameParams(a: Property, b: Property): boolean {
  return JSON.stringify(sortedParams(a)) === JSON.stringify(sortedParams(b));
}

export function sortedParams(p: Property): Array<[string, string | string[]]> {
  return Object.keys(p.params)
    .sort()
    .map((k) => {
      const v = p.params[k]!;
      return [k, Array.isArray(v) ? [...v].sort() : v];
    });
}

function rank(order: string[], name: string): number {
  const i = order.indexOf(name);
  return i === -1 ? order.length : i;
}
