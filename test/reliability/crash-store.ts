import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import { C } from '../../src/store/mongodb/schema.js';
import { idOf } from '../../src/store/mongodb/docs.js';

/**
 * The crash suite's view of the store a killed run leaves: after a kill it must be sound, and
 * after a completed rerun it must also hold each expected contact once with nothing left to
 * do. The same invariants for both stores; SQLite adds `PRAGMA integrity_check`, MongoDB (no
 * equivalent) that no commit journal is left behind.
 */
export interface CrashStore {
  /** The `store:` of pimhub.yaml. */
  readonly url: string;
  /** After a kill: every link names an existing item of its collection, no UID is held by two live items (and the store's own check). */
  assertSound(label: string): Promise<void>;
  /** After a completed run: sound, `live` live items, an empty outbox. */
  assertSettled(label: string, live: number): Promise<void>;
  close(): Promise<void>;
}

interface Rows {
  items: Array<{ id: string; collection: string; uid: string; deleted: boolean }>;
  links: Array<{ collection: string; member: string; href: string; itemId: string }>;
  /** Links whose base names a version of their item (schema 10 / MongoDB schema 2) that is not there. */
  baseless: string[];
  outbox: number;
}

function assertInvariants(label: string, r: Rows): void {
  const items = new Map(r.items.map((i) => [i.id, i] as const));
  const dangling = r.links.filter((l) => items.get(l.itemId)?.collection !== l.collection).map((l) => `${l.member}:${l.href}`);
  assert.deepEqual(dangling, [], `${label}: every link names an existing item of its collection`);
  assert.deepEqual(r.baseless, [], `${label}: every link's base is there (as JSON, or as the version of its item it names)`);
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const i of r.items) {
    if (i.deleted) continue;
    const k = `${i.collection}\n${i.uid}`;
    if (seen.has(k)) twice.push(i.uid);
    seen.add(k);
  }
  assert.deepEqual(twice, [], `${label}: no UID is held by two live items`);
}

export function sqliteCrashStore(path: string, url = 'sqlite:./pimhub.db'): CrashStore {
  const read = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(path, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  const rows = (db: Database.Database): Rows => ({
    items: (db.prepare('SELECT id, collection, uid, deleted FROM items').all() as Array<{ id: string; collection: string; uid: string; deleted: number }>)
      .map((i) => ({ ...i, deleted: i.deleted === 1 })),
    links: (db.prepare('SELECT collection, member, href, item_id FROM links').all() as Array<{ collection: string; member: string; href: string; item_id: string }>)
      .map((l) => ({ collection: l.collection, member: l.member, href: l.href, itemId: l.item_id })),
    baseless: (db.prepare(`SELECT l.member, l.href FROM links l LEFT JOIN item_versions v ON v.item_id = l.item_id AND v.version = l.base_version
                           WHERE l.base = '' AND v.version IS NULL`).all() as Array<{ member: string; href: string }>).map((l) => `${l.member}:${l.href}`),
    outbox: (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n,
  });
  const sound = (label: string, db: Database.Database): Rows => {
    assert.equal(db.pragma('integrity_check', { simple: true }) as string, 'ok', `${label}: the store passes PRAGMA integrity_check`);
    const r = rows(db);
    assertInvariants(label, r);
    return r;
  };
  return {
    url,
    assertSound: async (label) => read((db) => void sound(label, db)),
    assertSettled: async (label, live) => read((db) => {
      const r = sound(label, db);
      assert.equal(r.items.filter((i) => !i.deleted).length, live, `${label}: the store holds every contact once`);
      assert.equal(r.outbox, 0, `${label}: nothing is left in the outbox`);
    }),
    close: async () => undefined,
  };
}

export function mongoCrashStore(url: string): CrashStore {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  const db = client.db();
  const rows = async (): Promise<Rows & { journal: number }> => {
    const links = await db.collection(C.links).find({}).toArray();
    const versions = new Set((await db.collection(C.versions).find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)));
    return {
      items: (await db.collection(C.items).find({}).toArray()).map((d) => ({ id: String(d._id), collection: String(d.collection), uid: String(d.uid), deleted: d.deleted === 1 })),
      links: links.map((d) => ({ collection: String(d.collection), member: String(d.member), href: String(d.href), itemId: String(d.item_id) })),
      baseless: links.filter((d) => d.base === '' && !versions.has(idOf(String(d.item_id), Number(d.base_version)))).map((d) => `${String(d.member)}:${String(d.href)}`),
      outbox: await db.collection(C.outbox).countDocuments({}),
      journal: await db.collection(C.journal).countDocuments({}),
    };
  };
  return {
    url,
    async assertSound(label) {
      assertInvariants(label, await rows());
    },
    async assertSettled(label, live) {
      const r = await rows();
      assertInvariants(label, r);
      assert.equal(r.items.filter((i) => !i.deleted).length, live, `${label}: the store holds every contact once`);
      assert.equal(r.outbox, 0, `${label}: nothing is left in the outbox`);
      assert.equal(r.journal, 0, `${label}: no commit journal is left behind`);
    },
    close: () => client.close(),
  };
}
