import type { ContactItem } from '../../model/item.js';
import { findProp, findProps, prop, type Component, type Property } from '../../model/property.js';
import type { FormatCapabilities } from '../../model/capabilities.js';
import type { DecodeOptions, DecodeResult } from '../types.js';
import { csvCapabilities } from './capabilities.js';
import { Columns, decodeCsvText, decodeTable, readCsv, writeCsv } from './rows.js';
import { deriveFn, emptyCard, flatParts, isFirst, part, structured, text, validMonthDay } from './card.js';
import { ADDRESS_SLOTS, EMAIL_SLOTS, PHONE_SLOTS, allocate } from './outlook-slots.js';
import { KEPT_CELL, isKeptCellOf, keepCell, keepUnmappedCells, withKeptCells } from './kept-cells.js';

/**
 * Outlook CSV ("File → Open & Export → Import/Export → Export to a file → Comma Separated
 * Values"), in and out. Columns are read by name, so Outlook.com's shorter export
 * (`Nickname`, `Personal Web Page`) reads too; the desktop header below is written.
 * See docs/formats-csv.md.
 */
export const OUTLOOK_HEADER = [
  'Title', 'First Name', 'Middle Name', 'Last Name', 'Suffix', 'Company', 'Department', 'Job Title',
  'Business Street', 'Business Street 2', 'Business Street 3', 'Business City', 'Business State',
  'Business Postal Code', 'Business Country/Region', 'Home Street', 'Home Street 2', 'Home Street 3',
  'Home City', 'Home State', 'Home Postal Code', 'Home Country/Region', 'Other Street', 'Other Street 2',
  'Other Street 3', 'Other City', 'Other State', 'Other Postal Code', 'Other Country/Region',
  "Assistant's Phone", 'Business Fax', 'Business Phone', 'Business Phone 2', 'Callback', 'Car Phone',
  'Company Main Phone', 'Home Fax', 'Home Phone', 'Home Phone 2', 'ISDN', 'Mobile Phone', 'Other Fax',
  'Other Phone', 'Pager', 'Primary Phone', 'Radio Phone', 'TTY/TDD Phone', 'Telex', 'Account',
  'Anniversary', "Assistant's Name", 'Billing Information', 'Birthday', 'Business Address PO Box',
  'Categories', 'Children', 'Directory Server', 'E-mail Address', 'E-mail Type', 'E-mail Display Name',
  'E-mail 2 Address', 'E-mail 2 Type', 'E-mail 2 Display Name', 'E-mail 3 Address', 'E-mail 3 Type',
  'E-mail 3 Display Name', 'Gender', 'Government ID Number', 'Hobby', 'Home Address PO Box', 'Initials',
  'Internet Free Busy', 'Keywords', 'Language', 'Location', "Manager's Name", 'Mileage', 'Notes',
  'Office Location', 'Organizational ID Number', 'Other Address PO Box', 'Priority', 'Private',
  'Profession', 'Referred By', 'Sensitivity', 'Spouse', 'User 1', 'User 2', 'User 3', 'User 4', 'Web Page',
];

/** What Outlook writes in these columns for a contact that has no value. */
const DEFAULTS: Record<string, string> = {
  Anniversary: '0/0/00', Birthday: '0/0/00', Gender: 'Unspecified', Priority: 'Normal', Private: 'False', Sensitivity: 'Normal',
};

/** Columns the codec reads into vCard properties (or writes from them); the cells of any other column are kept as they are. */
const READ_COLUMNS = new Set([
  'Title', 'First Name', 'Middle Name', 'Last Name', 'Suffix', 'Nickname', 'Company', 'Department', 'Job Title', 'Profession',
  'Birthday', 'Anniversary', 'Notes', 'Categories', 'Web Page', 'Personal Web Page',
  ...EMAIL_SLOTS.flatMap((s) => [`${s} Address`, `${s} Type`, `${s} Display Name`]),
  ...PHONE_SLOTS.map((s) => s.column),
  ...ADDRESS_SLOTS.flatMap((s) => ['Street', 'Street 2', 'Street 3', 'City', 'State', 'Postal Code', 'Country/Region', 'Address PO Box'].map((f) => `${s.prefix} ${f}`)),
].map((c) => c.toLowerCase()));

function isOutlookHeader(cols: Columns): boolean {
  const named = cols.has('First Name') || cols.has('Last Name');
  const outlookish = cols.has('E-mail Address') || cols.has('Business Phone') || cols.has('Mobile Phone') || cols.has('Job Title');
  return named && outlookish && !cols.header.some((h) => /^E-mail \d+ - Value$/i.test(h));
}

/**
 * Outlook dates: `4/12/1985` (US month/day/year, what the English export writes),
 * `12.04.1985` (day.month.year, German and other locales), ISO `1985-04-12`; `0/0/00`
 * and other zero dates are "none". Undefined when there is no date.
 */
export function parseOutlookDate(s: string): string | undefined {
  const v = s.trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(v);
  let y: string | undefined, mo = 0, d = 0;
  if (m) [y, mo, d] = [m[3], +m[1], +m[2]];
  else if ((m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v))) [y, mo, d] = [m[3], +m[2], +m[1]];
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v))) [y, mo, d] = [m[1], +m[2], +m[3]];
  if (y === undefined || !validMonthDay(mo, d)) return undefined;
  const year = y.length === 2 ? (Number(y) < 50 ? `20${y}` : `19${y}`) : y;
  return `${year}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function formatOutlookDate(p: Property | undefined): string {
  const m = p && p.type === 'date' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text(p.values[0])) : null;
  return m ? `${+m[2]}/${+m[3]}/${m[1]}` : '';
}

function decodeRow(cols: Columns, cells: string[]): Component {
  const g = (name: string) => cols.get(cells, name);
  const card = emptyCard();
  const n = [g('Last Name'), g('First Name'), g('Middle Name'), g('Title'), g('Suffix')];
  if (n.some((s) => s)) card.props.push(prop('n', 'text', [n]));
  if (g('Nickname')) card.props.push(prop('nickname', 'text', [g('Nickname')]));
  const [company, dept] = [g('Company'), g('Department')];
  if (company || dept) card.props.push(prop('org', 'text', [dept ? [company, dept] : company]));
  if (g('Job Title')) card.props.push(prop('title', 'text', [g('Job Title')]));
  if (g('Profession')) card.props.push(prop('role', 'text', [g('Profession')]));
  const bday = parseOutlookDate(g('Birthday'));
  if (bday) card.props.push(prop('bday', 'date', [bday]));
  const anniversary = parseOutlookDate(g('Anniversary'));
  if (anniversary) card.props.push(prop('anniversary', 'date', [anniversary]));
  if (g('Notes')) card.props.push(prop('note', 'text', [g('Notes')]));
  const cats = g('Categories').split(';').map((c) => c.trim()).filter((c) => c);
  if (cats.length) card.props.push(prop('categories', 'text', cats));
  for (const slot of EMAIL_SLOTS) {
    const addr = g(`${slot} Address`);
    // Exchange entries (`E-mail Type` EX) carry an X.500 path, not an address.
    if (addr && (addr.includes('@') || g(`${slot} Type`).toUpperCase() !== 'EX')) card.props.push(prop('email', 'text', [addr]));
    else if (addr) for (const f of ['Address', 'Type', 'Display Name']) if (g(`${slot} ${f}`)) keepCell(card, 'outlook-csv', `${slot} ${f}`, g(`${slot} ${f}`));
  }
  for (const s of PHONE_SLOTS) {
    if (g(s.column)) card.props.push(prop('tel', 'text', [g(s.column)], s.decodeTypes.length ? { type: [...s.decodeTypes] } : {}));
  }
  for (const s of ADDRESS_SLOTS) {
    const a = (f: string) => g(`${s.prefix} ${f}`);
    const street = [a('Street'), a('Street 2'), a('Street 3')].filter((x) => x).join('\n');
    const v = [a('Address PO Box'), '', street, a('City'), a('State'), a('Postal Code'), a('Country/Region')];
    if (v.some((x) => x)) card.props.push(prop('adr', 'text', [v], s.decodeTypes.length ? { type: [...s.decodeTypes] } : {}));
  }
  if (g('Web Page')) card.props.push(prop('url', 'uri', [g('Web Page')]));
  if (g('Personal Web Page')) card.props.push(prop('url', 'uri', [g('Personal Web Page')], { type: ['home'] }));
  card.props.unshift(prop('fn', 'text', [deriveFn(card)]));
  keepUnmappedCells(card, 'outlook-csv', cols, cells, (c) => READ_COLUMNS.has(c.toLowerCase()), DEFAULTS);
  return card;
}

export function decodeOutlookCsv(input: string | Uint8Array, _opts: DecodeOptions = {}): DecodeResult<ContactItem> {
  const table = readCsv(decodeCsvText(input));
  return decodeTable(table, new Columns(table.header), isOutlookHeader,
    'not an Outlook CSV: expected a header with "First Name"/"Last Name" and "E-mail Address", "Business Phone" or "Mobile Phone" columns (the English export)',
    decodeRow);
}

function encodeRow(card: Component): string[] {
  const out = new Map<string, string>(Object.entries(DEFAULTS));
  const set = (col: string, v: string) => out.set(col, v);
  const n = structured(findProp(card, 'n')).map((c) => part(c));
  const fn = text(findProp(card, 'fn')?.values[0]);
  if (!n.some((s) => s) && fn && fn !== deriveFn(card)) n[1] = fn; // a card with only FN
  [['Last Name', 0], ['First Name', 1], ['Middle Name', 2], ['Title', 3], ['Suffix', 4]].forEach(([c, i]) => set(c as string, n[i as number] ?? ''));
  const org = structured(findProp(card, 'org')).map((c) => part(c));
  set('Company', org[0] ?? '');
  set('Department', org.slice(1).join(' '));
  set('Job Title', text(findProp(card, 'title')?.values[0]));
  set('Profession', text(findProp(card, 'role')?.values[0]));
  const bday = formatOutlookDate(findProp(card, 'bday'));
  if (bday) set('Birthday', bday);
  const anniversary = formatOutlookDate(findProp(card, 'anniversary'));
  if (anniversary) set('Anniversary', anniversary);
  set('Notes', text(findProp(card, 'note')?.values[0]));
  set('Categories', findProps(card, 'categories').flatMap((p) => p.values.map((v) => text(v))).join(';'));
  const alloc = allocate(card);
  alloc.emails.forEach(([slot, p]) => {
    const addr = text(p.values[0]);
    set(`${slot} Address`, addr);
    set(`${slot} Type`, 'SMTP');
    set(`${slot} Display Name`, fn ? `${fn} (${addr})` : addr);
  });
  for (const [column, p] of alloc.phones) set(column, text(p.values[0]));
  for (const [prefix, p] of alloc.addresses) {
    const v = structured(p);
    const lines = [part(v[2], '\n'), part(v[1], '\n')].filter((s) => s).join('\n').split('\n');
    set(`${prefix} Street`, lines[0] ?? '');
    set(`${prefix} Street 2`, lines[1] ?? '');
    set(`${prefix} Street 3`, lines.slice(2).join('\n'));
    set(`${prefix} City`, part(v[3]));
    set(`${prefix} State`, part(v[4]));
    set(`${prefix} Postal Code`, part(v[5]));
    set(`${prefix} Country/Region`, part(v[6]));
    set(`${prefix} Address PO Box`, part(v[0]));
  }
  if (alloc.url) set('Web Page', text(alloc.url.values[0]));
  return OUTLOOK_HEADER.map((h) => out.get(h) ?? '');
}

/** Outlook CSV as Outlook writes it: UTF-8 with a BOM, every field quoted, CRLF. */
export function encodeOutlookCsv(items: ContactItem[]): string {
  const table = withKeptCells('outlook-csv', OUTLOOK_HEADER, items.map((i) => encodeRow(i.card)), items.map((i) => i.card), DEFAULTS);
  return writeCsv(table.header, table.rows, { quoteAll: true, bom: true });
}


/**
 * What an Outlook CSV keeps. Held: FN (when it is the name the file implies), the first
 * N, ORG (company and one department), TITLE, ROLE (Profession), BDAY and ANNIVERSARY
 * (full dates only: Outlook has no year-less date), NOTE, CATEGORIES (no `;` inside a
 * category), the first three EMAILs, every TEL and ADR that gets a column of its kind
 * (see outlook-slots.ts; an ADR with an extended address is written but comes back
 * changed), the first URL, and the cells kept from columns it does not map
 * (`X-CSV-CELL;X-FORMAT=outlook-csv`, see kept-cells.ts). Not held: NICKNAME, PHOTO, IMPP,
 * custom labels, other X- properties, UID, and TYPE/PREF parameters of emails and URLs.
 */
export const OUTLOOK_CSV_CAPABILITIES: FormatCapabilities = csvCapabilities(
  'outlook-csv',
  { decode: decodeOutlookCsv, encode: encodeOutlookCsv },
  (p, owner) => {
    switch (p.name) {
      case 'title': case 'role': case 'note': return isFirst(owner, p);
      case 'bday': case 'anniversary': return isFirst(owner, p) && formatOutlookDate(p) !== '';
      case 'categories': return p.values.every((v) => !text(v).includes(';'));
      case 'email': case 'tel': case 'url': return !allocate(owner).unplaced.has(p) && owner.props.includes(p);
      case 'adr': return !allocate(owner).unplaced.has(p) && owner.props.includes(p) && flatParts(p, 7) && part(structured(p)[1]) === '';
      case KEPT_CELL: return isKeptCellOf(p, 'outlook-csv');
      default: return false;
    }
  },
);
