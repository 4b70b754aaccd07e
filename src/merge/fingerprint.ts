import { assertNever } from '../core/errors.js';
import { heldPart, type FormatCapabilities } from '../model/capabilities.js';
import { ICAL_RULES, VCARD_RULES, type FieldRule } from '../model/field-rules.js';
import type { Item } from '../model/item.js';
import type { Component } from '../model/property.js';
import { splitComponent, type Keyer } from './elements.js';
import { propsKey } from './equality.js';

/**
 * Comparable text of an item: volatile properties (PRODID, REV, DTSTAMP…) left out, group
 * names and property/parameter order ignored, and when `caps` is given only what that
 * format can hold. Never hash raw bytes: servers rewrite all of the above.
 */
export function itemFingerprint(item: Item, keyOf: Keyer, caps?: FormatCapabilities): string {
  switch (item.kind) {
    case 'contact':
      return componentFingerprint(restrict(item.card, caps), VCARD_RULES, keyOf);
    case 'calendar':
      return JSON.stringify([
        item.master ? componentFingerprint(restrict(item.master, caps), ICAL_RULES, keyOf) : null,
        item.overrides.map((o) => componentFingerprint(restrict(o, caps), ICAL_RULES, keyOf)).sort(),
      ]);
    default:
      return assertNever(item, 'item kind');
  }
}

export function componentFingerprint(c: Component, table: Record<string, FieldRule>, keyOf: Keyer): string {
  const { fields } = splitComponent(c, table, keyOf);
  const parts = [...fields.entries()]
    .map(([name, elements]) => [name, elements.keys().map((k, at) => [k, propsKey(elements.values()[at], { table, keyOf })]).sort()] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify([c.name, parts, c.components.map((s) => componentFingerprint(s, table, keyOf)).sort()]);
}

/** The component as a format with these capabilities would hold it. */
export function restrict(c: Component, caps?: FormatCapabilities): Component {
  return caps ? heldPart(c, caps) : c;
}
