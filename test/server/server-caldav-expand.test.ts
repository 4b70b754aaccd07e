/**
 * CalDAV beyond filtering (RFC 4791): calendar-data `expand` (§9.6.5) and
 * `limit-recurrence-set` (§9.6.6) with an override, an EXDATE and a time zone; time-range on
 * a recurring VTODO and on VALARM trigger times (§9.9); free-busy-query (§7.10) with TRANSP
 * and STATUS. Neither peer here can be the reference: Radicale 3.1.8 returns the object
 * unexpanded and has no free-busy-query, Xandikos 0.2.8 answers expand with 500. So the
 * answers are checked against what RFC 4791's rules give for these objects, worked out by
 * hand below (time zones, DST change, override, EXDATE).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeICalendar } from '../../src/codecs/icalendar/index.js';
import type { CalendarItem } from '../../src/model/item.js';
import { hrefsOf, TestServer } from './server-harness.js';

const CAL = '/dav/home/alice/personal/';
const NSS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"';
const ICS = { 'content-type': 'text/calendar; charset=utf-8' };
const TZ = ['BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'BEGIN:STANDARD', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD', 'BEGIN:DAYLIGHT', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT', 'END:VTIMEZONE'];
const cal = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');

/** Daily 09:00 Berlin from Fri 29 March 2024 (DST starts Sun 31 March), 5 times; the 30th moved to 14:00, the 31st excluded. */
const SERIES = cal(...TZ,
  'BEGIN:VEVENT', 'UID:series-1', 'DTSTAMP:20240301T000000Z', 'DTSTART;TZID=Europe/Berlin:20240329T090000', 'DTEND;TZID=Europe/Berlin:20240329T100000',
  'RRULE:FREQ=DAILY;COUNT=5', 'EXDATE;TZID=Europe/Berlin:20240331T090000', 'SUMMARY:Stand-up', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:series-1', 'DTSTAMP:20240301T000000Z', 'RECURRENCE-ID;TZID=Europe/Berlin:20240330T090000',
  'DTSTART;TZID=Europe/Berlin:20240330T140000', 'DTEND;TZID=Europe/Berlin:20240330T150000', 'SUMMARY:Stand-up (moved)', 'END:VEVENT');
const FREE = cal('BEGIN:VEVENT', 'UID:free-1', 'DTSTAMP:20240301T000000Z', 'DTSTART:20240402T100000Z', 'DTEND:20240402T110000Z', 'TRANSP:TRANSPARENT', 'SUMMARY:Free', 'END:VEVENT');
const CANCELLED = cal('BEGIN:VEVENT', 'UID:cancel-1', 'DTSTAMP:20240301T000000Z', 'DTSTART:20240402T120000Z', 'DTEND:20240402T130000Z', 'STATUS:CANCELLED', 'END:VEVENT');
const TENTATIVE = cal('BEGIN:VEVENT', 'UID:tent-1', 'DTSTAMP:20240301T000000Z', 'DTSTART:20240402T070000Z', 'DTEND:20240402T073000Z', 'STATUS:TENTATIVE', 'END:VEVENT');
const TODO = cal('BEGIN:VTODO', 'UID:todo-1', 'DTSTAMP:20240301T000000Z', 'DTSTART:20240101T080000Z', 'DUE:20240101T090000Z', 'RRULE:FREQ=MONTHLY', 'SUMMARY:Monthly report', 'END:VTODO');
const ALARM = cal('BEGIN:VEVENT', 'UID:alarm-1', 'DTSTAMP:20240301T000000Z', 'DTSTART:20240601T100000Z', 'DTEND:20240601T110000Z', 'SUMMARY:Alarmed',
  'BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:x', 'TRIGGER:-P1D', 'END:VALARM', 'END:VEVENT');
const OBJECTS: Record<string, string> = { 'series.ics': SERIES, 'free.ics': FREE, 'cancel.ics': CANCELLED, 'tent.ics': TENTATIVE, 'todo.ics': TODO, 'alarm.ics': ALARM };

const expandQuery = (start: string, end: string, limit = false) => `<C:calendar-query ${NSS}><D:prop><C:calendar-data>${limit
  ? `<C:limit-recurrence-set start="${start}" end="${end}"/>` : `<C:expand start="${start}" end="${end}"/>`}</C:calendar-data></D:prop>`
  + `<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="UID"><C:text-match>series-1</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;

/** The instances of an expanded answer: RECURRENCE-ID, DTSTART, DTEND (all UTC), SUMMARY. */
function instances(xml: string): string[] {
  const data = [...xml.matchAll(/<(?:[A-Za-z0-9]+:)?calendar-data[^>]*>([\s\S]*?)<\/(?:[A-Za-z0-9]+:)?calendar-data>/g)].map((m) => m[1]!.replace(/&#13;/g, '\r').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  const out: string[] = [];
  for (const text of data) {
    assert.doesNotMatch(text, /RRULE|EXDATE|BEGIN:VTIMEZONE|TZID=/, 'expanded: no rules, no zones');
    for (const item of decodeICalendar(text).items as CalendarItem[]) {
      for (const c of [item.master, ...item.overrides].filter((x) => !!x)) {
        const v = (n: string) => String(c!.props.find((p) => p.name === n)?.values[0] ?? '');
        out.push(`${v('recurrence-id')} ${v('dtstart')} ${v('dtend')} ${v('summary')}`);
      }
    }
  }
  return out.sort();
}

/** From the rules: 29 (CET, 08:00Z), 30 moved to 14:00 CET (13:00Z), 31 excluded, 1 and 2 April CEST (07:00Z). */
const EXPECTED = [
  '2024-03-29T08:00:00Z 2024-03-29T08:00:00Z 2024-03-29T09:00:00Z Stand-up',
  '2024-03-30T08:00:00Z 2024-03-30T13:00:00Z 2024-03-30T14:00:00Z Stand-up (moved)',
  '2024-04-01T07:00:00Z 2024-04-01T07:00:00Z 2024-04-01T08:00:00Z Stand-up',
  '2024-04-02T07:00:00Z 2024-04-02T07:00:00Z 2024-04-02T08:00:00Z Stand-up',
];

describe('endpoint: CalDAV expand, limit-recurrence-set, time-ranges on tasks and alarms, free-busy', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start();
    for (const [name, body] of Object.entries(OBJECTS)) assert.equal((await t.req('PUT', `${CAL}${name}`, { body, headers: ICS })).status, 201, name);
  });
  after(() => t.stop());

  test('expand gives each instance in the range, override and EXDATE honoured, across the DST change, in UTC', async () => {
    const r = await t.req('REPORT', CAL, { body: expandQuery('20240301T000000Z', '20240501T000000Z'), headers: { depth: '1' } });
    assert.equal(r.status, 207);
    assert.deepEqual(instances(r.text), EXPECTED);
    const narrow = await t.req('REPORT', CAL, { body: expandQuery('20240330T120000Z', '20240401T073000Z'), headers: { depth: '1' } });
    assert.deepEqual(instances(narrow.text), [EXPECTED[1], EXPECTED[2]]);
  });

  test('limit-recurrence-set keeps the master and only the overrides in the range', async () => {
    const inside = await t.req('REPORT', CAL, { body: expandQuery('20240330T000000Z', '20240331T000000Z', true), headers: { depth: '1' } });
    assert.match(inside.text, /RRULE:FREQ=DAILY;COUNT=5/);
    assert.match(inside.text, /RECURRENCE-ID;TZID=Europe\/Berlin:20240330T090000/);
    const outside = await t.req('REPORT', CAL, { body: expandQuery('20240401T000000Z', '20240501T000000Z', true), headers: { depth: '1' } });
    assert.match(outside.text, /RRULE:FREQ=DAILY;COUNT=5/);
    assert.doesNotMatch(outside.text, /RECURRENCE-ID/);
  });

  const query = (comp: string, inner: string) => `<C:calendar-query ${NSS}><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="${comp}">${inner}</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;

  test('time-range on a recurring VTODO finds a later instance; on VALARM, the trigger time counts', async () => {
    const names = async (body: string) => hrefsOf((await t.req('REPORT', CAL, { body, headers: { depth: '1' } })).text).map((h) => h.slice(CAL.length));
    assert.deepEqual(await names(query('VTODO', '<C:time-range start="20240501T083000Z" end="20240501T084000Z"/>')), ['todo.ics']);
    assert.deepEqual(await names(query('VTODO', '<C:time-range start="20240501T100000Z" end="20240501T110000Z"/>')), []);
    // The alarm fires 31 May 10:00Z, a day before the event.
    assert.deepEqual(await names(query('VEVENT', '<C:comp-filter name="VALARM"><C:time-range start="20240531T090000Z" end="20240531T110000Z"/></C:comp-filter>')), ['alarm.ics']);
    assert.deepEqual(await names(query('VEVENT', '<C:comp-filter name="VALARM"><C:time-range start="20240601T090000Z" end="20240601T110000Z"/></C:comp-filter>')), []);
  });

  test('free-busy-query: busy instances merged, transparent and cancelled free, tentative BUSY-TENTATIVE', async () => {
    const r = await t.req('REPORT', CAL, { body: `<C:free-busy-query ${NSS}><C:time-range start="20240401T000000Z" end="20240403T000000Z"/></C:free-busy-query>`, headers: { depth: '1' } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/calendar/);
    const fb = r.text.split('\r\n').filter((l) => l.startsWith('FREEBUSY'));
    assert.deepEqual(fb, [
      'FREEBUSY;FBTYPE=BUSY:20240401T070000Z/20240401T080000Z',
      'FREEBUSY;FBTYPE=BUSY:20240402T070000Z/20240402T080000Z',
      'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240402T070000Z/20240402T073000Z',
    ]);
    assert.match(r.text, /BEGIN:VFREEBUSY\r\nDTSTAMP:\d{8}T\d{6}Z\r\nDTSTART:20240401T000000Z\r\nDTEND:20240403T000000Z\r\n/);
    assert.equal((await t.req('REPORT', CAL, { body: `<C:free-busy-query ${NSS}/>` })).status, 400);
  });
});
