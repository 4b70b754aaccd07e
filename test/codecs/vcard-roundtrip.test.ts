import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVCards, encodeVCard, encodeVCards } from '../../src/codecs/vcard/index.js';
import { VERSIONS, assertWellFolded, decodeOk, fixture, heldBy, one } from './vcard-helpers.js';

const FIXTURES = ['android-2.1.vcf', 'iphone-3.0.vcf', 'nextcloud-4.0.vcf'];

for (const file of FIXTURES) {
  const items = decodeOk(fixture(file));
  for (const version of VERSIONS) {
    test(`${file}: every card survives decode → encode ${version} → decode`, () => {
      for (const item of items) {
        const text = encodeVCard(item, version);
        assertWellFolded(text);
        assert.match(text, new RegExp(`^BEGIN:VCARD\\r\\nVERSION:${version.replace('.', '\\.')}\\r\\n`));
        assert.deepEqual(decodeOk(text), [heldBy(item, version)]);
      }
    });
  }
  test(`${file}: the whole file re-encoded in each version decodes to the same cards`, () => {
    for (const version of VERSIONS) {
      assert.deepEqual(decodeOk(encodeVCards(items, version)), items.map((i) => heldBy(i, version)));
    }
  });
}

test('2.1 omits exactly the 4.0-only properties', () => {
  const [card] = decodeOk(fixture('nextcloud-4.0.vcf'));
  const text = encodeVCard(card, '2.1');
  for (const name of ['KIND', 'GENDER', 'ANNIVERSARY', 'RELATED', 'LANG']) assert.ok(!text.includes(`\r\n${name}`), name);
  for (const name of ['X-MOZILLA-HTML', 'GEO', 'TZ', 'REV', 'BDAY', 'PHOTO', 'UID']) assert.ok(text.includes(`\r\n${name}`), name);
  const group = decodeOk(fixture('nextcloud-4.0.vcf'))[2];
  assert.ok(!encodeVCard(group, '2.1').includes('MEMBER'));
  // vCard 3.0 has no KIND/MEMBER: a group is written in Apple's form, and read back as KIND/MEMBER.
  const apple = encodeVCard(group, '3.0');
  assert.ok(apple.includes('\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n'), apple);
  assert.ok(apple.includes('\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:'), apple);
  assert.ok(!/\r\n(KIND|MEMBER)[:;]/.test(apple), apple);
});

test('2.1 output looks like an Android export', () => {
  const [joerg] = decodeOk(fixture('android-2.1.vcf'));
  const text = encodeVCard(joerg, '2.1');
  assert.match(text, /\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=4D=C3=BC=6C=6C=65=72;=4A=C3=B6=/);
  assert.match(text, /\r\nTEL;CELL;PREF:\+49 170 1234567\r\nTEL;HOME:/);
  assert.match(text, /\r\nPHOTO;ENCODING=BASE64;JPEG:\/9j\/[A-Za-z0-9+/]+\r\n [A-Za-z0-9+/=]+/);
  assert.match(text, /\r\n [A-Za-z0-9+/=]+\r\n\r\n/, 'base64 block ends with a blank line');
  const [, yamada] = decodeOk(fixture('android-2.1.vcf'));
  assert.match(encodeVCard(yamada, '2.1'), /=0D=0A/, 'line breaks in a 2.1 NOTE are quoted-printable CRLF');
});

test('3.0 output writes photos as ENCODING=b;TYPE=JPEG and 4.0 as data: URIs', () => {
  const [card] = decodeOk(fixture('android-2.1.vcf'));
  const photo = String(one(card, 'photo').values[0]);
  const b64 = photo.slice(photo.indexOf(',') + 1);
  const unfold = (t: string): string => t.replace(/\r\n[ \t]/g, '');
  assert.ok(unfold(encodeVCard(card, '3.0')).includes(`\r\nPHOTO;ENCODING=b;TYPE=JPEG:${b64}\r\n`));
  assert.ok(unfold(encodeVCard(card, '4.0')).includes(`\r\nPHOTO:data:image/jpeg;base64,${b64}\r\n`));
});

test('folding: long UTF-8 values are cut between characters, never inside a sequence', () => {
  const long = 'Grüße aus 東京 🎉 '.repeat(30);
  const input = `BEGIN:VCARD\r\nVERSION:4.0\r\nFN:${long}\r\nNOTE:${'é'.repeat(200)}\r\nEND:VCARD\r\n`;
  const [card] = decodeOk(input);
  for (const v of VERSIONS) {
    const text = encodeVCard(card, v);
    assertWellFolded(text);
    assert.deepEqual(decodeOk(text), [card]);
  }
});

test('text escaping per RFC 6350: \\, \\; \\n and backslash', () => {
  const input = 'BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:a\\, b\\; c\\nd \\\\ e\r\nCATEGORIES:x\\,y,z\r\nEND:VCARD\r\n';
  const [card] = decodeOk(input);
  assert.deepEqual(one(card, 'note').values, ['a, b; c\nd \\ e']);
  assert.deepEqual(one(card, 'categories').values, ['x,y', 'z']);
  const out = encodeVCard(card, '4.0');
  assert.ok(out.includes('\r\nNOTE:a\\, b\\; c\\nd \\\\ e\r\n'));
  assert.ok(out.includes('\r\nCATEGORIES:x\\,y,z\r\n'));
});

test('3.0/4.0 structured sub-values (N, ADR) survive; URIs are not escaped', () => {
  const input = 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller,Schmidt;Jörg;;;\r\nURL:http://example.com/a,b;c\r\nEND:VCARD\r\n';
  const [card] = decodeOk(input);
  assert.deepEqual(one(card, 'n').values, [[['Müller', 'Schmidt'], 'Jörg', '', '', '']]);
  assert.deepEqual(one(card, 'url').values, ['http://example.com/a,b;c']);
  for (const v of ['3.0', '4.0'] as const) assert.deepEqual(decodeOk(encodeVCard(card, v)), [card]);
  assert.ok(encodeVCard(card, '4.0').includes('\r\nURL:http://example.com/a,b;c\r\n'));
});

test('a card is decoded the same from a string and from bytes', () => {
  const bytes = fixture('nextcloud-4.0.vcf');
  assert.deepEqual(decodeVCards(bytes.toString('utf8')), decodeVCards(bytes));
});

test('PREF other than 1 survives 3.0 and 2.1 as a PREF parameter', () => {
  const [card] = decodeOk('BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL;PREF=2;TYPE=work:a@example.org\r\nEND:VCARD\r\n');
  assert.deepEqual(one(card, 'email').params, { pref: '2', type: ['work'] });
  for (const v of VERSIONS) assert.deepEqual(decodeOk(encodeVCard(card, v)), [card], v);
  assert.ok(encodeVCard(card, '3.0').includes('\r\nEMAIL;TYPE=WORK;PREF=2:a@example.org\r\n'));
});

test('raw 8-bit Shift_JIS with CHARSET in a 2.1 card is decoded with that charset', async () => {
  const iconv = (await import('iconv-lite')).default;
  const bytes = Buffer.concat([
    Buffer.from('BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=SHIFT_JIS:'),
    iconv.encode('鈴木一郎', 'Shift_JIS'),
    Buffer.from('\r\nEND:VCARD\r\n'),
  ]);
  assert.deepEqual(one(decodeOk(bytes)[0], 'fn').values, ['鈴木一郎']);
});

test('a nested 2.1 AGENT card does not split the outer card; it is reported', () => {
  const r = decodeVCards('BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Boss\r\nAGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:Assistant\r\nEND:VCARD\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:Next\r\nEND:VCARD\r\n');
  assert.equal(r.items.length, 1);
  assert.deepEqual(one(r.items[0], 'fn').values, ['Next']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 1);
  assert.match(r.problems[0].message, /nested vCard/);
});
