import { createHash } from 'node:crypto';
import { decodeICalendar, encodeCalendarItem, ICALENDAR_CAPABILITIES } from '../../src/codecs/icalendar/index.js';
import type { DecodeResult } from '../../src/codecs/types.js';
import { decodeVCards, encodeVCard, VCARD_CAPABILITIES, type VCardVersion } from '../../src/codecs/vcard/index.js';
import type { CollectionKind } from '../../src/core/types.js';
import type { FormatCapabilities } from '../../src/model/capabilities.js';
import type { Item } from '../../src/model/item.js';

/** How items of one collection travel: media type, file extension, codec. */
export interface ItemFormat {
  extension: '.vcf' | '.ics';
  contentType: string;
  capabilities: FormatCapabilities;
  decode(text: string): DecodeResult;
  /** undefined when the item is of the other kind. */
  encode(item: Item): string | undefined;
  /** The multiget REPORT body for these hrefs (RFC 6352 §8.7, RFC 4791 §7.9). */
  multiget(paths: string[]): Record<string, unknown>;
  /** The name of the data property in tsdav's parsed answer. */
  dataProp: 'addressData' | 'calendarData';
}

export function itemFormat(kind: CollectionKind, vcardVersion: VCardVersion): ItemFormat {
  switch (kind) {
    case 'contacts':
      return {
        extension: '.vcf',
        contentType: 'text/vcard; charset=utf-8',
        capabilities: VCARD_CAPABILITIES[vcardVersion],
        decode: (t) => decodeVCards(t),
        encode: (item) => (item.kind === 'contact' ? encodeVCard(item, vcardVersion) : undefined),
        multiget: (paths) => ({ 'card:addressbook-multiget': { 'd:prop': { 'd:getetag': {}, 'd:getlastmodified': {}, 'card:address-data': {} }, 'd:href': paths } }),
        dataProp: 'addressData',
      };
    case 'calendar':
      return {
        extension: '.ics',
        contentType: 'text/calendar; charset=utf-8',
        capabilities: ICALENDAR_CAPABILITIES,
        decode: (t) => decodeICalendar(t),
        encode: (item) => (item.kind === 'calendar' ? encodeCalendarItem(item) : undefined),
        // Every component type: tsdav's own calendar fetch filters on VEVENT.
        multiget: (paths) => ({ 'c:calendar-multiget': { 'd:prop': { 'd:getetag': {}, 'd:getlastmodified': {}, 'c:calendar-data': {} }, 'd:href': paths } }),
        dataProp: 'calendarData',
      };
  }
}

const SAFE = /^[A-Za-z0-9_.@+-]+$/;

/**
 * The resource name of a new item: its UID where that is made of safe characters (as
 * vdirsyncer and most clients do), else a hash of it. Deterministic, so a create redone
 * after a crash meets its own earlier write (412) instead of making a duplicate.
 */
export function resourceName(uid: string, extension: string): string {
  const plain = SAFE.test(uid) && uid.length <= 200 && !uid.startsWith('.');
  return `${plain ? uid : createHash('sha1').update(uid).digest('hex')}${extension}`;
}
