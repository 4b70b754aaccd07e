/**
 * A multiget of many hrefs (vdirsyncer asks for every object of a collection in one) names
 * them from the collection's listing and reads the items in one query; a multiget of a few
 * resolves each name by itself. Both must answer every href alike: objects under a client's
 * own name, a second item of a UID (served as ID.vcf), a tombstone's name taken over by a
 * live item of that UID, names that answer to nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { CONFIG_YAML, hrefsOf, TestServer, textOf, vcard } from './server-harness.js';

const BOOK = '/dav/home/alice/contacts/';
const NSS = 'xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav"';
const CARD = { 'content-type': 'text/vcard; charset=utf-8' };
const multigetBody = (hrefs: string[]) =>
  `<cr:addressbook-multiget ${NSS}><d:prop><d:getetag/><cr:address-data/></d:prop>${hrefs.map((h) => `<d:href>${h}</d:href>`).join('')}</cr:addressbook-multiget>`;
const responsesOf = (xml: string) => [...xml.matchAll(/<D:response>[\s\S]*?<\/D:response>/g)].map((m) => m[0]);

describe('endpoint: a multiget of many hrefs answers each as a multiget of that href alone', () => {
  const store = new MemoryStore();
  /** Answers the large multigets (named from its listing). */
  let many: TestServer;
  /** Another server on the same store, never listing the collection: each href resolved by name. */
  let one: TestServer;
  const hrefs: string[] = [];

  before(async () => {
    many = await TestServer.start(CONFIG_YAML, store);
    one = await TestServer.start(CONFIG_YAML, store);
    for (let i = 0; i < 70; i += 1) await many.seed('contacts', vcard(`card-${i}`, [`FN:Person ${i}`, `EMAIL:p${i}@example.org`]));
    const dup = await many.seed('contacts', vcard('dup', ['FN:Dup One']));
    const dup2 = await many.seed('contacts', vcard('dup', ['FN:Dup Two']));
    assert.equal((await many.req('PUT', `${BOOK}Odd%20name.vcf`, { body: vcard('odd', ['FN:Odd']), headers: CARD })).status, 201);
    // A client's object deleted, then an item of the same UID arriving from another member:
    // its default name is the tombstone's.
    assert.equal((await many.req('PUT', `${BOOK}gone.vcf`, { body: vcard('gone', ['FN:Gone']), headers: CARD })).status, 201);
    assert.equal((await many.req('DELETE', `${BOOK}gone.vcf`)).status, 204);
    await many.seed('contacts', vcard('gone', ['FN:Back']));
    const list = await many.req('PROPFIND', BOOK, { headers: { depth: '1' }, body: `<d:propfind ${NSS}><d:prop><d:getetag/></d:prop></d:propfind>` });
    hrefs.push(...hrefsOf(list.text).filter((h) => h !== BOOK));
    hrefs.push(`${BOOK}${dup.id}.vcf`, `${BOOK}${dup2.id}.vcf`, `${BOOK}gone.vcf`, `${BOOK}nope.vcf`, '/dav/home/alice/personal/x.ics', `${BOOK}card-1.vcf`);
  });
  after(async () => {
    await many.stop();
    await one.stop();
  });

  test('the same response for every href, whichever way it was named', async () => {
    assert.ok(hrefs.length >= 64, `${hrefs.length} hrefs: enough to be named from the listing`);
    // The first one records what was served: both answers below then start from the same texts.
    assert.equal((await many.req('REPORT', BOOK, { body: multigetBody(hrefs), headers: { depth: '1' } })).status, 207);
    const alone = [];
    for (const h of hrefs) {
      const r = await one.req('REPORT', BOOK, { body: multigetBody([h]), headers: { depth: '1' } });
      assert.equal(r.status, 207, `${h}: ${r.text}`);
      alone.push(...responsesOf(r.text));
    }
    const all = await many.req('REPORT', BOOK, { body: multigetBody(hrefs), headers: { depth: '1' } });
    assert.equal(all.status, 207);
    assert.deepEqual(responsesOf(all.text), alone);
  });

  test('what the large multiget answers', async () => {
    const all = await many.req('REPORT', BOOK, { body: multigetBody(hrefs), headers: { depth: '1' } });
    const byHref = new Map(responsesOf(all.text).map((r) => [hrefsOf(r)[0]!, r] as const));
    assert.equal(byHref.size, new Set(hrefs).size, 'a response for every href');
    assert.match(textOf(byHref.get(`${BOOK}Odd%20name.vcf`)!, 'address-data')!, /FN:Odd/);
    assert.match(textOf(byHref.get(`${BOOK}card-7.vcf`)!, 'address-data')!, /FN:Person 7/);
    const dups = hrefs.filter((h) => /\/(dup|[0-9a-f-]{36})\.vcf$/.test(h)).map((h) => textOf(byHref.get(h)!, 'address-data') ?? '');
    assert.ok(dups.some((t) => t.includes('FN:Dup One')) && dups.some((t) => t.includes('FN:Dup Two')), 'both items of the UID "dup" are served');
    for (const gone of [`${BOOK}nope.vcf`, '/dav/home/alice/personal/x.ics']) assert.match(byHref.get(gone)!, /404 Not Found/, gone);
    const back = hrefs.find((h) => byHref.get(h)!.includes('FN:Back'));
    assert.ok(back, 'the item that took the tombstone\'s UID is served');
  });
});
