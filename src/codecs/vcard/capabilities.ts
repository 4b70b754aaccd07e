/**
 * What each vCard version holds. 3.0 and 4.0 hold everything (4.0-only properties are
 * written into 3.0 as they are and read back with their 4.0 meaning). vCard 2.1 has no
 * place for the properties RFC 6350 introduced; the 2.1 encoder omits exactly these, and
 * the sync engine must not read their absence from a 2.1 file as a deletion.
 */
import type { FormatCapabilities } from '../../model/capabilities.js';
import { isGroupCard } from '../../model/group.js';
import type { Component } from '../../model/property.js';
import { decodeVCards } from './decode-file.js';
import type { VCardVersion } from './design.js';
import { encodeVCard } from './encode-card.js';

/** A 2.1 card keeps its properties but not every parameter (no quotes, no line breaks in them). */
function projectThrough21(c: Component): Component {
  return decodeVCards(encodeVCard({ kind: 'contact', uid: '', card: c }, '2.1')).items[0]?.card ?? c;
}

/** Android's rows keep a relation's or event's value and label, not every parameter. */
const projectThroughAndroid = (version: VCardVersion) => (c: Component): Component =>
  decodeVCards(encodeVCard({ kind: 'contact', uid: '', card: c }, version, { android: true })).items[0]?.card ?? c;

export const VCARD_40_ONLY: ReadonlySet<string> = new Set([
  'kind', 'gender', 'anniversary', 'member', 'related', 'lang', 'clientpidmap', 'xml', 'caladruri', 'caluri',
]);

export const VCARD_CAPABILITIES: Record<VCardVersion, FormatCapabilities> = {
  // 2.1 has no KIND and no MEMBER: a group card would be read back as a person.
  '2.1': { format: 'vcard-2.1', holds: (p) => !VCARD_40_ONLY.has(p.name), project: projectThrough21, holdsCard: (c) => !isGroupCard(c) },
  '3.0': { format: 'vcard-3.0', holds: () => true },
  '4.0': { format: 'vcard-4.0', holds: () => true },
};

/** A file Android exported: RELATED and ANNIVERSARY live in its X-ANDROID-CUSTOM rows, in 2.1 too. */
const ANDROID_HOLDS_TOO = new Set(['related', 'anniversary']);
export const VCARD_ANDROID_CAPABILITIES: Record<VCardVersion, FormatCapabilities> = {
  '2.1': {
    format: 'vcard-2.1', holds: (p) => !VCARD_40_ONLY.has(p.name) || ANDROID_HOLDS_TOO.has(p.name), project: projectThroughAndroid('2.1'),
    holdsCard: (c) => !isGroupCard(c),
  },
  '3.0': { format: 'vcard-3.0', holds: () => true, project: projectThroughAndroid('3.0') },
  '4.0': { format: 'vcard-4.0', holds: () => true, project: projectThroughAndroid('4.0') },
};
