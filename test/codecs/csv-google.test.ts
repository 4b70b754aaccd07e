import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeGoogleCsv, encodeGoogleCsv, GOOGLE_CSV_CAPABILITIES } from '../../src/codecs/csv/index.js';
import { deriveFn } from '../../src/codecs/csv/card.js';
import { findProp, findProps, prop, type Component, type Property } from '../../src/model/property.js';
import type { ContactItem } from '../../src/model/item.js';
import { byFn, cellText, dateArb, emailArb, fixture, phoneArb, typesOf, values } from './csv-helpers.js';
import { NO_UID } from '../../src/core/types.js';

test('google.csv: names, emails, phones, labels, addresses, birthdays', () => {
  const r = decodeGoogleCsv(fixture('google.csv'));
  assert.deepEqual(r.problems, []);
  assert.equal(r.items.length, 7);
  for (const i of r.items) assert.equal(i.uid, '');
  const jorg = byFn(r.items, 'Jörg Müller');
  assert.deepEqual(findProp(jorg, 'n')?.values, [['Müller', 'Jörg', '', '', '']]);
  assert.deepEqual(values(jorg, 'email'), ['joerg.mueller@beispiel-gmbh.de', 'Joerg.Mueller@GMX.de']);
  assert.equal(findProps(jorg, 'email')[0].params.pref, '1');
  assert.deepEqual(findProps(jorg, 'tel').map((p) => [p.values[0], typesOf(p)]), [
    ['+49 171 1234567', ['cell']], ['+49 30 1234567', ['work']], ['+49 30 7654321', ['work']],
  ]);
  assert.equal(findProps(jorg, 'tel')[0].type, 'text');
  assert.deepEqual(findProp(jorg, 'categories')?.values, ['Kunden', 'Berlin']);
  assert.deepEqual(findProp(jorg, 'org')?.values, [['Beispiel GmbH', 'Vertrieb Nord']]);
  assert.deepEqual(findProp(jorg, 'bday'), prop('bday', 'date', ['1985-04-12']));
  assert.deepEqual(findProp(jorg, 'adr')?.values, [['', '', 'Friedrichstraße 123', 'Berlin', '', '10117', 'Deutschland']]);

  const claire = byFn(r.items, 'Mme Claire Dubois');
  assert.deepEqual(findProp(claire, 'bday')?.values, ['--07-14']);
  assert.equal(findProp(claire, 'note')?.values[0], 'Rencontrée au salon "VivaTech", 2023.\nPréfère être appelée le matin.');
  assert.equal((findProp(claire, 'adr')?.values[0] as string[])[2], 'Résidence "Les Tilleuls"\n12 rue de Rivoli');
  assert.deepEqual(findProp(claire, 'nickname')?.values, ['Coco']);

  const john = byFn(r.items, 'John Q. Smith');
  assert.equal(findProps(john, 'email').length, 3);
  const alumni = findProps(john, 'email')[2];
  assert.equal(alumni.group, 'item1');
  assert.deepEqual(findProps(john, 'x-ablabel'), [prop('x-ablabel', 'text', ['Alumni'], {}, 'item1')]);
  assert.deepEqual(findProp(john, 'categories')?.values, ['Work'], 'system labels (* myContacts, * starred) are not categories');
  assert.deepEqual(findProp(john, 'url'), prop('url', 'uri', ['https://johnsmith.example.com/'], { type: ['home'] }));

  const emily = byFn(r.items, 'Emily Clarke MBE');
  assert.equal(findProps(emily, 'adr')[0].params.label, 'Flat 2\n221B Baker Street\nLondon NW1 6XE\nUnited Kingdom');
  assert.equal((findProps(emily, 'adr')[0].values[0] as string[])[1], 'Flat 2');

  const taro = byFn(r.items, '山田 太郎');
  assert.equal(findProps(taro, 'x-ablabel')[0].values[0], 'Office (Shinjuku)');
  const acme = byFn(r.items, 'ACME Corp');
  assert.deepEqual(findProps(acme, 'tel').map(typesOf), [['main'], ['work', 'fax']]);
  const anna = byFn(r.items, 'Anna Schmidt');
  assert.deepEqual(findProp(anna, 'photo'), prop('photo', 'uri', ['https://lh3.googleusercontent.com/contacts/AOd4x7example']));
  assert.deepEqual(findProps(anna, 'tel').map(typesOf), [['pager'], ['fax']]);
});

test('google-legacy.csv: the older header set', () => {
  const r = decodeGoogleCsv(fixture('google-legacy.csv'));
  assert.deepEqual(r.problems, []);
  assert.equal(r.items.length, 3);
  const jorg = byFn(r.items, 'Jörg Müller');
  assert.deepEqual(values(jorg, 'email'), ['joerg.mueller@beispiel-gmbh.de', 'Joerg.Mueller@GMX.de']);
  assert.deepEqual(findProps(jorg, 'tel').map(typesOf), [['cell'], ['work']]);
  assert.deepEqual(findProp(jorg, 'categories')?.values, ['Kunden']);
  assert.equal(findProp(jorg, 'org')?.values[0], 'Beispiel GmbH');
  assert.equal(findProp(jorg, 'title')?.values[0], 'Vertriebsleiter');
  const sabine = byFn(r.items, 'Dr. Sabine Weiß');
  assert.equal(findProp(sabine, 'categories'), undefined);
  assert.equal(findProp(sabine, 'note')?.values[0], 'Hausärztin');
  assert.equal(findProps(sabine, 'x-ablabel')[0].values[0], 'Profile');
  const pierre = byFn(r.items, 'Pierre Martin');
  assert.deepEqual(findProp(pierre, 'email')?.params, { pref: '1' });
});

for (const name of ['google.csv', 'google-legacy.csv']) {
  test(`${name}: decode → encode → decode keeps every card`, () => {
    const first = decodeGoogleCsv(fixture(name));
    const text = encodeGoogleCsv(first.items);
    const second = decodeGoogleCsv(text);
    assert.deepEqual(second.problems, []);
    assert.deepEqual(second.items, first.items);
    for (const i of first.items) for (const p of i.card.props) assert.ok(GOOGLE_CSV_CAPABILITIES.holds(p, i.card), `${p.name} held`);
  });
}

test('encoding writes as many column groups as the widest contact needs', () => {
  const { items } = decodeGoogleCsv(fixture('google.csv'));
  const header = encodeGoogleCsv(items).split('\r\n')[0].split(',');
  assert.ok(header.includes('E-mail 3 - Value') && !header.includes('E-mail 4 - Value'));
  assert.ok(header.includes('Phone 3 - Value') && !header.includes('Phone 4 - Value'));
  assert.ok(header.includes('Address 2 - Formatted') && !header.includes('Address 3 - Formatted'));
  assert.equal(header[0], 'First Name');
  assert.ok(encodeGoogleCsv([]).startsWith('First Name,Middle Name,Last Name,'));
});

test('a file that is not a Google CSV is one problem naming the expected format', () => {
  const r = decodeGoogleCsv(fixture('outlook.csv'));
  assert.equal(r.items.length, 0);
  assert.equal(r.problems[0].line, 1);
  assert.match(r.problems[0].message, /not a Google Contacts CSV/);
});

test('broken rows are reported with their row; the others decode', () => {
  const r = decodeGoogleCsv(fixture('broken-google.csv'));
  assert.deepEqual(r.items.map((i) => findProp(i.card, 'fn')?.values[0]), ['Anna Schmidt', 'Carla Conti', 'Eva Engel', 'Frank Fischer']);
  assert.deepEqual(r.problems.map((p) => p.line), [3, 5]);
  assert.match(r.problems[0].message, /row 3: unclosed quote/);
  assert.ok(r.problems[0].raw.startsWith('Bernd,Baumeister,"Bau & Co GmbH'));
  assert.match(r.problems[1].message, /row 5: 11 fields, the header has 9/);
  assert.equal(findProp(byFn(r.items, 'Eva Engel'), 'note')?.values[0], 'Notiz über zwei\nZeilen, mit "Zitat"');
});

test('capabilities: what Google CSV holds and what it does not', () => {
  const card: Component = {
    name: 'vcard', components: [], props: [
      prop('fn', 'text', ['Jörg Müller']), prop('n', 'text', [['Müller', 'Jörg', '', '', '']]),
      prop('photo', 'uri', ['data:image/jpeg;base64,AAAA']), prop('x-custom', 'unknown', ['x']),
      prop('uid', 'text', ['abc']), prop('impp', 'uri', ['xmpp:j@example.org']),
      prop('email', 'text', ['a@example.com'], { type: ['work'] }),
    ],
  };
  const held = (name: string) => GOOGLE_CSV_CAPABILITIES.holds(findProp(card, name) as Property, card);
  assert.equal(GOOGLE_CSV_CAPABILITIES.format, 'google-csv');
  assert.ok(held('fn') && held('n') && held('email'));
  assert.ok(!held('photo') && !held('x-custom') && !held('uid') && !held('impp'));
  const other = { ...card, props: [prop('fn', 'text', ['The Boss']), card.props[1]] };
  assert.ok(!GOOGLE_CSV_CAPABILITIES.holds(other.props[0], other), 'an FN the name columns cannot give back');
});

/** Random contacts made only of what Google CSV holds, in the decoder's property order. */
const labelled = <T extends string>(name: string, type: string, value: fc.Arbitrary<T | string[]>, typeChoices: string[][]) =>
  fc.array(fc.record({ v: value, types: fc.constantFrom(...typeChoices), pref: fc.boolean(), custom: fc.option(fc.constantFrom('Alumni', 'Zweitwohnung', 'Büro (alt)'), { nil: undefined }) }), { maxLength: 3 })
    .map((xs) => xs.map((x) => ({ name, type, ...x })));

const googleCard = fc
  .record({
    n: fc.tuple(cellText(), cellText(), fc.constantFrom('', 'Maria'), fc.constantFrom('', 'Dr.', 'Mme'), fc.constantFrom('', 'Jr.')),
    nickname: fc.option(fc.array(cellText(), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    org: fc.option(fc.oneof(cellText(), fc.tuple(cellText(), cellText())), { nil: undefined }),
    title: fc.option(cellText(), { nil: undefined }),
    bday: fc.option(fc.oneof(dateArb, fc.constantFrom('--04-12', '--12-31')), { nil: undefined }),
    note: fc.option(fc.tuple(cellText(), cellText()).map(([a, b]) => `${a}\n${b}`), { nil: undefined }),
    photo: fc.option(fc.constantFrom('https://lh3.googleusercontent.com/a/x1'), { nil: undefined }),
    categories: fc.option(fc.array(cellText(), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    emails: labelled('email', 'text', emailArb, [[], ['home'], ['work']]),
    tels: labelled('tel', 'text', phoneArb, [[], ['cell'], ['home'], ['work'], ['work', 'fax'], ['pager'], ['main']]),
    adrs: labelled('adr', 'text', fc.tuple(cellText(), cellText(), cellText(), cellText(), cellText(), cellText(), cellText()), [[], ['home'], ['work']]),
    urls: labelled('url', 'uri', fc.constantFrom('https://a.example/', 'http://b.example/x'), [[], ['home'], ['work']]),
  })
  .map((r): ContactItem => {
    const card: Component = { name: 'vcard', props: [], components: [] };
    const add = (p: Property) => card.props.push(p);
    add(prop('n', 'text', [[...r.n]]));
    if (r.nickname) add(prop('nickname', 'text', r.nickname));
    if (r.org !== undefined) add(prop('org', 'text', [typeof r.org === 'string' ? r.org : [...r.org]]));
    if (r.title) add(prop('title', 'text', [r.title]));
    if (r.bday) add(prop('bday', 'date', [r.bday]));
    if (r.note) add(prop('note', 'text', [r.note]));
    if (r.photo) add(prop('photo', 'uri', [r.photo]));
    if (r.categories) add(prop('categories', 'text', r.categories));
    let g = 0;
    for (const x of [...r.emails, ...r.tels, ...r.adrs, ...r.urls]) {
      const p = prop(x.name, x.type, [x.v]);
      if (x.custom) {
        p.group = `item${++g}`;
      } else if (x.types.length) p.params.type = [...x.types];
      if (x.pref) p.params.pref = '1';
      add(p);
      if (x.custom) add(prop('x-ablabel', 'text', [x.custom], {}, p.group));
    }
    card.props.unshift(prop('fn', 'text', [deriveFn(card)]));
    return { kind: 'contact', uid: NO_UID, card };
  });

test('property: random contacts of held fields survive Google CSV unchanged', () => {
  fc.assert(
    fc.property(fc.array(googleCard, { minLength: 1, maxLength: 4 }), (items) => {
      for (const i of items) for (const p of i.card.props) assert.ok(GOOGLE_CSV_CAPABILITIES.holds(p, i.card), p.name);
      const back = decodeGoogleCsv(encodeGoogleCsv(items));
      assert.deepEqual(back.problems, []);
      assert.deepEqual(back.items, items);
    }),
    { numRuns: 150 },
  );
});
