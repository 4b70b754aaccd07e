import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mergeItem } from '../../src/merge/merge-item.js';
import { itemFingerprint } from '../../src/merge/fingerprint.js';
import type { ContactItem } from '../../src/model/item.js';
import type { Property } from '../../src/model/property.js';
import { card, email, fn, input, note, tel, testKeyOf, x } from './merge-helpers.js';

const fp = (i: ContactItem) => itemFingerprint(i, testKeyOf);
const text = fc.string({ minLength: 1, maxLength: 12 }).map((s) => s.replace(/\s+/g, '_'));

/** A contact as named fields, so edits can be made to chosen fields only. */
interface Shape { fn: string; note?: string; emails: string[]; tels: string[]; xs: string[] }
const shape: fc.Arbitrary<Shape> = fc.record({
  fn: text,
  note: fc.option(text, { nil: undefined }),
  emails: fc.uniqueArray(fc.emailAddress().map((e) => e.toLowerCase()), { maxLength: 3 }),
  tels: fc.uniqueArray(fc.integer({ min: 1000, max: 99999 }).map((n) => `+49 30 ${n}`), { maxLength: 3 }),
  xs: fc.uniqueArray(text, { maxLength: 2 }),
});
const build = (s: Shape): ContactItem => {
  const props: Property[] = [fn(s.fn), ...s.emails.map((e) => email(e)), ...s.tels.map((t) => tel(t)), ...s.xs.map((v) => x('x-custom', v))];
  if (s.note !== undefined) props.push(note(s.note));
  return card('u', ...props);
};
const fieldNames = ['fn', 'note', 'emails', 'tels', 'xs'] as const;
type FieldName = (typeof fieldNames)[number];
/** Applies `other`'s values for the chosen fields. */
const edit = (base: Shape, other: Shape, fields: readonly FieldName[]): Shape => {
  const out: Shape = { ...base };
  for (const f of fields) (out as unknown as Record<string, unknown>)[f] = other[f];
  return out;
};

test('merging a change with no change gives the change (either side)', () => {
  fc.assert(fc.property(shape, shape, (b, c) => {
    const base = build(b);
    const changed = build(c);
    assert.equal(fp(mergeItem(input(base, base, changed)).item), fp(changed));
    assert.equal(fp(mergeItem(input(base, changed, base)).item), fp(changed));
  }), { numRuns: 200 });
});

test('disjoint edits commute and both survive', () => {
  const split = fc.shuffledSubarray([...fieldNames]).chain((a) =>
    fc.constant([a, fieldNames.filter((f) => !a.includes(f))] as const));
  fc.assert(fc.property(shape, shape, shape, split, (b, o1, o2, [fa, fb]) => {
    const base = build(b);
    const a = build(edit(b, o1, fa));
    const c = build(edit(b, o2, fb));
    const ab = mergeItem(input(base, a, c)).item;
    const ba = mergeItem(input(base, c, a)).item;
    assert.equal(fp(ab), fp(ba));
    assert.equal(fp(ab), fp(build(edit(edit(b, o1, fa), o2, fb))));
  }), { numRuns: 200 });
});

test('nothing is dropped: every property either side added is in the result', () => {
  fc.assert(fc.property(shape, shape, shape, (b, s1, s2) => {
    const base = build({ ...b, emails: [], tels: [], xs: [] });
    const c = build({ ...b, emails: s1.emails, tels: s1.tels, xs: s1.xs });
    const i = build({ ...b, emails: s2.emails, tels: s2.tels, xs: s2.xs });
    const r = mergeItem(input(base, c, i)).item;
    const has = (name: string, v: string) => r.card.props.some((p) => p.name === name && p.values[0] === v);
    for (const e of [...s1.emails, ...s2.emails]) assert.ok(has('email', e), `email ${e}`);
    for (const t of [...s1.tels, ...s2.tels]) assert.ok(has('tel', t), `tel ${t}`);
    for (const v of [...s1.xs, ...s2.xs]) assert.ok(has('x-custom', v), `x ${v}`);
  }), { numRuns: 200 });
});

test('a base that is the same data as current (split once, with current) merges exactly as the same base in another order', () => {
  const reordered = (item: ContactItem): ContactItem => ({ ...item, card: { ...item.card, props: [...item.card.props].reverse() } });
  fc.assert(fc.property(shape, shape, (c, i) => {
    const current = build(c);
    const incoming = build(i);
    const shared = mergeItem(input(structuredClone(current), current, incoming));
    const apart = mergeItem(input(reordered(current), current, incoming));
    assert.deepEqual(shared, apart);
    assert.equal(fp(shared.item), fp(incoming));
  }), { numRuns: 200 });
});
