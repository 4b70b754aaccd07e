import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { propfindBody, TestServer, vcard, vevent } from '../server/server-harness.js';

/**
 * Sync tokens are bound to the collection's identity (issue 13): a token of another
 * collection — even one created in the same millisecond, or deleted and created again under
 * the same name — is refused with DAV:valid-sync-token (RFC 6578 §3.2). Tokens of the old
 * format (creation time only) still work where they name one collection unambiguously.
 */
const syncBody = (token: string) => `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;

describe('sync tokens name their collection', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
  });
  after(() => t.stop());

  const tokenOf = async (path: string) => /<D:sync-token>([^<]+)</.exec((await t.req('PROPFIND', path, { headers: { depth: '0' }, body: propfindBody('<d:sync-token/>') })).text)![1]!;
  const sync = (path: string, token: string) => t.req('REPORT', path, { headers: { depth: '1' }, body: syncBody(token) });

  test('a token of another collection created in the same millisecond is refused', async () => {
    const contacts = (await t.store.getCollection('contacts'))!;
    const personal = (await t.store.getCollection('personal'))!;
    assert.equal(contacts.createdAt, personal.createdAt, 'the case of the issue: same creation time');
    await t.seed('contacts', vcard('st-1', ['FN:Sync Token']));
    // personal is ahead of contacts, so the token's sequence alone does not give it away.
    for (const n of [1, 2]) await t.seed('personal', vevent(`st-ev-${n}`, ['SUMMARY:Ahead', 'DTSTART:20240105T100000Z']));
    const token = await tokenOf('/dav/home/alice/contacts/');
    assert.equal((await sync('/dav/home/alice/contacts/', token)).status, 207);
    const cross = await sync('/dav/home/alice/personal/', token);
    assert.equal(cross.status, 403);
    assert.match(cross.text, /<D:valid-sync-token\/>/);
    // Thunderbird gets 400 with the same body (it only falls back to a full sync on 400).
    const tb = await t.req('REPORT', '/dav/home/alice/personal/', { headers: { depth: '1', 'user-agent': 'Mozilla/5.0 Thunderbird/128.0' }, body: syncBody(token) });
    assert.equal(tb.status, 400);
    assert.match(tb.text, /<D:valid-sync-token\/>/);
  });

  test('old-format tokens: accepted when they name one collection, refused when ambiguous or ahead', async () => {
    const contacts = (await t.store.getCollection('contacts'))!;
    const seq = await t.store.currentSeq('contacts');
    const old = `urn:pimhub:sync:${Date.parse(contacts.createdAt)}:${seq}`;
    assert.equal((await sync('/dav/home/alice/contacts/', old)).status, 403, 'three config collections share that creation time');
    assert.equal((await t.req('MKCOL', '/dav/home/alice/fresh/', { body: '<d:mkcol xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><cr:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>' })).status, 201);
    assert.equal((await t.req('PUT', '/dav/home/alice/fresh/f1.vcf', { body: vcard('f1', ['FN:Fresh One']), headers: { 'content-type': 'text/vcard' } })).status, 201);
    const fresh = (await t.store.getCollection('fresh'))!;
    const unique = `urn:pimhub:sync:${Date.parse(fresh.createdAt)}:0`;
    const r = await sync('/dav/home/alice/fresh/', unique);
    assert.equal(r.status, 207);
    assert.match(r.text, /f1\.vcf/);
    assert.match(r.text, /urn:pimhub:sync:v2:/, 'answered with a token of the new format');
    const ahead = (await tokenOf('/dav/home/alice/fresh/')).replace(/:(\d+)$/, (_m, n: string) => `:${Number(n) + 5}`);
    assert.equal((await sync('/dav/home/alice/fresh/', ahead)).status, 403);
    for (const junk of ['urn:pimhub:sync:v2:short:1', 'urn:pimhub:sync:v2:AAAAAAAAAAAAAAAAAAAAAA:1', 'http://example.org/token', `urn:pimhub:sync:${'9'.repeat(400)}:1`]) {
      assert.equal((await sync('/dav/home/alice/fresh/', junk)).status, 403, junk);
    }
  });

  test('a collection deleted and created again under the same name refuses the tokens of the first', async () => {
    const mk = '<d:mkcol xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><cr:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>';
    assert.equal((await t.req('MKCOL', '/dav/home/alice/again/', { body: mk })).status, 201);
    const first = await tokenOf('/dav/home/alice/again/');
    assert.ok([200, 204].includes((await t.req('DELETE', '/dav/home/alice/again/')).status));
    await new Promise((ok) => setTimeout(ok, 5));
    assert.equal((await t.req('MKCOL', '/dav/home/alice/again/', { body: mk })).status, 201);
    const r = await sync('/dav/home/alice/again/', first);
    assert.equal(r.status, 403);
    assert.match(r.text, /<D:valid-sync-token\/>/);
  });
});
