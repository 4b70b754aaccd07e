import { encodeCalendarItemLike } from '../../src/codecs/icalendar/encode-like.js';
import { decodeICalendar, ICALENDAR_CAPABILITIES } from '../../src/codecs/icalendar/index.js';
import type { DecodeResult } from '../../src/codecs/types.js';
import { encodeVCardLike } from '../../src/codecs/vcard/encode-like.js';
import { decodeVCards, VCARD_CAPABILITIES, type VCardVersion } from '../../src/codecs/vcard/index.js';
import type { CollectionKind } from '../../src/core/types.js';
import type { FormatCapabilities } from '../../src/model/capabilities.js';
import type { Item } from '../../src/model/item.js';
import { assertNever } from '../../src/core/errors.js';

/**
 * How one item is one file or one resource (vdir, CardDAV/CalDAV): a vCard, or a VCALENDAR
 * holding one UID's components; its extension and media type.
 */
export interface ItemCodec {
  extension: '.vcf' | '.ics';
  contentType: string;
  capabilities: FormatCapabilities;
  decode(input: string | Uint8Array): DecodeResult;
  /**
   * undefined when the item is of the other kind. `previous` is the file's text before the
   * write: unchanged properties keep its lines (the form whoever wrote the file chose).
   */
  encode(item: Item, previous?: string): string | undefined;
}

export function itemCodec(kind: CollectionKind, vcardVersion: VCardVersion): ItemCodec {
  switch (kind) {
    case 'contacts':
      return {
        extension: '.vcf',
        contentType: 'text/vcard; charset=utf-8',
        capabilities: VCARD_CAPABILITIES[vcardVersion],
        decode: (input) => decodeVCards(input),
        encode: (item, previous) => (item.kind === 'contact' ? encodeVCardLike(item, vcardVersion, previous) : undefined),
      };
    case 'calendar':
      return {
        extension: '.ics',
        contentType: 'text/calendar; charset=utf-8',
        capabilities: ICALENDAR_CAPABILITIES,
        decode: (input) => decodeICalendar(input),
        encode: (item, previous) => (item.kind === 'calendar' ? encodeCalendarItemLike(item, previous) : undefined),
      };
    default:
      return assertNever(kind, 'collection kind');
  }
}
