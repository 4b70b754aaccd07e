/**
 * The one table of field rules. Every decision about how a property is compared and
 * merged reads from here. A property not listed is kept verbatim and merged as a set
 * element keyed by its exact value, so unknown and X- properties are never dropped.
 */

/** How a set element's identity is computed (implemented in src/normalize/keys.ts). */
export type KeyKind =
  | 'email' // lower-cased, trimmed, `mailto:` dropped
  | 'phone' // E.164 with the configured default region, digits otherwise
  | 'text-ci' // trimmed, case-folded, white space collapsed
  | 'adr' // structured address components, case-folded
  | 'uri' // as written, trimmed; `mailto:`/`tel:` case-folded
  | 'value' // exact JSON of the values
  | 'date'; // a date or date-time value, normalised to its digits

export type FieldRule =
  /** One value per item; concurrent different changes are a conflict. */
  | { kind: 'scalar' }
  /** Many values; merged element by element, keyed by a normalised value. `explode`:
   * a property may carry several values (CATEGORIES:a,b; EXDATE:d1,d2) that are elements each. */
  | { kind: 'set'; key: KeyKind; explode?: boolean }
  /** Rewritten by servers and clients on every save; ignored when comparing. */
  | { kind: 'volatile'; why: string };

const scalar: FieldRule = { kind: 'scalar' };
const set = (key: KeyKind, explode = false): FieldRule => ({ kind: 'set', key, explode });

export const VCARD_RULES: Record<string, FieldRule> = {
  // volatile
  version: { kind: 'volatile', why: 'encoders write the version of the target format' },
  prodid: { kind: 'volatile', why: 'every writer stamps its own product id' },
  rev: { kind: 'volatile', why: 'servers and clients bump it on every save; used only as a timestamp for `newest`' },
  // scalars
  uid: scalar, fn: scalar, n: scalar, bday: scalar, anniversary: scalar, gender: scalar,
  kind: scalar, note: scalar, org: scalar, title: scalar, role: scalar, photo: scalar,
  logo: scalar, sound: scalar, tz: scalar, geo: scalar, 'sort-string': scalar, class: scalar,
  // sets
  email: set('email'), tel: set('phone'), adr: set('adr'), url: set('uri'), impp: set('uri'),
  categories: set('text-ci', true), nickname: set('text-ci', true), related: set('uri'),
  member: set('uri'), lang: set('text-ci'), key: set('value'), label: set('text-ci'),
  caladruri: set('uri'), caluri: set('uri'), fburl: set('uri'), source: set('uri'),
  xml: set('value'), clientpidmap: set('value'),
};

export const ICAL_RULES: Record<string, FieldRule> = {
  // volatile
  dtstamp: { kind: 'volatile', why: 'the time the object was written out; servers rewrite it' },
  'last-modified': { kind: 'volatile', why: 'bumped on every save; used only as a timestamp for `newest`' },
  sequence: { kind: 'volatile', why: 'clients bump it on edits; the merged item takes the highest' },
  prodid: { kind: 'volatile', why: 'every writer stamps its own product id' },
  // scalars
  uid: scalar, 'recurrence-id': scalar, summary: scalar, description: scalar, location: scalar,
  dtstart: scalar, dtend: scalar, due: scalar, duration: scalar, status: scalar,
  priority: scalar, 'percent-complete': scalar, completed: scalar, class: scalar,
  transp: scalar, rrule: scalar, organizer: scalar, url: scalar, geo: scalar, color: scalar,
  created: scalar,
  // sets
  attendee: set('email'), exdate: set('date', true), rdate: set('date', true),
  categories: set('text-ci', true), resources: set('text-ci', true), 'related-to': set('value'),
  attach: set('value'), comment: set('text-ci'), contact: set('text-ci'),
  'request-status': set('value'), conference: set('uri'), image: set('uri'),
};

/** Sub-components merged as set elements: VALARMs keyed by action and trigger. */
export const SUBCOMPONENT_KEYS: Record<string, string[]> = {
  valarm: ['action', 'trigger'],
};

/** Properties the table does not list: set elements keyed by their exact value. */
export const UNLISTED: FieldRule = { kind: 'set', key: 'value' };

/**
 * Each table as a Map, built on first use: a merge asks for a rule per property on every
 * side, and a Map lookup of a decoded name is several times cheaper than a property lookup
 * on an object with ~40 keys (which V8 keeps as a dictionary and must intern the name for).
 * Tables are fixed after load, so the Map never goes stale.
 */
const asMaps = new WeakMap<Record<string, FieldRule>, Map<string, FieldRule>>();
let lastTable: Record<string, FieldRule> | undefined;
let lastMap: Map<string, FieldRule> | undefined;

/** The rule of every property name of a table (unlisted names are absent: see {@link ruleFor}). */
export function ruleMap(table: Record<string, FieldRule>): Map<string, FieldRule> {
  if (table === lastTable) return lastMap!;
  let m = asMaps.get(table);
  // Own keys only: a property named `constructor` or `__proto__` is unlisted, not an Object method.
  if (!m) asMaps.set(table, (m = new Map(Object.keys(table).map((k) => [k, table[k]!] as const))));
  lastTable = table;
  lastMap = m;
  return m;
}

export function ruleFor(table: Record<string, FieldRule>, name: string): FieldRule {
  return ruleMap(table).get(name) ?? UNLISTED;
}

export function isVolatile(table: Record<string, FieldRule>, name: string): boolean {
  return table[name]?.kind === 'volatile';
}
