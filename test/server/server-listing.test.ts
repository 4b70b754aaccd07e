import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import type { StoreChange, StoredItem } from '../../src/core/store.js';
import { PimError } from '../../src/core/errors.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { ENDPOINT_MEMBER } from '../../src/sync/endpoint-write.js';
import { hrefsOf, propfindBody, TestServer, textOf, vcard } from './server-harness.js';

/**
 * Listings of a collection bigger than one page (src/server/listing.ts: 250 objects per page)
 * are streamed: every object is answered once with the same ETag, length and data a GET
 * gives, whether the listing reads only the items' heads (getetag) or the items too
 * (getcontentlength, address-data); a client that leaves half-way stops the listing, and
 * nothing of it is recorded as served.
 */
const N = 600;
const BIG = 4000;
const COL = '/dav/home/alice/contacts/';
let t: TestServer;

async function seedMany(server: TestServer, collection: string, n: number, note: string): Promise<void> {
  for (let start = 0; start < n; start += 500) {
    const items = Array.from({ length: Math.min(500, n - start) }, (_, k) => {
      const i = start + k;
      const item = decodeVCards(vcard(`${collection}-${i}`, [`FN:Listed ${i}`, `EMAIL:listed${i}@example.org`, `NOTE:${note}`])).items[0]!;
      return { id: randomUUID(), collection, uid: item.uid, item, meta: { fieldSources: {} }, expectVersion: 0, identityKeys: server.identity.identityKeys(item) };
    });
    await server.store.commit({ items });
  }
}

const responsesOf = (xml: string) => xml.split('<D:response>').slice(1);

before(async () => {
  t = await TestServer.start();
  await seedMany(t, 'contacts', N, 'short');
  // One object under a name a client chose (an endpoint link), one deleted: the listing names the first by its link and leaves out the second.
  const put = await t.req('PUT', `${COL}chosen%20name.vcf`, { body: vcard('chosen', ['FN:Chosen Name']), headers: { 'content-type': 'text/vcard' } });
  assert.equal(put.status, 201);
  const gone = await t.req('DELETE', `${COL}contacts-7.vcf`);
  assert.equal(gone.status, 204);
});
after(() => t.stop());

describe('streamed listings', () => {
  test(`PROPFIND Depth 1 of ${N} objects: chunked; ETags, lengths and address-data as GET gives them`, async () => {
    const heads = await t.req('PROPFIND', COL, { headers: { depth: '1' }, body: propfindBody('<d:getetag/>') });
    assert.equal(heads.status, 207);
    assert.equal(heads.headers.get('transfer-encoding'), 'chunked');
    assert.equal(heads.headers.get('content-length'), null);
    const full = await t.req('PROPFIND', COL, { headers: { depth: '1' }, body: propfindBody('<d:getetag/><d:getcontentlength/><cr:address-data/>') });
    assert.equal(full.status, 207);
    assert.match(full.text, /<\/D:multistatus>$/);
    const objects = responsesOf(full.text).slice(1);
    assert.equal(objects.length, N);
    const hrefs = objects.map((r) => hrefsOf(`<D:response>${r}`)[0]!);
    assert.equal(new Set(hrefs).size, N);
    assert.ok(hrefs.includes(`${COL}chosen%20name.vcf`));
    assert.ok(!hrefs.includes(`${COL}contacts-7.vcf`));
    assert.deepEqual(hrefsOf(heads.text).slice(1).sort(), [...hrefs].sort());
    const etagsOfHeads = new Map(responsesOf(heads.text).slice(1).map((r) => [hrefsOf(`<D:response>${r}`)[0]!, textOf(r, 'getetag')]));
    // Every 50th object against its GET (the first and last pages included), and the one a
    // client PUT, served in the client's own form (its text read with the listing's page).
    const chosen = hrefs.indexOf(`${COL}chosen%20name.vcf`);
    for (const i of [chosen, ...Array.from({ length: Math.ceil(objects.length / 50) }, (_, k) => k * 50)]) {
      const r = objects[i]!;
      const get = await t.req('GET', hrefs[i]!);
      assert.equal(get.status, 200);
      assert.equal(textOf(r, 'address-data'), get.text, hrefs[i]);
      assert.equal(textOf(r, 'getetag'), get.headers.get('etag'));
      assert.equal(etagsOfHeads.get(hrefs[i]!), get.headers.get('etag'));
      assert.equal(Number(textOf(r, 'getcontentlength')), Buffer.byteLength(get.text));
    }
  });

  test(`sync-collection without token lists the ${N} objects and a token; that token then lists only what changed`, async () => {
    const body = (token: string) => `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
    const first = await t.req('REPORT', COL, { headers: { depth: '1' }, body: body('') });
    assert.equal(first.status, 207);
    assert.equal(responsesOf(first.text).length, N);
    const token = textOf(first.text, 'sync-token')!;
    assert.match(token, /^urn:pimhub:sync:/);
    const put = await t.req('PUT', `${COL}contacts-3.vcf`, { body: vcard('contacts-3', ['FN:Listed 3', 'NOTE:changed']), headers: { 'content-type': 'text/vcard' } });
    assert.ok(put.status === 204 || put.status === 201, String(put.status));
    const next = await t.req('REPORT', COL, { headers: { depth: '1' }, body: body(token) });
    assert.deepEqual(hrefsOf(next.text), [`${COL}contacts-3.vcf`]);
  });

  test('a listing whose store fails half-way is cut off (the client sees it broken, never whole), and the server goes on', async () => {
    /** A store whose reads of items fail from the second page on, as a disk or a database connection might. */
    class FailingStore extends MemoryStore {
      pages = 0;
      override async getItems(ids: readonly string[]): Promise<StoredItem[]> {
        if (++this.pages > 1) throw new Error('disk I/O error (injected)');
        return super.getItems(ids);
      }
    }
    const store = new FailingStore();
    const failing = await TestServer.start(undefined, store);
    try {
      await seedMany(failing, 'contacts', N, 'short');
      const r = await fetch(`${failing.base}${COL}`, { method: 'PROPFIND', headers: { depth: '1', authorization: `Basic ${Buffer.from('alice:correct horse').toString('base64')}` }, body: propfindBody('<d:getetag/><cr:address-data/>') });
      assert.equal(r.status, 207, 'the answer had begun');
      await assert.rejects(r.text(), 'the body is cut off, not ended as if whole');
      assert.ok(store.pages >= 2);
      assert.ok(failing.logs.some((l) => /PROPFIND failed: disk I\/O error \(injected\)/.test(l)), failing.logs.join('\n'));
      const get = await failing.req('GET', `${COL}contacts-1.vcf`);
      assert.equal(get.status, 200);
    } finally {
      await failing.stop();
    }
  });

  test('a listing whose "served" record finds the store busy is cut off, not left hanging; the server goes on', { timeout: 60_000 }, async () => {
    /** A store another process holds locked once the data is in: the commit that records the listing as served fails. */
    class BusyStore extends MemoryStore {
      busy = false;
      override async commit(change: StoreChange): Promise<{ logIds: number[]; outboxIds: number[] }> {
        if (this.busy) throw new PimError('busy', 'database is locked (injected)');
        return super.commit(change);
      }
    }
    const store = new BusyStore();
    const locked = await TestServer.start(undefined, store);
    try {
      await seedMany(locked, 'contacts', N, 'short');
      store.busy = true;
      const r = await fetch(`${locked.base}${COL}`, { method: 'PROPFIND', headers: { depth: '1', authorization: `Basic ${Buffer.from('alice:correct horse').toString('base64')}` }, body: propfindBody('<d:getetag/><cr:address-data/>') });
      assert.equal(r.status, 207, 'the answer had begun');
      await assert.rejects(r.text(), 'the body is cut off, neither ended as if whole nor left open');
      assert.ok(locked.logs.some((l) => /PROPFIND failed: database is locked \(injected\)/.test(l)), locked.logs.join('\n'));
      store.busy = false;
      const get = await locked.req('GET', `${COL}contacts-1.vcf`);
      assert.equal(get.status, 200);
    } finally {
      await locked.stop();
    }
  });

  test(`a client that leaves a listing of ${BIG} cards half-way: the listing stops, nothing of it is recorded as served, the server goes on`, async () => {
    const big = await TestServer.start(`
store: "memory:"
server:
  users:
    alice: { passwordEnv: ALICE_PW }
connectors:
  phone: { type: vcard-file, path: ./phone.vcf }
collections:
  contacts: { kind: contacts, members: [phone], owner: alice }
`);
    try {
      await seedMany(big, 'contacts', BIG, 'x'.repeat(2000));
      const u = new URL(big.base);
      const received = await new Promise<number>((ok, fail) => {
        const req = http.request({ host: u.hostname, port: u.port, method: 'PROPFIND', path: COL, headers: { depth: '1', authorization: `Basic ${Buffer.from('alice:correct horse').toString('base64')}` } }, (res) => {
          let bytes = 0;
          res.once('data', (d: Buffer) => {
            bytes += d.length;
            // Stop reading (the server's writes back up), then leave.
            res.pause();
            setTimeout(() => {
              req.destroy();
              ok(bytes);
            }, 300);
          });
        });
        req.on('error', (e) => (e.message.includes('aborted') || e.message.includes('socket hang up') ? undefined : fail(e)));
        req.end(propfindBody('<d:getetag/><cr:address-data/>'));
      });
      assert.ok(received > 0);
      // Time for a listing that went on regardless to reach its end and record what it served.
      await new Promise((ok) => setTimeout(ok, 2000));
      assert.equal((await big.store.linkHrefs('contacts', ENDPOINT_MEMBER)).length, 0, 'a listing the client did not receive is not its base');
      const get = await big.req('GET', `${COL}contacts-1.vcf`);
      assert.equal(get.status, 200);
      const whole = await big.req('PROPFIND', COL, { headers: { depth: '1' }, body: propfindBody('<d:getetag/><cr:address-data/>') });
      assert.equal(responsesOf(whole.text).length, BIG + 1);
      assert.equal((await big.store.linkHrefs('contacts', ENDPOINT_MEMBER)).length, BIG, 'a whole listing with data is recorded as served');
      assert.deepEqual(big.logs.filter((l) => /failed/.test(l)), []);
    } finally {
      await big.stop();
    }
  });
});
