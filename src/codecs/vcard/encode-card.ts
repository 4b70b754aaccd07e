/** Canonical contacts → vCard text of one version: BEGIN, VERSION, the properties, END; CRLF (Android's form on request). */
import type { ContactItem } from '../../model/item.js';
import type { VCardVersion } from './design.js';
import { encodeProperty } from './encode-property.js';
import { VCARD_ANDROID_HOLDS, VCARD_HOLDS } from './holds.js';
import { writeAndroidRows } from './android-custom.js';
import { appleGroupForm } from './apple-group.js';

export interface EncodeOptions {
  /** Write RELATED, ANNIVERSARY, labelled X-ABDATE (and NICKNAME in 2.1) as Android's X-ANDROID-CUSTOM rows. */
  android?: boolean;
}

export function encodeVCard(item: ContactItem, version: VCardVersion, opts: EncodeOptions = {}): string {
  const holds = (opts.android ? VCARD_ANDROID_HOLDS : VCARD_HOLDS)[version];
  const lines = ['BEGIN:VCARD', `VERSION:${version}`];
  for (const p of opts.android ? writeAndroidRows(item.card.props, version) : item.card.props) {
    if (p.name === 'version' || !holds(p, item.card)) continue;
    lines.push(...encodeProperty(appleGroupForm(p, version), version));
  }
  lines.push('END:VCARD');
  return `${lines.join('\r\n')}\r\n`;
}

export function encodeVCards(items: ContactItem[], version: VCardVersion, opts: EncodeOptions = {}): string {
  return items.map((i) => encodeVCard(i, version, opts)).join('');
}
