/**
 * Any collection name a client chooses and any object name or UID (SPEC §5): hrefs are
 * percent-encoded once on the way out and decoded once on the way in, the same in
 * PROPFIND, REPORT (multiget, query, sync-collection), Location and GET.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hrefsOf, TestServer, vcard, vevent } from './server-harness.js';

const H = '/dav/home/alice/';
const NSS = 'xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav" xmlns:c="urn:ietf:params:xml:ns:caldav"';
const enc = (s: string) => encodeURIComponent(s).replace(/%(40|2B|3A|24|26|2C|3B|3D)/g, (m) => decodeURIComponent(m));
const CARD = { 'content-type': 'text/vcard; charset=utf-8' };

describe('endpoint: any collection name, any object name and UID', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
  });
  after(() => t.stop());

  const collections = ['test @ foo ät bar', '100% Privat', 'Kalender (Familie) 📅', 'a+b=c;d,e'];

  for (const name of collections) {
    test(`collection ${JSON.stringify(name)}: MKCOL, Location, PROPFIND, PUT, multiget, sync-collection, DELETE`, async () => {
      const href = `${H}${enc(name)}/`;
      const mk = await t.req('MKCOL', href, { body: `<d:mkcol ${NSS}><d:set><d:prop><d:resourcetype><d:collection/><cr:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>` });
      assert.equal(mk.status, 201, mk.text);
      assert.equal(mk.headers.get('location'), href);
      const home = await t.req('PROPFIND', H, { headers: { depth: '1' }, body: `<d:propfind ${NSS}><d:prop><d:displayname/></d:prop></d:propfind>` });
      assert.ok(hrefsOf(home.text).includes(href), `${href} in ${hrefsOf(home.text).join(' ')}`);
      assert.match(home.text, new RegExp(`<D:displayname>${name.replace(/[()+]/g, '\\$&')}</D:displayname>`));

      const objName = 'Jürgen %20 line\nbreak @x.vcf';
      const obj = `${href}${enc(objName)}`;
      const uid = 'uid with\nnewline, % and ü';
      const put = await t.req('PUT', obj, { body: vcard(uid.replace(/\n/g, '\\n'), ['FN:Jürgen']), headers: CARD });
      assert.equal(put.status, 201, put.text);
      assert.equal((await t.req('GET', obj)).status, 200);
      const list = await t.req('PROPFIND', href, { headers: { depth: '1' } });
      assert.ok(hrefsOf(list.text).includes(obj), `${obj} in ${hrefsOf(list.text).join(' ')}`);

      const mg = await t.req('REPORT', href, { body: `<cr:addressbook-multiget ${NSS}><d:prop><d:getetag/><cr:address-data/></d:prop><d:href>${obj.replace(/&/g, '&amp;')}</d:href></cr:addressbook-multiget>`, headers: { depth: '1' } });
      assert.deepEqual(hrefsOf(mg.text), [obj]);
      assert.match(mg.text, /FN:Jürgen/);
      const sync = await t.req('REPORT', href, { body: `<d:sync-collection ${NSS}><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>` });
      assert.ok(hrefsOf(sync.text).includes(obj), sync.text);
      const token = /<D:sync-token>([^<]+)</.exec(sync.text)![1]!;
      assert.equal((await t.req('DELETE', obj)).status, 204);
      const after = await t.req('REPORT', href, { body: `<d:sync-collection ${NSS}><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>` });
      assert.ok(hrefsOf(after.text).includes(obj), after.text);
      assert.equal((await t.req('DELETE', href)).status, 204);
      assert.equal((await t.req('PROPFIND', href, { headers: { depth: '0' } })).status, 404);
    });
  }

  test('a calendar with a Unicode name: MKCALENDAR and calendar-query answer its own hrefs', async () => {
    const href = `${H}${enc('Kalender für Ärzte')}/`;
    assert.equal((await t.req('MKCALENDAR', href)).status, 201);
    const obj = `${href}${enc('Termin #1 ?.ics')}`;
    const put = await t.req('PUT', obj, { body: vevent('t-1', ['SUMMARY:Arzt', 'DTSTART:20240105T100000Z']), headers: { 'content-type': 'text/calendar' } });
    assert.equal(put.status, 201);
    const q = await t.req('REPORT', href, { headers: { depth: '1' }, body: `<c:calendar-query ${NSS}><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>` });
    assert.deepEqual(hrefsOf(q.text), [obj]);
  });

  test('names that cannot be one collection are refused, and climbing is never possible', async () => {
    assert.equal((await t.req('MKCOL', `${H}a%2Fb/`)).status, 409);
    assert.equal((await t.req('MKCOL', `${H}bell%07/`)).status, 409);
    // fetch resolves a %2e%2e segment itself: the server sees bob's home (403), or a 400.
    assert.ok([400, 403, 404].includes((await t.req('PROPFIND', `${H}contacts/%2e%2e/%2e%2e/bob/`, { headers: { depth: '0' } })).status));
    assert.equal((await t.req('PROPFIND', `${H}contacts/%00.vcf`, { headers: { depth: '0' } })).status, 400);
    assert.equal((await t.req('PROPFIND', `${H}contacts/a%2F..%2F..%2Fx.vcf`, { headers: { depth: '0' } })).status, 404);
  });
});
