import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { propsKey, sameProps } from '../../src/merge/equality.js';
import { VCARD_RULES } from '../../src/model/field-rules.js';
import type { Property } from '../../src/model/property.js';
import { testKeyOf } from './merge-helpers.js';

const cmp = { table: VCARD_RULES, keyOf: testKeyOf };

// Few choices per part, so equal and near-equal lists come up often.
const property: fc.Arbitrary<Property> = fc.record({
  name: fc.constantFrom('tel', 'email', 'note', 'x-custom', 'adr'),
  group: fc.option(fc.constantFrom('item1', 'item2'), { nil: undefined }),
  params: fc.dictionary(fc.constantFrom('type', 'pref', 'x-a'), fc.oneof(fc.constantFrom('home', 'WORK', '1'), fc.array(fc.constantFrom('home', 'work', 'cell'), { maxLength: 2 }))),
  type: fc.constantFrom('text', 'uri'),
  values: fc.array(fc.oneof(fc.constantFrom('a', 'A', '+49 30 1234', '+49301234'), fc.array(fc.constantFrom('', 'Main St', 'Berlin'), { maxLength: 3 })), { minLength: 1, maxLength: 2 }),
}).map((p) => {
  const out: Property = { name: p.name, params: p.params, type: p.type, values: p.values };
  if (p.group !== undefined) out.group = p.group;
  return out;
});
const list = fc.array(property, { maxLength: 3 });

test('equality: sameProps answers as the meaning texts do, also for lists that are the same data', () => {
  fc.assert(fc.property(list, list, fc.boolean(), (a, b, copy) => {
    const other = copy ? structuredClone(a) : b;
    assert.equal(sameProps(a, other, cmp), propsKey(a, cmp) === propsKey(other, cmp));
  }), { numRuns: 2000 });
});

test('equality: the same data is the same; a changed parameter or value is not', () => {
  const p: Property = { name: 'tel', params: { type: ['cell'] }, type: 'text', values: ['+49 171 1234567'] };
  assert.equal(sameProps([p], [structuredClone(p)], cmp), true);
  assert.equal(sameProps([p], [{ ...p, params: { type: ['home'] } }], cmp), false);
  assert.equal(sameProps([p], [{ ...p, values: ['+49 171 7654321'] }], cmp), false);
  assert.equal(sameProps([p], [{ ...p, params: {} }], cmp), false);
});
