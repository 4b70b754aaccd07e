import type { FieldRule } from '../model/field-rules.js';
import type { Component, Property } from '../model/property.js';
import { splitComponent, type Keyer } from './elements.js';
import { propsKey } from './equality.js';

/**
 * A component's field index (docs/performance.md, "Speed round 6"): its fields sorted by
 * name, each field's elements sorted by key, with each element's meaning computed once, so
 * a three-way merge walks three sorted lists and compares texts. The split itself is
 * `splitComponent`'s (one rule of what a field and an element are).
 */
export interface IndexedElement {
  key: string;
  /** The element's properties, as `splitComponent` made them (groups dropped). */
  props: Property[];
  /** Where the element came in its field (the merge keeps this order). */
  ord: number;
  /** `propsKey` of the properties (with the preference flag). */
  meaning: string;
}

export interface IndexedField {
  name: string;
  /** Where the field came in the component (the merge's decisions keep this order). */
  ord: number;
  /** Sorted by key. */
  elements: IndexedElement[];
}

export interface ComponentIndex {
  /** The component indexed (without its UID when built with `withoutUid`). */
  component: Component;
  /** Sorted by name. */
  fields: IndexedField[];
  volatile: Property[];
  /** First position of each property name in the component (the merged component is written in that order). */
  firstAt: Map<string, number>;
}

const byKey = (a: IndexedElement, b: IndexedElement) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const byName = (a: IndexedField, b: IndexedField) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Indexes a component; `withoutUid` leaves its UID out (a matched item keeps the store's). */
export function indexComponent(c: Component, table: Record<string, FieldRule>, keyOf: Keyer, withoutUid = false): ComponentIndex {
  const component = withoutUid && c.props.some((p) => p.name === 'uid') ? { ...c, props: c.props.filter((p) => p.name !== 'uid') } : c;
  const split = splitComponent(component, table, keyOf);
  const cmp = { table, keyOf };
  const fields: IndexedField[] = [];
  let ord = 0;
  for (const [name, em] of split.fields) {
    const keys = em.keys();
    const values = em.values();
    const elements: IndexedElement[] = [];
    for (let at = 0; at < keys.length; at += 1) elements.push({ key: keys[at]!, props: values[at]!, ord: at, meaning: propsKey(values[at], cmp) });
    if (elements.length > 1) elements.sort(byKey);
    fields.push({ name, ord, elements });
    ord += 1;
  }
  fields.sort(byName);
  const firstAt = new Map<string, number>();
  const props = component.props;
  for (let at = 0; at < props.length; at += 1) if (!firstAt.has(props[at]!.name)) firstAt.set(props[at]!.name, at);
  return { component, fields, volatile: split.volatile, firstAt };
}
