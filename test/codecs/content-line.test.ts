/** The one content-line layer both codecs use (src/codecs/content-line/). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { caretDecode, caretEncode, lexContentLine, quoteParamValue } from '../../src/codecs/content-line/params.js';
import { splitEscaped, unescapeText, escapeText } from '../../src/codecs/content-line/escape.js';
import { foldLine } from '../../src/codecs/content-line/fold.js';
import { splitPhysical, unfold } from '../../src/codecs/content-line/unfold.js';
import { vcardContinuations } from '../../src/codecs/vcard/v21-lines.js';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { decodeICalendar } from '../../src/codecs/icalendar/index.js';

test('lexer: group and name, quoted lists, bare 2.1 parameters, the value after the first unquoted colon', () => {
  const r = lexContentLine('item1.TEL;TYPE="cell,voice",home;PREF;X-N="a:b";X-E=:tel:+49 1');
  assert.ok(r.ok);
  assert.equal(r.line.name, 'item1.TEL');
  assert.deepEqual(r.line.params, [
    { name: 'TYPE', bare: false, values: ['cell,voice', 'home'], quoted: true },
    { name: 'PREF', bare: true, values: [], quoted: false },
    { name: 'X-N', bare: false, values: ['a:b'], quoted: true },
    { name: 'X-E', bare: false, values: [''], quoted: false },
  ]);
  assert.equal(r.line.value, 'tel:+49 1');
});

test('lexer: what is wrong with a parameter list is named', () => {
  assert.deepEqual(lexContentLine('X;=a:v'), { ok: false, error: 'empty-name' });
  assert.deepEqual(lexContentLine('X;;A=b:v'), { ok: false, error: 'empty-bare' });
  assert.deepEqual(lexContentLine('X;A="open:v'), { ok: false, error: 'unterminated-quote' });
  assert.deepEqual(lexContentLine('X;A="q"z:v'), { ok: false, error: 'invalid-parameters' });
  assert.deepEqual(lexContentLine('X;A=b'), { ok: false, error: 'invalid-parameters' });
});

test('a stray double quote inside an unquoted parameter value is kept, in vCard and iCalendar alike', () => {
  const card = decodeVCards('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nEMAIL;X-CN=O"Brien:o@example.ie\r\nEND:VCARD\r\n');
  assert.deepEqual(card.problems, []);
  assert.equal(card.items[0]!.card.props.find((p) => p.name === 'email')!.params['x-cn'], 'O"Brien');
  const cal = decodeICalendar('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTAMP:20240101T000000Z\r\n'
    + 'ATTENDEE;CN=O"Brien:mailto:o@example.ie\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n');
  assert.deepEqual(cal.problems, []);
  assert.equal(cal.items[0]!.master!.props.find((p) => p.name === 'attendee')!.params.cn, 'O"Brien');
});

test('RFC 6868 caret escapes round-trip any parameter text, and quoting follows the separators', () => {
  fc.assert(fc.property(fc.string(), (s) => caretDecode(caretEncode(s)) === s.replace(/\r\n|\r/g, '\n')));
  assert.equal(caretEncode('say "hi"\nbye ^'), "say ^'hi^'^nbye ^^");
  assert.equal(quoteParamValue('a,b'), '"a,b"');
  assert.equal(quoteParamValue('plain'), 'plain');
  assert.equal(quoteParamValue('plain', true), '"plain"');
});

test('text values: escaped separators do not split, `\\:` is a colon only where asked', () => {
  assert.deepEqual(splitEscaped('a\\,b,c\\\\,d', ','), ['a\\,b', 'c\\\\', 'd']);
  assert.equal(unescapeText('a\\nb\\,c\\:d'), 'a\nb,c\\:d');
  assert.equal(unescapeText('a\\nb\\,c\\:d', { colon: true }), 'a\nb,c:d');
  fc.assert(fc.property(fc.string(), (s) => unescapeText(escapeText(s)) === s.replace(/\r\n|\r/g, '\n')));
});

test('folding then unfolding gives the line back, every physical line within 75 octets', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (s) => {
    const line = `X:${s.replace(/[\r\n]/g, '')}`;
    const physical = foldLine(line);
    for (const p of physical) assert.ok(Buffer.byteLength(p) <= 75);
    const back = unfold(splitPhysical(physical.join('\r\n')));
    assert.equal(back.length, 1);
    assert.equal(back[0]!.text, line);
    assert.equal(back[0]!.endLine, physical.length);
  }));
});

test('vCard 2.1 continuations: soft breaks keep the next line whole, base64 runs to the blank line', () => {
  const lines = splitPhysical('NOTE;ENCODING=QUOTED-PRINTABLE:a=\r\n b=\r\nc\r\nPHOTO;ENCODING=BASE64:AAAA\r\nBBBB\r\n\r\nFN:x');
  assert.deepEqual(unfold(lines, vcardContinuations(true)).map((l) => [l.text, l.line, l.endLine]), [
    ['NOTE;ENCODING=QUOTED-PRINTABLE:a bc', 1, 3],
    ['PHOTO;ENCODING=BASE64:AAAABBBB', 4, 5],
    ['FN:x', 7, 7],
  ]);
  assert.deepEqual(unfold(lines, vcardContinuations(false)).map((l) => l.text)[1], 'PHOTO;ENCODING=BASE64:AAAA', 'no base64 blocks outside 2.1');
});
