import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeICalendar } from '../../src/codecs/icalendar/index.js';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { joinSplitUtf8Folds } from '../../src/codecs/content-line/utf8-folds.js';
import { asUid } from '../../src/core/types.js';

/** Folds the UTF-8 bytes of `line` right after byte `at` (which is inside a multi-byte character). */
function foldBytesAt(line: string, at: number): Buffer {
  const b = Buffer.from(line, 'utf8');
  return Buffer.concat([b.subarray(0, at), Buffer.from('\r\n '), b.subarray(at)]);
}

test('a fold inside a UTF-8 sequence is unfolded before decoding (iCalendar)', () => {
  const summary = 'SUMMARY:Grüße aus Köln';
  const split = Buffer.from('SUMMARY:Gr', 'utf8').length + 1; // after the first byte of ü
  const ics = Buffer.concat([
    Buffer.from('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:e1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\n'),
    foldBytesAt(summary, split),
    Buffer.from('\r\nDESCRIPTION:Köln\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'),
  ]);
  const r = decodeICalendar(ics);
  assert.deepEqual(r.problems, []);
  const master = r.items[0]!.master!;
  assert.equal(master.props.find((p) => p.name === 'summary')!.values[0], 'Grüße aus Köln');
  assert.equal(master.props.find((p) => p.name === 'description')!.values[0], 'Köln');
});

test('a fold inside a UTF-8 sequence does not turn the card into windows-1252 (vCard)', () => {
  const split = Buffer.from('NOTE:J', 'utf8').length + 1;
  const vcf = Buffer.concat([
    Buffer.from('BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c1\r\nFN:Jörg Müller\r\n'),
    foldBytesAt('NOTE:Jörg mag Käse', split),
    Buffer.from('\r\nEND:VCARD\r\n'),
  ]);
  const r = decodeVCards(vcf);
  assert.deepEqual(r.problems, []);
  const card = r.items[0]!.card;
  assert.equal(card.props.find((p) => p.name === 'fn')!.values[0], 'Jörg Müller');
  assert.equal(card.props.find((p) => p.name === 'note')!.values[0], 'Jörg mag Käse');
});

test('joinSplitUtf8Folds leaves folds between whole characters alone', () => {
  const whole = Buffer.from('A:ü\r\n x\r\nB:y\r\n');
  assert.equal(Buffer.from(joinSplitUtf8Folds(whole)).toString('utf8'), whole.toString('utf8'));
  const split = foldBytesAt('A:€uro', 3);
  assert.equal(Buffer.from(joinSplitUtf8Folds(split)).toString('utf8'), 'A:€uro');
});

test('vCard 2.1: TYPE values that read as an ENCODING are written as TYPE=…', async () => {
  const { encodeVCard } = await import('../../src/codecs/vcard/index.js');
  const item = { kind: 'contact' as const, uid: asUid('x'), card: { name: 'vcard', components: [], props: [
    { name: 'x-custom', params: { type: ['a', 'b', 'base64'] }, type: 'unknown', values: ['v'] },
  ] } };
  const back = decodeVCards(encodeVCard(item, '2.1')).items[0]!.card.props;
  assert.deepEqual(back, item.card.props);
});
