import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { MongoStore } from '../../src/store/mongodb/mongo-store.js';
import { C, SCHEMA_VERSION } from '../../src/store/mongodb/schema.js';
import { idOf } from '../../src/store/mongodb/docs.js';
import { asEtag, asHref } from '../../src/core/types.js';
import { prop } from '../../src/model/property.js';
import type { ContactItem } from '../../src/model/item.js';
import { emptyDatabase, mongoTargets } from './jongodb.js';
import { write } from './store-fixtures.js';

/** How the MongoDB store keeps link bases (schema 2: by reference where a version equals them). */

for (const target of mongoTargets()) {
  test(`${target.name}: a base equal to a version is kept as a reference to it, every other as JSON; schema-1 links still read`, async () => {
    const url = await target.freshUrl();
    const store = new MongoStore(url);
    await store.init();
    const client = new MongoClient(url);
    try {
      const db = client.db();
      const w = write('i1', 'Ann');
      const link = (member: string, base: ContactItem, agreedVersion: number) =>
        ({ collection: 'c', member, href: asHref('ann.vcf'), itemId: 'i1', etag: asEtag('"1"'), base, agreedVersion, updatedAt: '2024-01-02T00:00:00.000Z' });
      const view = { ...(w.item as ContactItem), card: { ...(w.item as ContactItem).card, props: [...(w.item as ContactItem).card.props, prop('x-custom', 'text', ['1'])] } };
      await store.commit({ items: [w], links: [link('file', w.item as ContactItem, 1)] });
      await store.commit({ links: [link('desktop', structuredClone(w.item) as ContactItem, 1), link('phone', view, 1)] });
      const doc = (member: string) => db.collection<{ _id: string; [k: string]: unknown }>(C.links).findOne({ _id: idOf('c', member, 'ann.vcf') });
      assert.deepEqual([(await doc('file'))?.base, (await doc('file'))?.base_version], ['', 1]);
      assert.deepEqual([(await doc('desktop'))?.base, (await doc('desktop'))?.base_version], ['', 1]);
      assert.equal(typeof (await doc('phone'))?.base, 'string');
      assert.deepEqual((await store.getLink('c', 'desktop', asHref('ann.vcf')))?.base, w.item);
      assert.deepEqual((await store.getLink('c', 'phone', asHref('ann.vcf')))?.base, view);

      // A link document of schema 1 (base as JSON, no base_version) reads as before; the schema is raised on open.
      await db.collection<{ _id: string; [k: string]: unknown }>(C.links).insertOne({ _id: idOf('c', 'old', 'ann.vcf'), collection: 'c', member: 'old', href: 'ann.vcf', item_id: 'i1', etag: '"0"', base: JSON.stringify(view), agreed_version: 1, updated_at: '2024-01-01T00:00:00.000Z', raw: null });
      await db.collection<{ _id: string; version: number }>(C.meta).updateOne({ _id: 'schema' }, { $set: { version: 1 } });
      const reopened = new MongoStore(url);
      await reopened.init();
      assert.deepEqual((await reopened.getLink('c', 'old', asHref('ann.vcf')))?.base, view);
      assert.equal((await db.collection<{ _id: string; version: number }>(C.meta).findOne({ _id: 'schema' }))?.version, SCHEMA_VERSION);
      await reopened.close();

      // A version a link names that is missing is an error naming the link, never an empty base.
      await db.collection(C.versions).deleteMany({});
      await assert.rejects(store.getLink('c', 'desktop', asHref('ann.vcf')), (e: Error) => /ann\.vcf/.test(e.message) && /version 1 of item i1/.test(e.message));
    } finally {
      await client.close();
      await store.close();
      await emptyDatabase(url);
    }
  });
}
