import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGoogleCsv, decodeOutlookCsv, encodeGoogleCsv, encodeOutlookCsv, GOOGLE_CSV_CAPABILITIES, OUTLOOK_CSV_CAPABILITIES } from '../../src/codecs/csv/index.js';
import { KEPT_CELL } from '../../src/codecs/csv/kept-cells.js';
import { findProps } from '../../src/model/property.js';
import { readCsv } from '../../src/codecs/csv/rows.js';
import { NO_UID } from '../../src/core/types.js';

/** The cells of a CSV text by column name, one map per row. */
function cellsByColumn(text: string): Array<Map<string, string>> {
  const t = readCsv(text.replace(/^\uFEFF/, ''));
  return t.rows.map((r) => new Map(t.header.map((h, i) => [h, r.cells[i] ?? ''])));
}

// A Google export with the columns people fill in the web app beside the usual ones.
const GOOGLE = [
  'First Name,Last Name,Phonetic First Name,Phonetic Last Name,File As,Labels,E-mail 1 - Label,E-mail 1 - Value,'
  + 'Relation 1 - Label,Relation 1 - Value,Event 1 - Label,Event 1 - Value,Event 2 - Label,Event 2 - Value,'
  + 'Custom Field 1 - Label,Custom Field 1 - Value,IM 1 - Label,IM 1 - Service,IM 1 - Value',
  'Taro,Yamada,タロウ,ヤマダ,"Yamada, Taro",* starred ::: * myContacts ::: Family,Home,taro@example.jp,'
  + 'Spouse,Hanako Yamada,Graduation,2001-06-30,Anniversary,2010-05-01,Shoe size,27,Home,Skype,taro.yamada',
  'Anna,Berg,,,,* myContacts,Work,anna@example.org,,,,,,,,,,,',
].join('\r\n') + '\r\n';

test('Google CSV: cells of columns the codec does not map are kept and written back in their columns', () => {
  const r = decodeGoogleCsv(GOOGLE);
  assert.deepEqual(r.problems, []);
  const taro = r.items[0]!.card;
  const kept = findProps(taro, KEPT_CELL).map((p) => [p.params['x-column'], p.values[0]]);
  assert.deepEqual(new Map(kept as Array<[string, string]>), new Map([
    ['Labels', '* starred'], ['Phonetic First Name', 'タロウ'], ['Phonetic Last Name', 'ヤマダ'], ['File As', 'Yamada, Taro'],
    ['Relation 1 - Label', 'Spouse'], ['Relation 1 - Value', 'Hanako Yamada'],
    ['Event 1 - Label', 'Graduation'], ['Event 1 - Value', '2001-06-30'],
    ['Custom Field 1 - Label', 'Shoe size'], ['Custom Field 1 - Value', '27'],
    ['IM 1 - Label', 'Home'], ['IM 1 - Service', 'Skype'], ['IM 1 - Value', 'taro.yamada'],
  ]));
  assert.equal(findProps(taro, 'anniversary')[0]?.values[0], '2010-05-01');
  for (const p of taro.props) assert.ok(GOOGLE_CSV_CAPABILITIES.holds(p, taro), `a Google CSV holds ${p.name}`);
  assert.deepEqual(findProps(r.items[1]!.card, KEPT_CELL), [], 'a row with nothing unmapped keeps nothing');

  const out = cellsByColumn(encodeGoogleCsv(r.items));
  const original = cellsByColumn(GOOGLE);
  for (const [column, cell] of original[0]!) {
    if (column === 'Labels') continue;
    assert.equal(out[0]!.get(column), cell, `column ${column}`);
  }
  assert.deepEqual(new Set(out[0]!.get('Labels')!.split(' ::: ')), new Set(original[0]!.get('Labels')!.split(' ::: ')));
  assert.deepEqual(decodeGoogleCsv(encodeGoogleCsv(r.items)).items, r.items, 'a second round trip changes nothing');
});

test('Google CSV: the older export\'s "* My Contacts" is not kept twice beside "* myContacts"', () => {
  const r = decodeGoogleCsv('Name,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value\r\nJo Li,Jo,Li,* My Contacts ::: * Starred,Home,jo@example.org\r\n');
  assert.deepEqual(findProps(r.items[0]!.card, KEPT_CELL).map((p) => p.values[0]), ['* Starred']);
  assert.equal(cellsByColumn(encodeGoogleCsv(r.items))[0]!.get('Labels'), '* myContacts ::: * Starred');
});

test('Outlook CSV: unmapped columns (Initials, Spouse, User 1, Gender) and an Exchange address are kept; defaults are not', () => {
  const header = '"First Name","Last Name","E-mail Address","E-mail Type","E-mail Display Name","E-mail 2 Address","E-mail 2 Type","Initials","Spouse","User 1","Gender","Priority","Mobile Phone"';
  const row = '"Kenji","Tanaka","/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=kenji","EX","Kenji Tanaka","k.tanaka@example.co.jp","SMTP","K.T.","Yuki","VIP","Male","Normal","+81 90 1234 5678"';
  const r = decodeOutlookCsv(`${header}\r\n${row}\r\n`);
  assert.deepEqual(r.problems, []);
  const card = r.items[0]!.card;
  const kept = new Map(findProps(card, KEPT_CELL).map((p) => [p.params['x-column'] as string, p.values[0] as string]));
  assert.equal(kept.get('Initials'), 'K.T.');
  assert.equal(kept.get('Spouse'), 'Yuki');
  assert.equal(kept.get('User 1'), 'VIP');
  assert.equal(kept.get('Gender'), 'Male');
  assert.equal(kept.get('E-mail Type'), 'EX');
  assert.equal(kept.has('Priority'), false, 'Outlook\'s "Normal" default is no value');
  assert.deepEqual(findProps(card, 'email').map((p) => p.values[0]), ['k.tanaka@example.co.jp']);
  for (const p of card.props) assert.ok(OUTLOOK_CSV_CAPABILITIES.holds(p, card), `an Outlook CSV holds ${p.name}`);

  const out = cellsByColumn(encodeOutlookCsv(r.items))[0]!;
  assert.equal(out.get('E-mail Address'), '/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=kenji', 'the Exchange entry keeps its slot');
  assert.equal(out.get('E-mail Type'), 'EX');
  assert.equal(out.get('E-mail 2 Address'), 'k.tanaka@example.co.jp');
  assert.equal(out.get('Initials'), 'K.T.');
  assert.equal(out.get('Spouse'), 'Yuki');
  assert.equal(out.get('Gender'), 'Male', 'a kept cell replaces the default Outlook writes');
  const props = (c: typeof card) => c.props.map((q) => JSON.stringify(q)).sort();
  assert.deepEqual(props(decodeOutlookCsv(encodeOutlookCsv(r.items)).items[0]!.card), props(card), 'a second round trip changes nothing (Outlook\'s column order may reorder them)');
});

test('a cell kept from a Google CSV is not written into an Outlook CSV, and an Outlook CSV does not claim to hold it', () => {
  const card = decodeGoogleCsv(GOOGLE).items[0]!.card;
  const kept = findProps(card, KEPT_CELL)[0]!;
  assert.equal(OUTLOOK_CSV_CAPABILITIES.holds(kept, card), false);
  const out = encodeOutlookCsv([{ kind: 'contact', uid: NO_UID, card }]);
  assert.doesNotMatch(out, /Relation 1|Shoe size/);
});
