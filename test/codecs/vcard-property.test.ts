/** Property-based round trips: random canonical contacts survive every version. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ContactItem } from '../../src/model/item.js';
import type { Property } from '../../src/model/property.js';
import { prop } from '../../src/model/property.js';
import { decodeVCards, encodeVCard } from '../../src/codecs/vcard/index.js';
import { VERSIONS, assertWellFolded, heldBy } from './vcard-helpers.js';
import { NO_UID, asUid } from '../../src/core/types.js';

const specials = fc.constantFrom(';', ',', ':', '\\', '"', '=', ' ', 'é', 'ß', '東', '京', '🎉', '👩‍👩‍👧', 'n', '\\n', '^');
/** Printable text including non-ASCII, CJK and emoji (no control characters). */
const text = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), specials), { maxLength: 12 })
  .map((parts) => parts.join('').replace(/[\u0000-\u001f\u007f]/g, ''));
const multiline = fc.array(text, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n'));
/** Raw text of an unknown property: anything but line breaks. */
const rawText = text.map((t) => t.replace(/[\r\n]/g, ''));
/** A parameter value: no double quote or line break (vCard 2.1 cannot carry them). */
const paramValue = rawText.map((t) => t.replace(/"/g, ''));
const typeSubset = (choices: string[]): fc.Arbitrary<string[]> => fc.subarray(choices, { minLength: 0 });
const withTypePref = (types: string[], pref: boolean): Record<string, string | string[]> => {
  const params: Record<string, string | string[]> = {};
  if (types.length > 0) params.type = types;
  if (pref) params.pref = '1';
  return params;
};

const nProp = fc.array(text, { minLength: 5, maxLength: 5 }).map((c) => prop('n', 'text', [c]));
const fnProp = text.map((t) => prop('fn', 'text', [t]));
const noteProp = multiline.map((t) => prop('note', 'text', [t]));
const emailProp = fc
  .tuple(fc.emailAddress(), typeSubset(['home', 'work', 'internet']), fc.boolean())
  .map(([e, t, p]) => prop('email', 'text', [e], withTypePref(t, p)));
const telProp = fc
  .tuple(fc.stringMatching(/^\+?[0-9][0-9 ()-]{2,15}$/), typeSubset(['cell', 'voice', 'home', 'work', 'fax']), fc.boolean(), fc.boolean())
  .map(([n, t, p, uri]) => (uri ? prop('tel', 'uri', [`tel:${n.replace(/[ ()]/g, '')}`], withTypePref(t, p)) : prop('tel', 'text', [n], withTypePref(t, p))));
const groupedProps = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.emailAddress(), rawText)
  .map(([i, e, label]): Property[] => [
    prop('email', 'text', [e], { type: ['internet'] }, `item${i}`),
    prop('x-ablabel', 'unknown', [label], {}, `item${i}`),
  ]);
const xName = fc.stringMatching(/^X-[A-Z][A-Z0-9-]{0,8}$/).filter((n) => n !== 'X-ABLABEL');
const unknownProp = fc
  .tuple(xName, rawText, fc.option(paramValue, { nil: undefined }))
  .map(([name, v, pv]) => prop(name, 'unknown', [v], pv === undefined ? {} : { 'x-param': pv }));
const xTextProp = fc.tuple(xName, multiline).map(([name, v]) => prop(name, 'text', [v]));
const photoProp = fc
  .uint8Array({ minLength: 0, maxLength: 300 })
  .map((b) => prop('photo', 'uri', [`data:image/jpeg;base64,${Buffer.from(b).toString('base64')}`]));
const categoriesProp = fc.array(text, { minLength: 1, maxLength: 4 }).map((vs) => prop('categories', 'text', vs));
const kindProp = fc.constantFrom('individual', 'group', 'org').map((k) => prop('kind', 'text', [k]));

const contact: fc.Arbitrary<ContactItem> = fc
  .tuple(
    fc.option(fc.uuid(), { nil: undefined }),
    nProp,
    fnProp,
    fc.array(fc.oneof(noteProp, emailProp, telProp, unknownProp, xTextProp, photoProp, categoriesProp, kindProp), { maxLength: 8 }),
    fc.array(groupedProps, { maxLength: 2 }),
  )
  .map(([uid, n, fn, rest, groups]) => {
    const props = [...(uid ? [prop('uid', 'text', [uid])] : []), n, fn, ...rest, ...groups.flat()];
    return { kind: 'contact', uid: uid === undefined ? NO_UID : asUid(uid), card: { name: 'vcard', props, components: [] } };
  });

for (const version of VERSIONS) {
  test(`random contacts survive encode ${version} → decode`, () => {
    fc.assert(
      fc.property(contact, (item) => {
        const out = encodeVCard(item, version);
        assertWellFolded(out);
        const r = decodeVCards(out);
        assert.deepEqual(r.problems, []);
        assert.deepEqual(r.items, [heldBy(item, version)]);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
}

test('random photos decode to the same bytes in every version', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      const b64 = Buffer.from(bytes).toString('base64');
      const item: ContactItem = {
        kind: 'contact', uid: NO_UID, card: { name: 'vcard', props: [prop('photo', 'uri', [`data:image/jpeg;base64,${b64}`])], components: [] },
      };
      for (const v of VERSIONS) {
        const value = String(decodeVCards(encodeVCard(item, v)).items[0]?.card.props[0]?.values[0]);
        assert.deepEqual(Buffer.from(value.slice(value.indexOf(',') + 1), 'base64'), Buffer.from(bytes));
      }
    }),
    { numRuns: 100 },
  );
});
