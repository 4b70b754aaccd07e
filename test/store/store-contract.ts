import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPimError } from '../../src/core/errors.js';
import { STORE_TABLES, type NewLogEntry, type RunRecord, type StoreChange } from '../../src/core/store.js';
import { copyStore } from '../../src/store/copy-store.js';
import { coll, contact, link, logEntry, storeTest, write, type StoreSetup } from './store-fixtures.js';
import { runLinkBaseContract } from './link-base-contract.js';
import { asEtag, asHref, asUid } from '../../src/core/types.js';

export { contact, write } from './store-fixtures.js';
export type { StoreSetup } from './store-fixtures.js';

/**
 * The acceptance suite every Store runs (ARCHITECTURE.md principle 7). `setup` returns a
 * fresh, initialised, empty store for each test.
 */
export function runStoreContract(name: string, setup: StoreSetup): void {
  const it = storeTest(setup);

  describe(`${name}: store contract`, () => {
    it('collections: upsert, get, list, replace', async (s) => {
      assert.equal(await s.getCollection('x'), undefined);
      const b = coll('b', { owner: 'ann', displayName: 'B', color: '#fff', description: 'd', origin: 'endpoint', kind: 'calendar' });
      await s.upsertCollection(b);
      await s.upsertCollection(coll('a'));
      assert.deepEqual(await s.getCollection('b'), b);
      assert.deepEqual(await s.getCollection('a'), coll('a'));
      assert.deepEqual((await s.listCollections()).map((c) => c.name), ['a', 'b']);
      await s.upsertCollection(coll('a', { displayName: 'A' }));
      assert.equal((await s.getCollection('a'))?.displayName, 'A');
      assert.equal((await s.listCollections()).length, 2);
    });

    it('commit creates items at version 1 with increasing seq', async (s) => {
      assert.equal(await s.currentSeq('c'), 0);
      await s.commit({ items: [write('i1', 'Ann')] });
      await s.commit({ items: [write('i2', 'Bob'), write('i3', 'Cy')] });
      const i1 = await s.getItem('i1');
      assert.ok(i1);
      assert.equal(i1.version, 1);
      assert.equal(i1.deleted, false);
      assert.equal(i1.collection, 'c');
      assert.equal(i1.uid, 'uid-i1');
      assert.deepEqual(i1.item, contact('uid-i1', 'Ann'));
      assert.deepEqual(i1.meta, write('i1', 'Ann').meta);
      assert.ok(!Number.isNaN(Date.parse(i1.updatedAt)));
      const seqs = [(await s.getItem('i1'))!.seq, (await s.getItem('i2'))!.seq, (await s.getItem('i3'))!.seq];
      assert.ok(seqs[0] < seqs[1] && seqs[1] < seqs[2], `seqs ${seqs}`);
      assert.equal(await s.currentSeq('c'), seqs[2]);
      assert.equal(await s.currentSeq('other'), 0);
      assert.equal((await s.getItemByUid('c', asUid('uid-i2')))?.id, 'i2');
      assert.equal(await s.getItemByUid('c', asUid('nope')), undefined);
      assert.equal(await s.getItem('nope'), undefined);
      assert.deepEqual((await s.listItems('c')).map((i) => i.id), ['i1', 'i2', 'i3']);
      assert.equal(await s.countItems('c'), 3);
      assert.equal(await s.countItems('other'), 0);
    });

    it('commit updates with the right expectVersion', async (s) => {
      await s.commit({ items: [write('i1', 'Ann')] });
      const before = (await s.getItem('i1'))!;
      await s.commit({ items: [write('i1', 'Ann Smith', 1)] });
      const after = (await s.getItem('i1'))!;
      assert.equal(after.version, 2);
      assert.ok(after.seq > before.seq);
      assert.deepEqual(after.item, contact('uid-i1', 'Ann Smith'));
      await s.commit({ items: [write('i1', 'Ann B. Smith', 2, { uid: asUid('new-uid') })] });
      const renamed = (await s.getItem('i1'))!;
      assert.equal(renamed.version, 3);
      assert.equal(renamed.uid, 'new-uid');
      assert.equal(await s.getItemByUid('c', asUid('uid-i1')), undefined);
    });

    it('a wrong expectVersion fails with precondition-failed and applies nothing of the commit', async (s) => {
      await s.commit({ items: [write('i1', 'Ann')] });
      const seq = await s.currentSeq('c');
      const bad: StoreChange = {
        items: [write('new', 'New'), write('i1', 'Stale', 0)],
        links: [link('i1', 'a.vcf', 1)],
        log: [logEntry('uid-i1', 'updated', '2024-01-03T00:00:00.000Z')],
        quarantine: [{ collection: 'c', member: 'm1', href: asHref('bad.vcf'), where: 'bad.vcf', message: 'broken', time: '2024-01-03T00:00:00.000Z' }],
        outbox: [{ collection: 'c', member: 'm1', itemId: 'i1', op: 'update', version: 2, createdAt: '2024-01-03T00:00:00.000Z' }],
        memberStates: [{ collection: 'c', member: 'm1', errors: 0, token: 't' }],
      };
      await assert.rejects(s.commit(bad), (e) => isPimError(e, 'precondition-failed') && /i1/.test(e.message));
      await assert.rejects(s.commit({ items: [write('ghost', 'G', 1)] }), (e) => isPimError(e, 'precondition-failed'));
      await assert.rejects(s.commit({ items: [write('i1', 'Ahead', 2)] }), (e) => isPimError(e, 'precondition-failed'));
      assert.equal(await s.getItem('new'), undefined);
      assert.equal(await s.getItem('ghost'), undefined);
      const i1 = (await s.getItem('i1'))!;
      assert.equal(i1.version, 1);
      assert.deepEqual(i1.item, contact('uid-i1', 'Ann'));
      assert.equal(await s.currentSeq('c'), seq);
      assert.deepEqual(await s.linksForItem('i1'), []);
      assert.deepEqual(await s.listLog(), []);
      assert.deepEqual(await s.listQuarantine(), []);
      assert.deepEqual(await s.listOutbox(), []);
      assert.deepEqual(await s.listMemberStates(), []);
      assert.equal((await s.history('i1')).length, 1);
    });

    it('one commit may write the same item twice in order', async (s) => {
      await s.commit({ items: [write('i1', 'One'), write('i1', 'Two', 1)] });
      assert.equal((await s.getItem('i1'))!.version, 2);
      assert.deepEqual((await s.history('i1')).map((h) => h.version), [2, 1]);
    });

    it('tombstones: deleted items keep their last data and leave the live lists', async (s) => {
      await s.commit({ items: [write('i1', 'Ann'), write('i2', 'Bob')] });
      await s.commit({ items: [write('i1', 'Ann', 1, { deleted: true })] });
      const t = (await s.getItem('i1'))!;
      assert.equal(t.deleted, true);
      assert.equal(t.version, 2);
      assert.deepEqual(t.item, contact('uid-i1', 'Ann'));
      assert.deepEqual((await s.listItems('c')).map((i) => i.id), ['i2']);
      assert.deepEqual((await s.listItems('c', { includeDeleted: true })).map((i) => i.id), ['i1', 'i2']);
      assert.equal(await s.countItems('c'), 1);
      assert.equal((await s.getItemByUid('c', asUid('uid-i1')))?.deleted, true);
      // Undelete: a new live version of the same id.
      await s.commit({ items: [write('i1', 'Ann', 2)] });
      assert.equal((await s.getItem('i1'))!.deleted, false);
      assert.equal(await s.countItems('c'), 2);
    });

    it('getItemByUid prefers the live item when a UID repeats', async (s) => {
      await s.commit({ items: [write('a', 'A', 0, { uid: asUid('same') }), write('b', 'B', 0, { uid: asUid('same') })] });
      assert.equal(await s.countItems('c'), 2);
      await s.commit({ items: [write('b', 'B', 1, { uid: asUid('same'), deleted: true })] });
      assert.equal((await s.getItemByUid('c', asUid('same')))?.id, 'a');
    });

    it('history: every version, newest first, with a limit', async (s) => {
      assert.deepEqual(await s.history('i1'), []);
      await s.commit({ items: [write('i1', 'v1')] });
      await s.commit({ items: [write('i1', 'v2', 1)] });
      await s.commit({ items: [write('i1', 'v3', 2, { deleted: true })] });
      const h = await s.history('i1');
      assert.deepEqual(h.map((x) => x.version), [3, 2, 1]);
      assert.deepEqual(h[1].item, contact('uid-i1', 'v2'));
      assert.ok(h.every((x) => !Number.isNaN(Date.parse(x.time))));
      assert.deepEqual((await s.history('i1', 2)).map((x) => x.version), [3, 2]);
    });

    it('identity keys: lookup finds live items only, keys are replaced when given', async (s) => {
      await s.commit({ items: [
        write('i1', 'Ann', 0, { identityKeys: ['email:ann@x.org', 'tel:+331'] }),
        write('i2', 'Bob', 0, { identityKeys: ['email:bob@x.org'] }),
        { ...write('o1', 'Ann', 0, { identityKeys: ['email:ann@x.org'] }), collection: 'other' },
      ] });
      assert.deepEqual(await s.findByIdentity('c', ['email:ann@x.org']), ['i1']);
      assert.deepEqual(await s.findByIdentity('c', ['tel:+331', 'email:bob@x.org', 'nope']), ['i1', 'i2']);
      assert.deepEqual(await s.findByIdentity('c', []), []);
      assert.deepEqual(await s.findByIdentity('other', ['email:ann@x.org']), ['o1']);
      // Update without keys keeps them; with keys replaces them.
      await s.commit({ items: [write('i1', 'Ann', 1)] });
      assert.deepEqual(await s.findByIdentity('c', ['tel:+331']), ['i1']);
      await s.commit({ items: [write('i1', 'Ann', 2, { identityKeys: ['email:ann@y.org'] })] });
      assert.deepEqual(await s.findByIdentity('c', ['tel:+331', 'email:ann@x.org']), []);
      assert.deepEqual(await s.findByIdentity('c', ['email:ann@y.org']), ['i1']);
      // Tombstones have no identity.
      await s.commit({ items: [write('i2', 'Bob', 1, { deleted: true, identityKeys: ['email:bob@x.org'] })] });
      assert.deepEqual(await s.findByIdentity('c', ['email:bob@x.org']), []);
    });

    it('links: create, read, replace, remove', async (s) => {
      await s.commit({ items: [write('i1', 'Ann'), write('i2', 'Bob')] });
      const l1 = link('i1', 'ann.vcf', 1);
      await s.commit({ links: [l1, link('i2', 'bob.vcf', 1), link('i1', 'x/ann.vcf', 1, 'm2')] });
      assert.deepEqual(await s.getLink('c', 'm1', asHref('ann.vcf')), l1);
      assert.equal(await s.getLink('c', 'm1', asHref('nope.vcf')), undefined);
      assert.equal(await s.getLink('c', 'm3', asHref('ann.vcf')), undefined);
      assert.deepEqual((await s.linksForMember('c', 'm1')).map((l) => l.href), ['ann.vcf', 'bob.vcf']);
      assert.deepEqual((await s.linksForItem('i1')).map((l) => `${l.member}:${l.href}`), ['m1:ann.vcf', 'm2:x/ann.vcf']);
      const moved = { ...l1, etag: asEtag('"new"'), agreedVersion: 2, base: contact('uid-i1', 'Ann 2') };
      await s.commit({ links: [moved] });
      assert.deepEqual(await s.getLink('c', 'm1', asHref('ann.vcf')), moved);
      await s.commit({ removeLinks: [{ collection: 'c', member: 'm1', href: asHref('ann.vcf') }] });
      assert.equal(await s.getLink('c', 'm1', asHref('ann.vcf')), undefined);
      assert.deepEqual((await s.linksForItem('i1')).map((l) => l.member), ['m2']);
    });

    it('listItemHeads, getItems, linkHrefs: a collection listed without its items, then read a page at a time', async (s) => {
      await s.commit({ items: [write('i2', 'Bob'), write('i1', 'Ann'), write('i3', 'Cy'), { ...write('o1', 'O'), collection: 'other' }] });
      await s.commit({ items: [write('i3', 'Cy', 1, { deleted: true }), write('i2', 'Bob 2', 1)] });
      const full = new Map((await s.listItems('c', { includeDeleted: true })).map((i) => [i.id, i] as const));
      const heads = await s.listItemHeads('c');
      assert.deepEqual(heads.map((h) => h.id), ['i1', 'i2', 'i3']);
      for (const h of heads) {
        const i = full.get(h.id)!;
        assert.deepEqual(h, { id: i.id, uid: i.uid, version: i.version, seq: i.seq, deleted: i.deleted, updatedAt: i.updatedAt });
      }
      assert.equal(heads.find((h) => h.id === 'i3')!.deleted, true);
      assert.equal(heads.find((h) => h.id === 'i2')!.version, 2);
      assert.deepEqual(await s.listItemHeads('empty'), []);
      assert.deepEqual(await s.getItems(['i3', 'nope', 'i1']), [full.get('i3'), full.get('i1')]);
      assert.deepEqual(await s.getItems([]), []);
      await s.commit({ links: [link('i2', 'b.vcf', 2), link('i1', 'a.vcf', 1), link('i1', 'x.vcf', 1, 'm2'), link('o1', 'o.vcf', 1, 'm1', 'other')] });
      assert.deepEqual(await s.linkHrefs('c', 'm1'), [{ href: 'a.vcf', itemId: 'i1' }, { href: 'b.vcf', itemId: 'i2' }]);
      assert.deepEqual(await s.linkHrefs('c', 'm3'), []);
      await s.commit({ links: [{ ...link('i2', 'b.vcf', 2), raw: 'BEGIN:VCARD\r\nFN:Bob\r\nEND:VCARD\r\n' }, { ...link('o1', 'o.vcf', 1, 'm1', 'other'), raw: 'other' }] });
      const at = await s.linksAt('c', 'm1', [asHref('b.vcf'), asHref('a.vcf'), asHref('o.vcf'), asHref('none.vcf')]);
      assert.deepEqual(at.sort((x, y) => x.href.localeCompare(y.href)), [
        { href: 'a.vcf', itemId: 'i1', agreedVersion: 1 },
        { href: 'b.vcf', itemId: 'i2', agreedVersion: 2, raw: 'BEGIN:VCARD\r\nFN:Bob\r\nEND:VCARD\r\n' },
      ], 'a.vcf holds no text, o.vcf is another collection\'s, none.vcf has no link');
      assert.deepEqual(await s.linksAt('c', 'm2', [asHref('b.vcf')]), []);
      assert.deepEqual(await s.linksAt('c', 'm1', []), []);
    });

    it('linkHeads and getLinks: the links of a member without bases to compare a listing with, and whole ones at chosen hrefs', async (s) => {
      await s.commit({ items: [write('i1', 'Ann'), write('i2', 'Bob'), { ...write('o1', 'O'), collection: 'other' }] });
      const b = { ...link('i2', 'b.vcf', 1), etag: asEtag('"b-2"'), raw: 'BEGIN:VCARD\r\nFN:Bob\r\nEND:VCARD\r\n' };
      await s.commit({ links: [link('i1', 'a.vcf', 1), b, link('i1', 'x.vcf', 1, 'm2'), link('o1', 'a.vcf', 1, 'm1', 'other')] });
      const byHref = (xs: Array<{ href: string }>) => [...xs].sort((x, y) => x.href.localeCompare(y.href));
      assert.deepEqual(byHref(await s.linkHeads('c', 'm1')), [
        { member: 'm1', href: 'a.vcf', itemId: 'i1', etag: link('i1', 'a.vcf', 1).etag, agreedVersion: 1 },
        { member: 'm1', href: 'b.vcf', itemId: 'i2', etag: '"b-2"', agreedVersion: 1 },
      ], 'no base, no text; the link of m2 and the one in another collection are left out');
      assert.deepEqual(await s.linkHeads('c', 'm3'), []);
      const whole = byHref(await s.getLinks('c', 'm1', [asHref('b.vcf'), asHref('none.vcf'), asHref('a.vcf')]));
      assert.deepEqual(whole, [await s.getLink('c', 'm1', asHref('a.vcf')), await s.getLink('c', 'm1', asHref('b.vcf'))]);
      assert.equal((whole[1] as { raw?: string }).raw, b.raw);
      assert.equal((whole[0] as { base: { uid: string } }).base.uid, link('i1', 'a.vcf', 1).base.uid);
      assert.deepEqual(await s.getLinks('c', 'm2', [asHref('a.vcf')]), []);
      assert.deepEqual(await s.getLinks('c', 'm1', []), []);
      await s.commit({ removeLinks: [{ collection: 'c', member: 'm1', href: asHref('a.vcf') }] });
      assert.deepEqual((await s.linkHeads('c', 'm1')).map((h) => h.href), ['b.vcf']);
    });

    it('links keep the raw text a member holds, byte for byte, and drop it when replaced without', async (s) => {
      await s.commit({ items: [write('i1', 'Ann')] });
      const raw = 'BEGIN:VCARD\r\nVERSION:3.0\r\nitem1.URL;VALUE=URI:http://a.example/ä\r\n X\r\nEND:VCARD\r\n';
      const l1 = { ...link('i1', 'ann.vcf', 1), raw };
      await s.commit({ links: [l1] });
      assert.equal((await s.getLink('c', 'm1', asHref('ann.vcf')))?.raw, raw);
      assert.equal((await s.linksForMember('c', 'm1'))[0]?.raw, raw);
      assert.equal((await s.linksForItem('i1'))[0]?.raw, raw);
      await s.commit({ items: [write('i1', 'Ann 2', 1)] });
      assert.equal((await s.pendingForMember('c', 'm1'))[0]?.link?.raw, raw);
      await s.commit({ links: [link('i1', 'ann.vcf', 2)] });
      assert.equal((await s.getLink('c', 'm1', asHref('ann.vcf')))?.raw, undefined);
    });

    it('dead properties: set per href, replaced, removed when empty, gone with the collection', async (s) => {
      await s.upsertCollection(coll('c'));
      assert.deepEqual(await s.deadProperties('c'), {});
      const a = { '{urn:x}color': '<X:v xmlns:X="urn:x">blue &amp; ü</X:v>', '{urn:y}n': '' };
      await s.setDeadProperties('c', '', { '{urn:x}k': 'v' });
      await s.setDeadProperties('c', 'a b.vcf', a);
      assert.deepEqual(await s.deadProperties('c'), { '': { '{urn:x}k': 'v' }, 'a b.vcf': a });
      await s.setDeadProperties('c', 'a b.vcf', { '{urn:y}n': 'x' });
      assert.deepEqual((await s.deadProperties('c'))['a b.vcf'], { '{urn:y}n': 'x' });
      await s.setDeadProperties('c', '', {});
      assert.deepEqual(Object.keys(await s.deadProperties('c')), ['a b.vcf']);
      await s.deleteCollection('c');
      assert.deepEqual(await s.deadProperties('c'), {});
    });

    it('dismissed pairs: kept per collection with ids in order, once each, gone with the collection', async (s) => {
      await s.upsertCollection(coll('c'));
      await s.upsertCollection(coll('d'));
      assert.deepEqual(await s.listDismissedPairs('c'), []);
      await s.dismissPair('c', 'i9', 'i2', '2024-01-02T00:00:00.000Z');
      await s.dismissPair('c', 'i1', 'i3', '2024-01-03T00:00:00.000Z');
      // Again, in the other order and later: still the one pair, first time kept.
      await s.dismissPair('c', 'i2', 'i9', '2024-01-04T00:00:00.000Z');
      await s.dismissPair('d', 'i1', 'i3', '2024-01-01T00:00:00.000Z');
      assert.deepEqual(await s.listDismissedPairs('c'), [
        { collection: 'c', a: 'i2', b: 'i9', time: '2024-01-02T00:00:00.000Z' },
        { collection: 'c', a: 'i1', b: 'i3', time: '2024-01-03T00:00:00.000Z' },
      ]);
      await s.deleteCollection('c');
      assert.deepEqual(await s.listDismissedPairs('c'), []);
      assert.equal((await s.listDismissedPairs('d')).length, 1);
    });

    it('pendingForMember: unlinked, behind, tombstones still linked', async (s) => {
      await s.commit({ items: [write('nolink', 'A'), write('behind', 'B'), write('equal', 'C'), write('gone', 'D'), write('gone2', 'E')] });
      await s.commit({ items: [write('behind', 'B2', 1), write('gone', 'D', 1, { deleted: true }), write('gone2', 'E', 1, { deleted: true })] });
      await s.commit({ links: [link('behind', 'b.vcf', 1), link('equal', 'c.vcf', 1), link('gone', 'd.vcf', 1), link('nolink', 'a.vcf', 1, 'm2')] });
      const p = await s.pendingForMember('c', 'm1');
      const byId = new Map(p.map((x) => [x.item.id, x]));
      assert.deepEqual(await s.pendingIdsForMember('c', 'm1'), [...byId.keys()]);
      assert.deepEqual([...byId.keys()].sort(), ['behind', 'gone', 'nolink']);
      assert.equal(byId.get('nolink')!.link, undefined);
      assert.equal(byId.get('behind')!.link?.href, 'b.vcf');
      assert.equal(byId.get('behind')!.item.version, 2);
      assert.equal(byId.get('gone')!.item.deleted, true);
      assert.deepEqual(byId.get('gone')!.link, link('gone', 'd.vcf', 1));
      // Catching up clears it.
      await s.commit({ links: [link('behind', 'b.vcf', 2), link('nolink', 'a.vcf', 1)], removeLinks: [{ collection: 'c', member: 'm1', href: asHref('d.vcf') }] });
      assert.deepEqual(await s.pendingForMember('c', 'm1'), []);
      assert.deepEqual(await s.pendingIdsForMember('c', 'm1'), []);
      assert.deepEqual(await s.pendingForMember('empty', 'm1'), []);
    });

    it('changesSince: items changed after a seq, tombstones included', async (s) => {
      await s.commit({ items: [write('i1', 'A'), write('i2', 'B')] });
      const mark = await s.currentSeq('c');
      assert.deepEqual(await s.changesSince('c', mark), { items: [], seq: mark });
      await s.commit({ items: [write('i1', 'A', 1, { deleted: true }), write('i3', 'C')] });
      await s.commit({ items: [{ ...write('o1', 'O'), collection: 'other' }] });
      const ch = await s.changesSince('c', mark);
      assert.deepEqual(ch.items.map((i) => [i.id, i.deleted]), [['i1', true], ['i3', false]]);
      assert.equal(ch.seq, await s.currentSeq('c'));
      assert.deepEqual((await s.changesSince('c', 0)).items.map((i) => i.id).sort(), ['i1', 'i2', 'i3']);
    });

    it('member states: upsert, get, list', async (s) => {
      assert.equal(await s.getMemberState('c', 'm1'), undefined);
      const a = { collection: 'c', member: 'm1', token: 'tok', lastSync: '2024-01-01T00:00:00.000Z', errors: 0 };
      const b = { collection: 'c', member: 'm2', errors: 2, lastError: 'timeout' };
      await s.commit({ memberStates: [a, b, { collection: 'd', member: 'm1', errors: 0 }] });
      assert.deepEqual(await s.getMemberState('c', 'm1'), a);
      assert.deepEqual(await s.getMemberState('c', 'm2'), b);
      assert.deepEqual((await s.listMemberStates('c')).map((x) => x.member), ['m1', 'm2']);
      assert.equal((await s.listMemberStates()).length, 3);
      await s.commit({ memberStates: [{ ...a, token: 'tok2' }] });
      assert.equal((await s.getMemberState('c', 'm1'))?.token, 'tok2');
    });

    it('log: ids from appendLog and commit, newest first, filters, default limit', async (s) => {
      const full: NewLogEntry = {
        run: 'r1', time: '2024-01-01T00:00:00.000Z', collection: 'c', uid: 'u1', itemId: 'i1', action: 'merged', connector: 'm1',
        message: 'merged two edits',
        fields: [{ field: 'fn', path: { component: '', field: 'fn', element: '' }, conflict: true, base: 'A', values: [{ connector: 'm1', value: 'B' }, { connector: 'm2', value: 'C' }], chosen: 'B', chosenIndex: 0 }],
      };
      const [id1] = await s.appendLog([full]);
      assert.deepEqual(await s.getLogEntry(id1), { ...full, id: id1 });
      const { logIds } = await s.commit({ log: [logEntry('u2', 'created', '2024-01-02T00:00:00.000Z'), logEntry('u1', 'conflict', '2024-01-03T00:00:00.000Z', 'd')] });
      assert.equal(logIds.length, 2);
      assert.ok(id1 < logIds[0] && logIds[0] < logIds[1]);
      const [id4] = await s.appendLog([{ ...logEntry('u1', 'resolved', '2024-01-04T00:00:00.000Z'), resolves: logIds[1] }]);
      assert.equal((await s.getLogEntry(id4))?.resolves, logIds[1]);
      // A `matched` entry keeps the member's entry as it came (undo splits it off exactly).
      const matched: NewLogEntry = { ...logEntry('u9', 'matched', '2023-12-31T00:00:00.000Z', 'e'), entry: contact('u9', 'Anna Kowalska') };
      const [id5] = await s.appendLog([matched]);
      assert.deepEqual(await s.getLogEntry(id5), { ...matched, id: id5 });
      assert.deepEqual((await s.listLog({ collection: 'e' }))[0]?.entry, matched.entry);
      assert.equal(await s.getLogEntry(9999), undefined);
      assert.deepEqual((await s.listLog()).map((e) => e.id), [id5, id4, logIds[1], logIds[0], id1]);
      assert.deepEqual((await s.listLog({ collection: 'd' })).map((e) => e.id), [logIds[1]]);
      assert.deepEqual((await s.listLog({ uid: asUid('u1') })).map((e) => e.id), [id4, logIds[1], id1]);
      assert.deepEqual((await s.listLog({ since: '2024-01-03T00:00:00.000Z' })).map((e) => e.id), [id4, logIds[1]]);
      assert.deepEqual((await s.listLog({ actions: ['created', 'merged'] })).map((e) => e.id), [logIds[0], id1]);
      assert.deepEqual((await s.listLog({ uid: asUid('u1'), collection: 'c', limit: 1 })).map((e) => e.id), [id4]);
      assert.deepEqual(await s.listLog({ actions: [] }), []);
      await s.appendLog(Array.from({ length: 120 }, (_, i) => logEntry(`x${i}`, 'created', '2024-02-01T00:00:00.000Z')));
      const page = await s.listLog();
      assert.equal(page.length, 100);
      assert.equal(page[0].uid, 'x119');
      assert.equal((await s.listLog({ limit: 500 })).length, 125);
    });

    it('runs: recorded by commit, replaced by id, listed newest first; history and log name their run', async (s) => {
      const counts = { name: 'c', created: 1, updated: 0, merged: 0, conflicts: 0, deleted: 0, restored: 0, writes: 2 };
      const r1: RunRecord = { id: 'r1', start: '2024-01-01T00:00:00.000Z', trigger: 'cli', command: 'sync', collections: [] };
      const r2: RunRecord = { id: 'r2', start: '2024-01-02T00:00:00.000Z', trigger: 'schedule', collections: [] };
      await s.commit({ runs: [r1] });
      await s.commit({ runs: [r2], items: [{ ...write('i1', 'Ann'), run: 'r2' }], log: [{ ...logEntry('uid-i1', 'created', '2024-01-02T00:00:00.000Z'), run: 'r2' }] });
      assert.deepEqual(await s.getRun('r1'), r1);
      assert.equal(await s.getRun('nope'), undefined);
      const done = { ...r1, end: '2024-01-01T00:01:00.000Z', collections: [counts] };
      await s.commit({ runs: [done] });
      assert.deepEqual(await s.getRun('r1'), done);
      assert.deepEqual((await s.listRuns()).map((r) => r.id), ['r2', 'r1']);
      assert.deepEqual((await s.listRuns(1)).map((r) => r.id), ['r2']);
      await s.commit({ items: [{ ...write('i1', 'Ann B', 1), run: 'r3' }] });
      const h = await s.history('i1');
      assert.deepEqual(h.map((v) => [v.version, v.run, v.deleted]), [[2, 'r3', false], [1, 'r2', false]]);
      await s.commit({ items: [{ ...write('i1', 'Ann B', 2), deleted: true }] });
      assert.deepEqual((await s.history('i1', 1)).map((v) => [v.version, v.run, v.deleted]), [[3, '', true]]);
      assert.deepEqual((await s.listLog({ run: 'r2' })).map((e) => [e.uid, e.run]), [['uid-i1', 'r2']]);
      assert.deepEqual(await s.listLog({ run: 'r1' }), []);
    });

    it('quarantine: add, replace, clear', async (s) => {
      const q = { collection: 'c', member: 'm1', href: asHref('bad.vcf'), where: '/data/bad.vcf', message: 'line 3: bad', raw: 'BEGIN:VCARD', time: '2024-01-01T00:00:00.000Z' };
      await s.commit({ quarantine: [q, { ...q, collection: 'd', raw: undefined }] });
      assert.deepEqual(await s.listQuarantine('c'), [q]);
      assert.equal((await s.listQuarantine()).length, 2);
      assert.equal((await s.listQuarantine('d'))[0].raw, undefined);
      await s.commit({ quarantine: [{ ...q, message: 'line 4: bad' }] });
      assert.equal((await s.listQuarantine('c'))[0].message, 'line 4: bad');
      await s.commit({ unquarantine: [{ collection: 'c', member: 'm1', href: asHref('bad.vcf') }] });
      assert.deepEqual(await s.listQuarantine('c'), []);
      assert.equal((await s.listQuarantine()).length, 1);
    });

    it('outbox: add returns ids, done removes', async (s) => {
      const o = { collection: 'c', member: 'm1', itemId: 'i1', op: 'create' as const, version: 1, createdAt: '2024-01-01T00:00:00.000Z' };
      const { outboxIds } = await s.commit({ outbox: [o, { ...o, member: 'm2', op: 'update', href: asHref('a.vcf'), etag: asEtag('"1"') }, { ...o, collection: 'd' }] });
      assert.equal(outboxIds.length, 3);
      assert.deepEqual(await s.listOutbox('c', 'm1'), [{ ...o, id: outboxIds[0] }]);
      assert.deepEqual((await s.listOutbox('c')).map((x) => x.id), outboxIds.slice(0, 2));
      assert.equal((await s.listOutbox())[1].href, 'a.vcf');
      await s.commit({ outboxDone: [outboxIds[0], outboxIds[2]] });
      assert.deepEqual((await s.listOutbox()).map((x) => x.id), [outboxIds[1]]);
    });

    it('locks: exclusive, expire, unlock only by the owner', async (s) => {
      assert.equal(await s.lockHolder('sync:c'), undefined);
      assert.equal(await s.tryLock('sync:c', 'p1', 60_000), true);
      assert.equal(await s.lockHolder('sync:c'), 'p1');
      assert.equal(await s.tryLock('sync:c', 'p2', 60_000), false);
      assert.equal(await s.tryLock('sync:d', 'p2', 60_000), true);
      await s.unlock('sync:c', 'p2');
      assert.equal(await s.tryLock('sync:c', 'p2', 60_000), false);
      assert.equal(await s.tryLock('sync:c', 'p1', 60_000), true, 'the owner may renew');
      await s.unlock('sync:c', 'p1');
      assert.equal(await s.tryLock('sync:c', 'p2', 1), true);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(await s.lockHolder('sync:c'), undefined, 'an expired lock has no holder');
      assert.equal(await s.tryLock('sync:c', 'p3', 60_000), true, 'an expired lock can be taken');
      assert.equal(await s.tryLock('sync:c', 'p2', 60_000), false);
    });

    test('exportPage and importRecords: copyStore copies everything verbatim, into an empty store only', async () => {
      const a = await setup();
      const b = await setup();
      try {
        const s = a.store;
        await s.upsertCollection(coll('c'));
        await s.upsertCollection(coll('gone'));
        await s.upsertCollection(coll('cal', { kind: 'calendar', owner: 'ann', origin: 'endpoint', color: '#f00' }));
        const runs: RunRecord[] = [
          { id: 'r1', start: '2024-01-01T00:00:00.000Z', trigger: 'cli', command: 'sync', collections: [] },
          { id: 'r2', start: '2024-01-01T00:00:00.000Z', end: '2024-01-01T00:01:00.000Z', trigger: 'endpoint', collections: [] },
        ];
        await s.commit({ runs, items: [
          write('i1', 'Ann', 0, { identityKeys: ['email:ann@x.org'], run: 'r1' }), write('i2', 'Bob', 0, { identityKeys: ['tel:+1'] }), write('i3', 'Cy'),
          { ...write('g1', 'G'), collection: 'gone' },
        ] });
        await s.commit({ items: [write('i1', 'Ann B', 1, { run: 'r2' }), write('i3', 'Cy', 1, { deleted: true })] });
        await s.commit({
          links: [link('i1', 'ann.vcf', 2), link('i2', 'bob.vcf', 1, 'm2'), link('i3', 'cy.vcf', 1)],
          log: [logEntry('uid-i1', 'created', '2024-01-01T00:00:00.000Z'), { ...logEntry('uid-i1', 'merged', '2024-01-02T00:00:00.000Z'), run: 'r2', message: 'm' }],
          quarantine: [{ collection: 'c', member: 'm1', href: asHref('bad.vcf'), where: 'bad.vcf', message: 'line 2', raw: 'BEGIN:VCARD', time: '2024-01-01T00:00:00.000Z' }],
          outbox: [{ collection: 'c', member: 'm1', itemId: 'i1', op: 'update', href: asHref('ann.vcf'), etag: asEtag('"e"'), version: 2, createdAt: '2024-01-01T00:00:00.000Z' }],
          memberStates: [{ collection: 'c', member: 'm1', token: 'tok', lastSync: '2024-01-01T00:00:00.000Z', errors: 1, lastError: 'x' }],
        });
        const { outboxIds } = await s.commit({ outbox: [{ collection: 'c', member: 'm2', itemId: 'i2', op: 'create', version: 1, createdAt: '2024-01-01T00:00:00.000Z' }] });
        await s.commit({ outboxDone: outboxIds });
        await s.deleteCollection('gone');
        await s.setDeadProperties('c', '', { '{urn:x}color': '<c xmlns="urn:x">red</c>' });
        await s.setDeadProperties('c', 'ann.vcf', { '{urn:x}tag': '<t xmlns="urn:x">a</t>' });
        await s.dismissPair('c', 'i2', 'i1', '2024-01-03T00:00:00.000Z');
        await s.commit({ links: [{ ...link('i2', 'raw.vcf', 1, 'm3'), raw: 'BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n' }] });

        const counts = await copyStore(s, b.store, { batch: 2 });
        assert.deepEqual(counts, { collections: 2, items: 3, versions: 5, links: 4, memberStates: 1, quarantine: 1, outbox: 1, log: 2, runs: 2, seqs: 2, deadProps: 2, dismissedPairs: 1 });
        assert.deepEqual(await b.store.listDismissedPairs('c'), await s.listDismissedPairs('c'));
        assert.deepEqual(await b.store.deadProperties('c'), await s.deadProperties('c'));
        assert.equal((await b.store.getLink('c', 'm3', asHref('raw.vcf')))?.raw, 'BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n');
        for (const table of STORE_TABLES) {
          assert.deepEqual(await b.store.exportPage(table, 0, 100), await s.exportPage(table, 0, 100), table);
        }
        const t = b.store;
        assert.deepEqual(await t.getItem('i1'), await s.getItem('i1'));
        assert.deepEqual(await t.history('i1'), await s.history('i1'));
        assert.deepEqual(await t.listLog(), await s.listLog());
        assert.deepEqual(await t.listRuns(), await s.listRuns());
        assert.deepEqual(await t.listOutbox(), await s.listOutbox());
        assert.equal(await t.currentSeq('c'), await s.currentSeq('c'));
        assert.equal(await t.currentSeq('gone'), await s.currentSeq('gone'), 'a deleted collection\'s seq is kept');
        assert.deepEqual(await t.findByIdentity('c', ['email:ann@x.org', 'tel:+1']), ['i1', 'i2']);
        assert.deepEqual(await t.pendingForMember('c', 'm1'), await s.pendingForMember('c', 'm1'));
        assert.deepEqual(await t.getLink('c', 'm1', asHref('ann.vcf')), await s.getLink('c', 'm1', asHref('ann.vcf')));
        // The copy goes on where the source stopped: versions, seqs and ids.
        await t.commit({ items: [write('i1', 'Ann C', 2)] });
        assert.ok((await t.getItem('i1'))!.seq > (await s.currentSeq('c')));
        const [logId] = await t.appendLog([logEntry('u9', 'created', '2024-01-03T00:00:00.000Z')]);
        assert.ok(logId! > Math.max(...(await s.listLog()).map((e) => e.id)));
        const { outboxIds: more } = await t.commit({ outbox: [{ collection: 'c', member: 'm1', itemId: 'i1', op: 'update', version: 3, createdAt: '2024-01-01T00:00:00.000Z' }] });
        assert.ok(more[0]! > Math.max(...(await s.listOutbox()).map((o) => o.id)), 'no outbox id is given twice');
        // A target that holds anything is refused.
        await assert.rejects(copyStore(s, t), (e) => isPimError(e, 'config') && /not empty/.test(e.message));
      } finally {
        await a.cleanup();
        await b.cleanup();
      }
    });

    it('deleteCollection removes its data, its item history and its log; other collections keep theirs', async (s) => {
      await s.upsertCollection(coll('c'));
      await s.upsertCollection(coll('other'));
      await s.commit({
        items: [write('i1', 'A', 0, { identityKeys: ['k'] }), { ...write('o1', 'O', 0, { identityKeys: ['k'] }), collection: 'other' }],
        links: [link('i1', 'a.vcf', 1), link('o1', 'o.vcf', 1, 'm1', 'other')],
        log: [logEntry('uid-i1', 'created', '2024-01-01T00:00:00.000Z'), { ...logEntry('uid-o1', 'created', '2024-01-01T00:00:00.000Z'), collection: 'other' }],
        quarantine: [{ collection: 'c', member: 'm1', href: asHref('bad.vcf'), where: 'bad.vcf', message: 'x', time: '2024-01-01T00:00:00.000Z' }],
        outbox: [{ collection: 'c', member: 'm1', itemId: 'i1', op: 'create', version: 1, createdAt: '2024-01-01T00:00:00.000Z' }],
        memberStates: [{ collection: 'c', member: 'm1', errors: 0 }, { collection: 'other', member: 'm1', errors: 0 }],
      });
      const seq = await s.currentSeq('c');
      await s.deleteCollection('c');
      assert.equal(await s.getCollection('c'), undefined);
      assert.equal(await s.getItem('i1'), undefined);
      assert.deepEqual(await s.listItems('c', { includeDeleted: true }), []);
      assert.deepEqual(await s.history('i1'), []);
      assert.deepEqual(await s.findByIdentity('c', ['k']), []);
      assert.deepEqual(await s.linksForMember('c', 'm1'), []);
      assert.deepEqual(await s.listMemberStates('c'), []);
      assert.deepEqual(await s.listQuarantine('c'), []);
      assert.deepEqual(await s.listOutbox('c'), []);
      // A re-created collection of that name (perhaps another user's) must not show this log.
      assert.deepEqual(await s.listLog({ collection: 'c' }), []);
      assert.deepEqual((await s.listLog({})).map((e) => e.collection), ['other']);
      assert.ok((await s.currentSeq('c')) >= seq, 'a re-created collection never reuses a sync token');
      // The other collection is untouched.
      assert.ok(await s.getCollection('other'));
      assert.equal((await s.getItem('o1'))?.collection, 'other');
      assert.deepEqual(await s.findByIdentity('other', ['k']), ['o1']);
      assert.equal((await s.linksForMember('other', 'm1')).length, 1);
      assert.equal((await s.listMemberStates()).length, 1);
      assert.equal((await s.listLog({ collection: 'other' })).length, 1);
      // A re-created collection starts empty and keeps working.
      await s.commit({ items: [write('i1', 'A again')] });
      assert.equal((await s.getItem('i1'))?.version, 1);
    });
  });
  runLinkBaseContract(name, setup);
}
