import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../../src/store/open-store.js';
import { CONFIG_YAML, hrefsOf, TestServer, textOf, vcard } from './server-harness.js';

const NSS = 'xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:a="http://apple.com/ns/ical/"';
const H = '/dav/home/alice/';

describe('endpoint: collections made and managed by clients', () => {
  let t: TestServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pimhub-endpoint-'));
    t = await TestServer.start(CONFIG_YAML, await openStore(`sqlite:${join(dir, 'store.db')}`, dir));
  });
  after(async () => {
    await t.stop();
    await t.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('extended MKCOL creates an address book owned by the user, with the endpoint as its only member; it survives a restart', async () => {
    const body = `<d:mkcol ${NSS}><d:set><d:prop><d:resourcetype><d:collection/><cr:addressbook/></d:resourcetype><d:displayname>Work people</d:displayname><cr:addressbook-description>colleagues</cr:addressbook-description></d:prop></d:set></d:mkcol>`;
    const r = await t.req('MKCOL', `${H}work-book/`, { body, headers: { 'content-type': 'application/xml' } });
    assert.equal(r.status, 201);
    const col = await t.store.getCollection('work-book');
    assert.deepEqual([col?.kind, col?.owner, col?.origin, col?.displayName, col?.description], ['contacts', 'alice', 'endpoint', 'Work people', 'colleagues']);
    assert.deepEqual((await t.store.listMemberStates('work-book')).map((s) => s.member), ['endpoint']);
    assert.equal((await t.req('PUT', `${H}work-book/w1.vcf`, { body: vcard('w1', ['FN:Wim Werk']), headers: { 'content-type': 'text/vcard' } })).status, 201);
    // A restart: a new server on the same SQLite file.
    const again = await TestServer.start(CONFIG_YAML, await openStore(`sqlite:${join(dir, 'store.db')}`, dir));
    try {
      const list = await again.req('PROPFIND', `${H}work-book/`, { headers: { depth: '1' } });
      assert.deepEqual(hrefsOf(list.text), [`${H}work-book/`, `${H}work-book/w1.vcf`]);
    } finally {
      await again.stop();
      await again.store.close();
    }
  });

  test('MKCOL over an existing name is 405; plain MKCOL makes an address book; a plain resourcetype 403; a non-XML body 415; in another home 403', async () => {
    const ab = `<d:mkcol ${NSS}><d:set><d:prop><d:resourcetype><d:collection/><cr:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>`;
    assert.equal((await t.req('MKCOL', `${H}contacts/`, { body: ab })).status, 405);
    assert.equal((await t.req('MKCOL', `${H}plain/`)).status, 201);
    assert.equal((await t.store.getCollection('plain'))?.kind, 'contacts');
    const folder = await t.req('MKCOL', `${H}folder/`, { body: `<d:mkcol ${NSS}><d:set><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop></d:set></d:mkcol>` });
    assert.equal(folder.status, 403);
    assert.match(folder.text, /valid-resourcetype/);
    assert.equal((await t.req('MKCOL', `${H}junk/`, { body: 'hello', headers: { 'content-type': 'text/plain' } })).status, 415);
    assert.equal((await t.req('MKCOL', '/dav/home/bob/mine/', { body: ab })).status, 403);
  });

  test('MKCOL and MKCALENDAR refuse (403) the name of a config collection, even when the store does not hold it', async () => {
    const ab = `<d:mkcol ${NSS}><d:set><d:prop><d:resourcetype><d:collection/><cr:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>`;
    const other = await TestServer.start();
    try {
      // As before `pimhub serve` first put the config's collections in the store.
      await other.store.deleteCollection('bobs');
      await other.store.deleteCollection('personal');
      assert.equal((await other.req('MKCOL', `${H}bobs/`, { body: ab })).status, 403);
      assert.equal((await other.req('MKCOL', '/dav/home/bob/bobs/', { user: 'bob', body: ab })).status, 403);
      assert.equal((await other.req('MKCALENDAR', `${H}personal/`)).status, 403);
      assert.equal(await other.store.getCollection('bobs'), undefined);
      assert.equal(await other.store.getCollection('personal'), undefined);
    } finally {
      await other.stop();
    }
  });

  test('MKCOL of a name another user owns is 403 and does not say that it exists', async () => {
    const ab = `<d:mkcol ${NSS}><d:set><d:prop><d:resourcetype><d:collection/><cr:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>`;
    assert.equal((await t.req('MKCOL', '/dav/home/bob/bob-made/', { user: 'bob', body: ab })).status, 201);
    const taken = await t.req('MKCOL', `${H}bob-made/`, { body: ab });
    const config = await t.req('MKCOL', `${H}bobs/`, { body: ab });
    assert.equal(taken.status, 403);
    assert.equal(config.status, 403);
    assert.doesNotMatch(taken.text, /exist/i);
    assert.equal(taken.text, config.text);
    assert.equal(taken.headers.get('allow'), null);
    assert.equal((await t.store.getCollection('bob-made'))?.owner, 'bob');
  });

  test('MKCALENDAR creates a calendar with its color; PROPPATCH sets name, color and description', async () => {
    const body = `<c:mkcalendar ${NSS}><d:set><d:prop><d:displayname>Sport</d:displayname><a:calendar-color>#FF8800FF</a:calendar-color><c:calendar-timezone>ignored</c:calendar-timezone></d:prop></d:set></c:mkcalendar>`;
    assert.equal((await t.req('MKCALENDAR', `${H}sport/`, { body })).status, 201);
    const patch = `<d:propertyupdate ${NSS}><d:set><d:prop><d:displayname>Sport &amp; Spiel</d:displayname><a:calendar-color>#00FF00</a:calendar-color><c:calendar-description>training</c:calendar-description></d:prop></d:set></d:propertyupdate>`;
    const r = await t.req('PROPPATCH', `${H}sport/`, { body: patch });
    assert.equal(r.status, 207);
    assert.ok(!r.text.includes('403'));
    const props = await t.req('PROPFIND', `${H}sport/`, { headers: { depth: '0' }, body: `<d:propfind ${NSS}><d:prop><d:displayname/><a:calendar-color/><c:calendar-description/><d:resourcetype/></d:prop></d:propfind>` });
    assert.equal(textOf(props.text, 'displayname'), 'Sport & Spiel');
    assert.equal(textOf(props.text, 'calendar-color'), '#00FF00');
    assert.equal(textOf(props.text, 'calendar-description'), 'training');
    assert.match(props.text, /<C:calendar\/>/);
    // PROPPATCH on a config collection works too.
    assert.equal((await t.req('PROPPATCH', `${H}contacts/`, { body: patch.replace('c:calendar-description', 'cr:addressbook-description').replace('c:calendar-description', 'cr:addressbook-description') })).status, 207);
    assert.equal((await t.store.getCollection('contacts'))?.description, 'training');
  });

  test('PROPPATCH is atomic: a protected (live) property makes it 403 and the others 424, nothing changes', async () => {
    const patch = `<d:propertyupdate ${NSS}><d:set><d:prop><d:displayname>Renamed</d:displayname><x:custom xmlns:x="urn:x">v</x:custom><d:getetag>"x"</d:getetag></d:prop></d:set></d:propertyupdate>`;
    const r = await t.req('PROPPATCH', `${H}sport/`, { body: patch });
    assert.equal(r.status, 207);
    assert.match(r.text, /<D:getetag\/><\/D:prop><D:status>HTTP\/1\.1 403/);
    assert.match(r.text, /<D:displayname\/><X:custom xmlns:X="urn:x"\/><\/D:prop><D:status>HTTP\/1\.1 424/);
    assert.deepEqual(await t.store.deadProperties('sport'), {});
    assert.equal((await t.store.getCollection('sport'))?.displayName, 'Sport & Spiel');
  });

  test('DELETE removes a client-made collection, refuses (403) one from the config file', async () => {
    assert.equal((await t.req('DELETE', `${H}contacts/`)).status, 403);
    assert.ok(await t.store.getCollection('contacts'));
    assert.equal((await t.req('DELETE', `${H}sport/`)).status, 204);
    assert.equal(await t.store.getCollection('sport'), undefined);
    assert.equal((await t.req('PROPFIND', `${H}sport/`, { headers: { depth: '0' } })).status, 404);
    assert.equal((await t.req('DELETE', '/dav/home/bob/bobs/')).status, 403);
  });
});
