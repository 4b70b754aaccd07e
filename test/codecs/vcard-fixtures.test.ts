import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVCards, encodeVCard } from '../../src/codecs/vcard/index.js';
import { decodeOk, fixture, one, photoBytes, props } from './vcard-helpers.js';

const LONG_NOTE =
  'Kennengelernt auf der Messe in München, Halle 4 – Stand B12.\n' +
  'Möchte ein Angebot für 250 Geräte bis Ende März; Ansprechpartnerin im Einkauf ist Frau Weiß.\n' +
  '会議は毎週木曜日です。';

const android = decodeOk(fixture('android-2.1.vcf'));
const iphone = decodeOk(fixture('iphone-3.0.vcf'));
const nextcloud = decodeOk(fixture('nextcloud-4.0.vcf'));

test('android 2.1: every card decodes, none has a UID or VERSION', () => {
  assert.equal(android.length, 5);
  for (const c of android) {
    assert.equal(c.uid, '');
    assert.equal(props(c, 'version').length, 0);
  }
});

test('android 2.1: quoted-printable UTF-8 names become Unicode', () => {
  assert.deepEqual(one(android[0], 'n').values, [['Müller', 'Jörg', '', '', '']]);
  assert.deepEqual(one(android[0], 'fn').values, ['Jörg Müller']);
  assert.deepEqual(one(android[1], 'n').values, [['山田', '太郎', '', '', '']]);
  assert.deepEqual(one(android[1], 'fn').values, ['山田太郎']);
});

test('android 2.1: a long quoted-printable NOTE with soft breaks decodes exactly', () => {
  assert.deepEqual(one(android[1], 'note').values, [LONG_NOTE]);
  assert.equal(one(android[1], 'note').type, 'text');
});

test('android 2.1: CHARSET=ISO-8859-1 and CHARSET=Shift_JIS values are decoded with their charset', () => {
  assert.deepEqual(one(android[2], 'fn').values, ['Renée François']);
  assert.deepEqual(one(android[2], 'adr').values, [['', '', 'Straße des 17. Juni 1, Hinterhaus', 'Berlin', '', '10623', 'Deutschland']]);
  assert.deepEqual(one(android[3], 'fn').values, ['鈴木一郎']);
  assert.deepEqual(one(android[3], 'n').values, [['鈴木', '一郎', '', '', '']]);
});

test('android 2.1: bare TEL;CELL;PREF becomes TYPE=cell and PREF=1', () => {
  const [cell, home] = props(android[0], 'tel');
  assert.deepEqual(cell.params, { type: ['cell'], pref: '1' });
  assert.deepEqual(cell.values, ['+49 170 1234567']);
  assert.equal(cell.type, 'text');
  assert.deepEqual(home.params, { type: ['home'] });
});

test('android 2.1: the X-ANDROID-CUSTOM nickname rows (quoted-printable or not) are read as NICKNAME', () => {
  assert.deepEqual(props(android[0], 'nickname'), [{ name: 'nickname', params: {}, type: 'text', values: ['Jö'] }]);
  assert.deepEqual(props(android[4], 'nickname'), [{ name: 'nickname', params: {}, type: 'text', values: ['Janie'] }]);
  assert.equal(props(android[4], 'x-android-custom').length, 0);
});

test('android 2.1: a comma in a 2.1 value is text, not a separator', () => {
  assert.deepEqual(one(android[4], 'title').values, ['Manager, Sales']);
});

test('photos decode to the same bytes from 2.1, 3.0 and 4.0, equal to the JPEG file', () => {
  const jpeg = fixture('photo.jpg');
  assert.deepEqual(photoBytes(android[0]), jpeg);
  assert.deepEqual(photoBytes(iphone[0]), jpeg);
  assert.deepEqual(photoBytes(nextcloud[0]), jpeg);
  assert.deepEqual(one(android[0], 'photo').params, {}, 'ENCODING and the media TYPE are consumed');
  assert.deepEqual(one(iphone[0], 'photo').params, {});
});

test('iphone 3.0: item groups are lifted into Property.group, lower-case, with their X-ABLabel', () => {
  const email = one(iphone[0], 'email');
  assert.equal(email.group, 'item1');
  assert.deepEqual(email.params, { type: ['internet'], pref: '1' });
  assert.ok(!('group' in email.params));
  const labels = props(iphone[0], 'x-ablabel');
  assert.deepEqual(labels.map((l) => [l.group, l.values[0]]), [['item1', '_$!<Other>!$_'], ['item2', 'Assistant']]);
  assert.equal(props(iphone[0], 'tel').find((t) => t.group === 'item2')?.values[0], '+49 30 9876543');
});

test('iphone 3.0: ADR type=HOME;type=pref, NOTE escapes, X-ABUID', () => {
  const adr = one(iphone[0], 'adr');
  assert.deepEqual(adr.params, { type: ['home'], pref: '1' });
  assert.deepEqual(adr.values, [['', '', 'Hauptstr. 1', 'Berlin', '', '10115', 'Germany']]);
  assert.deepEqual(one(iphone[0], 'note').values, ['Met at the conference, Berlin 2023.\nLikes coffee; no sugar.']);
  assert.deepEqual(one(iphone[0], 'x-abuid').values, ['5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE:ABPerson']);
  assert.equal(iphone[1].uid, '4B2C6E2A-8E5B-4C57-9D3A-1F0E2D3C4B5A');
  assert.deepEqual(one(iphone[1], 'categories').values, ['Friends', 'Work']);
});

test('a 3.0 BDAY;VALUE=date and a 4.0 BDAY give the same canonical property', () => {
  assert.deepEqual(one(iphone[0], 'bday'), one(nextcloud[0], 'bday'));
  assert.deepEqual(one(nextcloud[0], 'bday'), { name: 'bday', params: {}, type: 'date', values: ['1980-02-29'] });
  const v3 = decodeOk('BEGIN:VCARD\r\nVERSION:3.0\r\nBDAY:1980-02-29T10:30:00Z\r\nREV:2024-01-02T10:15:00Z\r\nGEO:52.52;13.405\r\nEND:VCARD\r\n')[0];
  const v4 = decodeOk('BEGIN:VCARD\r\nVERSION:4.0\r\nBDAY:19800229T103000Z\r\nREV:20240102T101500Z\r\nGEO:geo:52.52,13.405\r\nEND:VCARD\r\n')[0];
  assert.deepEqual(v3, v4);
});

test('nextcloud 4.0: TEL VALUE=uri, PREF=1, KIND, RELATED, ANNIVERSARY, MEMBER', () => {
  const c = nextcloud[0];
  assert.equal(c.uid, '7d8a2b4e-5c6f-4a1b-9e0d-3c2b1a0f9e8d');
  assert.deepEqual(one(c, 'uid').values, [c.uid]);
  assert.deepEqual(props(c, 'tel')[0], { name: 'tel', params: { type: ['cell', 'voice'] }, type: 'uri', values: ['tel:+49-170-1234567'] });
  assert.deepEqual(props(c, 'tel')[1], { name: 'tel', params: { type: ['home'] }, type: 'text', values: ['+49 30 1234567'] });
  assert.deepEqual(props(c, 'email')[0].params, { pref: '1' });
  assert.deepEqual(one(c, 'kind').values, ['individual']);
  assert.deepEqual(one(c, 'x-mozilla-html'), { name: 'x-mozilla-html', params: {}, type: 'unknown', values: ['TRUE'] });
  assert.deepEqual(one(c, 'anniversary').values, ['2005-06-18']);
  const group = nextcloud[2];
  assert.deepEqual(one(group, 'kind').values, ['group']);
  assert.equal(props(group, 'member').length, 2);
});

test('the same 3.0 TYPE=pref and 2.1 bare PREF become PREF=1 and are written back per version', () => {
  const c = iphone[0];
  assert.match(encodeVCard(c, '3.0'), /\r\nitem1\.EMAIL;TYPE=INTERNET,PREF:joerg/);
  assert.match(encodeVCard(c, '4.0'), /\r\nitem1\.EMAIL;TYPE=internet;PREF=1:joerg/);
  assert.match(encodeVCard(android[0], '2.1'), /\r\nTEL;CELL;PREF:\+49 170 1234567\r\n/);
});

test('a leading UTF-8 BOM is ignored, and a string input decodes like bytes', () => {
  const bytes = fixture('iphone-3.0.vcf');
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
  assert.deepEqual(decodeVCards(withBom), decodeVCards(bytes));
  assert.deepEqual(decodeVCards(`\uFEFF${bytes.toString('utf8')}`), decodeVCards(bytes));
});
