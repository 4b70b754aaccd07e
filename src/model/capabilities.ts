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
