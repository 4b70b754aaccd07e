import type { FieldPath } from '../core/store.js';
import { ICAL_RULES, SUBCOMPONENT_KEYS, VCARD_RULES } from '../model/field-rules.js';
import type { Item } from '../model/item.js';
import type { Component, Property } from '../model/property.js';
import { ElementMap } from './element-map.js';
import { firstPosition, joinFields, splitComponent, type Keyer } from './elements.js';
import { subItems } from './merge-item.js';
import { subKey } from './merge-component.js';

/**
 * Puts one field element of an item back to a logged value (`pimhub resolve`): `raw` is the
 * properties (or the sub-component) recorded in the merge log, null for "absent".
 */
export function applyFieldValue(item: Item, path: FieldPath, raw: unknown, keyOf: Keyer): Item {
  if (item.kind === 'contact') {
    return { ...item, card: setInComponent(item.card, path, raw, keyOf, VCARD_RULES) };
  }
  const subs = subItems(item);
  const target = subs.get(path.component);
  if (!target) return item;
  const changed = setInComponent(target, path, raw, keyOf, ICAL_RULES);
  if (path.component === 'master') return { ...item, master: changed };
  return { ...item, overrides: item.overrides.map((o) => (o === target ? changed : o)) };
}

function setInComponent(c: Component, path: FieldPath, raw: unknown, keyOf: Keyer, table: typeof VCARD_RULES): Component {
  if (SUBCOMPONENT_KEYS[path.field] || (raw && !Array.isArray(raw))) {
    const others = c.components.filter((s) => subKey(s, { table, keyOf }) !== path.element);
    return { ...c, components: raw ? [...others, raw as Component] : others };
  }
  const { fields, volatile } = splitComponent(c, table, keyOf);
  const elements = fields.get(path.field) ?? new ElementMap();
  if (raw && Array.isArray(raw) && raw.length > 0) elements.set(path.element, raw as Property[]);
  else elements.delete(path.element);
  fields.set(path.field, elements);
  return { ...c, props: joinFields(fields, volatile, (name) => firstPosition(name, c.props), table) };
}
