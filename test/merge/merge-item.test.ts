import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeItem } from '../../src/merge/merge-item.js';
import { itemFingerprint } from '../../src/merge/fingerprint.js';
import { capabilitiesOf } from '../../src/model/capabilities.js';
import { card, email, fn, input, note, tel, testKeyOf, x } from './merge-helpers.js';
import type { Property, PropValue } from '../../src/model/property.js';
import { createIdentity } from '../../src/normalize/item-identity.js';

const fp = (i: Parameters<typeof itemFingerprint>[0]) => itemFingerprint(i, testKeyOf);

test('an email added on each side: both survive', () => {
  const base = card('u1', fn('Jörg Müller'), email('j@example.org'));
  const current = card('u1', fn('Jörg Müller'), email('j@example.org'), email('work@corp.example'));
  const incoming = card('u1', fn('Jörg Müller'), email('j@example.org'), email('private@home.example'));
  const r = mergeItem(input(base, current, incoming));
  const emails = r.item.card.props.filter((p) => p.name === 'email').map((p) => p.values[0]).sort();
  assert.deepEqual(emails, ['j@example.org', 'private@home.example', 'work@corp.example']);
  assert.equal(r.conflicts, 0);
  assert.ok(r.incomingChanged && r.currentChanged);
});

test('edits to different fields both survive', () => {
  const base = card('u1', fn('Anna'), note('old'), tel('+49 30 1'));
  const current = card('u1', fn('Anna Schmidt'), note('old'), tel('+49 30 1'));
  const incoming = card('u1', fn('Anna'), note('new note'), tel('+49 30 1'));
  const r = mergeItem(input(base, current, incoming));
  const expect = card('u1', fn('Anna Schmidt'), note('new note'), tel('+49 30 1'));
  assert.equal(fp(r.item), fp(expect));
  assert.equal(r.conflicts, 0);
});

test('one field changed differently on both sides is a conflict decided by newest, with both values logged', () => {
  const base = card('u1', fn('Anna'));
  const current = card('u1', fn('Anna S.'));
  const incoming = card('u1', fn('Anna Schmidt'));
  const newerIncoming = mergeItem(input(base, current, incoming));
  assert.equal(newerIncoming.conflicts, 1);
  const d = newerIncoming.decisions.find((x) => x.conflict)!;
  assert.equal(d.field, 'fn');
  assert.deepEqual(d.values.map((v) => v.value), ['Anna S.', 'Anna Schmidt']);
  assert.equal(d.chosen, 'Anna Schmidt');
  assert.equal(d.base, 'Anna');
  const olderIncoming = mergeItem(input(base, current, incoming, { incomingSource: { connector: 'phone', time: '2023-01-01T00:00:00Z' } }));
  assert.equal(olderIncoming.decisions.find((x) => x.conflict)!.chosen, 'Anna S.');
  const preferPhone = mergeItem(input(base, current, incoming, { policy: { kind: 'prefer', order: ['phone'] }, incomingSource: { connector: 'phone', time: '2000-01-01T00:00:00Z' } }));
  assert.equal(preferPhone.decisions.find((x) => x.conflict)!.chosen, 'Anna Schmidt');
  const store = mergeItem(input(base, current, incoming, { policy: { kind: 'store' } }));
  assert.equal(store.decisions.find((x) => x.conflict)!.chosen, 'Anna S.');
});

test('a phone written differently keys to the same element; a removal on one side applies', () => {
  const base = card('u1', fn('A'), tel('+49 171 1234567'), tel('+49 30 999'));
  const current = card('u1', fn('A'), tel('+49 171 1234567'), tel('+49 30 999'));
  const incoming = card('u1', fn('A'), tel('0171 1234567'));
  const r = mergeItem(input(base, current, incoming));
  const tels = r.item.card.props.filter((p) => p.name === 'tel').map((p) => p.values[0]);
  // Equal meaning is not a change (SPEC §4): the store keeps its form; only the removal is decided.
  assert.deepEqual(tels, ['+49 171 1234567']);
  assert.deepEqual(r.decisions.map((d) => [d.field, d.conflict]), [['tel[4930999]', false]]);
});

test('values equal in meaning are not a conflict: phone forms, pref spellings, parameter case and order, one-part ORG, date forms', () => {
  const prop = (name: string, values: PropValue[], params: Record<string, string | string[]> = {}, type = 'text'): Property => ({ name, params, type, values });
  const base = card('u1', fn('A'), tel('+49 176 1111'), email('a@x.org'), prop('org', [['Acme']]), prop('bday', ['1985-04-12'], {}, 'date'));
  const current = card('u1', fn('A'), prop('tel', ['+49 176 12345678'], { type: ['cell', 'pref'] }, 'phone-number' as string),
    prop('email', ['Jane@Example.org'], { type: 'internet' }), prop('org', [['Acme GmbH']]), prop('bday', ['1985-04-13'], {}, 'date'));
  const incoming = card('u1', fn('A'), prop('tel', ['0176 12345678'], { TYPE: 'CELL', pref: '1' }, 'text'),
    prop('email', ['jane@example.org'], {}), prop('org', ['Acme GmbH'], { value: 'text' }), prop('bday', ['19850413'], {}, 'date'));
  const keyOf = createIdentity('DE').keyOf;
  const r = mergeItem(input(base, current, incoming, { keyOf }));
  assert.equal(r.conflicts, 0, JSON.stringify(r.decisions));
  assert.deepEqual(r.decisions, []);
  assert.equal(r.incomingChanged, false);
  // The store keeps its own form.
  assert.equal(r.item.card.props.find((p) => p.name === 'tel')!.values[0], '+49 176 12345678');
  // A real difference in one of them still is one.
  const other = card('u1', fn('A'), prop('tel', ['0176 99999999'], { type: 'cell' }), prop('email', ['jane@example.org'], {}), prop('org', ['Acme AG']), prop('bday', ['19850413'], {}, 'date'));
  assert.ok(mergeItem(input(base, current, other, { keyOf })).conflicts >= 1);
});

test('a property the incoming format cannot hold is not read as deleted', () => {
  const base = card('u1', fn('A'), x('x-custom', 'keep me'), email('a@x.org'));
  const current = card('u1', fn('A'), x('x-custom', 'keep me'), email('a@x.org'));
  const incoming = card('u1', fn('A B'), email('a@x.org'));
  const caps = capabilitiesOf('csv', ['fn', 'n', 'email', 'tel', 'uid']);
  const r = mergeItem(input(base, current, incoming, { caps }));
  assert.ok(r.item.card.props.some((p) => p.name === 'x-custom' && p.values[0] === 'keep me'));
  assert.equal(r.item.card.props.find((p) => p.name === 'fn')!.values[0], 'A B');
});

test('Apple item groups travel with their property and are renumbered without collisions', () => {
  const base = card('u1', fn('A'), tel('+49 30 1', [], 'item1'), x('x-ablabel', 'Assistant', 'item1'));
  const current = card('u1', fn('A'), tel('+49 30 1', [], 'item1'), x('x-ablabel', 'Assistant', 'item1'), tel('+49 30 2', [], 'item2'), x('x-ablabel', 'Pager', 'item2'));
  const incoming = card('u1', fn('A'), tel('+49 30 1', [], 'item7'), x('x-ablabel', 'Assistant', 'item7'), tel('+49 30 3', [], 'item1'), x('x-ablabel', 'Boat', 'item1'));
  const r = mergeItem(input(base, current, incoming));
  const groups = new Map<string, string[]>();
  for (const p of r.item.card.props) if (p.group) groups.set(p.group, [...(groups.get(p.group) ?? []), `${p.name}=${p.values[0]}`]);
  const sets = [...groups.values()].map((g) => g.sort().join(' ')).sort();
  assert.deepEqual(sets, [
    'tel=+49 30 1 x-ablabel=Assistant',
    'tel=+49 30 2 x-ablabel=Pager',
    'tel=+49 30 3 x-ablabel=Boat',
  ]);
});

test('the UID of the store is kept when a matched item brings another', () => {
  const current = card('store-uid', fn('A'));
  const incoming = card('phone-uid', fn('A'), email('a@x.org'));
  const r = mergeItem(input(undefined, current, incoming));
  assert.equal(r.item.uid, 'store-uid');
  assert.deepEqual(r.item.card.props.filter((p) => p.name === 'uid').map((p) => p.values[0]), ['store-uid']);
  assert.ok(r.item.card.props.some((p) => p.name === 'email'));
});

test('two sides that differ only in a number\'s pref flag are no conflict: the preferred form is kept', () => {
  const keyOf = createIdentity('DE').keyOf;
  const withPref = card('u1', fn('A'), { name: 'tel', params: { type: ['cell'], pref: '1' }, type: 'text', values: ['+49 170 1234567'] });
  const without = card('u1', fn('A'), { name: 'tel', params: { type: ['cell'] }, type: 'text', values: ['0170 1234567'] });
  for (const [current, incoming] of [[withPref, without], [without, withPref]] as const) {
    const r = mergeItem(input(undefined, current, incoming, { keyOf }));
    assert.equal(r.conflicts, 0, JSON.stringify(r.decisions));
    const tels = r.item.card.props.filter((p) => p.name === 'tel');
    assert.equal(tels.length, 1);
    assert.equal(tels[0]!.params.pref, '1', 'the preference survives');
  }
  // With a base, removing the preference on one side is an ordinary edit that wins.
  const r = mergeItem(input(withPref, withPref, without, { keyOf }));
  assert.equal(r.conflicts, 0);
  assert.equal(r.item.card.props.find((p) => p.name === 'tel')!.params.pref, undefined);
});
