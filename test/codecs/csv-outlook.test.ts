import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeOutlookCsv, encodeOutlookCsv, OUTLOOK_CSV_CAPABILITIES, parseOutlookDate } from '../../src/codecs/csv/index.js';
import { deriveFn } from '../../src/codecs/csv/card.js';
import { ADDRESS_SLOTS, PHONE_SLOTS } from '../../src/codecs/csv/outlook-slots.js';
import { findProp, findProps, prop, type Component, type Property } from '../../src/model/property.js';
import type { ContactItem } from '../../src/model/item.js';
import { byFn, cellText, dateArb, emailArb, fixture, phoneArb, typesOf, values } from './csv-helpers.js';
import { NO_UID } from '../../src/core/types.js';

test('outlook.csv (BOM, CRLF, all quoted): names, phones as written, dates, categories', () => {
  const bytes = fixture('outlook.csv');
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const r = decodeOutlookCsv(bytes);
  assert.deepEqual(r.problems, []);
  assert.equal(r.items.length, 4);
  const jorg = byFn(r.items, 'Jörg Müller');
  assert.deepEqual(findProps(jorg, 'tel').map((p) => [p.values[0], typesOf(p)]), [
    ['0171 1234567', ['cell']], ['030 1234567', ['work', 'voice']],
  ]);
  assert.deepEqual(values(jorg, 'email'), ['joerg.mueller@beispiel-gmbh.de', 'Joerg.Mueller@GMX.de']);
  assert.deepEqual(findProp(jorg, 'bday'), prop('bday', 'date', ['1985-04-12']));
  assert.equal(findProp(jorg, 'anniversary'), undefined, '0/0/00 is no date');
  assert.deepEqual(findProp(jorg, 'categories')?.values, ['Kunden', 'Berlin']);
  assert.deepEqual(findProp(jorg, 'org')?.values, [['Beispiel GmbH', 'Vertrieb Nord']]);

  const john = byFn(r.items, 'Mr. John Q. Smith Jr.');
  assert.deepEqual(findProp(john, 'n')?.values, [['Smith', 'John', 'Q.', 'Mr.', 'Jr.']]);
  assert.equal(findProps(john, 'email').length, 3);
  assert.equal(findProps(john, 'tel').length, 5);
  assert.deepEqual((findProps(john, 'adr')[0].values[0] as string[])[2], '350 Fifth Avenue\nSuite 4100');
  assert.deepEqual(findProps(john, 'adr').map(typesOf), [['work'], ['home']]);
  assert.equal(findProp(john, 'note')?.values[0], 'Met at "RSA Conference".\nPrefers email.');
  assert.equal(findProp(john, 'anniversary')?.values[0], '2008-06-21');
  assert.equal(findProp(john, 'role')?.values[0], 'Engineer');
  assert.equal(findProp(john, 'url')?.values[0], 'https://johnsmith.example.com/');

  const kenji = byFn(r.items, 'Kenji Tanaka');
  assert.deepEqual(values(kenji, 'email'), ['k.tanaka@example.co.jp'], 'Exchange X.500 addresses are not emails');
});

test('outlook-ansi.csv: windows-1252 bytes are decoded', () => {
  const bytes = fixture('outlook-ansi.csv');
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  const r = decodeOutlookCsv(bytes);
  assert.deepEqual(r.problems, []);
  const jorg = byFn(r.items, 'Jörg Müller');
  assert.equal(findProp(jorg, 'org')?.values[0], 'Bäckerei Müller');
  assert.equal(findProp(jorg, 'note')?.values[0], 'Lieferung Brötchen – täglich 6 Uhr €');
  assert.equal((findProp(jorg, 'adr')?.values[0] as string[])[3], 'Köln');
  byFn(r.items, 'François Lefèvre');
});

test('string input with and without BOM', () => {
  const text = fixture('outlook.csv').toString('utf8');
  assert.ok(text.startsWith('\uFEFF'));
  assert.deepEqual(decodeOutlookCsv(text), decodeOutlookCsv(text.slice(1)));
  assert.equal(decodeOutlookCsv(text).items.length, 4);
});

for (const name of ['outlook.csv', 'outlook-ansi.csv']) {
  test(`${name}: decode → encode → decode keeps every card`, () => {
    const first = decodeOutlookCsv(fixture(name));
    const text = encodeOutlookCsv(first.items);
    assert.ok(text.startsWith('\uFEFF"Title","First Name","Middle Name","Last Name"'));
    const second = decodeOutlookCsv(text);
    assert.deepEqual(second.problems, []);
    assert.deepEqual(second.items, first.items);
    for (const i of first.items) for (const p of i.card.props) assert.ok(OUTLOOK_CSV_CAPABILITIES.holds(p, i.card), `${p.name} held`);
  });
}

test('Outlook dates', () => {
  assert.equal(parseOutlookDate('4/12/1985'), '1985-04-12');
  assert.equal(parseOutlookDate('12.04.1985'), '1985-04-12');
  assert.equal(parseOutlookDate('1985-04-12'), '1985-04-12');
  assert.equal(parseOutlookDate('0/0/00'), undefined);
  assert.equal(parseOutlookDate(''), undefined);
  assert.equal(parseOutlookDate('13/40/1985'), undefined);
});

test('fixed slots: numbers beyond a kind\'s columns are not written, and capabilities say so', () => {
  const card: Component = {
    name: 'vcard', components: [], props: [
      prop('fn', 'text', ['Jörg Müller']), prop('n', 'text', [['Müller', 'Jörg', '', '', '']]),
      prop('tel', 'text', ['0171 1111111'], { type: ['cell'] }),
      prop('tel', 'text', ['0171 2222222'], { type: ['cell'] }),
      prop('tel', 'text', ['030 1'], { type: ['work'] }), prop('tel', 'text', ['030 2'], { type: ['work'] }), prop('tel', 'text', ['030 3'], { type: ['work'] }),
      prop('email', 'text', ['a@x.de']), prop('email', 'text', ['b@x.de']), prop('email', 'text', ['c@x.de']), prop('email', 'text', ['d@x.de']),
      prop('adr', 'text', [['', '', 'A-Str. 1', 'Berlin', '', '10115', '']], { type: ['home'] }),
      prop('adr', 'text', [['', '', 'B-Str. 2', 'Berlin', '', '10115', '']], { type: ['home'] }),
      prop('url', 'uri', ['https://a.example/']), prop('url', 'uri', ['https://b.example/']),
      prop('photo', 'uri', ['https://p.example/x.jpg']), prop('nickname', 'text', ['Jö']), prop('x-foo', 'unknown', ['bar']),
    ],
  };
  const held = card.props.filter((p) => OUTLOOK_CSV_CAPABILITIES.holds(p, card)).map((p) => `${p.name}:${JSON.stringify(p.values[0])}`);
  assert.deepEqual(held, [
    'fn:"Jörg Müller"', 'n:["Müller","Jörg","","",""]', 'tel:"0171 1111111"', 'tel:"030 1"', 'tel:"030 2"',
    'email:"a@x.de"', 'email:"b@x.de"', 'email:"c@x.de"', 'adr:["","","A-Str. 1","Berlin","","10115",""]', 'url:"https://a.example/"',
  ]);
  const back = decodeOutlookCsv(encodeOutlookCsv([{ kind: 'contact', uid: NO_UID, card }])).items[0].card;
  assert.deepEqual(values(back, 'tel'), ['0171 1111111', '030 1', '030 2']);
  assert.deepEqual(values(back, 'email'), ['a@x.de', 'b@x.de', 'c@x.de']);
  assert.equal(findProps(back, 'adr').length, 1);
});

test('a file that is not an Outlook CSV is one problem naming the expected format', () => {
  const r = decodeOutlookCsv(fixture('google.csv'));
  assert.equal(r.items.length, 0);
  assert.match(r.problems[0].message, /not an Outlook CSV/);
});

test('broken Outlook rows name their row', () => {
  const good = encodeOutlookCsv([{ kind: 'contact', uid: NO_UID, card: { name: 'vcard', components: [], props: [prop('fn', 'text', ['A B']), prop('n', 'text', [['B', 'A', '', '', '']])] } }]);
  const [header, row] = good.split('\r\n');
  const text = [header, row, '"Mr.","Bad","Row"', row, ''].join('\r\n');
  const r = decodeOutlookCsv(text);
  assert.equal(r.items.length, 2);
  assert.deepEqual(r.problems.map((p) => p.line), [3]);
  assert.match(r.problems[0].message, /3 fields, the header has 92/);
});

const outlookCard = fc
  .record({
    n: fc.tuple(cellText(), cellText(), fc.constantFrom('', 'Q.'), fc.constantFrom('', 'Mr.', 'Dr.'), fc.constantFrom('', 'Jr.')),
    org: fc.option(fc.oneof(cellText(), fc.tuple(cellText(), cellText())), { nil: undefined }),
    title: fc.option(cellText(), { nil: undefined }),
    role: fc.option(cellText(), { nil: undefined }),
    bday: fc.option(dateArb, { nil: undefined }),
    anniversary: fc.option(dateArb, { nil: undefined }),
    note: fc.option(cellText(30), { nil: undefined }),
    categories: fc.option(fc.array(cellText(), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    emails: fc.array(emailArb, { maxLength: 3 }),
    tels: fc.subarray(PHONE_SLOTS).chain((slots) => fc.tuple(...slots.map((s) => phoneArb.map((v) => ({ v, s }))))),
    adrs: fc.subarray(ADDRESS_SLOTS).chain((slots) => fc.tuple(...slots.map((s) => fc.tuple(fc.constantFrom('', '12 34'), fc.array(cellText(), { minLength: 1, maxLength: 3 }), cellText(), cellText(), cellText(), cellText()).map((v) => ({ v, s }))))),
    url: fc.option(fc.constantFrom('https://a.example/'), { nil: undefined }),
  })
  .map((r): ContactItem => {
    const card: Component = { name: 'vcard', props: [], components: [] };
    const add = (p: Property) => card.props.push(p);
    add(prop('n', 'text', [[...r.n]]));
    if (r.org !== undefined) add(prop('org', 'text', [typeof r.org === 'string' ? r.org : [...r.org]]));
    if (r.title) add(prop('title', 'text', [r.title]));
    if (r.role) add(prop('role', 'text', [r.role]));
    if (r.bday) add(prop('bday', 'date', [r.bday]));
    if (r.anniversary) add(prop('anniversary', 'date', [r.anniversary]));
    if (r.note) add(prop('note', 'text', [r.note]));
    if (r.categories) add(prop('categories', 'text', r.categories));
    for (const e of r.emails) add(prop('email', 'text', [e]));
    for (const t of r.tels) add(prop('tel', 'text', [t.v], t.s.decodeTypes.length ? { type: [...t.s.decodeTypes] } : {}));
    for (const a of r.adrs) {
      const [pobox, street, city, region, code, country] = a.v;
      add(prop('adr', 'text', [[pobox, '', street.join('\n'), city, region, code, country]], a.s.decodeTypes.length ? { type: [...a.s.decodeTypes] } : {}));
    }
    if (r.url) add(prop('url', 'uri', [r.url]));
    card.props.unshift(prop('fn', 'text', [deriveFn(card)]));
    return { kind: 'contact', uid: NO_UID, card };
  });

test('property: random contacts of held fields survive Outlook CSV unchanged', () => {
  fc.assert(
    fc.property(fc.array(outlookCard, { minLength: 1, maxLength: 4 }), (items) => {
      for (const i of items) for (const p of i.card.props) assert.ok(OUTLOOK_CSV_CAPABILITIES.holds(p, i.card), p.name);
      const back = decodeOutlookCsv(encodeOutlookCsv(items));
      assert.deepEqual(back.problems, []);
      assert.deepEqual(back.items, items);
    }),
    { numRuns: 150 },
  );
});
