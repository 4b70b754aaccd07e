import { findProps, type Component, type Property } from '../../model/property.js';
import { meaningfulTypes, sameSet } from './card.js';
import { KEPT_CELL, isKeptCellOf } from './kept-cells.js';

/**
 * Outlook's CSV has fixed columns: one per kind of phone (two for business and home
 * voice numbers), one address per business/home/other, three emails, one web page.
 * A property is written to the first free column of its kind; when that kind's columns
 * are full, it is not written, and `OUTLOOK_CSV_CAPABILITIES.holds` says so for exactly
 * that property, so the sync engine never reads its absence from the file as a deletion.
 */
export interface PhoneSlot {
  column: string;
  /** Sorted meaningful TYPEs (without `voice`/`pref`) this column stands for. */
  types: string[];
  /** TYPE values a number read from this column gets. */
  decodeTypes: string[];
}

const slot = (column: string, types: string[], decodeTypes = types): PhoneSlot => ({ column, types: [...types].sort(), decodeTypes });

/** In order of precedence for a number whose TYPEs match no column exactly (`work,cell` → Mobile Phone). */
export const PHONE_SLOTS: PhoneSlot[] = [
  slot('Mobile Phone', ['cell']),
  slot('Business Fax', ['work', 'fax']),
  slot('Home Fax', ['home', 'fax']),
  slot('Other Fax', ['fax']),
  slot('Pager', ['pager']),
  slot('Car Phone', ['car']),
  slot('ISDN', ['isdn']),
  slot('TTY/TDD Phone', ['textphone']),
  slot('Company Main Phone', ['work', 'main']),
  slot('Primary Phone', ['main']),
  slot("Assistant's Phone", ['x-assistant']),
  slot('Callback', ['x-callback']),
  slot('Radio Phone', ['x-radio']),
  slot('Telex', ['x-telex']),
  slot('Business Phone', ['work'], ['work', 'voice']),
  slot('Business Phone 2', ['work'], ['work', 'voice']),
  slot('Home Phone', ['home'], ['home', 'voice']),
  slot('Home Phone 2', ['home'], ['home', 'voice']),
  slot('Other Phone', [], ['voice']),
];

/** The TYPE set of the column family a number belongs to: exact match, else the largest matching subset, else none (Other Phone). */
function phoneFamily(types: string[]): string[] {
  const exact = PHONE_SLOTS.find((s) => sameSet(s.types, types));
  if (exact) return exact.types;
  let best: PhoneSlot | undefined;
  for (const s of PHONE_SLOTS) {
    if (s.types.length > 0 && s.types.every((t) => types.includes(t)) && (!best || s.types.length > best.types.length)) best = s;
  }
  return best?.types ?? [];
}

export interface AddressSlot {
  prefix: 'Business' | 'Home' | 'Other';
  decodeTypes: string[];
}

export const ADDRESS_SLOTS: AddressSlot[] = [
  { prefix: 'Business', decodeTypes: ['work'] },
  { prefix: 'Home', decodeTypes: ['home'] },
  { prefix: 'Other', decodeTypes: [] },
];

function addressPrefix(p: Property): AddressSlot['prefix'] {
  const t = meaningfulTypes(p);
  if (t.includes('work')) return 'Business';
  if (t.includes('home')) return 'Home';
  return 'Other';
}

export const EMAIL_SLOTS = ['E-mail', 'E-mail 2', 'E-mail 3'] as const;
export type EmailSlot = (typeof EMAIL_SLOTS)[number];

export interface Allocation {
  phones: Map<string, Property>;
  addresses: Map<AddressSlot['prefix'], Property>;
  /** Each email with the slot it is written to (`E-mail`, `E-mail 2`, `E-mail 3`). */
  emails: Array<[EmailSlot, Property]>;
  url?: Property;
  /** Properties of the allocated kinds that got no column. */
  unplaced: Set<Property>;
}

/** Which column each phone, address, email and URL of a card is written to. */
export function allocate(card: Component): Allocation {
  const phones = new Map<string, Property>();
  const addresses = new Map<AddressSlot['prefix'], Property>();
  const unplaced = new Set<Property>();
  for (const p of findProps(card, 'tel')) {
    const family = phoneFamily(meaningfulTypes(p));
    const free = PHONE_SLOTS.find((s) => sameSet(s.types, family) && !phones.has(s.column));
    if (free) phones.set(free.column, p);
    else unplaced.add(p);
  }
  for (const p of findProps(card, 'adr')) {
    const prefix = addressPrefix(p);
    if (!addresses.has(prefix)) addresses.set(prefix, p);
    else unplaced.add(p);
  }
  // An Exchange entry kept from the file (X-CSV-CELL, see kept-cells.ts) holds its slot.
  const taken = new Set(findProps(card, KEPT_CELL).filter((p) => isKeptCellOf(p, 'outlook-csv'))
    .map((p) => String(p.params['x-column']).replace(/ (Address|Type|Display Name)$/, '')));
  const free = EMAIL_SLOTS.filter((s) => !taken.has(s));
  const allEmails = findProps(card, 'email');
  const emails = allEmails.slice(0, free.length).map((p, i): [EmailSlot, Property] => [free[i]!, p]);
  allEmails.slice(free.length).forEach((p) => unplaced.add(p));
  const urls = findProps(card, 'url');
  urls.slice(1).forEach((p) => unplaced.add(p));
  return { phones, addresses, emails, url: urls[0], unplaced };
}
