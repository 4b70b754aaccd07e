import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameKey, namesSimilar, editDistance } from '../../src/normalize/names.js';

test('name keys ignore order, case, diacritics, punctuation and German transliteration', () => {
  const k = nameKey('Jörg Müller');
  assert.equal(k, 'jorg muller');
  for (const s of ['Müller Jörg', 'JÖRG MÜLLER', 'Müller, Jörg', '  Jörg   Müller ', 'Joerg Mueller', 'JOERG MUELLER']) {
    assert.equal(nameKey(s), k, s);
  }
  assert.equal(nameKey('Françoise Lefèvre-Dubois'), 'dubois francoise lefevre');
  assert.equal(nameKey('Straße'), 'strasse');
  assert.equal(nameKey('ＹＡＭＡＤＡ Taro'), 'taro yamada'); // full-width letters (NFKD)
  assert.equal(nameKey('山田 太郎'), nameKey('太郎 山田'));
  assert.equal(nameKey(''), '');
});

test('similar names: subsets, initials, small typos', () => {
  assert.ok(namesSimilar('Jörg Müller', 'Müller, Jörg'));
  assert.ok(namesSimilar('Jörg Müller', 'Dr. Jörg Müller'));
  assert.ok(namesSimilar('Müller', 'Jörg Müller'));
  assert.ok(namesSimilar('J. Müller', 'Jörg Müller'));
  assert.ok(namesSimilar('Jorg Muler', 'Jörg Müller'));
  assert.ok(namesSimilar('Claire Dubois', 'Claire Dubois-Martin'));
  assert.ok(namesSimilar('', 'Jörg Müller'));
});

test('different people are not similar', () => {
  assert.ok(!namesSimilar('Jörg Müller', 'Anna Schmidt'));
  assert.ok(!namesSimilar('Jörg Müller', 'Jörg Schmidt'));
  assert.ok(!namesSimilar('John Smith', 'Jane Doe'));
  assert.ok(!namesSimilar('', ''));
});

test('edit distance', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('abc', 'abc'), 0);
  assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3);
});
