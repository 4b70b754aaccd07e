/**
 * vCard 2.1, 3.0 and 4.0 ⇄ canonical contacts (vCard 4.0 semantics, no VERSION).
 * Pure functions; see docs/formats-vcard.md for what each version keeps.
 */
export type { VCardVersion } from './design.js';
export { decodeVCards, vcardEntries, type VCardEntry } from './decode-file.js';
export { encodeVCard, encodeVCards, type EncodeOptions } from './encode-card.js';
export { VCARD_ANDROID_CAPABILITIES, VCARD_CAPABILITIES } from './capabilities.js';
export { VCARD_40_ONLY } from './holds.js';
