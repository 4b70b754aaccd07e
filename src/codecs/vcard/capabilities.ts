/**
 * What each vCard version holds (src/codecs/vcard/holds.ts) and how a card looks once a
 * version has stored it (src/codecs/vcard/project.ts): a 2.1 card keeps its properties but
 * not every parameter, and Android's rows keep a relation's or event's value and label, not
 * every parameter.
 */
import type { FormatCapabilities } from '../../model/capabilities.js';
import { isGroupCard } from '../../model/group.js';
import type { VCardVersion } from './design.js';
import { VCARD_ANDROID_HOLDS, VCARD_HOLDS } from './holds.js';
import { projectCard } from './project.js';

export const VCARD_CAPABILITIES: Record<VCardVersion, FormatCapabilities> = {
  // 2.1 has no KIND and no MEMBER: a group card would be read back as a person.
  '2.1': { format: 'vcard-2.1', holds: VCARD_HOLDS['2.1'], project: (c) => projectCard(c, '2.1', false), holdsCard: (c) => !isGroupCard(c) },
  '3.0': { format: 'vcard-3.0', holds: VCARD_HOLDS['3.0'], project: (c) => projectCard(c, '3.0', false) },
  '4.0': { format: 'vcard-4.0', holds: VCARD_HOLDS['4.0'] },
};

export const VCARD_ANDROID_CAPABILITIES: Record<VCardVersion, FormatCapabilities> = {
  '2.1': { format: 'vcard-2.1', holds: VCARD_ANDROID_HOLDS['2.1'], project: (c) => projectCard(c, '2.1', true), holdsCard: (c) => !isGroupCard(c) },
  '3.0': { format: 'vcard-3.0', holds: VCARD_ANDROID_HOLDS['3.0'], project: (c) => projectCard(c, '3.0', true) },
  '4.0': { format: 'vcard-4.0', holds: VCARD_ANDROID_HOLDS['4.0'], project: (c) => projectCard(c, '4.0', true) },
};
