/** Canonical contacts → vCard text of one version: BEGIN, VERSION, the properties, END; CRLF. */
import type { ContactItem } from '../../model/item.js';
import type { VCardVersion } from './design.js';
import { encodeProperty } from './encode-property.js';
import { VCARD_CAPABILITIES } from './capabilities.js';

export function encodeVCard(item: ContactItem, version: VCardVersion): string {
  const caps = VCARD_CAPABILITIES[version];
  const lines = ['BEGIN:VCARD', `VERSION:${version}`];
  for (const p of item.card.props) {
    if (p.name === 'version' || !caps.holds(p, item.card)) continue;
    lines.push(...encodeProperty(p, version));
  }
  lines.push('END:VCARD');
  return `${lines.join('\r\n')}\r\n`;
}

export function encodeVCards(items: ContactItem[], version: VCardVersion): string {
  return items.map((i) => encodeVCard(i, version)).join('');
}
