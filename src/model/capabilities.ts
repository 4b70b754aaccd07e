import type { Item } from './item.js';
import type { Component, Property } from './property.js';

/**
 * What a format can hold. The sync engine asks this before reading an absent property as
 * a deletion: a Google CSV has no PHOTO, so a contact read from it without a photo says
 * nothing about the photo.
 */
export interface FormatCapabilities {
  /** A short name for messages (`google-csv`, `vcard-2.1`). */
  readonly format: string;
  /** Whether a property (in the component that owns it) survives a write and read back. */
  holds(p: Property, owner: Component): boolean;
  /**
   * The component as this format stores it (written and read back), for formats that keep
   * a property but not all of its parameters or groups (CSV labels, vCard 2.1). Comparisons
   * and merges look at this, so what the format drops is never taken for an edit.
   */
  project?(c: Component): Component;
  /**
   * Whether the format can hold this card at all; absent means every card. A CSV or a
   * vCard 2.1 file has no place for a group card: such a card is never written there, and
   * its absence there is never read as a deletion (it never had a link there).
   */
  holdsCard?(c: Component): boolean;
}

/** A component as a format holds it: projected where the format says how, then only the properties it holds. */
export function heldPart(c: Component, caps: FormatCapabilities): Component {
  const pc = caps.project ? caps.project(c) : c;
  return { ...pc, props: pc.props.filter((p) => caps.holds(p, pc)) };
}

export const FULL_CAPABILITIES: FormatCapabilities = {
  format: 'full',
  holds: () => true,
};

/** Capabilities for formats that hold a fixed list of property names. */
export function capabilitiesOf(format: string, names: Iterable<string>): FormatCapabilities {
  const held = new Set(names);
  return { format, holds: (p) => held.has(p.name) };
}

/** Whether a format can hold an item at all (see `holdsCard`). */
export function holdsItem(caps: FormatCapabilities, item: Item): boolean {
  return item.kind !== 'contact' || !caps.holdsCard || caps.holdsCard(item.card);
}
