import assert from 'node:assert/strict';
import type { FormatCapabilities } from '../../src/model/capabilities.js';
import { ICAL_RULES, VCARD_RULES, isVolatile } from '../../src/model/field-rules.js';
import type { CalendarItem, ContactItem, Item } from '../../src/model/item.js';
import { prop, type Component, type Property } from '../../src/model/property.js';
import { asUid, type CollectionKind } from '../../src/core/types.js';

/** Sample items for the contract suite: plain values every codec should carry as they are. */
export function sampleItem(kind: CollectionKind, uid: string, text: string, extras: Property[] = []): Item {
  switch (kind) {
    case 'contacts': {
      const card: Component = {
        name: 'vcard',
        props: [
          prop('uid', 'text', [uid]),
          prop('fn', 'text', [`Jane ${text}`]),
          prop('n', 'text', [[text, 'Jane', '', '', '']]),
          prop('email', 'text', [`jane.${text.toLowerCase()}@example.org`]),
          prop('note', 'text', [`note ${text}`]),
          ...extras,
        ],
        components: [],
      };
      const item: ContactItem = { kind: 'contact', uid: asUid(uid), card };
      return item;
    }
    case 'calendar': {
      const master: Component = {
        name: 'vevent',
        props: [
          prop('uid', 'text', [uid]),
          prop('dtstamp', 'date-time', ['2024-01-01T00:00:00Z']),
          prop('dtstart', 'date-time', ['2024-05-01T10:00:00Z']),
          prop('dtend', 'date-time', ['2024-05-01T11:00:00Z']),
          prop('summary', 'text', [`Meeting ${text}`]),
          ...extras,
        ],
        components: [],
      };
      const item: CalendarItem = { kind: 'calendar', uid: asUid(uid), compType: 'vevent', master, overrides: [], timezones: [] };
      return item;
    }
  }
}

/** Unknown X- properties and a vCard group (`item1.EMAIL` + `item1.X-ABLABEL`). */
export function unknownExtras(kind: CollectionKind): Property[] {
  const x = prop('x-pimhub-test', 'unknown', ['kept as written']);
  if (kind === 'calendar') return [x];
  return [
    x,
    prop('email', 'text', ['jane@uni.example.org'], {}, 'item1'),
    prop('x-ablabel', 'unknown', ['Uni'], {}, 'item1'),
  ];
}

function mainComponent(i: Item): Component | undefined {
  return i.kind === 'contact' ? i.card : i.master;
}

function paramsInclude(actual: Property['params'], expected: Property['params']): boolean {
  return Object.entries(expected).every(([k, v]) => {
    const a = actual[k];
    const want = Array.isArray(v) ? v : [v];
    const have = a === undefined ? [] : Array.isArray(a) ? a : [a];
    return want.every((w) => have.some((h) => h.toLowerCase() === w.toLowerCase()));
  });
}

/**
 * The item read back holds every property of the one written that the source's format
 * can hold: same name, group and values, the written parameters among its own, and as
 * many of each such property (an update does not leave the old value behind).
 */
export function assertItemHolds(actual: Item, expected: Item, caps: FormatCapabilities): void {
  assert.equal(actual.kind, expected.kind);
  const rules = expected.kind === 'contact' ? VCARD_RULES : ICAL_RULES;
  const want = mainComponent(expected);
  const have = mainComponent(actual);
  assert.ok(want && have, 'the item read back has a main component');
  const held = want.props.filter((p) => caps.holds(p, want) && !isVolatile(rules, p.name));
  for (const p of held) {
    const found = have.props.some((q) => q.name === p.name && q.group === p.group
      && JSON.stringify(q.values) === JSON.stringify(p.values) && paramsInclude(q.params, p.params));
    assert.ok(found, `${p.group ? `${p.group}.` : ''}${p.name.toUpperCase()} ${JSON.stringify(p.values)} read back; got ${JSON.stringify(have.props.filter((q) => q.name === p.name))}`);
  }
  for (const name of new Set(held.map((p) => p.name))) {
    const count = (c: Component) => c.props.filter((p) => p.name === name).length;
    assert.equal(count(have), held.filter((p) => p.name === name).length, `number of ${name.toUpperCase()} properties`);
  }
  const uidProp = want.props.find((p) => p.name === 'uid');
  if (uidProp && caps.holds(uidProp, want)) assert.equal(actual.uid, expected.uid);
}
