import { assertNever } from '../core/errors.js';
import type { FieldRule, KeyKind } from '../model/field-rules.js';
import { ruleMap, UNLISTED } from '../model/field-rules.js';
import type { Component, Property } from '../model/property.js';
import { ElementMap } from './element-map.js';

/** Computes a set element's identity from its main property (src/normalize/keys.ts). */
export type Keyer = (kind: KeyKind, p: Property) => string;

/**
 * A component seen as fields: field name → element key → the properties of that element.
 * A scalar field has one element with key ''. A set element bundles a property with the
 * properties sharing its vCard group (Apple's `item1.TEL` + `item1.X-ABLabel`), so a
 * label travels with its phone number and groups can be renumbered freely.
 */
export type FieldMap = Map<string, ElementMap>;

export interface SplitComponent {
  fields: FieldMap;
  /** Volatile properties (REV, DTSTAMP…), kept aside: never compared. */
  volatile: Property[];
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

/** The grouped properties that are not their group's main one, per group. */
function attachments(props: Property[], mains: Map<string, Property>): Map<string, Property[]> {
  const attached = new Map<string, Property[]>();
  for (const p of props) {
    if (p.group && mains.get(p.group) !== p) {
      const list = attached.get(p.group);
      if (list) list.push(p);
      else attached.set(p.group, [p]);
    }
  }
  return attached;
}

export function splitComponent(c: Component, table: Record<string, FieldRule>, keyOf: Keyer): SplitComponent {
  const fields: FieldMap = new Map();
  const volatile: Property[] = [];
  const rules = ruleMap(table);
  const props = c.props;
  // Most cards have no groups: the maps of group mains and attachments are built only when one has.
  let mains: Map<string, Property> | undefined;
  let attached: Map<string, Property[]> | undefined;
  for (const p of props) {
    if (p.group) {
      mains = groupMains(props);
      attached = attachments(props, mains);
      break;
    }
  }
  for (const p of props) {
    let extras: Property[] | undefined;
    if (p.group) {
      if (mains!.get(p.group) !== p) continue;
      extras = attached!.get(p.group);
    }
    const rule = rules.get(p.name) ?? UNLISTED;
    switch (rule.kind) {
      case 'volatile':
        volatile.push(p);
        break;
      case 'scalar':
        add(fields, p.name, '', element(p, extras));
        break;
      case 'set':
        if (!rule.explode || p.values.length <= 1) add(fields, p.name, keyOf(rule.key, p), element(p, extras));
        else {
          for (const v of p.values) {
            const one = { ...p, values: [v] };
            add(fields, p.name, keyOf(rule.key, one), element(one, extras));
          }
        }
        break;
      default:
        assertNever(rule, 'field rule');
    }
  }
  return { fields, volatile };
}

/** An element's properties: the main one and its group's attachments, groups dropped. */
function element(p: Property, extras: Property[] | undefined): Property[] {
  const out = [stripGroup(p)];
  if (extras) for (const x of extras) out.push(stripGroup(x));
  return out;
}

function add(fields: FieldMap, field: string, key: string, props: Property[]): void {
  const m = fields.get(field);
  if (!m) {
    fields.set(field, new ElementMap(key, props));
    return;
  }
  const existing = m.get(key);
  if (existing) for (const p of props) existing.push(p);
  else m.set(key, props);
}

function stripGroup(p: Property): Property {
  if (p.group === undefined) return p;
  const { group: _group, ...rest } = p;
  return rest;
}

/** Where a property name first appears in `first` and then `second` read after it; undefined if in neither. */
export function firstPosition(name: string, first: readonly Property[], second: readonly Property[] = []): number | undefined {
  for (let at = 0; at < first.length; at += 1) if (first[at]!.name === name) return at;
  for (let at = 0; at < second.length; at += 1) if (second[at]!.name === name) return first.length + at;
  return undefined;
}

/** A field name's place in the merged component; undefined for names to write last. */
export type FieldRank = (name: string) => number | undefined;

/**
 * Back to properties. Elements with more than one property get a fresh group `itemN`,
 * numbered in order, so groups never collide after a merge. Fields are written in the
 * order `rank` gives their names (names without one last), ties by name.
 */
export function joinFields(fields: FieldMap, volatile: Property[], rank: FieldRank, table: Record<string, FieldRule>): Property[] {
  const unranked = Number.MAX_SAFE_INTEGER;
  // A component has a dozen fields or so: an insertion sort of two parallel arrays, without
  // an object per name or the work array Array.prototype.sort allocates.
  const names: string[] = [];
  const ranks: number[] = [];
  for (const name of fields.keys()) {
    const r = rank(name) ?? unranked;
    let at = names.length;
    names.push(name);
    ranks.push(r);
    while (at > 0 && (ranks[at - 1]! > r || (ranks[at - 1] === r && names[at - 1]! > name))) {
      names[at] = names[at - 1]!;
      ranks[at] = ranks[at - 1]!;
      at -= 1;
    }
    names[at] = name;
    ranks[at] = r;
  }
  const out: Property[] = [];
  let group = 0;
  const rules = ruleMap(table);
  for (const name of names) {
    const elements = fields.get(name)!;
    const rule = rules.get(name) ?? UNLISTED;
    if (rule.kind === 'set' && rule.explode) {
      out.push(...rejoinValues(elements.values().flat()));
      continue;
    }
    for (const props of elements.values()) {
      if (props.length > 1 && props.some(isAttachment) && !props.every((p) => p.name === props[0]!.name)) {
        group += 1;
        for (const p of props) out.push({ ...p, group: `item${group}` });
      } else {
        for (const p of props) out.push(p);
      }
    }
  }
  for (const p of volatile) out.push(p);
  return out;
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
