import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeICalendar, encodeCalendarItem, encodeICalendar } from '../../src/codecs/icalendar/index.js';
import type { CalendarItem } from '../../src/model/item.js';
import type { Component, Property, RecurValue } from '../../src/model/property.js';
import { byUid, fixture, physicalLines } from './icalendar-helpers.js';
import { asUid } from '../../src/core/types.js';

const BERLIN: Component = byUid(decodeICalendar(fixture('tasks.ics')).items, 'umzug-parent-0001@example.org').timezones[0];

/** Any text but CR, which iCalendar text values cannot carry (see docs/formats-icalendar.md). */
const text = fc.string({ unit: fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(',', ';', '\\', '\n', ':', '"', 'ä', '😀', '👩‍👩‍👧', ' ', '\t', '^') },
), maxLength: 40 }).map((s) => s.replace(/\r/g, ''));
/** Raw text of an X- property: anything on one line. */
const rawText = text.map((s) => s.replace(/\n/g, ''));
const xName = fc.stringMatching(/^x-[a-z0-9][a-z0-9-]{0,12}$/);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dateTime = fc.record({
  y: fc.integer({ min: 1970, max: 2037 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }),
  h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }),
}).map(({ y, mo, d, h, mi, s }) => `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}`);
const zone = fc.constantFrom<'utc' | 'berlin' | 'floating'>('utc', 'berlin', 'floating');

function timed(name: string, z: 'utc' | 'berlin' | 'floating', values: string[]): Property {
  return {
    name, type: 'date-time',
    params: z === 'berlin' ? { tzid: 'Europe/Berlin' } : {},
    values: values.map((v) => (z === 'utc' ? v + 'Z' : v)),
  };
}

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const rrule: fc.Arbitrary<RecurValue> = fc.record({
  freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
  interval: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  end: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 500 }), dateTime),
  byday: fc.subarray(DAYS),
}).map(({ freq, interval, end, byday }) => {
  const r: RecurValue = { freq };
  if (interval !== undefined) r.interval = interval;
  if (typeof end === 'number') r.count = end;
  if (typeof end === 'string') r.until = end + 'Z';
  // ical.js reads one BYDAY value as a string, several as a list
  if (byday.length === 1) r.byday = byday[0];
  if (byday.length > 1) r.byday = byday;
  return r;
});

const xProp: fc.Arbitrary<Property> = fc.record({
  name: xName,
  params: fc.dictionary(xName, text.map((s) => s.replace(/\n/g, ' ')), { maxKeys: 3 }),
  value: rawText,
}).map(({ name, params, value }) => ({ name, params: { ...params }, type: 'unknown', values: [value] }));

const alarm: fc.Arbitrary<Component> = fc.record({
  trigger: fc.oneof(
    fc.record({ sign: fc.constantFrom('-', ''), m: fc.integer({ min: 0, max: 10000 }) }).map(({ sign, m }) =>
      ({ name: 'trigger', params: {}, type: 'duration', values: [`${sign}PT${m}M`] }) as Property),
    dateTime.map((v) => ({ name: 'trigger', params: { value: 'DATE-TIME' }, type: 'date-time', values: [v + 'Z'] }) as Property),
  ),
  description: text,
  uid: fc.uuid(),
}).map(({ trigger, description, uid }) => {
  // VALUE=DATE-TIME is read into the type, not kept as a parameter
  const t: Property = { ...trigger, params: {} };
  return {
    name: 'valarm', components: [],
    props: [
      { name: 'action', params: {}, type: 'text', values: ['DISPLAY'] },
      t,
      { name: 'description', params: {}, type: 'text', values: [description] },
      { name: 'x-wr-alarmuid', params: {}, type: 'unknown', values: [uid] },
    ],
  };
});

const item: fc.Arbitrary<CalendarItem> = fc.record({
  uid: text.filter((s) => s !== ''),
  compType: fc.constantFrom<'vevent' | 'vtodo' | 'vjournal'>('vevent', 'vtodo', 'vjournal'),
  zone,
  start: dateTime,
  summary: text,
  categories: fc.array(text, { minLength: 1, maxLength: 3 }),
  rrule: fc.option(rrule, { nil: undefined }),
  exdates: fc.uniqueArray(dateTime, { maxLength: 4 }),
  overrides: fc.uniqueArray(fc.record({ rid: dateTime, summary: text }), { selector: (o) => o.rid, maxLength: 3 }),
  alarms: fc.array(alarm, { maxLength: 2 }),
  xprops: fc.array(xProp, { maxLength: 3 }),
  cn: text.map((s) => s.replace(/\n/g, ' ')),
}).map((g) => {
  const uid: Property = { name: 'uid', params: {}, type: 'text', values: [g.uid] };
  const props: Property[] = [
    uid,
    timed('dtstart', g.zone, [g.start]),
    { name: 'summary', params: {}, type: 'text', values: [g.summary] },
    { name: 'categories', params: {}, type: 'text', values: g.categories },
    { name: 'organizer', params: { cn: g.cn }, type: 'cal-address', values: ['mailto:o@example.org'] },
  ];
  if (g.rrule) props.push({ name: 'rrule', params: {}, type: 'recur', values: [g.rrule] });
  if (g.exdates.length > 0) props.push(timed('exdate', g.zone, g.exdates));
  props.push(...g.xprops);
  const overrides = [...g.overrides].sort((a, b) => (a.rid < b.rid ? -1 : 1)).map((o): Component => ({
    name: g.compType, components: [],
    props: [uid, timed('recurrence-id', g.zone, [o.rid]), { name: 'summary', params: {}, type: 'text', values: [o.summary] }],
  }));
  return {
    kind: 'calendar', uid: asUid(g.uid), compType: g.compType, overrides,
    timezones: g.zone === 'berlin' ? [BERLIN] : [],
    master: { name: g.compType, props, components: g.compType === 'vjournal' ? [] : g.alarms },
  };
});

function assertLinesFolded(out: string): void {
  for (const l of physicalLines(out)) assert.ok(Buffer.byteLength(l) <= 75, l);
}

test('property: any item survives encodeCalendarItem → decode unchanged', () => {
  fc.assert(fc.property(item, (it) => {
    const out = encodeCalendarItem(it);
    assertLinesFolded(out);
    const r = decodeICalendar(out);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.items, [it]);
  }), { numRuns: 400 });
});

test('property: many items with calendar props survive encodeICalendar → decode unchanged', () => {
  const items = fc.uniqueArray(item, { selector: (i) => i.uid, maxLength: 5 });
  const calProps = fc.array(xProp, { maxLength: 3 }).map((ps) => [
    { name: 'x-wr-calname', params: {}, type: 'unknown', values: ['Kalender ✓'] } as Property, ...ps,
  ].filter((p, i, all) => all.findIndex((q) => JSON.stringify(q) === JSON.stringify(p)) === i));
  fc.assert(fc.property(items, calProps, (its, cps) => {
    const out = encodeICalendar(its, { calendarProps: cps });
    assertLinesFolded(out);
    const r = decodeICalendar(out);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.items, its);
    assert.deepEqual(r.calendarProps, cps);
  }), { numRuns: 150 });
});

test('property: decoding is stable under re-folding at any width', () => {
  fc.assert(fc.property(item, fc.integer({ min: 1, max: 20 }), (it, width) => {
    const unfolded = encodeCalendarItem(it).replace(/\r\n /g, '');
    // fold every line after each `width` code points, as a careless writer might
    const refolded = unfolded.split('\r\n').map((l) => {
      const cps = [...l];
      const parts: string[] = [];
      for (let i = 0; i < cps.length; i += width) parts.push(cps.slice(i, i + width).join(''));
      return parts.join('\r\n ');
    }).join('\r\n');
    assert.deepEqual(decodeICalendar(refolded).items, [it]);
  }), { numRuns: 150 });
});
