import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { boundedMemo, clearMemos } from '../../src/normalize/memo.js';
import { normalizePhone, phoneKey } from '../../src/normalize/phone.js';
import { emailKey, normalizeEmail } from '../../src/normalize/email.js';
import { adrPartKey, plainAdrPartKey, plainTextKey, plainUriKey, textKey, valueKey } from '../../src/normalize/keys.js';
import { prop } from '../../src/model/property.js';

/** Text like the values the keyers see: letters with case and accents, spaces, separators. */
const raw = fc.array(fc.constantFrom('a', 'B', 'ß', 'Ø', 'é', ' ', '  ', '\t', '.', ',', '-', '+', '(', ')', '0', '4', '9', '1', '@', ':', 'mailto:', 'tel:', 'ext. 7', 'ﬁ'), { maxLength: 16 }).map((xs) => xs.join(''));
const phoneLike = fc.tuple(fc.constantFrom('', '+49 ', '0049 ', '0', '+1 ', 'tel:', '(0)'), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 0, maxLength: 12 }), fc.constantFrom('', ' ', '-', '/'), fc.constantFrom('', ' ext. 12', ';ext=3', ' x9'))
  .map(([lead, digits, sep, ext]) => `${lead}${digits.join('').replace(/(\d{3})/g, `$1${sep}`)}${ext}`);

test('memo: a bounded memo answers as its function does, also once full and started over', () => {
  let calls = 0;
  const plain = (s: string) => { calls += 1; return `${s.length}:${s.toUpperCase()}`; };
  const memo = boundedMemo(plain, 5);
  fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'ä', ''), { minLength: 1, maxLength: 60 }), (xs) => {
    for (const x of xs) assert.equal(memo(x), plain(x));
  }), { numRuns: 300 });
  // It does remember: a repeated text within the bound is not computed again.
  const counted = boundedMemo(plain, 5);
  calls = 0;
  counted('x');
  counted('x');
  assert.equal(calls, 1);
});

test('memo: the memoised keyers (and their plain-ASCII shortcuts) give what their plain forms give, cold and warm', () => {
  for (const round of ['cold', 'warm', 'after clearing']) {
    if (round === 'after clearing') clearMemos();
    fc.assert(fc.property(fc.oneof(raw, fc.string({ maxLength: 24 }), fc.emailAddress()), (s) => {
      assert.equal(textKey(s), plainTextKey(s), `textKey ${round}`);
      assert.equal(adrPartKey(s), plainAdrPartKey(s), `adrPartKey ${round}`);
      assert.equal(normalizeEmail(s), emailKey(s), `normalizeEmail ${round}`);
      assert.equal(valueKey('uri', prop('url', 'uri', [s])), plainUriKey(s), `uri ${round}`);
    }), { numRuns: 400, seed: 10 });
    fc.assert(fc.property(phoneLike, fc.constantFrom(undefined, 'DE', 'US', 'de'), (s, region) => {
      assert.equal(normalizePhone(s, region), phoneKey(s, region), `phone ${round}`);
    }), { numRuns: 300, seed: 11 });
  }
});

test('memo: the phone memo is per region (the same text keys differently in another region)', () => {
  assert.equal(normalizePhone('030 1234567', 'DE'), '+49301234567');
  assert.equal(normalizePhone('030 1234567', 'FR'), phoneKey('030 1234567', 'FR'));
  assert.notEqual(normalizePhone('030 1234567', 'FR'), '+49301234567');
  assert.equal(normalizePhone('030 1234567'), '0301234567');
});
