import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeICalendar, encodeCalendarItem, encodeICalendar, ICALENDAR_CAPABILITIES } from '../../src/codecs/icalendar/index.js';
import { GOOD_FIXTURES, byUid, fixture, propOf, vdirFiles } from './icalendar-helpers.js';

for (const name of [...GOOD_FIXTURES, ...vdirFiles()]) {
  test(`${name}: decodes without problems`, () => {
    const r = decodeICalendar(fixture(name));
    assert.deepEqual(r.problems, []);
    assert.ok(r.items.length > 0);
  });

  test(`${name}: each item round-trips through encodeCalendarItem`, () => {
    const { items } = decodeICalendar(fixture(name));
    for (const item of items) {
      const again = decodeICalendar(encodeCalendarItem(item));
      assert.deepEqual(again.problems, []);
      assert.deepEqual(again.items, [item], `item ${item.uid}`);
    }
  });

  test(`${name}: all items and calendar props round-trip through encodeICalendar`, () => {
    const first = decodeICalendar(fixture(name));
    const text = encodeICalendar(first.items, { calendarProps: first.calendarProps });
    const again = decodeICalendar(text);
    assert.deepEqual(again.problems, []);
    assert.deepEqual(again.items, first.items);
    assert.deepEqual(again.calendarProps, first.calendarProps);
    // and the text is stable from then on
    assert.equal(encodeICalendar(again.items, { calendarProps: again.calendarProps }), text);
  });
}

test('dates: DATE, DATE-TIME with TZID, UTC and floating keep their form', () => {
  const { items } = decodeICalendar(fixture('personal.ics'));
  const series = byUid(items, 'weekly-standup-5f1c@example.org').master;
  assert.deepEqual(propOf(series, 'dtstart'), { name: 'dtstart', params: { tzid: 'Europe/Berlin' }, type: 'date-time', values: ['2024-01-08T10:00:00'] });
  const allDay = byUid(items, '20240315-geburtstag-oma@example.org').master;
  assert.deepEqual(propOf(allDay, 'dtstart'), { name: 'dtstart', params: {}, type: 'date', values: ['2024-03-15'] });
  const utc = byUid(items, '1a2b3c4d5e6f7g8h9i0j@google.com').master;
  assert.deepEqual(propOf(utc, 'dtstart').values, ['2024-02-20T15:00:00Z']);
  const floating = byUid(items, 'floating-yoga-7781@example.org').master;
  assert.deepEqual(propOf(floating, 'dtstart'), { name: 'dtstart', params: {}, type: 'date-time', values: ['2024-03-05T07:30:00'] });

  const text = encodeCalendarItem(byUid(items, '20240315-geburtstag-oma@example.org'));
  assert.match(text, /\r\nDTSTART;VALUE=DATE:20240315\r\n/);
  assert.match(encodeCalendarItem(byUid(items, 'floating-yoga-7781@example.org')), /\r\nDTSTART:20240305T073000\r\n/);
});

test('recurrence: RRULE, EXDATE with two values, RDATE periods, DURATION', () => {
  const { items } = decodeICalendar(fixture('personal.ics'));
  const master = byUid(items, 'weekly-standup-5f1c@example.org').master;
  assert.deepEqual(propOf(master, 'rrule').values, [{ freq: 'WEEKLY', until: '2024-06-24T07:59:59Z', byday: 'MO' }]);
  assert.deepEqual(propOf(master, 'exdate'), {
    name: 'exdate', params: { tzid: 'Europe/Berlin' }, type: 'date-time', values: ['2024-02-12T10:00:00', '2024-02-19T10:00:00'],
  });
  const yoga = byUid(items, 'floating-yoga-7781@example.org');
  assert.deepEqual(propOf(yoga.master, 'rdate').values, [
    { start: '2024-03-12T07:30:00Z', duration: 'PT1H30M' },
    { start: '2024-03-19T07:30:00Z', end: '2024-03-19T09:00:00Z' },
  ]);
  assert.deepEqual(propOf(yoga.master, 'duration').values, ['PT1H']);
  const text = encodeCalendarItem(yoga).replace(/\r\n /g, '');
  assert.match(text, /\r\nRDATE;VALUE=PERIOD:20240312T073000Z\/PT1H30M,20240319T073000Z\/20240319T090000Z\r\n/);
  assert.match(encodeCalendarItem(byUid(items, 'weekly-standup-5f1c@example.org')), /\r\nEXDATE;TZID=Europe\/Berlin:20240212T100000,20240219T100000\r\n/);
});

test('alarms: relative and absolute TRIGGER, X-WR-ALARMUID kept', () => {
  const { items } = decodeICalendar(fixture('personal.ics'));
  const [alarm] = byUid(items, 'weekly-standup-5f1c@example.org').master!.components;
  assert.equal(alarm.name, 'valarm');
  assert.deepEqual(propOf(alarm, 'trigger'), { name: 'trigger', params: {}, type: 'duration', values: ['-PT10M'] });
  assert.deepEqual(propOf(alarm, 'x-wr-alarmuid').values, ['8D1A6F4E-0F9B-4C6A-9C1F-2D9E2A0B7C11']);
  const [abs] = byUid(items, '20240315-geburtstag-oma@example.org').master!.components;
  assert.deepEqual(propOf(abs, 'trigger'), { name: 'trigger', params: {}, type: 'date-time', values: ['2024-03-14T18:00:00Z'] });
  const { items: tasks } = decodeICalendar(fixture('tasks.ics'));
  const [rel] = byUid(tasks, 'muell-rausbringen-0004@example.org').master!.components;
  assert.deepEqual(propOf(rel, 'trigger').params, { related: 'END' });
});

test('attendees: quoted CN with comma, colon and semicolon, non-ASCII; params kept', () => {
  const { items } = decodeICalendar(fixture('personal.ics'));
  const item = byUid(items, 'weekly-standup-5f1c@example.org');
  const attendees = item.master!.props.filter((p) => p.name === 'attendee');
  assert.equal(attendees[0].params.cn, 'Müller, Jörg');
  assert.equal(attendees[0].params.partstat, 'ACCEPTED');
  assert.equal(attendees[1].params.cn, 'Dr. Lee: Ops; Infra');
  assert.equal(attendees[1].params['x-num-guests'], '0');
  assert.deepEqual(attendees[1].values, ['mailto:lee@example.org']);
  const text = encodeCalendarItem(item).replace(/\r\n /g, '');
  assert.ok(text.includes('CN="Müller, Jörg"'));
  assert.ok(text.includes('CN="Dr. Lee: Ops; Infra"'));
});

test('escaped text (\\, \\; \\n \\\\) decodes to plain text and is escaped again', () => {
  const { items } = decodeICalendar(fixture('personal.ics'));
  const item = byUid(items, 'weekly-standup-5f1c@example.org');
  assert.deepEqual(propOf(item.master, 'description').values, ['Agenda:\n1. Rückblick; Blocker\n2. Planung, Prioritäten\nPfad: C:\\Daten\\standup']);
  assert.deepEqual(propOf(item.master, 'location').values, ['Raum 3.14, Gebäude B']);
  const text = encodeCalendarItem(item).replace(/\r\n /g, '');
  assert.ok(text.includes('DESCRIPTION:Agenda:\\n1. Rückblick\\; Blocker\\n2. Planung\\, Prioritäten\\nPfad: C:\\\\Daten\\\\standup\r\n'));
});

test('GEO, REQUEST-STATUS, RELATED-TO, CATEGORIES and X- properties', () => {
  const { items } = decodeICalendar(fixture('personal.ics'));
  const g = byUid(items, '1a2b3c4d5e6f7g8h9i0j@google.com');
  assert.deepEqual(propOf(g.master, 'geo').values, [['48.137154', '11.576124']]);
  assert.deepEqual(propOf(g.master, 'request-status').values, [['2.0', 'Success']]);
  assert.deepEqual(propOf(g.master, 'related-to'), { name: 'related-to', params: { reltype: 'SIBLING' }, type: 'text', values: ['weekly-standup-5f1c@example.org'] });
  const apple = propOf(g.master, 'x-apple-structured-location');
  assert.deepEqual(apple.params, { 'x-apple-radius': '70.58', 'x-title': 'Marienplatz 1, München' });
  assert.deepEqual(apple.values, ['geo:48.137154,11.576124']);
  const text = encodeCalendarItem(g).replace(/\r\n /g, '');
  assert.ok(text.includes('\r\nGEO:48.137154;11.576124\r\n'));
  assert.ok(text.includes('\r\nREQUEST-STATUS:2.0;Success\r\n'));
  assert.ok(text.includes('\r\nX-GOOGLE-CONFERENCE:https://meet.example.com/abc-defg-hij\r\n'));
  const s = byUid(items, 'weekly-standup-5f1c@example.org');
  assert.deepEqual(propOf(s.master, 'categories').values, ['Arbeit', 'Besprechung']);
  assert.deepEqual(propOf(s.master, 'x-moz-lastack'), { name: 'x-moz-lastack', params: {}, type: 'unknown', values: ['20240108T085000Z'] });
});

test('calendar-level props other than VERSION/PRODID are returned and written', () => {
  const r = decodeICalendar(fixture('personal.ics'));
  assert.deepEqual(r.calendarProps.map((p) => p.name), ['calscale', 'method', 'x-wr-calname', 'x-wr-timezone', 'x-apple-calendar-color']);
  assert.deepEqual(r.calendarProps[2].values, ['Persönlich']);
  const text = encodeICalendar(r.items, { calendarProps: r.calendarProps, prodId: '-//test//x//EN' });
  assert.ok(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//x//EN\r\nCALSCALE:GREGORIAN\r\n'));
  assert.ok(text.endsWith('END:VCALENDAR\r\n'));
  assert.equal((text.match(/^VERSION:/gm) ?? []).length, 1);
  assert.ok(encodeCalendarItem(r.items[0]).includes('\r\nPRODID:-//pimhub//pimhub//EN\r\n'));
});

test('tasks: DUE with TZID, STATUS/COMPLETED/PERCENT-COMPLETE/PRIORITY, RELATED-TO parent', () => {
  const { items } = decodeICalendar(fixture('tasks.ics'));
  assert.ok(items.every((i) => i.compType === 'vtodo'));
  const parent = byUid(items, 'umzug-parent-0001@example.org');
  assert.deepEqual(propOf(parent.master, 'due'), { name: 'due', params: { tzid: 'Europe/Berlin' }, type: 'date-time', values: ['2024-03-31T18:00:00'] });
  assert.deepEqual(propOf(parent.master, 'priority').values, [1]);
  const done = byUid(items, 'umzug-kartons-0002@example.org');
  assert.deepEqual(propOf(done.master, 'completed').values, ['2024-01-04T16:15:00Z']);
  assert.deepEqual(propOf(done.master, 'percent-complete').values, [100]);
  assert.deepEqual(propOf(done.master, 'related-to').params, { reltype: 'PARENT' });
  assert.deepEqual(propOf(byUid(items, 'muell-rausbringen-0004@example.org').master, 'rrule').values,
    [{ freq: 'WEEKLY', interval: 2, byday: 'TU', count: 26 }]);
});

test('journal: DTSTART as DATE and multi-line DESCRIPTION', () => {
  const { items } = decodeICalendar(fixture('journal.ics'));
  const j = byUid(items, 'notiz-2024-01-08@example.org');
  assert.equal(j.compType, 'vjournal');
  assert.equal(propOf(j.master, 'dtstart').type, 'date');
  assert.deepEqual(propOf(j.master, 'description').values, ['Gute Woche.\nZiele:\n- mehr lesen\n- weniger Bildschirm; mehr Sport']);
});

test('capabilities hold every property', () => {
  assert.equal(ICALENDAR_CAPABILITIES.format, 'icalendar');
  assert.ok(ICALENDAR_CAPABILITIES.holds({ name: 'x-anything', params: {}, type: 'unknown', values: ['x'] }, { name: 'vevent', props: [], components: [] }));
});

test('parameters are read as RFC 5545 writes them, not as ical.js 2.2 reads them', () => {
  const text = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:p',
    'X-A;X-Q="a","b";X-P=C\\new;X-R=x,y:v',
    'ORGANIZER;CN="\\,:":mailto:o@example.org',
    'ATTENDEE;MEMBER="mailto:g1@x","mailto:g2@x";CN=Zoë ^\'Z^\' ^^:mailto:z@x',
    'CATEGORIES:ends with backslash\\\\,second',
    'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
  const r = decodeICalendar(text);
  assert.deepEqual(r.problems, []);
  const m = r.items[0].master;
  assert.deepEqual(propOf(m, 'x-a').params, { 'x-q': ['a', 'b'], 'x-p': 'C\\new', 'x-r': 'x,y' });
  assert.deepEqual(propOf(m, 'organizer'), { name: 'organizer', params: { cn: '\\,:' }, type: 'cal-address', values: ['mailto:o@example.org'] });
  assert.deepEqual(propOf(m, 'attendee').params, { member: ['mailto:g1@x', 'mailto:g2@x'], cn: "Zoë 'Z' ^".replace(/'/g, '"') });
  assert.deepEqual(propOf(m, 'categories').values, ['ends with backslash\\', 'second']);
  assert.deepEqual(decodeICalendar(encodeCalendarItem(r.items[0])).items, r.items);
});
