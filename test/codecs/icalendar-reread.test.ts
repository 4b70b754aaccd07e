import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeICalendar, encodeCalendarItem } from '../../src/codecs/icalendar/index.js';

/**
 * Values the fuzz suite found accepted on the first read but refused when pimhub read back
 * what it had written (docs/reliability.md): ical.js kept part of them and dropped the rest.
 * Each is now refused on the first read — the component is a problem with its raw text kept,
 * nothing half-kept — while the valid neighbours of each still read and read back.
 */
const CAL = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//pimhub//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const EVENT = (...extra: string[]) => ['BEGIN:VEVENT', 'UID:reread@example.org', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240312T073000Z', ...extra, 'END:VEVENT'];
const ZONE = (rrule: string) => [
  'BEGIN:VTIMEZONE', 'TZID:Europe/Berlin',
  'BEGIN:STANDARD', 'DTSTART:19701025T030000', rrule, 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD',
  'END:VTIMEZONE',
];

function readsBack(text: string): void {
  const r = decodeICalendar(text);
  assert.deepEqual(r.problems.map((p) => p.message), []);
  assert.equal(r.items.length, 1);
  const back = decodeICalendar(encodeCalendarItem(r.items[0]!));
  assert.deepEqual(back.problems.map((p) => p.message), [], 'what pimhub writes reads back');
}

function refusedAt(text: string, line: number, message: RegExp, items = 0): void {
  const r = decodeICalendar(text);
  assert.equal(r.items.length, items, 'not half-kept');
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]!.message, new RegExp(`: line ${line}: `));
  assert.match(r.problems[0]!.message, message);
  assert.ok(r.problems[0]!.raw.includes('BEGIN:VEVENT') || r.problems[0]!.raw.includes('BEGIN:VTIMEZONE'), 'the raw text is kept');
}

test('a recurrence rule with a lost ";" (BYMONTH=109BYDAY=-1SU) is refused on the first read, not cut to BYMONTH=109', () => {
  // The time zone is the problem; the event that uses it still reads (as with any broken VTIMEZONE).
  refusedAt(CAL(...ZONE('RRULE:FREQ=YEARLY;BYMONTH=109BYDAY=-1SU'), ...EVENT()), 8, /VTIMEZONE .*RRULE .*BYMONTH "109BYDAY=-1SU"/, 1);
  readsBack(CAL(...ZONE('RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU'), ...EVENT()));
});

test('every part of a recurrence rule is checked; valid rules (a trailing ";" too) still read back', () => {
  for (const bad of ['FREQ=DAILY;COUNT=x', 'FREQ=WEEKLY;BYDAY=MO,XX', 'FREQ=MONTHLY;BYMONTHDAY=32', 'FREQ=YEARLY;BYWEEKNO=54', 'FREQ=DAILY;BYHOUR=24', 'FREQ=WEEKLY;WKST=XY', 'FREQ=DAILY;INTERVAL=0']) {
    // Some ical.js refuses itself (COUNT=x, BYDAY=XX); the others it would have misread. Each message names the bad part.
    const part = bad.split(';').at(-1)!.split('=').at(-1)!.split(',').at(-1)!;
    refusedAt(CAL(...EVENT(`RRULE:${bad}`)), 8, new RegExp(part));
  }
  for (const good of ['FREQ=WEEKLY;BYDAY=MO,WE,FR;', 'FREQ=MONTHLY;BYDAY=-1FR;COUNT=3', 'FREQ=MONTHLY;BYDAY=1MO,+2TU,-1SU;BYSETPOS=-1', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1;UNTIL=20300101T000000Z', 'FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0,30;BYSECOND=0']) {
    readsBack(CAL(...EVENT(`RRULE:${good}`)));
  }
});

test('a typed list in a property that holds one value (X-, unknown, DTSTART) is refused, not cut to its first value', () => {
  // The fuzz input: `RDATE` with a control character in its name, so ical.js no longer knew it held a list.
  refusedAt(CAL(...EVENT('RD\u0001ATE;VALUE=PERIOD:20240312T073000Z/PT1H30M,20240319T073000Z/20240319T090000Z')), 8, /several values/);
  refusedAt(CAL(...EVENT('X-FOO;VALUE=DATE:20240312,20240319')), 8, /X-FOO holds several values/);
  refusedAt(CAL(...EVENT('X-COUNT;VALUE=INTEGER:1,2')), 8, /several values/);
  refusedAt(CAL(...EVENT('DUE:20240312T073000Z,20240319T073000Z')), 8, /DUE holds several values/);
  // Lists where the property holds them, and single typed X- values, are fine.
  readsBack(CAL(...EVENT('RDATE;VALUE=PERIOD:20240312T073000Z/PT1H30M,20240319T073000Z/20240319T090000Z', 'EXDATE:20240313T073000Z,20240314T073000Z', 'X-FOO;VALUE=DATE:20240312', 'CATEGORIES:a,b')));
});
