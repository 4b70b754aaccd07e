import { test } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import fc from 'fast-check';
import { decodeICalendar } from '../../src/codecs/icalendar/index.js';
import { fixture } from './icalendar-helpers.js';

const EVENT = (uid: string, extra: string[] = []) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTART:20240110T100000Z', ...extra, 'END:VEVENT'];
const CAL = (...lines: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines.flat(), 'END:VCALENDAR', ''].join('\r\n');

test('truncated file: complete events decode, the cut one is a problem at its BEGIN line', () => {
  const r = decodeICalendar(fixture('broken-truncated.ics'));
  assert.deepEqual(r.items.map((i) => i.uid), ['good-1@example.org', 'good-2@example.org']);
  assert.equal(r.problems.length, 1);
  const [p] = r.problems;
  assert.equal(p.line, 16);
  assert.match(p.message, /line 16: VEVENT .*END:VEVENT.*truncated/);
  assert.ok(p.raw.startsWith('BEGIN:VEVENT\r\nUID:cut-3@example.org'));
  assert.ok(p.raw.endsWith('SUMMARY:Abgeschnit'));
});

test('ical.js alone would misread DTSTART:2024-13-45T99 silently (why values are checked)', () => {
  const jcal = ICAL.parse('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2024-13-45T99\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n');
  assert.notEqual(jcal[2][0][1][0][3], '2024-13-45T99');
});

test('broken component between good ones: problems name the lines, neighbours decode', () => {
  const r = decodeICalendar(fixture('broken-component.ics'));
  assert.deepEqual(r.items.map((i) => i.uid), ['before@example.org', 'after@example.org']);
  assert.deepEqual(r.problems.map((p) => p.line), [10, 16]);
  assert.match(r.problems[0].message, /line 13: DTSTART value "2024-13-45T99" is not a valid date-time/);
  assert.ok(r.problems[0].raw.includes('DTSTART:2024-13-45T99'));
  assert.ok(r.problems[0].raw.startsWith('BEGIN:VEVENT') && r.problems[0].raw.endsWith('END:VEVENT'));
  assert.match(r.problems[1].message, /line 20: .*SUMMARY/);
});

test('binary garbage: one problem, no items, no throw', () => {
  const r = decodeICalendar(fixture('broken-garbage.ics'));
  assert.deepEqual(r.items, []);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 1);
  assert.match(r.problems[0].message, /binary/);
});

test('values ical.js would silently change are problems', () => {
  const cases: Array<[string, RegExp]> = [
    ['PRIORITY:high', /PRIORITY value "high" is not a valid integer/],
    ['GEO:north;east', /GEO value "north" is not a valid number/],
    ['DTSTART;VALUE=DATE:20240101T100000', /DTSTART value "20240101T100000" is not a valid date/],
    ['DTEND:20240101T1000', /DTEND value/],
    ['RRULE:FREQ=DAILY;UNTIL=soon', /RRULE recurrence rule has an invalid UNTIL "soon"/],
    ['EXDATE:20240101T100000Z,20241301T100000Z', /EXDATE value "20241301T100000Z"/],
    ['RDATE;VALUE=PERIOD:20240101T100000Z/later', /RDATE value .* period/],
    ['DURATION:1 hour', /DURATION value "1 hour" is not a valid duration/],
    ['RRULE:FREQ=SOMETIMES', /invalid frequency/],
    ['RRULE:FREQ=DAILY;COUNT=many', /integer/],
  ];
  for (const [line, why] of cases) {
    const r = decodeICalendar(CAL(EVENT('ok-1'), EVENT('bad', [line]), EVENT('ok-2')));
    assert.deepEqual(r.items.map((i) => i.uid), ['ok-1', 'ok-2'], line);
    assert.equal(r.problems.length, 1, line);
    assert.equal(r.problems[0].line, 7, line);
    assert.match(r.problems[0].message, why);
    assert.match(r.problems[0].message, /line 10:/, line);
  }
});

test('a VALARM closed by END:VEVENT breaks only its event', () => {
  const text = CAL(EVENT('a'), ['BEGIN:VEVENT', 'UID:b', 'BEGIN:VALARM', 'TRIGGER:-PT5M', 'END:VEVENT'], EVENT('c'));
  const r = decodeICalendar(text);
  assert.deepEqual(r.items.map((i) => i.uid), ['a', 'c']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 7);
  assert.match(r.problems[0].message, /END:VEVENT at line 11 while VALARM is open/);
});

test('an event whose END line is lost does not swallow the next event', () => {
  const text = CAL(['BEGIN:VEVENT', 'UID:lost-end', 'SUMMARY:x'], EVENT('next'));
  const r = decodeICalendar(text);
  assert.deepEqual(r.items.map((i) => i.uid), ['next']);
  assert.equal(r.problems[0].line, 3);
  assert.match(r.problems[0].message, /BEGIN:VEVENT at line 6 before END:VEVENT/);
});

test('missing END:VCALENDAR: the components decode and the calendar is reported', () => {
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', ...EVENT('a'), ''].join('\n');
  const r = decodeICalendar(text);
  assert.deepEqual(r.items.map((i) => i.uid), ['a']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 1);
  assert.match(r.problems[0].message, /END:VCALENDAR/);
});

test('a bad calendar-level line is a problem at its line; the items still decode', () => {
  const r = decodeICalendar(CAL(['X-WR-CALNAME:ok', 'JUNK LINE'], EVENT('a')));
  assert.deepEqual(r.items.map((i) => i.uid), ['a']);
  assert.deepEqual(r.calendarProps.map((p) => p.name), ['x-wr-calname']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 4);
  assert.equal(r.problems[0].raw, 'JUNK LINE');
});

test('text outside VCALENDAR is reported; the calendar still decodes', () => {
  const r = decodeICalendar('From: someone\r\nSubject: invite\r\n' + CAL(EVENT('a')));
  assert.deepEqual(r.items.map((i) => i.uid), ['a']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 1);
  assert.equal(r.problems[0].raw, 'From: someone\r\nSubject: invite');
});

test('BOM, LF-only, CR-only, tab-folded and lower-case BEGIN/END input decode alike', () => {
  const crlf = CAL(EVENT('a', ['SUMMARY:Grüße']));
  const expected = decodeICalendar(crlf).items;
  assert.equal(expected.length, 1);
  const variants = [
    '\uFEFF' + crlf,
    new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(crlf)]),
    crlf.replace(/\r\n/g, '\n'),
    crlf.replace(/\r\n/g, '\r'),
    crlf.replace('SUMMARY:Grüße', 'SUMMARY:Gr\r\n\tüße'),
    crlf.replace(/BEGIN:VEVENT/, 'begin:vevent').replace(/END:VEVENT/, 'End:VEvent'),
  ];
  for (const v of variants) {
    const r = decodeICalendar(v);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.items, expected);
  }
});

test('empty input is a problem, not an exception', () => {
  for (const input of ['', new Uint8Array(0), '\r\n\r\n']) {
    const r = decodeICalendar(input);
    assert.deepEqual(r.items, []);
    assert.equal(r.problems.length, 1);
  }
});

test('property: no input makes the decoder throw', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
    decodeICalendar(bytes);
  }), { numRuns: 300 });
  const lines = fc.constantFrom('BEGIN:VCALENDAR', 'END:VCALENDAR', 'BEGIN:VEVENT', 'END:VEVENT', 'BEGIN:VALARM', 'END:VALARM',
    'BEGIN:VTIMEZONE', 'END:VTIMEZONE', 'UID:x', 'DTSTART:2024', 'TZID:Z', 'DTSTART;TZID=Z:20240101T000000', ' folded', 'SUMMARY', ':', ';', '"');
  fc.assert(fc.property(fc.array(lines, { maxLength: 40 }), (ls) => {
    const r = decodeICalendar(ls.join('\r\n'));
    for (const p of r.problems) assert.ok(p.line >= 1 && p.line <= Math.max(1, ls.length));
  }), { numRuns: 500 });
});
