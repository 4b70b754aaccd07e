import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVCards, encodeVCard, VCARD_ANDROID_CAPABILITIES } from '../../src/codecs/vcard/index.js';
import { encodeGoogleCsv } from '../../src/codecs/csv/index.js';
import type { ContactItem } from '../../src/model/item.js';

/** Rows as Android's exporter writes them: the mimetype, then data1…data15. */
const ANDROID = [
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=B6rg;;;',
  'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=BCller',
  'X-ANDROID-CUSTOM;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=76=6E=64=2E=61=6E=64=72=6F=69=64=2E=63=75=72=73=6F=72=2E=69=74=65=6D=2F=6E=69=63=6B=6E=61=6D=65;=4A=C3=B6;1;;;;;;;;;;;;;',
  'X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Anna Müller;14;;;;;;;;;;;;;',
  'X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Max;2;;;;;;;;;;;;;',
  'X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Paul\\; Jr.;0;Godfather;;;;;;;;;;;;',
  'X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;2010-05-01;1;;;;;;;;;;;;;',
  'X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;--12-24;2;;;;;;;;;;;;;',
  'X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;2015-09-01;0;Kennengelernt;;;;;;;;;;;;',
  'X-ANDROID-CUSTOM:vnd.com.whatsapp.profile;4917012345@s.whatsapp.net;WhatsApp;Nachricht an +49 170 12345;;;;;;;;;;;;',
  'END:VCARD',
  '',
].join('\r\n');

const card = (text: string): ContactItem => {
  const r = decodeVCards(Buffer.from(text, 'utf8'));
  assert.equal(r.problems.length, 0, JSON.stringify(r.problems));
  return r.items[0]!;
};
/** The X-ANDROID-CUSTOM values of a 2.1 text, quoted-printable decoded (long rows are written that way, with soft breaks). */
function androidRows(text: string): string[] {
  return text.replace(/=\r\n/g, '').split('\r\n').filter((l) => /^X-ANDROID-CUSTOM[;:]/.test(l)).map((l) => {
    const [head, ...rest] = l.split(':');
    const value = rest.join(':');
    return /QUOTED-PRINTABLE/i.test(head!) ? Buffer.from(value.replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8') : value;
  });
}
const named = (c: ContactItem, name: string) => c.card.props.filter((p) => p.name === name);
const labelOf = (c: ContactItem, group: string | undefined) => c.card.props.find((p) => p.name === 'x-ablabel' && p.group === group)?.values[0];

test('android rows are read into NICKNAME, RELATED, ANNIVERSARY and labelled X-ABDATE; unknown rows stay as they are', () => {
  const c = card(ANDROID);
  assert.deepEqual(named(c, 'nickname').map((p) => p.values[0]), ['Jö']);
  const related = named(c, 'related');
  assert.deepEqual(related.map((p) => [p.values[0], p.params.type, labelOf(c, p.group)]), [
    ['Anna Müller', ['spouse'], undefined],
    ['Max', ['sibling'], 'Brother'],
    ['Paul; Jr.', undefined, 'Godfather'],
  ]);
  assert.deepEqual(named(c, 'anniversary').map((p) => [p.type, p.values[0]]), [['date', '2010-05-01']]);
  assert.deepEqual(named(c, 'x-abdate').map((p) => [p.values[0], labelOf(c, p.group)]), [['--12-24', 'Other'], ['2015-09-01', 'Kennengelernt']]);
  assert.deepEqual(named(c, 'x-android-custom').map((p) => p.values[0]), ['vnd.com.whatsapp.profile;4917012345@s.whatsapp.net;WhatsApp;Nachricht an +49 170 12345;;;;;;;;;;;;']);
});

test('written back to an Android export, each row is Android\'s again, and reads back the same', () => {
  const c = card(ANDROID);
  const text = encodeVCard(c, '2.1', { android: true });
  assert.deepEqual(androidRows(text), [
    'vnd.android.cursor.item/nickname;Jö;1;;;;;;;;;;;;;',
    'vnd.android.cursor.item/relation;Anna Müller;14;;;;;;;;;;;;;',
    'vnd.android.cursor.item/relation;Max;2;;;;;;;;;;;;;',
    'vnd.android.cursor.item/relation;Paul\\; Jr.;0;Godfather;;;;;;;;;;;;',
    'vnd.android.cursor.item/contact_event;2010-05-01;1;;;;;;;;;;;;;',
    'vnd.android.cursor.item/contact_event;--12-24;2;;;;;;;;;;;;;',
    'vnd.android.cursor.item/contact_event;2015-09-01;0;Kennengelernt;;;;;;;;;;;;',
    'vnd.com.whatsapp.profile;4917012345@s.whatsapp.net;WhatsApp;Nachricht an +49 170 12345;;;;;;;;;;;;',
  ]);
  assert.match(text, /^X-ANDROID-CUSTOM;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:.*/m, 'non-ASCII rows are quoted-printable as Android writes them');
  assert.doesNotMatch(text, /^(NICKNAME|RELATED|ANNIVERSARY|X-ABDATE|[^:]*X-ABLABEL)/im, 'no property Android would not read');
  assert.deepEqual(card(text).card.props, c.card.props);
  // 3.0 from Android keeps NICKNAME (Android writes it so) and rows for the rest.
  const v3 = encodeVCard(c, '3.0', { android: true });
  assert.match(v3, /^NICKNAME:Jö\r$/m);
  assert.match(v3, /^X-ANDROID-CUSTOM:vnd\.android\.cursor\.item\/relation;Anna Müller;14;/m);
  // Elsewhere the vCard properties are written as such.
  const plain = encodeVCard(c, '3.0');
  assert.match(plain, /^RELATED;TYPE=spouse;VALUE=text:Anna Müller\r$/mi);
  assert.match(plain, /^ANNIVERSARY:2010-05-01\r$/m);
});

test('an Android 2.1 export holds relations and anniversaries (its capabilities say so), and an iPhone-style label survives as its row', () => {
  const holds = VCARD_ANDROID_CAPABILITIES['2.1'].holds;
  const c = card(ANDROID);
  assert.ok(named(c, 'related').every((p) => holds(p, c.card)));
  const apple = card('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nitem1.X-ABDATE:2001-02-03\r\nitem1.X-ABLabel:_$!<Anniversary>!$_\r\nitem2.RELATED;VALUE=text:B\r\nitem2.X-ABLabel:_$!<Mother>!$_\r\nEND:VCARD\r\n');
  const text = encodeVCard(apple, '2.1', { android: true });
  assert.deepEqual(androidRows(text), ['vnd.android.cursor.item/contact_event;2001-02-03;1;;;;;;;;;;;;;', 'vnd.android.cursor.item/relation;B;8;;;;;;;;;;;;;']);
});

test('the nickname of an Android export reaches the Google CSV', () => {
  const csv = encodeGoogleCsv([card(ANDROID)]);
  const [header, row] = csv.split(/\r?\n/);
  const col = header!.split(',').indexOf('Nickname');
  assert.ok(col >= 0, header);
  assert.equal(row!.split(',')[col], 'Jö');
});
