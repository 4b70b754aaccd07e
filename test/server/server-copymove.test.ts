/**
 * COPY and MOVE of objects (RFC 4918 §9.8, §9.9) within and between a user's collections of
 * one kind: the destination holds the object in the client's own form, a move is logged as
 * a delete at the source and a create at the target, dead properties go along.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestServer, vcard, vevent } from './server-harness.js';
import { asUid } from '../../src/core/types.js';

const H = '/dav/home/alice/';
const C = `${H}contacts/`;
const CARD = { 'content-type': 'text/vcard; charset=utf-8' };
const NSS = 'xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav" xmlns:z="urn:z"';

describe('endpoint: COPY and MOVE', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
    await t.req('MKCOL', `${H}work/`);
  });
  after(() => t.stop());

  test('MOVE between address books: the same text at the target, the source gone, logged as delete + create', async () => {
    const body = vcard('mv-1', ['FN:Moved Person', 'item1.URL;VALUE=URI:http://x.example/', 'item1.X-ABLabel:web']);
    assert.equal((await t.req('PUT', `${C}mv-1.vcf`, { body, headers: CARD })).status, 201);
    await t.req('PROPPATCH', `${C}mv-1.vcf`, { body: `<d:propertyupdate ${NSS}><d:set><d:prop><z:tag>kept</z:tag></d:prop></d:set></d:propertyupdate>` });
    const mv = await t.req('MOVE', `${C}mv-1.vcf`, { headers: { destination: `${t.base}${H}work/moved%20one.vcf` } });
    assert.equal(mv.status, 201, mv.text);
    assert.equal((await t.req('GET', `${C}mv-1.vcf`)).status, 404);
    const got = await t.req('GET', `${H}work/moved%20one.vcf`);
    assert.equal(got.text, body);
    assert.equal((await t.store.getItemByUid('contacts', asUid('mv-1')))?.deleted, true);
    assert.deepEqual((await t.store.listLog({ collection: 'contacts', uid: 'mv-1' })).map((e) => e.action), ['deleted', 'created']);
    assert.deepEqual((await t.store.listLog({ collection: 'work', uid: 'mv-1' })).map((e) => e.action), ['created']);
    assert.equal((await t.store.deadProperties('work'))['moved one.vcf']?.['{urn:z}tag'], 'kept');
    assert.equal((await t.store.deadProperties('contacts'))['mv-1.vcf'], undefined);
  });

  test('MOVE within one address book renames: the item keeps its identity, the old name is gone', async () => {
    await t.req('PUT', `${C}old.vcf`, { body: vcard('ren-1', ['FN:Renamed']), headers: CARD });
    const id = (await t.store.getItemByUid('contacts', asUid('ren-1')))!.id;
    assert.equal((await t.req('MOVE', `${C}old.vcf`, { headers: { destination: `${C}new.vcf` } })).status, 201);
    assert.equal((await t.req('GET', `${C}old.vcf`)).status, 404);
    assert.match((await t.req('GET', `${C}new.vcf`)).text, /FN:Renamed/);
    assert.equal((await t.store.getItemByUid('contacts', asUid('ren-1')))?.id, id);
    assert.equal((await t.store.getItemByUid('contacts', asUid('ren-1')))?.deleted, false);
  });

  test('COPY to another address book keeps the source; within one it is 409 no-uid-conflict', async () => {
    await t.req('PUT', `${C}cp.vcf`, { body: vcard('cp-1', ['FN:Copied']), headers: CARD });
    assert.equal((await t.req('COPY', `${C}cp.vcf`, { headers: { destination: `${H}work/cp.vcf` } })).status, 201);
    assert.equal((await t.req('GET', `${C}cp.vcf`)).status, 200);
    assert.match((await t.req('GET', `${H}work/cp.vcf`)).text, /FN:Copied/);
    const same = await t.req('COPY', `${C}cp.vcf`, { headers: { destination: `${C}cp2.vcf` } });
    assert.equal(same.status, 409);
    assert.match(same.text, /no-uid-conflict/);
  });

  test('Overwrite: F on an existing destination is 412; T replaces it (204); If-Match guards the source', async () => {
    await t.req('PUT', `${C}ow.vcf`, { body: vcard('ow-1', ['FN:Source', 'NOTE:from source']), headers: CARD });
    await t.req('PUT', `${H}work/ow.vcf`, { body: vcard('ow-1', ['FN:Old copy', 'TITLE:gone after overwrite']), headers: CARD });
    assert.equal((await t.req('COPY', `${C}ow.vcf`, { headers: { destination: `${H}work/ow.vcf`, overwrite: 'F' } })).status, 412);
    assert.equal((await t.req('COPY', `${C}ow.vcf`, { headers: { destination: `${H}work/ow.vcf`, 'if-match': '"stale-1"' } })).status, 412);
    assert.equal((await t.req('COPY', `${C}ow.vcf`, { headers: { destination: `${H}work/ow.vcf` } })).status, 204);
    const got = (await t.req('GET', `${H}work/ow.vcf`)).text;
    assert.match(got, /FN:Source/);
    assert.match(got, /NOTE:from source/);
    assert.doesNotMatch(got, /TITLE/);
  });

  test('refused: another kind (403), another user (403), a missing collection (409), another host (502), a collection (403)', async () => {
    await t.req('PUT', `${C}rf.vcf`, { body: vcard('rf-1', ['FN:Refused']), headers: CARD });
    assert.equal((await t.req('MOVE', `${C}rf.vcf`, { headers: { destination: `${H}personal/rf.ics` } })).status, 403);
    assert.equal((await t.req('MOVE', `${C}rf.vcf`, { headers: { destination: '/dav/home/bob/bobs/rf.vcf' } })).status, 403);
    assert.equal((await t.req('MOVE', `${C}rf.vcf`, { headers: { destination: `${H}nope/rf.vcf` } })).status, 409);
    assert.equal((await t.req('MOVE', `${C}rf.vcf`, { headers: { destination: 'http://elsewhere.example/dav/home/alice/work/rf.vcf' } })).status, 502);
    assert.equal((await t.req('MOVE', `${H}work/`, { headers: { destination: `${H}work2/` } })).status, 403);
    assert.equal((await t.req('GET', `${C}rf.vcf`)).status, 200);
    const ev = vevent('ev-cp', ['SUMMARY:Copy me', 'DTSTART:20240105T100000Z']);
    await t.req('PUT', `${H}personal/ev.ics`, { body: ev, headers: { 'content-type': 'text/calendar' } });
    await t.req('MKCALENDAR', `${H}other-cal/`);
    assert.equal((await t.req('COPY', `${H}personal/ev.ics`, { headers: { destination: `${H}other-cal/ev.ics` } })).status, 201);
    assert.equal((await t.req('GET', `${H}other-cal/ev.ics`)).text, ev);
  });
});
