import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGoogleCsv, decodeOutlookCsv, encodeGoogleCsv, encodeOutlookCsv } from '../../src/codecs/csv/index.js';
import { identityKeys } from '../../src/normalize/keys.js';
import { namesSimilar } from '../../src/normalize/names.js';
import { findProp } from '../../src/model/property.js';
import type { ContactItem } from '../../src/model/item.js';
import { byFn, fixture } from './csv-helpers.js';

const opts = { defaultRegion: 'DE' };
const keys = (i: ContactItem) => identityKeys(i.card, opts);

test('the same person in Google and Outlook exports has the same identity keys', () => {
  const g = byFn(decodeGoogleCsv(fixture('google.csv')).items, 'Jörg Müller');
  const o = byFn(decodeOutlookCsv(fixture('outlook.csv')).items, 'Jörg Müller');
  const kg = identityKeys(g, opts);
  const ko = identityKeys(o, opts);
  assert.equal(kg.name, ko.name);
  assert.ok(kg.phones.includes('+491711234567') && ko.phones.includes('+491711234567'), '+49 171 1234567 ≡ 0171 1234567 in DE');
  assert.deepEqual(ko.emails, kg.emails);
  const legacy = byFn(decodeGoogleCsv(fixture('google-legacy.csv')).items, 'Jörg Müller');
  assert.deepEqual(identityKeys(legacy, opts).emails, kg.emails);
  const ansi = byFn(decodeOutlookCsv(fixture('outlook-ansi.csv')).items, 'Jörg Müller');
  assert.ok(identityKeys(ansi, opts).phones.includes('+491711234567'));
  const claireG = byFn(decodeGoogleCsv(fixture('google.csv')).items, 'Mme Claire Dubois');
  const claireO = byFn(decodeOutlookCsv(fixture('outlook.csv')).items, 'Claire Dubois');
  assert.ok(namesSimilar(identityKeys(claireG, { defaultRegion: 'FR' }).name, identityKeys(claireO, { defaultRegion: 'FR' }).name));
  assert.deepEqual(identityKeys(claireG, { defaultRegion: 'FR' }).phones, identityKeys(claireO, { defaultRegion: 'FR' }).phones);
});

test('Google → Outlook → Google keeps names, emails and phones', () => {
  const g = decodeGoogleCsv(fixture('google.csv')).items;
  const back = decodeGoogleCsv(encodeGoogleCsv(decodeOutlookCsv(encodeOutlookCsv(g)).items)).items;
  assert.equal(back.length, g.length);
  g.forEach((item, i) => {
    assert.deepEqual(findProp(back[i].card, 'n')?.values, findProp(item.card, 'n')?.values);
    assert.equal(findProp(back[i].card, 'fn')?.values[0], findProp(item.card, 'fn')?.values[0]);
    const a = keys(item);
    const b = keys(back[i]);
    // Outlook holds three emails, and every phone of these contacts has a column.
    assert.deepEqual(b.emails, a.emails.length <= 3 ? a.emails : b.emails);
    assert.deepEqual(b.phones, a.phones);
  });
});

test('Outlook → Google → Outlook keeps names, emails and phones', () => {
  const o = decodeOutlookCsv(fixture('outlook.csv')).items;
  const back = decodeOutlookCsv(encodeOutlookCsv(decodeGoogleCsv(encodeGoogleCsv(o)).items)).items;
  assert.equal(back.length, o.length);
  o.forEach((item, i) => {
    assert.deepEqual(findProp(back[i].card, 'n')?.values, findProp(item.card, 'n')?.values);
    assert.deepEqual(keys(back[i]), keys(item));
  });
});
