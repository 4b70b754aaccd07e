/**
 * What each vCard version holds (src/codecs/vcard/holds.ts) and how a card looks once a
 * version has stored it: a 2.1 card keeps its properties but not every parameter, and
 * Android's rows keep a relation's or event's value and label, not every parameter.
 */
import type { FormatCapabilities } from '../../model/capabilities.js';
import { isGroupCard } from '../../model/group.js';
import type { Component } from '../../model/property.js';
import { decodeVCards } from './decode-file.js';
import type { VCardVersion } from './design.js';
import { encodeVCard } from './encode-card.js';
import { VCARD_ANDROID_HOLDS, VCARD_HOLDS } from './holds.js';
import { NO_UID } from '../../core/types.js';

/** A 2.1 card keeps its properties but not every parameter (no quotes, no line breaks in them). */
function projectThrough21(c: Component): Component {
  return decodeVCards(encodeVCard({ kind: 'contact', uid: NO_UID, card: c }, '2.1')).items[0]?.card ?? c;
}

/** Android's rows keep a relation's or event's value and label, not every parameter. */
const projectThroughAndroid = (version: VCardVersion) => (c: Component): Component =>
  decodeVCards(encodeVCard({ kind: 'contact', uid: NO_UID, card: c }, version, { android: true })).items[0]?.card ?? c;

export const VCARD_CAPABILITIES: Record<VCardVersion, FormatCapabilities> = {
  // 2.1 has no KIND and no MEMBER: a group card would be read back as a person.
  '2.1': { format: 'vcard-2.1', holds: VCARD_HOLDS['2.1'], project: projectThrough21, holdsCard: (c) => !isGroupCard(c) },
  '3.0': { format: 'vcard-3.0', holds: VCARD_HOLDS['3.0'] },
  '4.0': { format: 'vcard-4.0', holds: VCARD_HOLDS['4.0'] },
};

export const VCARD_ANDROID_CAPABILITIES: Record<VCardVersion, FormatCapabilities> = {
  '2.1': { format: 'vcard-2.1', holds: VCARD_ANDROID_HOLDS['2.1'], project: projectThroughAndroid('2.1'), holdsCard: (c) => !isGroupCard(c) },
  '3.0': { format: 'vcard-3.0', holds: VCARD_ANDROID_HOLDS['3.0'], project: projectThroughAndroid('3.0') },
  '4.0': { format: 'vcard-4.0', holds: VCARD_ANDROID_HOLDS['4.0'], project: projectThroughAndroid('4.0') },
};
