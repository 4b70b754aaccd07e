import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  isFlushable, isWritable, type FetchedItem, type Source, type WritableSource,
} from '../../src/core/connector.js';
import { isPimError, type PimErrorKind } from '../../src/core/errors.js';
import { asHref, type CollectionKind, type Href } from '../../src/core/types.js';
import type { Item } from '../../src/model/item.js';
import type { Property } from '../../src/model/property.js';
import { assertItemHolds, sampleItem, unknownExtras } from './contract-items.js';

export interface ContractSetup {
  source: Source;
  cleanup(): Promise<void>;
  /** A new source over the same storage, as the next run would open it. */
  reopen?(): Promise<Source>;
  /** Changes the storage behind the source's back (single files: a rewrite by another program). */
  tamper?(): Promise<void>;
  /** Puts one good and one broken entry into the storage behind the source's back; says
   * which file (a substring of the problem's `where`) and line the broken one starts at. */
  writeBroken?(): Promise<{ file: string; line: number }>;
}

/** Cases of the contract; a connector may skip one with a reason. */
export type ContractCase =
  | 'fresh-list' | 'create-get' | 'update' | 'stale-etag' | 'create-existing-uid' | 'create-without-uid'
  | 'delete-gone' | 'unknown-properties' | 'flush-reopen' | 'changed-behind' | 'broken-entry';

export interface ContractOptions {
  kind: CollectionKind;
  skip?: Partial<Record<ContractCase, string>>;
}

async function rejectsWith(p: Promise<unknown>, kind: PimErrorKind): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isPimError(e, kind), `expected PimError ${kind}, got ${String(e)}`);
    return true;
  });
}

/** Writes become visible to a new reader: flushed where the source buffers them. */
async function commit(s: Source): Promise<void> {
  if (isFlushable(s)) await s.flush();
}

async function getOne(s: Source, href: Href): Promise<FetchedItem> {
  const r = await s.get([href]);
  assert.deepEqual(r.problems, []);
  assert.equal(r.items.length, 1, `get(${href}) returns the item`);
  return r.items[0];
}

/**
 * The one acceptance suite every connector runs (architecture principle 7), modelled on
 * vdirsyncer's tests/storage: the same cases for every source, skips declared with a reason.
 */
export function runConnectorContract(name: string, setup: () => Promise<ContractSetup>, opts: ContractOptions): void {
  const { kind } = opts;
  describe(`connector contract: ${name}`, () => {
    let current: ContractSetup | undefined;
    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });
    const start = async (): Promise<ContractSetup> => (current = await setup());
    const writable = async (): Promise<{ fx: ContractSetup; s: WritableSource }> => {
      const fx = await start();
      assert.ok(isWritable(fx.source), 'the source is writable');
      return { fx, s: fx.source };
    };
    const item = (uid: string, text: string, extras: Property[] = []): Item => sampleItem(kind, uid, text, extras);
    const it = (c: ContractCase, title: string, fn: () => Promise<void>) =>
      test(title, { skip: opts.skip?.[c] ?? false }, fn);

    it('fresh-list', 'a fresh source lists nothing', async () => {
      const { source } = await start();
      assert.deepEqual(await source.list(), []);
    });

    it('create-get', 'create → list shows it with an etag → get returns an equal item', async () => {
      const { s } = await writable();
      const written = item('contract-1@pimhub.test', 'Alpha');
      const w = await s.create(written);
      assert.ok(w.href && w.etag);
      assert.deepEqual(await s.list(), [{ href: w.href, etag: w.etag }]);
      const got = await getOne(s, w.href);
      assert.equal(got.etag, w.etag);
      assertItemHolds(got.item, written, s.capabilities);
      assert.deepEqual((await s.get([asHref('no-such-entry')])).items, []);
    });

    it('update', 'update with the current etag works and changes the etag', async () => {
      const { s } = await writable();
      const w = await s.create(item('contract-2@pimhub.test', 'Beta'));
      const changed = item('contract-2@pimhub.test', 'Gamma');
      const u = await s.update(w.href, w.etag, changed);
      assert.notEqual(u.etag, w.etag);
      assert.deepEqual(await s.list(), [{ href: u.href, etag: u.etag }]);
      assertItemHolds((await getOne(s, u.href)).item, changed, s.capabilities);
    });

    it('stale-etag', 'update and delete with a stale etag → precondition-failed', async () => {
      const { s } = await writable();
      const w = await s.create(item('contract-3@pimhub.test', 'Delta'));
      const u = await s.update(w.href, w.etag, item('contract-3@pimhub.test', 'Epsilon'));
      await rejectsWith(s.update(u.href, w.etag, item('contract-3@pimhub.test', 'Zeta')), 'precondition-failed');
      await rejectsWith(s.delete(u.href, w.etag), 'precondition-failed');
      assert.equal((await s.list()).length, 1);
    });

    it('create-existing-uid', 'create of an existing UID → precondition-failed', async () => {
      const { s } = await writable();
      await s.create(item('contract-4@pimhub.test', 'Eta'));
      await rejectsWith(s.create(item('contract-4@pimhub.test', 'Theta')), 'precondition-failed');
      assert.equal((await s.list()).length, 1);
    });

    it('create-without-uid', 'create of an item without UID → invalid-data', async () => {
      const { s } = await writable();
      await rejectsWith(s.create(item('', 'Iota')), 'invalid-data');
    });

    it('delete-gone', 'delete works; deleting a gone href is success', async () => {
      const { s } = await writable();
      const w = await s.create(item('contract-5@pimhub.test', 'Kappa'));
      await s.delete(w.href, w.etag);
      assert.deepEqual(await s.list(), []);
      await s.delete(w.href, w.etag);
      await commit(s);
      assert.deepEqual(await s.list(), []);
    });

    it('unknown-properties', 'unknown X- properties and groups survive', async () => {
      const { fx, s } = await writable();
      const written = item('contract-6@pimhub.test', 'Lambda', unknownExtras(kind));
      const w = await s.create(written);
      await commit(s);
      const reader = fx.reopen ? await fx.reopen() : s;
      assertItemHolds((await getOne(reader, w.href)).item, written, { format: 'all', holds: () => true });
    });

    it('flush-reopen', 'writes are visible after flush() to a new reader', async () => {
      const { fx, s } = await writable();
      assert.ok(fx.reopen, 'setup provides reopen()');
      const a = await s.create(item('contract-7a@pimhub.test', 'Mu'));
      const b = await s.create(item('contract-7b@pimhub.test', 'Nu'));
      const c = await s.create(item('contract-7c@pimhub.test', 'Xi'));
      await commit(s);
      const changed = item('contract-7b@pimhub.test', 'Omicron');
      const u = await s.update(b.href, b.etag, changed);
      await s.delete(c.href, c.etag);
      await commit(s);
      const r = await fx.reopen();
      const listed = await r.list();
      assert.deepEqual(listed.map((e) => e.href).sort(), [a.href, u.href].sort());
      assert.deepEqual(listed.find((e) => e.href === u.href)?.etag, u.etag, 'the etag of a write is the one the next reader sees');
      assertItemHolds((await getOne(r, u.href)).item, changed, r.capabilities);
    });

    it('changed-behind', 'a file changed behind the source between read and flush → precondition-failed', async () => {
      const { fx, s } = await writable();
      assert.ok(isFlushable(s) && fx.tamper, 'a flushable source with tamper()');
      await s.list();
      await s.create(item('contract-8@pimhub.test', 'Pi'));
      await fx.tamper();
      await rejectsWith(s.flush(), 'precondition-failed');
    });

    it('broken-entry', 'a broken entry gives a FetchProblem with file and line; the others still load', async () => {
      const fx = await start();
      assert.ok(fx.writeBroken, 'setup provides writeBroken()');
      const { file, line } = await fx.writeBroken();
      const s = fx.reopen ? await fx.reopen() : fx.source;
      const listed = await s.list();
      const r = await s.get(listed.map((e) => e.href));
      assert.equal(r.items.length, 1, 'the good entry loads');
      assert.equal(r.problems.length, 1, 'one problem');
      const p = r.problems[0];
      assert.ok(p.where.includes(file), `${p.where} names ${file}`);
      assert.ok(p.where.endsWith(`:${line}`), `${p.where} names line ${line}`);
      assert.ok(p.message.length > 0 && p.raw && p.raw.length > 0);
    });
  });
}
