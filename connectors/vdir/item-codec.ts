import { decodeICalendar, encodeCalendarItem, ICALENDAR_CAPABILITIES } from '../../src/codecs/icalendar/index.js';
import type { DecodeResult } from '../../src/codecs/types.js';
import { decodeVCards, encodeVCard, VCARD_CAPABILITIES, type VCardVersion } from '../../src/codecs/vcard/index.js';
import type { CollectionKind } from '../../src/core/types.js';
import type { FormatCapabilities } from '../../src/model/capabilities.js';
import type { Item } from '../../src/model/item.js';

/** How one item is one file: a vCard, or a VCALENDAR holding one UID's components. */
export interface ItemCodec {
  extension: string;
  capabilities: FormatCapabilities;
  decode(bytes: Uint8Array): DecodeResult;
  /** undefined when the item is of the other kind. */
  encode(item: Item): string | undefined;
}

export function itemCodec(kind: CollectionKind, vcardVersion: VCardVersion): ItemCodec {
  switch (kind) {
    case 'contacts':
      return {
        extension: '.vcf',
        capabilities: VCARD_CAPABILITIES[vcardVersion],
        decode: decodeVCards,
        encode: (item) => (item.kind === 'contact' ? encodeVCard(item, vcardVersion) : undefined),
      };
    case 'calendar':
      return {
        extension: '.ics',
        capabilities: ICALENDAR_CAPABILITIES,
        decode: decodeICalendar,
        encode: (item) => (item.kind === 'calendar' ? encodeCalendarItem(item) : undefined),
      };
  }
}
