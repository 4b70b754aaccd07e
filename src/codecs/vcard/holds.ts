/**
 * Which properties a vCard version has a place for. 3.0 and 4.0 hold everything (4.0-only
 * properties are written into 3.0 as they are and read back with their 4.0 meaning).
 * vCard 2.1 has no place for the properties RFC 6350 introduced; the 2.1 encoder omits
 * exactly these, and the sync engine must not read their absence from a 2.1 file as a deletion.
 */
import type { Component, Property } from '../../model/property.js';
import type { VCardVersion } from './design.js';

export const VCARD_40_ONLY: ReadonlySet<string> = new Set([
  'kind', 'gender', 'anniversary', 'member', 'related', 'lang', 'clientpidmap', 'xml', 'caladruri', 'caluri',
]);

/** A file Android exported: RELATED and ANNIVERSARY live in its X-ANDROID-CUSTOM rows, in 2.1 too. */
const ANDROID_HOLDS_TOO: ReadonlySet<string> = new Set(['related', 'anniversary']);

export type Holds = (p: Property, owner: Component) => boolean;

const all: Holds = () => true;

export const VCARD_HOLDS: Record<VCardVersion, Holds> = {
  '2.1': (p) => !VCARD_40_ONLY.has(p.name),
  '3.0': all,
  '4.0': all,
};

export const VCARD_ANDROID_HOLDS: Record<VCardVersion, Holds> = {
  '2.1': (p) => !VCARD_40_ONLY.has(p.name) || ANDROID_HOLDS_TOO.has(p.name),
  '3.0': all,
  '4.0': all,
};
