/**
 * What both CSV formats share in their capabilities: one row per person, so a group card is
 * a label (CATEGORIES) on its members' rows and never a row of its own; a row keeps values
 * and labels, not every parameter or group, so comparisons look at what comes back from a
 * written row; and the name and organisation columns (`holdsNameParts`). Each format says
 * what else it holds.
 */
import { NO_UID } from '../../core/types.js';
import type { FormatCapabilities } from '../../model/capabilities.js';
import { isGroupCard } from '../../model/group.js';
import type { ContactItem } from '../../model/item.js';
import type { Component, Property } from '../../model/property.js';
import type { DecodeResult } from '../types.js';
import { holdsNameParts } from './card.js';

export interface CsvCodec {
  decode(text: string): DecodeResult<ContactItem>;
  encode(items: ContactItem[]): string;
}

export function csvCapabilities(format: string, codec: CsvCodec, holdsOther: (p: Property, owner: Component) => boolean): FormatCapabilities {
  return {
    format,
    holdsCard: (c) => !isGroupCard(c),
    project: (c) => codec.decode(codec.encode([{ kind: 'contact', uid: NO_UID, card: c }])).items[0]?.card ?? c,
    holds: (p, owner) => holdsNameParts(p, owner) ?? holdsOther(p, owner),
  };
}
