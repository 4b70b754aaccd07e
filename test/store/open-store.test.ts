import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPimError } from '../../src/core/errors.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { createStore, openStore } from '../../src/store/open-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { write } from './store-fixtures.js';

test('openStore: memory:', async () => {
  const s = await openStore('memory:', '/nowhere');
  assert.ok(s instanceof MemoryStore);
});

test('openStore: sqlite::memory: is usable at once', async () => {
  const s = await openStore('sqlite::memory:', '/nowhere');
  assert.ok(s instanceof SqliteStore);
  await s.commit({ items: [write('i1', 'Ann')] });
  assert.equal((await s.getItem('i1'))?.version, 1);
  await s.close();
});

test('openStore: sqlite:PATH is relative to baseDir, absolute paths stay', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pimhub-open-'));
  try {
    const rel = await openStore('sqlite:data/pimhub.db', dir);
    assert.equal((rel as SqliteStore).path, join(dir, 'data', 'pimhub.db'));
    assert.ok(existsSync(join(dir, 'data', 'pimhub.db')));
    await rel.close();
    const abs = await openStore(`sqlite:${join(dir, 'abs.db')}`, '/elsewhere');
    assert.equal((abs as SqliteStore).path, join(dir, 'abs.db'));
    await abs.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openStore: mongodb:// makes a MongoStore (driver loaded then); unknown schemes are config errors without secrets', async () => {
  const { MongoStore } = await import('../../src/store/mongodb/mongo-store.js');
  const m = await createStore('mongodb://u:secret@db.example/pimhub?replicaSet=rs0', '/');
  assert.ok(m instanceof MongoStore);
  assert.equal((m as InstanceType<typeof MongoStore>).where, 'mongodb://***@db.example/pimhub?replicaSet=rs0');
  await assert.rejects(openStore('postgres://u:secret@db/x', '/'), (e) => isPimError(e, 'config') && !e.message.includes('secret'));
  await assert.rejects(openStore('sqlite:', '/'), (e) => isPimError(e, 'config'));
});
