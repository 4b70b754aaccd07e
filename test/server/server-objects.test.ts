import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseXml } from '../../src/xml/dav-xml.js';
import { hrefsOf, TestServer, vcard, vevent } from './server-harness.js';
import { asUid } from '../../src/core/types.js';

const CARD = { 'content-type': 'text/vcard; charset=utf-8' };
const ICS = { 'content-type': 'text/calendar; charset=utf-8' };
const C = '/dav/home/alice/contacts/';

describe('endpoint: GET, HEAD, PUT, DELETE', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
  });
  after(() => t.stop());

  test('PUT creates (201 + ETag), GET returns vCard 3.0 by default and 4.0 on Accept, HEAD has no body', async () => {
    const put = await t.req('PUT', `${C}new-1.vcf`, { body: vcard('new-1', ['FN:Nina Neu', 'N:Neu;Nina;;;', 'EMAIL:nina@example.org']), headers: { ...CARD, 'if-none-match': '*' } });
    assert.equal(put.status, 201);
    const etag = put.headers.get('etag');
    assert.match(etag ?? '', /^"[^"]+"$/);
    const get = await t.req('GET', `${C}new-1.vcf`);
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('etag'), etag);
    assert.match(get.text, /VERSION:3\.0/);
    assert.match(get.headers.get('content-type') ?? '', /text\/vcard/);
    const v4 = await t.req('GET', `${C}new-1.vcf`, { headers: { accept: 'text/vcard; version=4.0' } });
    assert.match(v4.text, /VERSION:4\.0/);
    const head = await t.req('HEAD', `${C}new-1.vcf`);
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.equal(head.headers.get('etag'), etag);
    assert.equal((await t.req('GET', `${C}new-1.vcf`, { headers: { 'if-none-match': etag! } })).status, 304);
  });

  test('If-None-Match: * on an existing object and a stale If-Match are 412; the right If-Match updates', async () => {
    const put = await t.req('PUT', `${C}pre.vcf`, { body: vcard('pre', ['FN:Pre One']), headers: CARD });
    const etag = put.headers.get('etag')!;
    assert.equal((await t.req('PUT', `${C}pre.vcf`, { body: vcard('pre', ['FN:Pre Two']), headers: { ...CARD, 'if-none-match': '*' } })).status, 412);
    assert.equal((await t.req('PUT', `${C}pre.vcf`, { body: vcard('pre', ['FN:Pre Two']), headers: { ...CARD, 'if-match': '"stale-1"' } })).status, 412);
    const ok = await t.req('PUT', `${C}pre.vcf`, { body: vcard('pre', ['FN:Pre Two']), headers: { ...CARD, 'if-match': etag } });
    assert.equal(ok.status, 204);
    assert.notEqual(ok.headers.get('etag'), etag);
    assert.match((await t.req('GET', `${C}pre.vcf`)).text, /FN:Pre Two/);
    assert.equal((await t.req('PUT', `${C}pre.vcf`, { body: vcard('pre', ['FN:Pre Three']), headers: { ...CARD, 'if-match': etag } })).status, 412);
    assert.equal((await t.req('PUT', `${C}absent.vcf`, { body: vcard('absent', ['FN:A']), headers: { ...CARD, 'if-match': '*' } })).status, 412);
  });

  test('wrong media type is 415, unparsable data 400, a second resource for one UID 409', async () => {
    assert.equal((await t.req('PUT', `${C}x.vcf`, { body: '{}', headers: { 'content-type': 'application/json' } })).status, 415);
    const bad = await t.req('PUT', `${C}x.vcf`, { body: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN Broken\r\n', headers: CARD });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /valid-address-data/);
    const dup = await t.req('PUT', `${C}other-name.vcf`, { body: vcard('pre', ['FN:Pre Dup']), headers: CARD });
    assert.equal(dup.status, 409);
    assert.match(dup.text, /no-uid-conflict/);
    assert.match(dup.text, /pre\.vcf/);
    assert.equal((await t.req('PUT', '/dav/home/alice/personal/e.ics', { body: vcard('x', ['FN:X']), headers: CARD })).status, 415);
    assert.equal((await t.req('PUT', '/dav/home/alice/nope/e.vcf', { body: vcard('x', ['FN:X']), headers: CARD })).status, 409);
    // a generic type names nothing: the body decides, and a body of the wrong kind is still 415
    assert.equal((await t.req('PUT', '/dav/home/alice/personal/g.ics', { body: vcard('x2', ['FN:X']), headers: { 'content-type': 'text/plain' } })).status, 415);
    assert.equal((await t.req('PUT', `${C}g.vcf`, { body: vevent('ev-g', ['SUMMARY:G', 'DTSTART:20240105T120000Z']), headers: { 'content-type': 'application/octet-stream' } })).status, 415);
  });

  test('a PUT with no Content-Type, text/plain or application/octet-stream is taken when the body is what the collection holds', async () => {
    for (const [i, ct] of [undefined, 'text/plain;charset=UTF-8', 'application/octet-stream'].entries()) {
      const headers: Record<string, string> = ct ? { 'content-type': ct } : {};
      // fetch gives a string body text/plain; bytes go without a type, as curl -T sends them
      const body = (text: string) => (ct ? text : Buffer.from(text));
      const card = await t.req('PUT', `${C}plain-${i}.vcf`, { body: body(vcard(`plain-${i}`, [`FN:Plain ${i}`])), headers });
      assert.equal(card.status, 201, `vCard with ${ct ?? 'no type'}`);
      assert.match((await t.req('GET', `${C}plain-${i}.vcf`)).text, new RegExp(`FN:Plain ${i}`));
      const ev = await t.req('PUT', `/dav/home/alice/personal/plain-${i}.ics`, { body: body(vevent(`ev-plain-${i}`, ['SUMMARY:Plain', 'DTSTART:20240105T120000Z'])), headers });
      assert.equal(ev.status, 201, `event with ${ct ?? 'no type'}`);
    }
  });

  test('a PUT to a live object\'s href with another UID is 409 no-uid-conflict and overwrites nothing', async () => {
    assert.equal((await t.req('PUT', `${C}keep.vcf`, { body: vcard('keep-uid', ['FN:Keep Me']), headers: CARD })).status, 201);
    const other = await t.req('PUT', `${C}keep.vcf`, { body: vcard('intruder-uid', ['FN:Intruder']), headers: CARD });
    assert.equal(other.status, 409);
    assert.match(other.text, /no-uid-conflict/);
    const get = await t.req('GET', `${C}keep.vcf`);
    assert.match(get.text, /UID:keep-uid/);
    assert.match(get.text, /FN:Keep Me/);
    assert.equal(await t.store.getItemByUid('contacts', asUid('intruder-uid')), undefined);
    const ev = '/dav/home/alice/personal/keep.ics';
    assert.equal((await t.req('PUT', ev, { body: vevent('ev-keep', ['SUMMARY:Keep', 'DTSTART:20240105T120000Z']), headers: ICS })).status, 201);
    const evOther = await t.req('PUT', ev, { body: vevent('ev-other', ['SUMMARY:Other', 'DTSTART:20240105T120000Z']), headers: ICS });
    assert.equal(evOther.status, 409);
    assert.match(evOther.text, /no-uid-conflict/);
    assert.match((await t.req('GET', ev)).text, /SUMMARY:Keep/);
  });

  test('DAV error bodies are well-formed XML with every prefix declared', async () => {
    const bad = await t.req('PUT', `${C}wf.vcf`, { body: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN Broken\r\n', headers: CARD });
    assert.equal(bad.status, 400);
    assert.equal(await t.req('PUT', `${C}wf-1.vcf`, { body: vcard('wf', ['FN:Well Formed']), headers: CARD }).then((x) => x.status), 201);
    const dup = await t.req('PUT', `${C}wf-2.vcf`, { body: vcard('wf', ['FN:Well Formed']), headers: CARD });
    assert.equal(dup.status, 409);
    const ev = await t.req('PUT', '/dav/home/alice/personal/wf.ics', { body: 'BEGIN:VCALENDAR\r\nBROKEN', headers: ICS });
    assert.equal(ev.status, 400);
    for (const [res, ns, name] of [[bad, 'urn:ietf:params:xml:ns:carddav', 'valid-address-data'], [dup, 'urn:ietf:params:xml:ns:carddav', 'no-uid-conflict'], [ev, 'urn:ietf:params:xml:ns:caldav', 'valid-calendar-data']] as const) {
      // parseXml refuses malformed XML and undeclared prefixes.
      const root = parseXml(res.text);
      assert.equal(root.ns, 'DAV:');
      assert.equal(root.name, 'error');
      assert.ok(root.children.some((c) => c.ns === ns && c.name === name), `${name} in ${res.text}`);
    }
  });

  test('hrefs and UIDs with spaces, unicode, @, +, %-escapes and slashes round-trip', async () => {
    const cases = [
      { name: 'a b@c+d.vcf', uid: 'uid with space@host+x' },
      { name: 'Jürgen Ä€.vcf', uid: 'jürgen-€' },
      { name: '100%done.vcf', uid: '100%done' },
      { name: 'dir/slash.vcf', uid: 'ab/cd/ef' },
    ];
    for (const c of cases) {
      const path = `${C}${c.name.split('/').map(encodeURIComponent).join('%2F')}`;
      const put = await t.req('PUT', path, { body: vcard(c.uid, [`FN:${c.uid}`]), headers: CARD });
      assert.equal(put.status, 201, c.name);
      const get = await t.req('GET', path);
      assert.equal(get.status, 200, c.name);
      assert.ok(get.text.includes(`UID:${c.uid}`), c.name);
    }
    const list = await t.req('PROPFIND', C, { headers: { depth: '1' } });
    const names = hrefsOf(list.text).map((h) => decodeURIComponent(h.slice(C.length)));
    for (const c of cases) assert.ok(names.includes(c.name), `${c.name} listed: ${names.join(' | ')}`);
    assert.ok(hrefsOf(list.text).includes(`${C}dir%2Fslash.vcf`));
    // An item served under its UID: the UID's slash is escaped, and the href works.
    await t.seed('contacts', vcard('seeded/with slash', ['FN:Seeded Slash']));
    const again = await t.req('PROPFIND', C, { headers: { depth: '1' } });
    const href = hrefsOf(again.text).find((h) => h.includes('seeded'))!;
    assert.equal(href, `${C}seeded%2Fwith%20slash.vcf`);
    assert.equal((await t.req('GET', href)).status, 200);
  });

  test('an item whose UID holds a backslash or a control character is served under its UID, percent-encoded, and that href works', async () => {
    for (const uid of ['back\\slash', 'bell\u0007uid', 'line\nbreak']) {
      const seeded = await t.seed('contacts', vcard('placeholder-uid', [`FN:Odd ${uid.length}`]));
      // The UID as another member delivered it (a codec need not refuse these characters).
      await t.store.commit({ items: [{ id: seeded.id, collection: 'contacts', uid: asUid(uid), item: { ...seeded.item, uid: asUid(uid) }, meta: seeded.meta, expectVersion: seeded.version, identityKeys: [] }] });
      const list = await t.req('PROPFIND', C, { headers: { depth: '1' } });
      const href = `${C}${encodeURIComponent(`${uid}.vcf`)}`;
      assert.ok(hrefsOf(list.text).includes(href), `${JSON.stringify(uid)}: ${hrefsOf(list.text).join(' ')}`);
      const get = await t.req('GET', href);
      assert.equal(get.status, 200, JSON.stringify(uid));
      assert.match(get.text, new RegExp(`FN:Odd ${uid.length}`));
    }
  });

  test('DELETE tombstones the item; a stale If-Match is 412; a missing object 404', async () => {
    const put = await t.req('PUT', `${C}gone.vcf`, { body: vcard('gone', ['FN:Gone Soon']), headers: CARD });
    assert.equal((await t.req('DELETE', `${C}gone.vcf`, { headers: { 'if-match': '"nope-1"' } })).status, 412);
    assert.equal((await t.req('DELETE', `${C}gone.vcf`, { headers: { 'if-match': put.headers.get('etag')! } })).status, 204);
    assert.equal((await t.req('GET', `${C}gone.vcf`)).status, 404);
    assert.equal((await t.req('DELETE', `${C}gone.vcf`)).status, 404);
    const stored = await t.store.getItemByUid('contacts', asUid('gone'));
    assert.equal(stored?.deleted, true);
    const log = await t.store.listLog({ uid: asUid('gone') });
    assert.deepEqual(log.map((e) => [e.action, e.connector]), [['deleted', 'endpoint'], ['created', 'endpoint']]);
  });

  test('calendar objects: PUT, GET as text/calendar, GET of the collection exports everything', async () => {
    const put = await t.req('PUT', '/dav/home/alice/personal/ev1.ics', { body: vevent('ev1', ['SUMMARY:Lunch', 'DTSTART:20240105T120000Z', 'DTEND:20240105T130000Z']), headers: ICS });
    assert.equal(put.status, 201);
    const get = await t.req('GET', '/dav/home/alice/personal/ev1.ics');
    assert.match(get.headers.get('content-type') ?? '', /text\/calendar/);
    assert.match(get.text, /SUMMARY:Lunch/);
    const all = await t.req('GET', '/dav/home/alice/personal/');
    assert.match(all.text, /BEGIN:VCALENDAR[\s\S]*UID:ev1/);
  });

  test('the other user cannot read or write alice\'s objects', async () => {
    assert.equal((await t.req('GET', `${C}new-1.vcf`, { user: 'bob' })).status, 403);
    assert.equal((await t.req('PUT', `${C}bob.vcf`, { user: 'bob', body: vcard('b', ['FN:B']), headers: CARD })).status, 403);
    assert.equal((await t.req('PUT', '/dav/home/bob/contacts/bob.vcf', { user: 'bob', body: vcard('b', ['FN:B']), headers: CARD })).status, 409);
  });
});
