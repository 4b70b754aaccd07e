import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ItemVersion, StoredItem } from '../../src/core/store.js';
import type { ContactItem } from '../../src/model/item.js';
import { createIdentity } from '../../src/normalize/item-identity.js';
import { undoItem } from '../../src/sync/undo-item.js';
import { asUid } from '../../src/core/types.js';

const keyOf = createIdentity('DE').keyOf;
const card = (fn: string, ...extra: Array<[string, string]>): ContactItem => ({
  kind: 'contact', uid: asUid('u1'), card: { name: 'vcard', components: [], props: [
    { name: 'uid', params: {}, type: 'text', values: ['u1'] },
    { name: 'fn', params: {}, type: 'text', values: [fn] },
    ...extra.map(([name, v]) => ({ name, params: {}, type: 'text', values: [v] })),
  ] },
});
const v = (version: number, run: string, item: ContactItem, deleted = false): ItemVersion => ({ version, run, item, deleted, time: `2026-12-0${version}T00:00:00Z` });
const stored = (h: ItemVersion): StoredItem => ({
  id: 'i1', collection: 'c', uid: asUid('u1'), version: h.version, seq: h.version, deleted: h.deleted, item: h.item, meta: { fieldSources: {} }, updatedAt: h.time,
});
const now = '2026-12-09T00:00:00Z';

test('the version before the run comes back when nothing changed since; a run with no version of the item changes nothing', () => {
  const h = [v(3, 'R', card('B', ['note', 'x'])), v(2, 'R', card('B')), v(1, 'P', card('A'))];
  const d = undoItem({ run: 'R', current: stored(h[0]!), history: h, keyOf, now });
  assert.equal(d.action, 'reverted');
  assert.deepEqual(d.item, card('A'));
  assert.equal(undoItem({ run: 'Q', current: stored(h[0]!), history: h, keyOf, now }).action, 'unchanged');
});

test('created by the run: removed, or kept when changed since; deleted by the run: restored', () => {
  const created = [v(1, 'R', card('A'))];
  assert.equal(undoItem({ run: 'R', current: stored(created[0]!), history: created, keyOf, now }).action, 'removed');
  const edited = [v(2, 'S', card('A2')), ...created];
  const kept = undoItem({ run: 'R', current: stored(edited[0]!), history: edited, keyOf, now });
  assert.equal(kept.action, 'kept');
  assert.equal(kept.item, undefined);
  const deleted = [v(2, 'R', card('A'), true), v(1, 'P', card('A'))];
  const r = undoItem({ run: 'R', current: stored(deleted[0]!), history: deleted, keyOf, now });
  assert.equal(r.action, 'restored');
  assert.equal(r.deleted, false);
});

test('changed again since the run: what the run changed goes back, a field changed again keeps the later value as a logged conflict', () => {
  // P: fn A, note n1.  R: fn B, note n2.  S (later): note n3.
  const h = [v(3, 'S', card('B', ['note', 'n3'])), v(2, 'R', card('B', ['note', 'n2'])), v(1, 'P', card('A', ['note', 'n1']))];
  const d = undoItem({ run: 'R', current: stored(h[0]!), history: h, keyOf, now });
  assert.equal(d.action, 'reverted');
  const props = (d.item as ContactItem).card.props;
  assert.equal(props.find((p) => p.name === 'fn')!.values[0], 'A');
  assert.equal(props.find((p) => p.name === 'note')!.values[0], 'n3');
  assert.equal(d.conflicts.length, 1);
  assert.deepEqual(d.conflicts[0]!.values.map((x) => [x.connector, x.value]), [['store', 'n3'], ['undo', 'n1']]);
});
