import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { isPimError } from '../../src/core/errors.js';
import { migrate, migrations, type Migration } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runStoreContract } from './store-contract.js';
import { link, write } from './store-fixtures.js';
import { asEtag, asHref } from '../../src/core/types.js';

function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pimhub-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

runStoreContract('SqliteStore', async () => {
  const t = tempDir();
  const store = openSqliteStore(join(t.dir, 'pimhub.db'));
  await store.init();
  return { store, cleanup: async () => { await store.close(); t.remove(); } };
});

runStoreContract('SqliteStore :memory:', async () => {
  const store = openSqliteStore(':memory:');
  return { store, cleanup: async () => store.close() };
});

test('sqlite: data survives close and reopen; migrations run once', async () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'sub', 'pimhub.db');
    const a = openSqliteStore(path);
    assert.equal(a.schemaVersion(), migrations.length);
    await a.commit({ items: [write('i1', 'Ann')], log: [{ run: 'r1', time: '2024-01-01T00:00:00.000Z', collection: 'c', uid: 'uid-i1', action: 'created', connector: 'm1' }] });
    await a.close();
    await assert.rejects(a.getItem('i1'), (e) => isPimError(e, 'io'));

    const b = openSqliteStore(path);
    await b.init();
    assert.equal(b.schemaVersion(), migrations.length);
    assert.equal((await b.getItem('i1'))?.version, 1);
    assert.equal((await b.listLog()).length, 1);
    await b.commit({ items: [write('i1', 'Ann 2', 1)] });
    assert.equal((await b.getItem('i1'))?.seq, 2);
    await b.close();

    const db = new Database(path);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(migrate(db), 0, 'an up-to-date file runs no migration');
    db.close();
  } finally {
    t.remove();
  }
});

test('sqlite: the store opens with its settings in force (WAL, NORMAL, foreign keys, autocheckpoint, busy timeout)', async () => {
  const t = tempDir();
  try {
    const store = openSqliteStore(join(t.dir, 'pimhub.db'));
    // The connection's own settings: most pragmas hold per connection, so a second one would not see them.
    const db = (store as unknown as { conn(): Database.Database }).conn();
    const pragma = (name: string) => db.pragma(name, { simple: true });
    assert.deepEqual(
      { journal: pragma('journal_mode'), synchronous: pragma('synchronous'), foreignKeys: pragma('foreign_keys'), autocheckpoint: pragma('wal_autocheckpoint'), busy: pragma('busy_timeout') },
      { journal: 'wal', synchronous: 1, foreignKeys: 1, autocheckpoint: 10000, busy: 5000 },
    );
    await store.close();
  } finally {
    t.remove();
  }
});

test('sqlite: migrate runs each pending migration once, in order, and refuses newer files', () => {
  const db = new Database(':memory:');
  const ran: number[] = [];
  const list: Migration[] = [() => ran.push(1), () => ran.push(2)];
  assert.equal(migrate(db, list.slice(0, 1)), 1);
  assert.equal(migrate(db, list), 1);
  assert.equal(migrate(db, list), 0);
  assert.deepEqual(ran, [1, 2]);
  assert.throws(() => migrate(db, list.slice(0, 1)), (e) => isPimError(e, 'unsupported'));
  db.close();
});

test('sqlite: a failing migration leaves the version unchanged', () => {
  const db = new Database(':memory:');
  const list: Migration[] = [(d) => d.exec('CREATE TABLE t (x)'), (d) => { d.exec('CREATE TABLE u (x)'); throw new Error('boom'); }];
  assert.throws(() => migrate(db, list), /boom/);
  assert.equal(db.pragma('user_version', { simple: true }), 1);
  const u = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'u'").get() as { n: number };
  assert.equal(u.n, 0);
  db.close();
});

test('sqlite: migration 6 upgrades a version-5 file: its listings come from the covering indexes', async () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'old.db');
    const old = new Database(path);
    migrate(old, migrations.slice(0, 5));
    assert.equal(old.pragma('user_version', { simple: true }), 5);
    const item = old.prepare(`INSERT INTO items (id, collection, uid, version, seq, deleted, data, meta, updated_at) VALUES (?, 'c', ?, ?, ?, ?, '{}', '{}', '2024-01-01T00:00:00.000Z')`);
    item.run('i2', 'uid-b', 3, 7, 0);
    item.run('i1', 'uid-a', 1, 2, 1);
    old.prepare(`INSERT INTO links (collection, member, href, item_id, etag, base, agreed_version, updated_at) VALUES ('c', 'endpoint', ?, ?, '"e"', '{}', 1, '2024-01-01T00:00:00.000Z')`).run('b.vcf', 'i2');
    old.close();

    const store = openSqliteStore(path);
    await store.init();
    assert.equal(store.schemaVersion(), migrations.length);
    assert.deepEqual(await store.listItemHeads('c'), [
      { id: 'i1', uid: 'uid-a', version: 1, seq: 2, deleted: true, updatedAt: '2024-01-01T00:00:00.000Z' },
      { id: 'i2', uid: 'uid-b', version: 3, seq: 7, deleted: false, updatedAt: '2024-01-01T00:00:00.000Z' },
    ]);
    assert.deepEqual(await store.linkHrefs('c', 'endpoint'), [{ href: 'b.vcf', itemId: 'i2' }]);
    await store.close();

    // The listing queries of sqlite-store.ts, as they are: neither visits the table rows nor sorts.
    const db = new Database(path, { readonly: true });
    const plan = (sql: string, ...args: string[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    assert.match(plan('SELECT id, uid, version, seq, deleted, updated_at FROM items WHERE collection = ? ORDER BY id', 'c'), /^SEARCH items USING COVERING INDEX items_collection_heads \(collection=\?\)$/);
    assert.match(plan('SELECT href, item_id FROM links WHERE collection = ? AND member = ? ORDER BY href', 'c', 'endpoint'), /^SEARCH links USING COVERING INDEX links_href_item \(collection=\? AND member=\?\)$/);
    // Migrations 8 and 9: a sync's link heads (Store.linkHeads) come from that index too, and
    // the pending-writes queries keep probing links by item (links_item, named in them: an
    // index covering agreed_version otherwise drew them into scanning all of the member's
    // links per item, 20 s at 10,000). Checked on the queries as the store sends them.
    const pendingSql = readFileSync(new URL('../../../src/store/sqlite/sqlite-store.ts', import.meta.url), 'utf8')
      .match(/FROM items i LEFT JOIN links l[^`]*/g)!;
    assert.equal(pendingSql.length, 2, 'both pending-writes queries found');
    for (const q of pendingSql) {
      const sql = `SELECT i.id ${q.replace(/@collection/g, "'c'").replace(/@member/g, "'endpoint'")}`;
      assert.match(plan(sql), /SEARCH l USING INDEX links_item \(item_id=\? AND collection=\? AND member=\?\)/, sql);
    }
    // linkHeads reads in pages by href: the first page and every later one, from the index alone and unsorted.
    assert.match(plan('SELECT href, item_id, etag, agreed_version FROM links WHERE collection = ? AND member = ? ORDER BY href LIMIT 2000', 'c', 'endpoint'), /^SEARCH links USING COVERING INDEX links_href_item \(collection=\? AND member=\?\)$/);
    assert.match(plan('SELECT href, item_id, etag, agreed_version FROM links WHERE collection = ? AND member = ? AND href > ? ORDER BY href LIMIT 2000', 'c', 'endpoint', 'a'), /^SEARCH links USING COVERING INDEX links_href_item \(collection=\? AND member=\? AND href>\?\)$/);
    db.close();
  } finally {
    t.remove();
  }
});

test('sqlite: migration 7 upgrades a version-6 file: item_versions becomes a rowid table, every version kept', async () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'v6.db');
    const old = new Database(path);
    old.pragma('foreign_keys = ON');
    migrate(old, migrations.slice(0, 6));
    assert.equal(old.pragma('user_version', { simple: true }), 6);
    assert.match(String((old.prepare(`SELECT sql FROM sqlite_master WHERE name = 'item_versions'`).get() as { sql: string }).sql), /WITHOUT ROWID/);
    // A version of more than 1,000 bytes (what spilled onto overflow pages), a deleted one, runs.
    const long = JSON.stringify({ uid: 'uid-a', note: 'ä'.repeat(900) });
    const item = old.prepare(`INSERT INTO items (id, collection, uid, version, seq, deleted, data, meta, updated_at) VALUES (?, 'c', ?, ?, ?, ?, ?, '{}', '2024-01-01T00:00:00.000Z')`);
    item.run('i1', 'uid-a', 2, 1, 0, long);
    item.run('i2', 'uid-b', 1, 2, 1, '{"uid":"uid-b"}');
    const version = old.prepare('INSERT INTO item_versions (item_id, version, deleted, data, time, run) VALUES (?, ?, ?, ?, ?, ?)');
    version.run('i1', 1, 0, '{"uid":"uid-a"}', '2024-01-01T00:00:00.000Z', 'run-1');
    version.run('i1', 2, 0, long, '2024-01-02T00:00:00.000Z', 'run-2');
    version.run('i2', 1, 1, '{"uid":"uid-b"}', '2024-01-03T00:00:00.000Z', '');
    const before = old.prepare('SELECT * FROM item_versions ORDER BY item_id, version').all();
    old.close();

    const store = openSqliteStore(path);
    await store.init();
    assert.equal(store.schemaVersion(), migrations.length);
    const h = await store.history('i1');
    assert.deepEqual(h.map((v) => [v.version, v.run, v.time]), [[2, 'run-2', '2024-01-02T00:00:00.000Z'], [1, 'run-1', '2024-01-01T00:00:00.000Z']]);
    assert.equal(JSON.stringify(h[0]!.item), long);
    assert.equal((await store.history('i2'))[0]!.deleted, true);
    await store.close();

    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    assert.deepEqual(db.prepare('SELECT * FROM item_versions ORDER BY item_id, version').all(), before, 'every row, byte for byte');
    assert.doesNotMatch(String((db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'item_versions'`).get() as { sql: string }).sql), /WITHOUT ROWID/);
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT version, data, time, deleted, run FROM item_versions WHERE item_id = ? ORDER BY version DESC LIMIT ?').all('i1', 5) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    assert.match(plan, /^SEARCH item_versions USING INDEX sqlite_autoindex_item_versions_1 \(item_id=\?\)$/, 'history reads by the primary key, no sort');
    assert.throws(() => db.prepare(`INSERT INTO item_versions (item_id, version, deleted, data, time) VALUES ('i1', 1, 0, '{}', 't')`).run(), /UNIQUE/, 'the primary key still holds');
    assert.throws(() => db.prepare(`INSERT INTO item_versions (item_id, version, deleted, data, time) VALUES ('nope', 1, 0, '{}', 't')`).run(), /FOREIGN KEY/, 'and the reference to items');
    db.prepare(`DELETE FROM items WHERE id = 'i1'`).run();
    assert.deepEqual(db.prepare(`SELECT item_id FROM item_versions`).all(), [{ item_id: 'i2' }], 'versions follow their item out (ON DELETE CASCADE)');
    db.close();
  } finally {
    t.remove();
  }
});

test('sqlite: two instances on one file see each other\'s commits and locks', async () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'shared.db');
    const a = openSqliteStore(path);
    const b = openSqliteStore(path);
    await a.commit({ items: [write('i1', 'Ann')] });
    assert.equal((await b.getItem('i1'))?.version, 1);
    await b.commit({ items: [write('i1', 'Ann 2', 1)] });
    assert.equal((await a.getItem('i1'))?.version, 2);
    await assert.rejects(a.commit({ items: [write('i1', 'stale', 1)] }), (e) => isPimError(e, 'precondition-failed'));
    assert.equal(await a.currentSeq('c'), await b.currentSeq('c'));

    assert.equal(await a.tryLock('sync:c', 'serve', 60_000), true);
    assert.equal(await b.tryLock('sync:c', 'sync', 60_000), false);
    await b.unlock('sync:c', 'sync');
    assert.equal(await b.tryLock('sync:c', 'sync', 60_000), false);
    await a.unlock('sync:c', 'serve');
    assert.equal(await b.tryLock('sync:c', 'sync', 60_000), true);
    await a.close();
    await b.close();
  } finally {
    t.remove();
  }
});

test('sqlite: database errors become PimError io with the path', async () => {
  const t = tempDir();
  try {
    // A directory where the file should be cannot be opened as a database.
    assert.throws(() => openSqliteStore(t.dir), (e) => isPimError(e, 'io') && e.where === t.dir);
  } finally {
    t.remove();
  }
});

test('sqlite: 10,000 item writes in one commit, and pendingForMember over them (results at size)', async () => {
  const store = openSqliteStore(':memory:');
  const writes = Array.from({ length: 10_000 }, (_, i) => write(`i${i}`, `Person ${i}`, 0, { identityKeys: [`email:p${i}@x.org`] }));
  await store.commit({ items: writes });
  assert.equal(await store.countItems('c'), 10_000);
  assert.equal((await store.pendingForMember('c', 'm1')).length, 10_000);
  await store.commit({ links: writes.map((w, i) => ({ collection: 'c', member: 'm1', href: asHref(`${i}.vcf`), itemId: w.id, etag: asEtag('"1"'), base: w.item, agreedVersion: 1, updatedAt: '2024-01-01T00:00:00.000Z' })) });
  // Timings belong in `npm run bench`, not in tests; this checks the result at size.
  assert.deepEqual(await store.pendingForMember('c', 'm1'), []);
  // linkHeads reads them in pages of 2,000 by href: every head once, another member's left out.
  await store.commit({ links: [link('i1', '5000.vcf', 1, 'm0'), link('i2', 'zzz.vcf', 1, 'm2')] });
  const heads = await store.linkHeads('c', 'm1');
  assert.equal(heads.length, 10_000);
  const byHref = new Map(heads.map((h) => [h.href, h]));
  assert.equal(byHref.size, 10_000, 'no head twice');
  writes.forEach((w, i) => assert.deepEqual(byHref.get(asHref(`${i}.vcf`)), { member: 'm1', href: `${i}.vcf`, itemId: w.id, etag: '"1"', agreedVersion: 1 }));
  await store.close();
});

test('sqlite: a commit waits for another process\'s write transaction (busy_timeout)', async () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'busy.db');
    const store = openSqliteStore(path);
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    // The other process takes the write lock, holds it for 400 ms, then commits.
    const child = spawn(process.execPath, ['-e', `
      const db = new (require(${JSON.stringify(driver)}))(${JSON.stringify(path)});
      db.exec('BEGIN IMMEDIATE');
      db.prepare("INSERT INTO locks (name, owner, expires_at) VALUES ('other', 'child', 0)").run();
      console.log('locked');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
      db.exec('COMMIT');
      db.close();
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    await once(child.stdout, 'data');
    const t0 = performance.now();
    await store.commit({ items: [write('i1', 'Ann')] });
    const waited = performance.now() - t0;
    assert.ok(waited > 100, `the commit should have waited for the lock (${waited} ms)`);
    assert.deepEqual(await exited, [0, null]);
    assert.equal((await store.getItem('i1'))?.version, 1);
    assert.equal(await store.tryLock('other', 'me', 1000), true, 'the child\'s expired lock is visible and can be taken');
    await store.close();
  } finally {
    t.remove();
  }
});
