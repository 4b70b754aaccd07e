import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LinkRecord, Store } from '../../src/core/store.js';
import { copyStore } from '../../src/store/copy-store.js';
import { asEtag, asHref, type Href } from '../../src/core/types.js';
import { prop } from '../../src/model/property.js';
import type { ContactItem } from '../../src/model/item.js';
import { contact, write } from './store-fixtures.js';
import { storeTest, type StoreSetup } from './store-fixtures.js';

/**
 * Link bases (the item as a member holds it, last agreed) come back exactly as committed,
 * however a store keeps them (the SQLite and MongoDB stores keep a base equal to a version
 * of its item as a reference to that version): equal to the current version, to an older
 * one, to none; after an undo, after the item is deleted, after a copy between stores; and
 * through every read that returns a base.
 */

/** A card as a member may hold it: the canonical one with a property the store's item lacks. */
function memberView(uid: string, fn: string): ContactItem {
  const c = contact(uid, fn);
  return { ...c, card: { ...c.card, props: [...c.card.props, prop('x-phonebook-group', 'text', ['Friends'])] } };
}

function linkTo(itemId: string, href: string, base: ContactItem, agreedVersion: number, member = 'm1'): LinkRecord {
  return { collection: 'c', member, href: asHref(href), itemId, etag: asEtag(`"${href}-${agreedVersion}"`), base, agreedVersion, updatedAt: '2024-01-02T00:00:00.000Z' };
}

/** Every read of the Store that returns a whole link, for one link: each must give `base`. */
async function assertBase(s: Store, member: string, href: string, base: ContactItem, what: string): Promise<void> {
  const h = asHref(href);
  const one = await s.getLink('c', member, h);
  assert.ok(one, `${what}: getLink finds the link`);
  assert.deepEqual(one.base, base, `${what}: getLink`);
  const [fromMany] = await s.getLinks('c', member, [h]);
  assert.deepEqual(fromMany?.base, base, `${what}: getLinks`);
  assert.deepEqual((await s.linksForMember('c', member)).find((l) => l.href === h)?.base, base, `${what}: linksForMember`);
  assert.deepEqual((await s.linksForItem(one.itemId)).find((l) => l.member === member && l.href === h)?.base, base, `${what}: linksForItem`);
  const pending = (await s.pendingForMember('c', member)).find((p) => p.link?.href === h);
  if (pending) assert.deepEqual(pending.link!.base, base, `${what}: pendingForMember`);
  const exported = [];
  for (let offset = 0; ; offset += 100) {
    const page = await s.exportPage('links', offset, 100);
    exported.push(...page);
    if (page.length < 100) break;
  }
  assert.deepEqual(exported.find((l) => l.member === member && l.href === h)?.base, base, `${what}: exportPage`);
}

export function runLinkBaseContract(name: string, setup: StoreSetup): void {
  const it = storeTest(setup);

  describe(`${name}: link bases`, () => {
    it('a base equal to the current version: committed with the item (the very object) and later (a copy)', async (s) => {
      const w = write('i1', 'Ann');
      await s.commit({ items: [w], links: [linkTo('i1', 'a.vcf', w.item as ContactItem, 1)] });
      await s.commit({ links: [linkTo('i1', 'a.vcf', structuredClone(w.item) as ContactItem, 1, 'm2')] });
      await assertBase(s, 'm1', 'a.vcf', contact('uid-i1', 'Ann'), 'same commit');
      await assertBase(s, 'm2', 'a.vcf', contact('uid-i1', 'Ann'), 'later commit');
      // The item moves on: the members' bases stay what they agreed to, and they are pending.
      await s.commit({ items: [write('i1', 'Ann 2', 1)] });
      assert.equal((await s.pendingForMember('c', 'm1')).length, 1);
      await assertBase(s, 'm1', 'a.vcf', contact('uid-i1', 'Ann'), 'after an update, m1');
      await assertBase(s, 'm2', 'a.vcf', contact('uid-i1', 'Ann'), 'after an update, m2');
    });

    it('a base equal to an older version, to a version other than the agreed one, and to none', async (s) => {
      await s.commit({ items: [write('i1', 'v1')] });
      await s.commit({ items: [write('i1', 'v2', 1)] });
      await s.commit({ items: [write('i1', 'v3', 2)] });
      await s.commit({ links: [
        linkTo('i1', 'old.vcf', contact('uid-i1', 'v1'), 1),
        // Agreed to version 3 but holding version 2's content (an interrupted write's record).
        linkTo('i1', 'other.vcf', contact('uid-i1', 'v2'), 3),
        linkTo('i1', 'view.vcf', memberView('uid-i1', 'v3'), 3),
        linkTo('i1', 'never.vcf', contact('uid-i1', 'v2'), 0),
      ] });
      await assertBase(s, 'm1', 'old.vcf', contact('uid-i1', 'v1'), 'older version');
      await assertBase(s, 'm1', 'other.vcf', contact('uid-i1', 'v2'), 'not the agreed version');
      await assertBase(s, 'm1', 'view.vcf', memberView('uid-i1', 'v3'), 'a member view');
      await assertBase(s, 'm1', 'never.vcf', contact('uid-i1', 'v2'), 'agreed to no version');
    });

    it('one commit writing an item twice and links to its first version (agreed, and agreed to none)', async (s) => {
      const first = write('i1', 'One');
      await s.commit({ items: [first, write('i1', 'Two', 1)], links: [linkTo('i1', 'a.vcf', first.item as ContactItem, 1), linkTo('i1', 'b.vcf', first.item as ContactItem, 0)] });
      await assertBase(s, 'm1', 'a.vcf', contact('uid-i1', 'One'), 'first of two versions');
      await assertBase(s, 'm1', 'b.vcf', contact('uid-i1', 'One'), 'first of two versions, agreed to none');
      assert.deepEqual((await s.getItem('i1'))?.item, contact('uid-i1', 'Two'));
    });

    it('a link replaced: from a version to a member view and back, and removed', async (s) => {
      await s.commit({ items: [write('i1', 'Ann')] });
      await s.commit({ links: [linkTo('i1', 'a.vcf', contact('uid-i1', 'Ann'), 1)] });
      await s.commit({ links: [linkTo('i1', 'a.vcf', memberView('uid-i1', 'Ann'), 1)] });
      await assertBase(s, 'm1', 'a.vcf', memberView('uid-i1', 'Ann'), 'replaced by a view');
      await s.commit({ items: [write('i1', 'Ann 2', 1)], links: [linkTo('i1', 'a.vcf', contact('uid-i1', 'Ann 2'), 2)] });
      await assertBase(s, 'm1', 'a.vcf', contact('uid-i1', 'Ann 2'), 'replaced by the new version');
      await s.commit({ removeLinks: [{ collection: 'c', member: 'm1', href: asHref('a.vcf') }] });
      assert.equal(await s.getLink('c', 'm1', asHref('a.vcf')), undefined);
      assert.equal((await s.history('i1')).length, 2, 'removing a link removes no version');
    });

    it('after an undo (the item back to an earlier content as a new version) and after the item is deleted', async (s) => {
      await s.commit({ items: [write('i1', 'Ann')] });
      await s.commit({ items: [write('i1', 'Ann changed', 1)], links: [linkTo('i1', 'a.vcf', contact('uid-i1', 'Ann changed'), 2)] });
      // Undo: version 3 holds version 1's content; the member still holds version 2 until written.
      await s.commit({ items: [{ ...write('i1', 'Ann', 2), run: 'undo-1' }] });
      await assertBase(s, 'm1', 'a.vcf', contact('uid-i1', 'Ann changed'), 'after the undo');
      assert.deepEqual((await s.pendingForMember('c', 'm1')).map((p) => p.link?.href), ['a.vcf']);
      await s.commit({ links: [linkTo('i1', 'a.vcf', contact('uid-i1', 'Ann'), 3)] });
      await assertBase(s, 'm1', 'a.vcf', contact('uid-i1', 'Ann'), 'written after the undo');
      // Deleted: the tombstone is a new version; the member's link keeps its base until the deletion reaches it.
      await s.commit({ items: [write('i1', 'Ann', 3, { deleted: true })] });
      await assertBase(s, 'm1', 'a.vcf', contact('uid-i1', 'Ann'), 'after the deletion');
      assert.equal((await s.pendingForMember('c', 'm1'))[0]?.item.deleted, true);
    });

    it('many links of one commit: a page of bases by reference and by value read back in order', async (s) => {
      const writes = Array.from({ length: 60 }, (_, i) => write(`i${String(i).padStart(2, '0')}`, `Person ${i}`));
      await s.commit({ items: writes });
      const links = writes.map((w, i) => linkTo(w.id, `${w.id}.vcf`, i % 3 === 0 ? memberView(w.uid, `Person ${i}`) : (structuredClone(w.item) as ContactItem), 1));
      await s.commit({ links });
      const hrefs: Href[] = links.map((l) => l.href);
      const got = new Map((await s.getLinks('c', 'm1', hrefs)).map((l) => [l.href, l.base]));
      for (const l of links) assert.deepEqual(got.get(l.href), l.base, l.href);
      assert.deepEqual((await s.linksForMember('c', 'm1')).map((l) => l.base), links.map((l) => l.base));
    });

    test('after a copy between stores, and a sync-like write on the copy', async () => {
      const a = await setup();
      const b = await setup();
      try {
        const s = a.store;
        await s.commit({ items: [write('i1', 'v1'), write('i2', 'Bob')] });
        await s.commit({ items: [write('i1', 'v2', 1)] });
        await s.commit({ links: [
          linkTo('i1', 'old.vcf', contact('uid-i1', 'v1'), 1),
          linkTo('i1', 'cur.vcf', contact('uid-i1', 'v2'), 2),
          linkTo('i2', 'view.vcf', memberView('uid-i2', 'Bob'), 1),
          linkTo('i1', 'other.vcf', contact('uid-i1', 'v1'), 2, 'm2'),
        ] });
        await copyStore(s, b.store, { batch: 1 });
        const t = b.store;
        await assertBase(t, 'm1', 'old.vcf', contact('uid-i1', 'v1'), 'copy: older version');
        await assertBase(t, 'm1', 'cur.vcf', contact('uid-i1', 'v2'), 'copy: current version');
        await assertBase(t, 'm1', 'view.vcf', memberView('uid-i2', 'Bob'), 'copy: member view');
        await assertBase(t, 'm2', 'other.vcf', contact('uid-i1', 'v1'), 'copy: not the agreed version');
        await t.commit({ items: [write('i1', 'v3', 2)], links: [linkTo('i1', 'cur.vcf', contact('uid-i1', 'v3'), 3)] });
        await assertBase(t, 'm1', 'cur.vcf', contact('uid-i1', 'v3'), 'copy, then written');
        await assertBase(t, 'm1', 'old.vcf', contact('uid-i1', 'v1'), 'copy, then written: the other link');
      } finally {
        await a.cleanup();
        await b.cleanup();
      }
    });
  });
}
