import type { CollectionKind } from '../../src/core/types.js';
import type { VCardVersion } from '../../src/codecs/vcard/index.js';
import { dav, NS, qname, type QName } from '../../src/xml/dav-xml.js';
import { itemCodec, type ItemCodec } from '../shared/item-codec.js';
import { hrefList, requestBody } from './requests.js';

/** How items of one collection travel: the item codec, plus the REPORT that fetches them. */
export interface ItemFormat extends ItemCodec {
  /** The multiget REPORT body for these hrefs (RFC 6352 §8.7, RFC 4791 §7.9). */
  multiget(paths: string[]): string;
  /** The property that holds an item's text in the answer. */
  dataProp: QName;
}

const MULTIGET: Record<CollectionKind, { report: QName; data: QName }> = {
  contacts: { report: { ns: NS.carddav, name: 'addressbook-multiget' }, data: { ns: NS.carddav, name: 'address-data' } },
  // Every component type (no filter): a calendar may hold VTODO and VJOURNAL as well as VEVENT.
  calendar: { report: { ns: NS.caldav, name: 'calendar-multiget' }, data: { ns: NS.caldav, name: 'calendar-data' } },
};

export function itemFormat(kind: CollectionKind, vcardVersion: VCardVersion): ItemFormat {
  const { report, data } = MULTIGET[kind];
  return {
    ...itemCodec(kind, vcardVersion),
    multiget: (paths) => requestBody(report, dav('prop', dav('getetag') + dav('getlastmodified') + qname(data)) + hrefList(paths)),
    dataProp: data,
  };
}
