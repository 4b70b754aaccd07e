import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GOOGLE_CSV_CAPABILITIES, OUTLOOK_CSV_CAPABILITIES, decodeGoogleCsv, decodeOutlookCsv, encodeGoogleCsv, encodeOutlookCsv } from '../../src/codecs/csv/index.js';
import { VCARD_ANDROID_CAPABILITIES, VCARD_CAPABILITIES, encodeVCard } from '../../src/codecs/vcard/index.js';
import { encodeVCardLike } from '../../src/codecs/vcard/encode-like.js';
import { holdsItem } from '../../src/model/capabilities.js';
import { categoriesOf, groupName, isGroupCard, memberUids, withCategory, withMember } from '../../src/model/group.js';
import { decodeOk } from './vcard-helpers.js';
import { asUid, NO_UID } from '../../src/core/types.js';

/** A group card as macOS Contacts writes it to iCloud. */
const APPLE_GROUP = [
  'BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//macOS 14.5//EN', 'N:Climbing', 'FN:Climbing',
  'X-ADDRESSBOOKSERVER-KIND:group',
  'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:0F3A6C1E-52B4-4D8A-9E61-6A1C2B7D9E10',
  'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:7D2E9B40-1C5F-4E3A-8B27-3F9A0C6D4B21',
  'REV:2026-11-20T09:14:30Z', 'UID:B6C1F2A8-93D4-4E7B-A0C5-2D8E4F6A1B39', 'END:VCARD', '',
].join('\r\n');

test("Apple's 3.0 group card reads as KIND:group with MEMBER set elements", () => {
  const [g] = decodeOk(APPLE_GROUP);
  assert.ok(isGroupCard(g!.card));
  assert.equal(groupName(g!.card), 'Climbing');
  assert.deepEqual(memberUids(g!.card), ['0F3A6C1E-52B4-4D8A-9E61-6A1C2B7D9E10', '7D2E9B40-1C5F-4E3A-8B27-3F9A0C6D4B21']);
  assert.ok(!g!.card.props.some((p) => p.name.startsWith('x-addressbookserver')));
});

test('a group is written as KIND/MEMBER into 4.0 and in Apple form into 3.0; both read back the same', () => {
  const [g] = decodeOk(APPLE_GROUP);
  const v4 = encodeVCard(g!, '4.0');
  assert.match(v4, /\r\nKIND:group\r\n/);
  assert.equal(v4.match(/\r\nMEMBER:urn:uuid:/g)?.length, 2);
  const v3 = encodeVCard(g!, '3.0');
  assert.match(v3, /\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n/);
  assert.equal(v3.match(/\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:/g)?.length, 2);
  assert.doesNotMatch(v3, /\r\n(KIND|MEMBER)[:;]/);
  assert.deepEqual(decodeOk(v4), [g]);
  assert.deepEqual(decodeOk(v3), [g]);
});

test('a member added to an Apple card is written in Apple form; the unchanged lines stay byte for byte', () => {
  const [g] = decodeOk(APPLE_GROUP);
  const more = { ...g!, card: withMember(g!.card, asUid('C4D5E6F7-0000-4111-8222-933344455566'), true) };
  const text = encodeVCardLike(more, '3.0', APPLE_GROUP);
  assert.equal(text, APPLE_GROUP.replace('END:VCARD', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:C4D5E6F7-0000-4111-8222-933344455566\r\nEND:VCARD'));
});

test('a 3.0 card written with a plain KIND:group gets its own lines back', () => {
  const plain = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Team\r\nKIND:group\r\nMEMBER:urn:uuid:a1\r\nUID:g1\r\nEND:VCARD\r\n';
  const [g] = decodeOk(plain);
  assert.ok(isGroupCard(g!.card));
  assert.equal(encodeVCardLike(g!, '3.0', plain), plain);
});

test('CSV files and vCard 2.1 hold no group card; 3.0 and 4.0 do; a person is held everywhere', () => {
  const [g] = decodeOk(APPLE_GROUP);
  const [person] = decodeOk('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Kowalski\r\nN:Kowalski;Anna;;;\r\nCATEGORIES:Climbing\r\nEND:VCARD\r\n');
  for (const caps of [GOOGLE_CSV_CAPABILITIES, OUTLOOK_CSV_CAPABILITIES, VCARD_CAPABILITIES['2.1'], VCARD_ANDROID_CAPABILITIES['2.1']]) {
    assert.equal(holdsItem(caps, g!), false, caps.format);
    assert.equal(holdsItem(caps, person!), true, caps.format);
  }
  for (const caps of [VCARD_CAPABILITIES['3.0'], VCARD_CAPABILITIES['4.0']]) assert.equal(holdsItem(caps, g!), true, caps.format);
});

test("Google labels are CATEGORIES without Google's system labels; written back with * myContacts", () => {
  const csv = 'First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value\r\nBen,Okafor,* myContacts ::: * starred ::: Climbing ::: Board,Work,ben.okafor@work.example\r\n';
  const [ben] = decodeGoogleCsv(csv).items;
  assert.deepEqual(categoriesOf(ben!.card), ['Climbing', 'Board']);
  const out = encodeGoogleCsv([ben!]);
  assert.match(out, /,\* myContacts ::: \* starred ::: Climbing ::: Board,/, 'system labels other than * myContacts are kept, not turned into groups');
  assert.deepEqual(categoriesOf(decodeGoogleCsv(out).items[0]!.card), ['Climbing', 'Board']);
});

test('Outlook Categories round-trip as CATEGORIES', () => {
  const [c] = decodeOutlookCsv(encodeOutlookCsv([{ kind: 'contact', uid: NO_UID, card: { name: 'vcard', components: [], props: [
    { name: 'fn', params: {}, type: 'text', values: ['Ingrid Solberg'] },
    { name: 'n', params: {}, type: 'text', values: [['Solberg', 'Ingrid', '', '', '']] },
    { name: 'categories', params: {}, type: 'text', values: ['Board', 'Volunteers'] },
  ] } }])).items;
  assert.deepEqual(categoriesOf(c!.card), ['Board', 'Volunteers']);
  const removed = withCategory(c!.card, 'board', false, (a, b) => a.toLowerCase() === b.toLowerCase());
  assert.deepEqual(categoriesOf(removed), ['Volunteers']);
  assert.match(encodeOutlookCsv([{ ...c!, card: removed }]), /"Volunteers"/);
});
