import type { ContactItem } from '../../model/item.js';
import { findProp, findProps, prop, type Component, type Property } from '../../model/property.js';
import type { FormatCapabilities } from '../../model/capabilities.js';
import type { DecodeOptions, DecodeResult } from '../types.js';
import { csvCapabilities } from './capabilities.js';
import { Columns, decodeCsvText, decodeTable, readCsv, writeCsv } from './rows.js';
import {
  customLabel, deriveFn, emptyCard, flatParts, isFirst, isPreferred, isoDateValue, meaningfulTypes, nextGroup, part,
  splitMulti, structured, text, unwrapAppleLabel,
} from './card.js';
import { decodeLabel, isCustomLabel, labelForTypes, type DecodedLabel, type LabelKind } from './google-labels.js';
import { KEPT_CELL, isKeptCellOf, keepCell, keepUnmappedCells, withKeptCells } from './kept-cells.js';

/**
 * Google Contacts CSV ("Export → Google CSV"), in and out. Reads the current header set
 * (`First Name`, `Labels`, `E-mail 1 - Label`…) and the older one (`Name`, `Given Name`,
 * `Group Membership`, `E-mail 1 - Type`…); writes the current one. See docs/formats-csv.md.
 */

const BASE_HEADER = [
  'First Name', 'Middle Name', 'Last Name', 'Phonetic First Name', 'Phonetic Middle Name', 'Phonetic Last Name',
  'Name Prefix', 'Name Suffix', 'Nickname', 'File As', 'Organization Name', 'Organization Title',
  'Organization Department', 'Birthday', 'Notes', 'Photo', 'Labels',
];
const GROUP_FIELDS = {
  'E-mail': ['Label', 'Value'],
  Phone: ['Label', 'Value'],
  Address: ['Label', 'Formatted', 'Street', 'City', 'PO Box', 'Region', 'Postal Code', 'Country', 'Extended Address'],
  Website: ['Label', 'Value'],
  Event: ['Label', 'Value'],
} as const;
type GroupName = keyof typeof GROUP_FIELDS;

/** The older export's names for the columns of the current one. */
const LEGACY_ALIASES: Record<string, string> = {
  'given name': 'First Name',
  'additional name': 'Middle Name',
  'family name': 'Last Name',
  'group membership': 'Labels',
  'organization 1 - name': 'Organization Name',
  'organization 1 - title': 'Organization Title',
  'organization 1 - department': 'Organization Department',
};

/** The system label every contact carries; written so that an import lands in "Contacts". */
const MY_CONTACTS = '* myContacts';

/** `* myContacts`, or `* My Contacts` as the older export wrote it. */
function isMyContacts(label: string): boolean {
  return label.replace(/\s/g, '').toLowerCase() === '*mycontacts';
}

/** Columns the codec reads into vCard properties; the cells of any other column are kept as they are. */
const READ_COLUMNS = new Set([
  'First Name', 'Middle Name', 'Last Name', 'Name Prefix', 'Name Suffix', 'Nickname', 'Organization Name',
  'Organization Title', 'Organization Department', 'Birthday', 'Notes', 'Photo', 'Labels', 'Name',
].map((c) => c.toLowerCase()));

function isReadColumn(column: string): boolean {
  if (READ_COLUMNS.has(column.toLowerCase())) return true;
  const m = /^(.+) \d+ - (.+)$/.exec(column);
  if (!m) return false;
  const group = (Object.keys(GROUP_FIELDS) as GroupName[]).find((g) => g.toLowerCase() === m[1].toLowerCase());
  // Events other than the anniversary are kept by decodeRow itself, row by row.
  return !!group && (GROUP_FIELDS[group] as readonly string[]).some((f) => f.toLowerCase() === m[2].toLowerCase());
}

function normaliseHeader(header: string[]): string[] {
  const present = new Set(header.map((h) => h.toLowerCase()));
  return header.map((h) => {
    const alias = LEGACY_ALIASES[h.toLowerCase()];
    if (alias && !present.has(alias.toLowerCase())) return alias;
    const m = /^(.+ \d+) - Type$/i.exec(h);
    if (m && !present.has(`${m[1]} - label`.toLowerCase())) return `${m[1]} - Label`;
    return h;
  });
}

function isGoogleHeader(cols: Columns): boolean {
  const named = cols.has('First Name') || cols.has('Last Name') || cols.has('Name');
  const googleish = cols.header.some((h) => /^(E-mail|Phone|Address|Website) \d+ - (Value|Label|Formatted)$/i.test(h))
    || cols.has('Labels') || cols.has('File As') || cols.has('Organization Name');
  return named && googleish && !cols.has('E-mail Address') && !cols.has('Business Phone');
}

function groupNumbers(header: string[], group: GroupName): number[] {
  const re = new RegExp(`^${group} (\\d+) - `, 'i');
  const ns = new Set<number>();
  for (const h of header) {
    const m = re.exec(h);
    if (m) ns.add(Number(m[1]));
  }
  return [...ns].sort((a, b) => a - b);
}

/** Adds a labelled property; a custom label becomes `itemN.X-ABLABEL`. */
function addLabelled(card: Component, p: Property, label: DecodedLabel, pref: boolean): void {
  if (label.types.length > 0) p.params.type = [...label.types];
  if (pref) p.params.pref = '1';
  if (label.custom !== undefined) {
    p.group = nextGroup(card);
    card.props.push(p, prop('x-ablabel', 'text', [label.custom], {}, p.group));
  } else {
    card.props.push(p);
  }
}

/** The address text written to `Formatted` when the card has no ADR LABEL parameter. */
export function composeFormatted(v: Array<string | string[]>): string {
  const c = (i: number) => part(v[i], '\n').trim();
  const cityLine = [c(5), c(3)].filter((s) => s).join(' ');
  return [c(2), c(1), c(0), cityLine, c(4), c(6)].filter((s) => s).join('\n');
}

function decodeRow(cols: Columns, cells: string[]): Component {
  const g = (name: string) => cols.get(cells, name);
  const card = emptyCard();
  const n = [g('Last Name'), g('First Name'), g('Middle Name'), g('Name Prefix'), g('Name Suffix')];
  if (n.some((s) => s)) card.props.push(prop('n', 'text', [n]));
  const nick = splitMulti(g('Nickname'));
  if (nick.length) card.props.push(prop('nickname', 'text', nick));
  const [orgName, dept] = [g('Organization Name'), g('Organization Department')];
  if (orgName || dept) card.props.push(prop('org', 'text', [dept ? [orgName, dept] : orgName]));
  if (g('Organization Title')) card.props.push(prop('title', 'text', [g('Organization Title')]));
  const bday = isoDateValue(g('Birthday'));
  if (bday) card.props.push(prop('bday', bday.type, [bday.value]));
  for (const k of groupNumbers(cols.header, 'Event')) {
    const d = isoDateValue(g(`Event ${k} - Value`));
    if (d && /^\*?\s*anniversary$/i.test(g(`Event ${k} - Label`)) && !findProp(card, 'anniversary')) {
      card.props.push(prop('anniversary', d.type, [d.value]));
    } else {
      for (const f of GROUP_FIELDS.Event) if (g(`Event ${k} - ${f}`)) keepCell(card, 'google-csv', `Event ${k} - ${f}`, g(`Event ${k} - ${f}`));
    }
  }
  if (g('Notes')) card.props.push(prop('note', 'text', [g('Notes')]));
  const photo = g('Photo');
  if (photo) card.props.push(prop('photo', 'uri', [photo]));
  const labels = splitMulti(g('Labels'));
  const cats = labels.filter((l) => !l.startsWith('*'));
  if (cats.length) card.props.push(prop('categories', 'text', cats));
  // System labels (`* starred`) are not groups; kept so that a rewrite still has them.
  const system = labels.filter((l) => l.startsWith('*') && !isMyContacts(l));
  if (system.length) keepCell(card, 'google-csv', 'Labels', system.join(' ::: '));
  const simple: Array<[GroupName, LabelKind, string, string]> = [
    ['E-mail', 'email', 'email', 'text'], ['Phone', 'tel', 'tel', 'text'],
  ];
  for (const [group, kind, name, type] of simple) {
    for (const k of groupNumbers(cols.header, group)) {
      const label = decodeLabel(kind, g(`${group} ${k} - Label`));
      splitMulti(g(`${group} ${k} - Value`)).forEach((v, j) => addLabelled(card, prop(name, type, [v]), label, label.pref && j === 0));
    }
  }
  for (const k of groupNumbers(cols.header, 'Address')) {
    const a = (f: string) => g(`Address ${k} - ${f}`);
    const formatted = a('Formatted');
    const v = [a('PO Box'), a('Extended Address'), a('Street'), a('City'), a('Region'), a('Postal Code'), a('Country')];
    if (!v.some((s) => s)) {
      if (!formatted) continue;
      v[2] = formatted;
    }
    const p = prop('adr', 'text', [v]);
    if (formatted && formatted !== composeFormatted(v)) p.params.label = formatted;
    const label = decodeLabel('adr', a('Label'));
    addLabelled(card, p, label, label.pref);
  }
  for (const k of groupNumbers(cols.header, 'Website')) {
    const label = decodeLabel('url', g(`Website ${k} - Label`));
    splitMulti(g(`Website ${k} - Value`)).forEach((v, j) => addLabelled(card, prop('url', 'uri', [v]), label, label.pref && j === 0));
  }
  const fn = g('Name') || deriveFn(card);
  card.props.unshift(prop('fn', 'text', [fn]));
  keepUnmappedCells(card, 'google-csv', cols, cells, isReadColumn);
  return card;
}

export function decodeGoogleCsv(input: string | Uint8Array, _opts: DecodeOptions = {}): DecodeResult<ContactItem> {
  const table = readCsv(decodeCsvText(input));
  return decodeTable(table, new Columns(normaliseHeader(table.header)), isGoogleHeader,
    'not a Google Contacts CSV: expected a header with "First Name"/"Last Name" (or "Name", "Given Name") and "E-mail 1 - Value", "Phone 1 - Value" or "Labels" columns',
    decodeRow);
}

/** The label cell of a labelled property: its custom label, else the built-in one for its TYPEs; `* ` when preferred. */
function labelCell(kind: LabelKind, card: Component, p: Property): string {
  const custom = customLabel(card, p);
  const label = custom ? unwrapAppleLabel(text(custom.values[0])) : labelForTypes(kind, meaningfulTypes(p));
  return (isPreferred(p) ? '* ' : '') + label;
}

/** The Event slot a card's anniversary is written to: the first one no kept event cell of the card uses. */
function anniversarySlot(card: Component): number {
  const kept = new Set(findProps(card, KEPT_CELL).filter((p) => isKeptCellOf(p, 'google-csv')).map((p) => String(p.params['x-column']).toLowerCase()));
  let k = 1;
  while (kept.has(`event ${k} - label`) || kept.has(`event ${k} - value`)) k++;
  return k;
}

/** The system labels kept from the file (`* starred`), other than `* myContacts`. */
function systemLabels(card: Component): string[] {
  const kept = findProps(card, KEPT_CELL).find((p) => isKeptCellOf(p, 'google-csv') && String(p.params['x-column']).toLowerCase() === 'labels');
  return kept ? splitMulti(text(kept.values[0])) : [];
}

function encodeRow(card: Component, widths: Record<GroupName, number>): string[] {
  const n = structured(findProp(card, 'n')).map((c) => part(c));
  const fn = text(findProp(card, 'fn')?.values[0]);
  if (!n.some((s) => s) && fn && fn !== deriveFn(card)) n[1] = fn; // a card with only FN: Google has no other name column
  const org = structured(findProp(card, 'org')).map((c) => part(c));
  const bday = findProp(card, 'bday');
  const photo = text(findProp(card, 'photo')?.values[0]);
  const cats = findProps(card, 'categories').flatMap((p) => p.values.map((v) => text(v)));
  const row: string[] = [
    n[1] ?? '', n[2] ?? '', n[0] ?? '', '', '', '', n[3] ?? '', n[4] ?? '',
    findProps(card, 'nickname').flatMap((p) => p.values.map((v) => text(v))).join(' ::: '), '',
    org[0] ?? '', text(findProp(card, 'title')?.values[0]), org.slice(1).join(' '),
    bday ? text(bday.values[0]).slice(0, bday.type === 'date-time' ? 10 : undefined) : '',
    text(findProp(card, 'note')?.values[0]), photo.startsWith('data:') ? '' : photo, [MY_CONTACTS, ...systemLabels(card), ...cats].join(' ::: '),
  ];
  const labelled = (group: GroupName, kind: LabelKind, name: string) => {
    const ps = findProps(card, name);
    for (let i = 0; i < widths[group]; i++) {
      const p = ps[i];
      row.push(p ? labelCell(kind, card, p) : '', p ? text(p.values[0]) : '');
    }
  };
  labelled('E-mail', 'email', 'email');
  labelled('Phone', 'tel', 'tel');
  const adrs = findProps(card, 'adr');
  for (let i = 0; i < widths.Address; i++) {
    const p = adrs[i];
    if (!p) {
      row.push(...GROUP_FIELDS.Address.map(() => ''));
      continue;
    }
    const v = structured(p);
    const c = (j: number) => part(v[j], '\n');
    const formatted = typeof p.params.label === 'string' ? p.params.label : composeFormatted(v);
    row.push(labelCell('adr', card, p), formatted, c(2), c(3), c(0), c(4), c(5), c(6), c(1));
  }
  labelled('Website', 'url', 'url');
  const a = findProp(card, 'anniversary');
  const slot = a ? anniversarySlot(card) : 0;
  for (let k = 1; k <= widths.Event; k++) row.push(k === slot ? 'Anniversary' : '', k === slot && a ? text(a.values[0]) : '');
  return row;
}

export function encodeGoogleCsv(items: ContactItem[]): string {
  const count = (name: string) => Math.max(1, ...items.map((i) => findProps(i.card, name).length));
  const widths: Record<GroupName, number> = {
    'E-mail': count('email'),
    Phone: count('tel'),
    Address: count('adr'),
    Website: count('url'),
    Event: Math.max(0, ...items.map((i) => (findProp(i.card, 'anniversary') ? anniversarySlot(i.card) : 0))),
  };
  const header = [...BASE_HEADER];
  for (const group of Object.keys(GROUP_FIELDS) as GroupName[]) {
    for (let k = 1; k <= widths[group]; k++) header.push(...GROUP_FIELDS[group].map((f) => `${group} ${k} - ${f}`));
  }
  const table = withKeptCells('google-csv', header, items.map((i) => encodeRow(i.card, widths)), items.map((i) => i.card));
  return writeCsv(table.header, table.rows);
}


/**
 * What a Google CSV keeps. Held: FN (when it is the name the file implies, see `deriveFn`),
 * the first N, ORG (name and one unit), TITLE, BDAY (date or text), ANNIVERSARY, NOTE and
 * PHOTO (a URL, not a data: URI); every NICKNAME, CATEGORIES, EMAIL, TEL, ADR and URL; and
 * the X-ABLABEL custom labels grouped with those; and the cells kept from columns it does not
 * map (`X-CSV-CELL;X-FORMAT=google-csv`, see kept-cells.ts). Nothing else (no other X- properties, no UID).
 */
export const GOOGLE_CSV_CAPABILITIES: FormatCapabilities = csvCapabilities(
  'google-csv',
  { decode: decodeGoogleCsv, encode: encodeGoogleCsv },
  (p, owner) => {
    switch (p.name) {
      case 'title': case 'note': return isFirst(owner, p);
      case 'bday': return isFirst(owner, p) && (p.type === 'date' || p.type === 'text');
      case 'anniversary': return isFirst(owner, p) && p.type === 'date';
      case 'photo': return isFirst(owner, p) && !text(p.values[0]).startsWith('data:');
      case 'nickname': case 'categories':
        return p.values.every((v) => !text(v).includes(' ::: ') && !text(v).startsWith('*'));
      case 'email': case 'tel': case 'url': return true;
      case 'adr': return flatParts(p, 7);
      case KEPT_CELL: return isKeptCellOf(p, 'google-csv');
      case 'x-ablabel': {
        const owned = owner.props.find((q) => q.group === p.group && ['email', 'tel', 'adr', 'url'].includes(q.name));
        return !!p.group && !!owned && isCustomLabel(owned.name as LabelKind, text(p.values[0]));
      }
      default: return false;
    }
  },
);
