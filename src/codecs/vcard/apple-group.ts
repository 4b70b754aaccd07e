/**
 * Apple's form of a contact group in vCard 3.0 (macOS/iOS Contacts, iCloud and every
 * CardDAV server Apple clients talk to): `X-ADDRESSBOOKSERVER-KIND:group` and one
 * `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:…` per member. vCard 3.0 has no KIND or MEMBER of its
 * own, so this is the 3.0 form: it is read as KIND/MEMBER (in any version), and KIND:group
 * and MEMBER are written this way into 3.0. A member that sent vCard 3.0 with plain
 * `KIND:group` gets its own lines back (encode-like.ts reuses them).
 */
import type { Property } from '../../model/property.js';
import type { VCardVersion } from './design.js';

const APPLE_KIND = 'x-addressbookserver-kind';
const APPLE_MEMBER = 'x-addressbookserver-member';

function textValue(p: Property): string {
  const v = p.values[0];
  return typeof v === 'string' ? v : '';
}

/** Decoded properties with Apple's group lines read as KIND / MEMBER, in place (one for one). */
export function readAppleGroup(props: Property[]): Property[] {
  if (!props.some((p) => p.name === APPLE_KIND || p.name === APPLE_MEMBER)) return props;
  return props.map((p) => {
    if (p.name === APPLE_KIND) return { ...p, name: 'kind', type: 'text', values: [textValue(p).trim().toLowerCase()] };
    if (p.name === APPLE_MEMBER) return { ...p, name: 'member', type: 'uri', values: [textValue(p).trim()] };
    return p;
  });
}

/** The property as written into `version`: KIND:group and MEMBER in Apple's form for 3.0. */
export function appleGroupForm(p: Property, version: VCardVersion): Property {
  if (version !== '3.0') return p;
  if (p.name === 'kind' && textValue(p).toLowerCase() === 'group') return { ...p, name: APPLE_KIND, type: 'unknown' };
  if (p.name === 'member') return { ...p, name: APPLE_MEMBER, type: 'unknown' };
  return p;
}
