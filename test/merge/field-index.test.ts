/**
 * The field-index merge (src/merge/merge-indexed.ts) against `mergeItem`: on every triple,
 * the same merged item, decisions, field sources and flags, as JSON (so also in the same
 * order). Triples are real exports (fixtures/, the golden edge cases, the bench's cards)
 * edited the way members edit them: values re-cased and re-spaced, `pref` added and
 * removed, groups added and renamed, properties added, removed and reordered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { GOOGLE_CSV_CAPABILITIES } from '../../src/codecs/csv/google-csv.js';
import { OUTLOOK_CSV_CAPABILITIES } from '../../src/codecs/csv/outlook-csv.js';
import { decodeICalendar, ICALENDAR_CAPABILITIES } from '../../src/codecs/icalendar/index.js';
import { decodeVCards, VCARD_ANDROID_CAPABILITIES, VCARD_CAPABILITIES } from '../../src/codecs/vcard/index.js';
import { indexComponent } from '../../src/merge/field-index.js';
import { mergeComponentIndexed, mergeContactIndexed } from '../../src/merge/merge-indexed.js';
import { mergeItem, mergeItemWith, type ItemMergeInput } from '../../src/merge/merge-item.js';
import type { ConflictPolicy } from '../../src/merge/policy.js';
import { FULL_CAPABILITIES, type FormatCapabilities } from '../../src/model/capabilities.js';
import { VCARD_RULES } from '../../src/model/field-rules.js';
import type { CalendarItem, ContactItem, Item } from '../../src/model/item.js';
import type { Component, Property } from '../../src/model/property.js';
import { createIdentity } from '../../src/normalize/item-identity.js';
import { contacts } from '../../bench/generate.js';
import { edits } from '../../bench/merge-engine.js';
import { testKeyOf } from './merge-helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

const files = [...filesUnder(join(ROOT, 'fixtures')), ...filesUnder(join(ROOT, 'test/codecs/golden/inputs'))];
const cards: ContactItem[] = [
  ...files.filter((f) => f.endsWith('.vcf')).flatMap((f) => decodeVCards(readFileSync(f)).items),
  ...decodeVCards(contacts(40, 7).map((c) => c.text).join('')).items,
];
const events: CalendarItem[] = files.filter((f) => f.endsWith('.ics')).flatMap((f) => decodeICalendar(readFileSync(f)).items);

const identity = createIdentity('DE');
const CONTACT_CAPS: FormatCapabilities[] = [
  FULL_CAPABILITIES, VCARD_CAPABILITIES['2.1'], VCARD_CAPABILITIES['3.0'], VCARD_CAPABILITIES['4.0'],
  VCARD_ANDROID_CAPABILITIES['3.0'], GOOGLE_CSV_CAPABILITIES, OUTLOOK_CSV_CAPABILITIES,
];
const CALENDAR_CAPS: FormatCapabilities[] = [FULL_CAPABILITIES, ICALENDAR_CAPABILITIES];
const POLICIES: ConflictPolicy[] = [{ kind: 'newest' }, { kind: 'store' }, { kind: 'prefer', order: ['phone'] }, { kind: 'prefer', order: ['desktop'] }];

/** One edit of a component, chosen and placed by random numbers. */
type Edit = [kind: number, at: number, text: string];
const edit: fc.Arbitrary<Edit> = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.nat(), fc.constantFrom('Jane', 'jane  doe', 'JANE', 'x@Example.org', '+49 30 1234', '030/1234', 'Work', ''));

function editValue(v: Property['values'][number], f: (s: string) => string): Property['values'][number] {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((c) => (typeof c === 'string' ? f(c) : c.map(f)));
  return v;
}

function applyEdit(c: Component, [kind, at, text]: Edit): Component {
  const props = [...c.props];
  const n = props.length;
  const i = n === 0 ? 0 : at % n;
  const p = props[i];
  switch (kind) {
    case 0: if (p && p.name !== 'uid') props[i] = { ...p, values: p.values.map((v) => editValue(v, (s) => s.toUpperCase())) }; break;
    case 1: if (p && p.name !== 'uid') props[i] = { ...p, values: p.values.map((v) => editValue(v, (s) => ` ${s.replace(/ /g, '  ')} `)) }; break;
    case 2: if (p) props[i] = { ...p, params: p.params.pref === undefined ? { ...p.params, pref: '1' } : Object.fromEntries(Object.entries(p.params).filter(([k]) => k !== 'pref')) }; break;
    case 3: if (p && p.name !== 'uid') props.splice(i, 0, { ...p, group: 'item7' }, { name: 'x-ablabel', group: 'item7', params: {}, type: 'unknown', values: [text || 'Label'] }); break;
    case 4: for (let k = 0; k < n; k += 1) if (props[k]!.group) props[k] = { ...props[k]!, group: `g${at % 5}` }; break;
    case 5: props.splice(i, 0, { name: c.name === 'vcard' ? ['email', 'tel', 'note', 'categories', 'x-custom'][at % 5]! : ['comment', 'categories', 'summary', 'attendee', 'x-custom'][at % 5]!, params: at % 2 ? { type: ['work'] } : {}, type: 'text', values: [text] }); break;
    case 6: if (p && p.name !== 'uid') props.splice(i, 1); break;
    case 7: props.reverse(); break;
    case 8: if (n > 1) { const j = (at >> 3) % n; [props[i], props[j]] = [props[j]!, props[i]!]; } break;
    case 9: if (p && p.name !== 'uid') props[i] = { ...p, values: [text] }; break;
  }
  return { ...c, props };
}

function editItem(item: Item, list: Edit[]): Item {
  const apply = (c: Component) => list.reduce(applyEdit, c);
  if (item.kind === 'contact') return { ...item, card: apply(item.card) };
  const out: CalendarItem = { ...item, overrides: item.overrides.map(apply) };
  if (item.master) out.master = apply(item.master);
  return out;
}

const same = <T extends Item>(input: ItemMergeInput<T>) => {
  const expected = JSON.stringify(mergeItem(input));
  const actual = JSON.stringify(mergeItemWith(input, mergeContactIndexed, mergeComponentIndexed));
  assert.equal(actual, expected);
};

function input<T extends Item>(base: T | undefined, current: T, incoming: T, caps: FormatCapabilities, policy: ConflictPolicy, keyer: number, sourced: boolean): ItemMergeInput<T> {
  return {
    base, current, incoming, caps, policy,
    keyOf: keyer === 0 ? identity.keyOf : testKeyOf,
    incomingSource: { connector: 'phone', time: '2024-01-02T00:00:00Z' },
    fieldSources: sourced ? { '/note': { connector: 'phone', time: '2024-03-01T00:00:00Z' }, 'master/summary': { connector: 'desktop', time: '2023-01-01T00:00:00Z' } } : {},
    currentFallback: { connector: 'desktop', time: '2024-01-01T00:00:00Z' },
  };
}

const sides = fc.record({
  base: fc.array(edit, { maxLength: 3 }),
  current: fc.array(edit, { maxLength: 4 }),
  incoming: fc.array(edit, { maxLength: 4 }),
  noBase: fc.boolean(),
  policy: fc.constantFrom(...POLICIES),
  keyer: fc.integer({ min: 0, max: 1 }),
  sourced: fc.boolean(),
});

test('the inputs hold contacts and calendar items of every kind the fixtures have', () => {
  assert.ok(cards.length >= 60, `${cards.length} cards`);
  assert.ok(events.length >= 8, `${events.length} calendar items`);
  assert.ok(events.some((e) => e.overrides.length > 0), 'an item with overrides');
});

test('contacts: the field-index merge gives exactly mergeItem\'s result, for every format and policy', () => {
  fc.assert(fc.property(fc.nat(cards.length - 1), fc.constantFrom(...CONTACT_CAPS), sides, (at, caps, s) => {
    const original = cards[at]!;
    const base = editItem(original, s.base) as ContactItem;
    same(input(s.noBase ? undefined : base, editItem(base, s.current) as ContactItem, editItem(base, s.incoming) as ContactItem, caps, s.policy, s.keyer, s.sourced));
  }), { numRuns: 1500, seed: 610 });
});

test('calendar items: the field-index merge gives exactly mergeItem\'s result', () => {
  fc.assert(fc.property(fc.nat(events.length - 1), fc.constantFrom(...CALENDAR_CAPS), sides, (at, caps, s) => {
    const original = events[at]!;
    const base = editItem(original, s.base) as CalendarItem;
    same(input(s.noBase ? undefined : base, editItem(base, s.current) as CalendarItem, editItem(base, s.incoming) as CalendarItem, caps, s.policy, s.keyer, s.sourced));
  }), { numRuns: 400, seed: 611 });
});

test('the bench\'s triples, both edited and one side edited: the same result, also from indexes built beforehand', () => {
  const bench = decodeVCards(contacts(300, 9).map((c) => c.text).join('')).items;
  for (const c of bench) {
    for (const [base, current, incoming] of [[c, ...edits(c)], [c, structuredClone(c), edits(c)[1]]] as Array<[ContactItem, ContactItem, ContactItem]>) {
      const i = input(base, current, incoming, FULL_CAPABILITIES, { kind: 'newest' }, 0, false);
      same(i);
      const index = (x: ContactItem) => indexComponent(x.card, VCARD_RULES, identity.keyOf, true);
      const given = JSON.stringify(mergeContactIndexed(i, { base: index(base), current: index(current), incoming: index(incoming) }));
      assert.equal(given, JSON.stringify(mergeItem(i)));
    }
  }
});
