import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { isPimError } from '../../src/core/errors.js';
import { MongoStore, type CommitMode } from '../../src/store/mongodb/mongo-store.js';
import { openStore } from '../../src/store/open-store.js';
import { jongodbBinary, mongoTargets, startJongodb, stopJongodb } from './jongodb.js';
import { write } from './store-fixtures.js';
import { planChange } from '../../src/store/mongodb/plan.js';
import { C } from '../../src/store/mongodb/schema.js';

/** The MongoDB store shared by several store instances and processes, and its errors. */

const storeModule = fileURLToPath(new URL('../../src/store/mongodb/mongo-store.js', import.meta.url));

async function open(url: string, commitMode?: CommitMode): Promise<MongoStore> {
  const s = new MongoStore(url, { commitMode });
  await s.init();
  return s;
}

for (const target of mongoTargets()) {
  for (const mode of ['transaction', 'journal'] as CommitMode[]) {
  test(`${target.name}, ${mode}: two stores on one database see each other's commits; a stale write is refused, never lost`, async () => {
    const url = await target.freshUrl();
    const [a, b] = [await open(url, mode), await open(url, mode)];
    try {
      await a.commit({ items: [write('i1', 'Ann')] });
      assert.equal((await b.getItem('i1'))?.version, 1);
      // Both update version 1 at the same moment: exactly one wins, the other is told.
      const results = await Promise.allSettled([a.commit({ items: [write('i1', 'from a', 1)] }), b.commit({ items: [write('i1', 'from b', 1)] })]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(ok.length, 1, JSON.stringify(results.map((r) => r.status === 'rejected' ? String(r.reason) : 'ok')));
      assert.ok(isPimError(refused[0].reason, 'precondition-failed'), String(refused[0].reason));
      const h = await a.history('i1');
      assert.deepEqual(h.map((v) => v.version), [2, 1], 'one version 2, the winner\'s');
      assert.deepEqual((await b.getItem('i1'))?.item, h[0].item);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test(`${target.name}, ${mode}: parallel commits from two stores get distinct, increasing seqs and log ids`, async () => {
    const url = await target.freshUrl();
    const [a, b] = [await open(url, mode), await open(url, mode)];
    try {
      const log = (uid: string) => ({ run: 'r', time: '2024-01-01T00:00:00.000Z', collection: 'c', uid, action: 'created' as const, connector: 'm1' });
      const commits = Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).commit({ items: [write(`i${i}`, `P${i}`)], log: [log(`u${i}`)] }));
      const results = await Promise.all(commits);
      const logIds = results.flatMap((r) => r.logIds);
      assert.equal(new Set(logIds).size, 16, `log ids ${logIds}`);
      const items = await a.listItems('c');
      assert.equal(items.length, 16);
      const seqs = items.map((i) => i.seq).sort((x, y) => x - y);
      assert.deepEqual(seqs, Array.from({ length: 16 }, (_, i) => i + 1), 'every seq once');
      assert.equal(await b.currentSeq('c'), 16);
      assert.equal((await b.listLog({ limit: 100 })).length, 16);
    } finally {
      await a.close();
      await b.close();
    }
  });

  }

  test(`${target.name}: a journal left by a killed writer is finished by the next opener; an incomplete one is dropped`, async () => {
    const url = await target.freshUrl();
    const a = await open(url, 'journal');
    try {
      const db = a.db();
      const now = new Date().toISOString();
      // What a writer killed after writing its journal, before or while applying it, leaves.
      const whole = await planChange(db, undefined, { items: [write('k1', 'Kept')], log: [{ run: 'r', time: now, collection: 'c', uid: 'uid-k1', action: 'created', connector: 'm1' }] }, now);
      await db.collection<Record<string, unknown> & { _id: string }>(C.journal).insertOne({ _id: 'a:000000', commit: 'a', part: 0, parts: 1, ops: whole.ops });
      // One killed while writing its journal (1 of 2 parts): nothing of it may appear.
      const half = await planChange(db, undefined, { items: [write('k2', 'Lost')] }, now);
      await db.collection<Record<string, unknown> & { _id: string }>(C.journal).insertOne({ _id: 'b:000000', commit: 'b', part: 0, parts: 2, ops: half.ops });
      const b = await open(url, 'journal');
      try {
        assert.equal((await b.getItem('k1'))?.version, 1);
        assert.equal((await b.listLog()).length, 1);
        assert.equal(await b.currentSeq('c'), 1);
        assert.equal(await b.getItem('k2'), undefined);
        assert.equal(await db.collection(C.journal).countDocuments({}), 0);
        await b.commit({ items: [write('k3', 'Next')] });
        assert.equal((await b.getItem('k3'))?.seq, 2);
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
    }
  });

  test(`${target.name}: of 40 processes' worth of parallel tryLock calls, exactly one gets the lock`, async () => {
    const url = await target.freshUrl();
    const stores = [await open(url), await open(url)];
    try {
      const got = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 2].tryLock('sync:c', `p${i}`, 60_000)));
      assert.equal(got.filter(Boolean).length, 1);
      assert.equal(await stores[0].lockHolder('sync:c'), `p${got.indexOf(true)}`);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  test(`${target.name}: a lease is renewed by a live holder and taken over after a killed holder's expiry`, async () => {
    const url = await target.freshUrl();
    const store = await open(url);
    // The holder: another process takes the lock for 1.5 s and renews it every 300 ms.
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      const { MongoStore } = await import(${JSON.stringify(storeModule)});
      const s = new MongoStore(process.env.URL);
      await s.init();
      if (!(await s.tryLock('sync:c', 'other-host:1:holder', 1500))) process.exit(3);
      setInterval(() => s.tryLock('sync:c', 'other-host:1:holder', 1500), 300);
      console.log('locked');
    `], { env: { ...process.env, URL: url }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(child.stdout!, 'data');
      assert.equal(await store.tryLock('sync:c', 'me', 60_000), false);
      // Longer than the ttl: the live holder keeps it.
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(await store.lockHolder('sync:c'), 'other-host:1:holder');
      assert.equal(await store.tryLock('sync:c', 'me', 60_000), false);
      child.kill('SIGKILL');
      await once(child, 'exit');
      // Its lease still runs until it expires, then another process takes over.
      let tries = 0;
      while (!(await store.tryLock('sync:c', 'me', 60_000))) {
        assert.ok(++tries < 100, 'the killed holder\'s lease never expired');
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(await store.lockHolder('sync:c'), 'me');
    } finally {
      child.kill('SIGKILL');
      await store.close();
    }
  });
}

const binary = jongodbBinary();
test('MongoDB: a standalone server (no replica set) is a config error that says what to do', { skip: binary ? false : 'jongodb is missing' }, async () => {
  const server = await startJongodb(binary!, false);
  try {
    const url = `${server.uri.replace(/\?.*$/, '')}?directConnection=true`;
    await assert.rejects(openStore(url, '/'), (e) => {
      assert.ok(isPimError(e, 'config'), String(e));
      assert.match(e.message, /replica set/);
      assert.match(e.message, /--replSet/);
      return true;
    });
  } finally {
    await stopJongodb(server);
  }
});

test('MongoDB: an unreachable server is an io error without the password', async () => {
  const url = 'mongodb://pim:s3cret-pw@127.0.0.1:1/pimhub?replicaSet=rs0&serverSelectionTimeoutMS=300';
  await assert.rejects(openStore(url, '/'), (e) => {
    assert.ok(isPimError(e, 'io'), String(e));
    assert.match(e.message, /no MongoDB server answered/);
    assert.equal(e.where, 'mongodb://***@127.0.0.1:1/pimhub?replicaSet=rs0&serverSelectionTimeoutMS=300');
    assert.ok(!e.message.includes('s3cret-pw'));
    return true;
  });
});
