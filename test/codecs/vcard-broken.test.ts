import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { fixture, one } from './vcard-helpers.js';

const fnOf = (items: ReturnType<typeof decodeVCards>['items']): unknown[] => items.map((i) => one(i, 'fn').values[0]);

test('a card missing END:VCARD is a problem at its BEGIN line and does not swallow the next card', () => {
  const r = decodeVCards(fixture('broken-truncated.vcf'));
  assert.deepEqual(fnOf(r.items), ['Card1 Good', 'Card2 Good', 'Card3 Good']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 7);
  assert.match(r.problems[0].message, /no END:VCARD/);
  assert.match(r.problems[0].message, /line 12/);
  assert.match(r.problems[0].raw, /^BEGIN:VCARD\r\nVERSION:3\.0\r\nN:Truncated;Tom;;;/);
  assert.ok(!r.problems[0].raw.includes('Card2'));
});

test('a truncated last card is a problem', () => {
  const r = decodeVCards('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:B\r\n');
  assert.deepEqual(fnOf(r.items), ['A']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 5);
  assert.match(r.problems[0].message, /no END:VCARD \(the file ends at line 7\)/);
});

test('a card with a line that cannot be parsed is a problem naming that line; the others decode', () => {
  const r = decodeVCards(fixture('broken-bad-line.vcf'));
  assert.deepEqual(fnOf(r.items), ['Card1 Good', 'Card2 Good']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 7);
  assert.match(r.problems[0].message, /line 11: unterminated quoted parameter value/);
  assert.match(r.problems[0].raw, /FN:Bea Broken/);
});

test('other unparsable lines: no colon, empty parameter name, bad VERSION', () => {
  const card = (line: string, version = '3.0'): string => `BEGIN:VCARD\r\nVERSION:${version}\r\n${line}\r\nEND:VCARD\r\n`;
  const cases: Array<[string, string, RegExp]> = [
    [card('this line has no separator'), '3.0', /line 3: invalid line/],
    [card('TEL;=x:1'), '3.0', /line 3: empty parameter name/],
    [card('TEL;A"b:1'), '3.0', /line 3: invalid parameters/],
    [card('FN:x', '5.0'), '5.0', /unsupported VERSION "5\.0"/],
  ];
  for (const [text, , re] of cases) {
    const r = decodeVCards(text);
    assert.equal(r.items.length, 0, text);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].line, 1);
    assert.match(r.problems[0].message, re);
  }
});

test('a card that is not UTF-8 and names no CHARSET is read as windows-1252', () => {
  const r = decodeVCards(fixture('broken-charset.vcf'));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(fnOf(r.items), ['Card1 Good', 'Jürgen Müller']);
  assert.deepEqual(one(r.items[1], 'note').values, ['Straße 5 – Grüße']);
  assert.ok(!JSON.stringify(r.items).includes('\uFFFD'));
});

test('binary garbage is a problem, never a throw', () => {
  const r = decodeVCards(fixture('broken-garbage.vcf'));
  assert.equal(r.items.length, 0);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 1);
  assert.match(r.problems[0].message, /not a vCard file/);
});

test('text between cards is reported, cards around it still decode; empty input is empty', () => {
  const r = decodeVCards('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nEND:VCARD\r\nhello\r\nworld\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:B\r\nEND:VCARD\r\n');
  assert.deepEqual(fnOf(r.items), ['A', 'B']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 5);
  assert.match(r.problems[0].message, /outside BEGIN:VCARD/);
  assert.deepEqual(decodeVCards(''), { items: [], problems: [] });
  assert.deepEqual(decodeVCards(new Uint8Array([0xef, 0xbb, 0xbf, 13, 10])), { items: [], problems: [] });
});

test('random bytes and random text never throw', () => {
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let n = 0; n < 200; n++) {
    const junk = Buffer.from(Array.from({ length: 200 }, rnd));
    const wrapped = Buffer.concat([Buffer.from('BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:'), junk, Buffer.from('\r\nEND:VCARD\r\n')]);
    for (const input of [junk, wrapped]) {
      const r = decodeVCards(input);
      assert.ok(Array.isArray(r.items) && Array.isArray(r.problems));
    }
  }
});
