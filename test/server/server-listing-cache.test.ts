import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import type { ItemWrite, Store } from '../../src/core/store.js';
import type { Uid } from '../../src/core/types.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { CONFIG_YAML, hrefsOf, propfindBody, TestServer, textOf, vcard } from './server-harness.js';

/**
 * The listing cache (src/server/listing-cache.ts) answers each PROPFIND Depth 1 and
 * sync-collection without token from what it kept, patched with the changes since: after
 * every kind of write — PUT (new, changed), DELETE, MOVE, COPY, and commits by another store
 * instance on the same SQLite file, as a `pimhub sync` in another process makes them — the
 * cached server's listing must be exactly what a server that never listed before answers.
 */
const COL = '/dav/home/alice/contacts/';
const ARCHIVE = '/dav/home/alice/archive/';
const N = 300;
const YAML = CONFIG_YAML.replace('store: "memory:"', '').replace('collections:\n', 'collections:\n  archive: { kind: contacts, members: [phone], owner: alice }\n');

let dir: string;
let t: TestServer;
/** Another process's view of the same file. */
let other: Store;

const card = (uid: string, note: string) => vcard(uid, [`FN:Cached ${uid}`, `EMAIL:${uid}@example.org`, `NOTE:${note}`]);
const write = (uid: string, note: string, id: string = randomUUID(), expectVersion = 0, deleted = false): ItemWrite => {
  const item = decodeVCards(card(uid, note)).items[0]!;
  return { id, collection: 'contacts', uid: item.uid, item, meta: { fieldSources: {} }, expectVersion, deleted, identityKeys: t.identity.identityKeys(item) };
};

/** href → ETag of every object a listing names (the collection's own response left out). */
function etagsOf(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of xml.split('<D:response>').slice(1)) {
    const href = hrefsOf(`<D:response>${r}`)[0]!;
    if (!href.endsWith('/')) out.set(href, textOf(r, 'getetag')!);
  }
  return out;
}

async function listing(server: TestServer, col = COL): Promise<Map<string, string>> {
  const r = await server.req('PROPFIND', col, { headers: { depth: '1' }, body: propfindBody('<d:getetag/>') });
  assert.equal(r.status, 207);
  const etags = etagsOf(r.text);
  assert.equal(etags.size, hrefsOf(r.text).length - 1, 'every href once');
  return etags;
}

/** What a server that never listed this store answers. */
async function fresh(col = COL): Promise<Map<string, string>> {
  const store = openSqliteStore(join(dir, 'pimhub.db'));
  const s = await TestServer.start(YAML, store);
  try {
    return await listing(s, col);
  } finally {
    await s.stop();
    await store.close();
  }
}

async function sameAsFresh(col = COL): Promise<Map<string, string>> {
  const cached = await listing(t, col);
  assert.deepEqual(cached, await fresh(col));
  return cached;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pimhub-listing-cache-'));
  t = await TestServer.start(YAML, openSqliteStore(join(dir, 'pimhub.db')));
  other = openSqliteStore(join(dir, 'pimhub.db'));
  for (let start = 0; start < N; start += 100) {
    await t.store.commit({ items: Array.from({ length: 100 }, (_, k) => write(`c-${start + k}`, 'initial')) });
  }
  const first = await listing(t);
  assert.equal(first.size, N);
  assert.equal((await listing(t, ARCHIVE)).size, 0);
});
after(async () => {
  await t.stop();
  await other.close();
  await t.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('listing cache', () => {
  test('a second listing at the same seq is the same', async () => {
    assert.equal((await sameAsFresh()).size, N);
  });

  test('PUT of a new object and of a changed one', async () => {
    const created = await t.req('PUT', `${COL}chosen%20name.vcf`, { body: card('chosen', 'new'), headers: { 'content-type': 'text/vcard' } });
    assert.equal(created.status, 201);
    const before = await listing(t);
    const changed = await t.req('PUT', `${COL}c-3.vcf`, { body: card('c-3', 'changed'), headers: { 'content-type': 'text/vcard', 'if-match': before.get(`${COL}c-3.vcf`)! } });
    assert.equal(changed.status, 204);
    const after = await sameAsFresh();
    assert.equal(after.get(`${COL}chosen%20name.vcf`), created.headers.get('etag'));
    assert.equal(after.get(`${COL}c-3.vcf`), changed.headers.get('etag'));
    assert.notEqual(after.get(`${COL}c-3.vcf`), before.get(`${COL}c-3.vcf`));
    assert.equal(after.size, N + 1);
  });

  test('DELETE', async () => {
    assert.equal((await t.req('DELETE', `${COL}c-5.vcf`)).status, 204);
    const after = await sameAsFresh();
    assert.ok(!after.has(`${COL}c-5.vcf`));
    assert.equal(after.size, N);
  });

  test('MOVE within the collection, and COPY into another', async () => {
    await listing(t, ARCHIVE);
    const moved = await t.req('MOVE', `${COL}c-6.vcf`, { headers: { destination: `${COL}moved.vcf` } });
    assert.equal(moved.status, 201);
    const copied = await t.req('COPY', `${COL}c-8.vcf`, { headers: { destination: `${ARCHIVE}copy.vcf` } });
    assert.equal(copied.status, 201);
    const after = await sameAsFresh();
    assert.ok(!after.has(`${COL}c-6.vcf`));
    assert.ok(after.has(`${COL}moved.vcf`));
    assert.ok(after.has(`${COL}c-8.vcf`));
    assert.deepEqual([...(await sameAsFresh(ARCHIVE)).keys()], [`${ARCHIVE}copy.vcf`]);
  });

  test('commits by another store instance on the same file: new, changed, deleted, a second item of a UID', async () => {
    const before = await listing(t);
    const c10 = (await other.getItemByUid('contacts', 'c-10' as Uid))!;
    const c11 = (await other.getItemByUid('contacts', 'c-11' as Uid))!;
    await other.commit({ items: [write('elsewhere', 'new'), write('c-10', 'changed elsewhere', c10.id, c10.version), write('c-11', 'gone', c11.id, c11.version, true)] });
    // A second item with c-12's UID (two members created it): the newer one is served as c-12.vcf, the older one by its id.
    const twin = write('c-12', 'twin');
    await other.commit({ items: [twin] });
    const after = await sameAsFresh();
    assert.ok(after.has(`${COL}elsewhere.vcf`));
    assert.notEqual(after.get(`${COL}c-10.vcf`), before.get(`${COL}c-10.vcf`));
    assert.ok(!after.has(`${COL}c-11.vcf`));
    const c12 = (await other.getItemByUid('contacts', 'c-12' as Uid))!;
    assert.equal(c12.id, twin.id);
    assert.ok(after.has(`${COL}c-12.vcf`));
    assert.notEqual(after.get(`${COL}c-12.vcf`), before.get(`${COL}c-12.vcf`), 'c-12.vcf now names the twin');
    assert.equal(after.size, N + 1, 'one new, one deleted, the twin');

    // The twin deleted again: the first item is c-12.vcf once more.
    await other.commit({ items: [{ ...twin, expectVersion: 1, deleted: true }] });
    const back = await sameAsFresh();
    assert.equal(back.size, N);
    assert.equal(back.get(`${COL}c-12.vcf`), before.get(`${COL}c-12.vcf`));
  });

  test('sync-collection without token: the listing and a token from which nothing has changed', async () => {
    const body = (token: string) => `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
    await other.commit({ items: [write('before-sync', 'new')] });
    const full = await t.req('REPORT', COL, { headers: { depth: '1' }, body: body('') });
    assert.equal(full.status, 207);
    assert.deepEqual(etagsOf(full.text), await fresh());
    const token = textOf(full.text, 'sync-token')!;
    const since = await t.req('REPORT', COL, { headers: { depth: '1' }, body: body(token) });
    assert.equal(since.status, 207);
    assert.equal(etagsOf(since.text).size, 0, 'the token covers every change the listing holds');
  });
});
