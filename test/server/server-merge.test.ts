import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestServer, vcard } from './server-harness.js';
import { asHref, asUid } from '../../src/core/types.js';

const CARD = { 'content-type': 'text/vcard; charset=utf-8' };
const C = '/dav/home/alice/contacts/';

describe('endpoint writes are merged like a member\'s', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
  });
  after(() => t.stop());

  test('a PUT without If-Match (Thunderbird) does not revert a field changed elsewhere since the client read', async () => {
    const s = await t.seed('contacts', vcard('tb-1', ['FN:Tom Bauer', 'N:Bauer;Tom;;;', 'TEL;TYPE=cell:+49 171 1111111', 'NOTE:old note']));
    const read = await t.req('GET', `${C}tb-1.vcf`);
    assert.equal(read.status, 200);
    // Elsewhere (a sync of another member): the phone number changes.
    await t.changeElsewhere(s.id, vcard('tb-1', ['FN:Tom Bauer', 'N:Bauer;Tom;;;', 'TEL;TYPE=cell:+49 171 2222222', 'NOTE:old note']));
    // The client edits the note of what it read and PUTs it back, no precondition.
    const edited = read.text.replace('NOTE:old note', 'NOTE:new note');
    const put = await t.req('PUT', `${C}tb-1.vcf`, { body: edited, headers: CARD });
    assert.equal(put.status, 204);
    assert.equal(put.headers.get('etag'), null, 'the stored object differs from what was sent: no ETag, the client re-reads');
    const after = await t.req('GET', `${C}tb-1.vcf`);
    assert.match(after.text, /NOTE:new note/);
    assert.match(after.text, /2222222/);
    assert.ok(!after.text.includes('1111111'));
    const [entry] = await t.store.listLog({ uid: asUid('tb-1'), limit: 1 });
    assert.equal(entry!.action, 'merged');
    assert.equal(entry!.connector, 'endpoint');
  });

  test('two clients of one user: a PUT without If-Match is merged against what that client read, not what the other one wrote', async () => {
    const TB = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0' };
    const PHONE = { 'user-agent': 'DAVx5/4.4.2-ose (2024/09/01; dav4jvm; okhttp/4.12.0) Android/14' };
    await t.seed('contacts', vcard('two-1', ['FN:Nina Zwei', 'N:Zwei;Nina;;;', 'TEL;TYPE=cell:+49 170 1111111', 'NOTE:first']));
    const tbRead = await t.req('GET', `${C}two-1.vcf`, { headers: TB });
    const phoneRead = await t.req('GET', `${C}two-1.vcf`, { headers: PHONE });
    const etag = phoneRead.headers.get('etag')!;
    const phoneEdit = phoneRead.text.replace('+49 170 1111111', '+49 170 2222222');
    assert.equal((await t.req('PUT', `${C}two-1.vcf`, { body: phoneEdit, headers: { ...CARD, ...PHONE, 'if-match': etag } })).status, 204);
    // Thunderbird saves its older copy with a new note, without If-Match.
    const tbEdit = tbRead.text.replace('NOTE:first', 'NOTE:edited in thunderbird');
    assert.equal((await t.req('PUT', `${C}two-1.vcf`, { body: tbEdit, headers: { ...CARD, ...TB } })).status, 204);
    const after = await t.req('GET', `${C}two-1.vcf`);
    assert.match(after.text, /NOTE:edited in thunderbird/);
    assert.match(after.text, /2222222/, 'the phone\'s number survives');
    assert.ok(!after.text.includes('1111111'));
  });

  test('a conflict is decided by the policy and logged with every value', async () => {
    const s = await t.seed('contacts', vcard('cf-1', ['FN:Carla Frei', 'NOTE:base', 'REV:20240101T000000Z']));
    const read = await t.req('GET', `${C}cf-1.vcf`);
    await t.changeElsewhere(s.id, vcard('cf-1', ['FN:Carla Frei', 'NOTE:from the phone', 'REV:20240102T000000Z']));
    const mine = read.text.replace('NOTE:base', 'NOTE:from the endpoint').replace(/REV:[^\r\n]*/, 'REV:20240103T000000Z');
    assert.equal((await t.req('PUT', `${C}cf-1.vcf`, { body: mine, headers: CARD })).status, 204);
    const [entry] = await t.store.listLog({ uid: asUid('cf-1'), limit: 1 });
    assert.equal(entry!.action, 'conflict');
    const note = entry!.fields!.find((f) => f.field.startsWith('note'))!;
    assert.equal(note.conflict, true);
    assert.deepEqual(note.values.map((v) => v.value), ['from the phone', 'from the endpoint']);
    assert.equal(note.chosen, 'from the endpoint');
  });

  test('a vCard 3.0 client writing back does not downgrade what a 4.0 member stored (KIND, MEMBER, GENDER)', async () => {
    await t.seed('contacts', vcard('grp-1', ['FN:Band', 'KIND:group', 'MEMBER:urn:uuid:abc', 'GENDER:O'], '4.0'));
    const read = await t.req('GET', `${C}grp-1.vcf`);
    // A 3.0 client keeps only what it knows.
    const client = read.text.split('\r\n').filter((l) => !/^(KIND|MEMBER|GENDER)/.test(l)).join('\r\n').replace('FN:Band', 'FN:The Band');
    assert.equal((await t.req('PUT', `${C}grp-1.vcf`, { body: client, headers: CARD })).status, 204);
    const v4 = await t.req('GET', `${C}grp-1.vcf`, { headers: { accept: 'text/vcard;version=4.0' } });
    assert.match(v4.text, /FN:The Band/);
    assert.match(v4.text, /KIND:group/);
    assert.match(v4.text, /MEMBER:urn:uuid:abc/);
    assert.match(v4.text, /GENDER:O/);
  });

  test('a vCard 4.0 client that removes a 4.0 property does remove it', async () => {
    await t.seed('contacts', vcard('g4-1', ['FN:Solo', 'GENDER:F'], '4.0'));
    const read = await t.req('GET', `${C}g4-1.vcf`, { headers: { accept: 'text/vcard; version=4.0' } });
    const client = read.text.split('\r\n').filter((l) => !l.startsWith('GENDER')).join('\r\n');
    assert.equal((await t.req('PUT', `${C}g4-1.vcf`, { body: client, headers: CARD })).status, 204);
    assert.ok(!(await t.req('GET', `${C}g4-1.vcf`, { headers: { accept: 'text/vcard; version=4.0' } })).text.includes('GENDER'));
  });

  test('PUT with the current If-Match takes the client\'s version as its base', async () => {
    await t.seed('contacts', vcard('im-1', ['FN:Ida Maier', 'NOTE:one']));
    const read = await t.req('GET', `${C}im-1.vcf`);
    const put = await t.req('PUT', `${C}im-1.vcf`, { body: read.text.replace('NOTE:one', 'NOTE:two'), headers: { ...CARD, 'if-match': read.headers.get('etag')! } });
    assert.equal(put.status, 204);
    assert.ok(put.headers.get('etag'));
    const stored = await t.store.getItemByUid('contacts', asUid('im-1'));
    assert.equal(stored!.version, 2);
    const [entry] = await t.store.listLog({ uid: asUid('im-1'), limit: 1 });
    assert.deepEqual([entry!.action, entry!.connector], ['updated', 'endpoint']);
  });

  test('a PUT that changes nothing makes no new version', async () => {
    await t.seed('contacts', vcard('same-1', ['FN:Same Same']));
    const read = await t.req('GET', `${C}same-1.vcf`);
    const put = await t.req('PUT', `${C}same-1.vcf`, { body: read.text, headers: CARD });
    assert.equal(put.status, 204);
    assert.equal(put.headers.get('etag'), read.headers.get('etag'));
  });

  test('the endpoint records what it served as its member link (the base of the next write)', async () => {
    const s = await t.seed('contacts', vcard('lk-1', ['FN:Link Lang']));
    await t.req('GET', `${C}lk-1.vcf`);
    const link = await t.store.getLink('contacts', 'endpoint', asHref('lk-1.vcf'));
    assert.equal(link?.itemId, s.id);
    assert.equal(link?.agreedVersion, 1);
  });

  test('DELETE without If-Match of an item changed elsewhere since the client read it: the edit wins, the item comes back', async () => {
    const s = await t.seed('contacts', vcard('del-1', ['FN:Dora Dell', 'NOTE:x']));
    await t.req('GET', `${C}del-1.vcf`);
    await t.changeElsewhere(s.id, vcard('del-1', ['FN:Dora Dell', 'NOTE:changed on the phone']));
    assert.equal((await t.req('DELETE', `${C}del-1.vcf`)).status, 204);
    const stored = await t.store.getItem(s.id);
    assert.equal(stored!.deleted, false);
    assert.equal(stored!.version, 3);
    assert.equal((await t.req('GET', `${C}del-1.vcf`)).status, 200);
    // Unchanged since read: deleted.
    assert.equal((await t.req('DELETE', `${C}del-1.vcf`)).status, 204);
    assert.equal((await t.store.getItem(s.id))!.deleted, true);
  });

  test('a PUT to the href of a deleted item with its UID restores it', async () => {
    const put = await t.req('PUT', `${C}back.vcf`, { body: vcard('back', ['FN:Back Again']), headers: CARD });
    assert.equal(put.status, 201);
    assert.equal((await t.req('DELETE', `${C}back.vcf`)).status, 204);
    assert.equal((await t.req('PUT', `${C}back.vcf`, { body: vcard('back', ['FN:Back Again']), headers: { ...CARD, 'if-none-match': '*' } })).status, 201);
    const stored = await t.store.getItemByUid('contacts', asUid('back'));
    assert.equal(stored!.deleted, false);
    assert.equal((await t.store.listItems('contacts', { includeDeleted: true })).filter((i) => i.uid === 'back').length, 1);
  });
});
