import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeICalendar, encodeCalendarItem, encodeICalendar } from '../../src/codecs/icalendar/index.js';
import { foldLine as foldToLines } from '../../src/codecs/content-line/fold.js';

const foldLine = (line: string): string => foldToLines(line).join('\r\n');
import type { CalendarItem } from '../../src/model/item.js';
import { fixture, physicalLines, propOf } from './icalendar-helpers.js';
import { asUid } from '../../src/core/types.js';

/** Every physical line ≤ 75 octets and valid UTF-8 on its own (no split sequence). */
function assertFolded(text: string): void {
  for (const line of physicalLines(text)) {
    const bytes = Buffer.from(line, 'utf8');
    assert.ok(bytes.length <= 75, `line of ${bytes.length} octets: ${line}`);
    // a split sequence would decode to U+FFFD when the line is decoded alone
    assert.doesNotThrow(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    assert.ok(!line.includes('\uFFFD'));
    assert.ok(!/[\uD800-\uDBFF]$|^ ?[\uDC00-\uDFFF]/.test(line), 'split surrogate pair');
  }
}

test('foldLine: ASCII folds at exactly 75 octets, continuation lines start with one space', () => {
  const line = 'X-LONG:' + 'a'.repeat(200);
  const parts = foldLine(line).split('\r\n');
  assert.equal(Buffer.byteLength(parts[0]), 75);
  assert.ok(parts.slice(1, -1).every((p) => Buffer.byteLength(p) === 75 && p.startsWith(' ')));
  assert.equal(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join(''), line);
  assert.equal(foldLine('SHORT:x'), 'SHORT:x');
  assert.equal(foldLine('X:' + 'b'.repeat(73)), 'X:' + 'b'.repeat(73));
});

test('foldLine: never splits multi-byte characters or emoji, and unfolds to the input', () => {
  for (const unit of ['ä', '€', '😀', '👩‍👩‍👧', 'a€😀ä']) {
    for (let prefix = 0; prefix < 5; prefix++) {
      const line = 'SUMMARY:' + 'x'.repeat(prefix) + unit.repeat(60);
      const folded = foldLine(line) + '\r\n';
      assertFolded(folded);
      assert.equal(folded.slice(0, -2).replace(/\r\n /g, ''), line);
    }
  }
});

test('ical.js-independent: encoded fixtures keep every line within 75 octets and unfold to the same text', () => {
  const r = decodeICalendar(fixture('personal.ics'));
  const text = encodeICalendar(r.items, { calendarProps: r.calendarProps });
  assertFolded(text);
  const yoga = r.items.find((i) => i.uid === 'floating-yoga-7781@example.org')!;
  const desc = propOf(yoga.master, 'description').values[0] as string;
  assert.ok(Buffer.byteLength(desc) > 150, 'the fixture description must need folding');
  const unfolded = encodeCalendarItem(yoga).replace(/\r\n[ \t]/g, '');
  assert.ok(unfolded.includes('\r\nDESCRIPTION:' + desc.replace(/,/g, '\\,') + '\r\n'));
  // the input file folded the same text the same way: byte-identical description lines
  const source = fixture('personal.ics').toString('utf8');
  const start = source.indexOf('DESCRIPTION:Jährliches');
  const block = source.slice(start, source.indexOf('\r\nRDATE', start));
  assert.ok(encodeCalendarItem(yoga).includes(block));
});

test('a property long in every way folds and reads back equal', () => {
  const summary = '☃ Ünïcödé, ; \\ ' + '🎉'.repeat(30) + ' ' + 'ß'.repeat(50);
  const item: CalendarItem = {
    kind: 'calendar', uid: asUid('fold-1'), compType: 'vevent', overrides: [], timezones: [],
    master: {
      name: 'vevent', components: [],
      props: [
        { name: 'uid', params: {}, type: 'text', values: ['fold-1'] },
        { name: 'summary', params: { language: 'de' }, type: 'text', values: [summary] },
        { name: 'attendee', params: { cn: 'Jörg-Ülrich Müller-Lüdenscheidt, Präsident des Großvereins; Abteilung: Ümläute' }, type: 'cal-address', values: ['mailto:j@example.org'] },
      ],
    },
  };
  const text = encodeCalendarItem(item);
  assertFolded(text);
  assert.deepEqual(decodeICalendar(text).items, [item]);
});

test('why the codec folds itself: ical.js lets continuation lines reach 76 octets', async () => {
  const { default: ICAL } = await import('ical.js');
  const theirs = ICAL.helpers.foldline('X-LONG:' + 'a'.repeat(200)).split('\r\n');
  assert.ok(theirs.some((l) => Buffer.byteLength(l) > 75));
  const ours = foldLine('X-LONG:' + 'a'.repeat(200)).split('\r\n');
  assert.ok(ours.every((l) => Buffer.byteLength(l) <= 75));
  // and text folded the ical.js way still reads back
  const r = decodeICalendar(`BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u\r\n${theirs.join('\r\n')}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`);
  assert.deepEqual(propOf(r.items[0].master, 'x-long').values, ['a'.repeat(200)]);
});
