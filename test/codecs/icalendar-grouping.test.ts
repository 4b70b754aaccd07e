import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeICalendar, encodeCalendarItem, encodeICalendar } from '../../src/codecs/icalendar/index.js';
import type { Component } from '../../src/model/property.js';
import { byUid, fixture, propOf } from './icalendar-helpers.js';

const tzids = (zones: Component[]) => zones.map((z) => propOf(z, 'tzid').values[0]);

test('a series with two overrides is one item: master + overrides sorted by RECURRENCE-ID', () => {
  const { items } = decodeICalendar(fixture('personal.ics'));
  const series = items.filter((i) => i.uid === 'weekly-standup-5f1c@example.org');
  assert.equal(series.length, 1);
  const [item] = series;
  assert.ok(item.master);
  assert.equal(item.master.props.some((p) => p.name === 'recurrence-id'), false);
  // the file lists the 29th before the 15th
  assert.deepEqual(item.overrides.map((o) => propOf(o, 'recurrence-id').values[0]), ['2024-01-15T10:00:00', '2024-01-29T10:00:00']);
  assert.deepEqual(propOf(item.overrides[1], 'summary').values, ['Team-Standup (mit Kund:innen)']);
  assert.deepEqual(propOf(item.overrides[0], 'dtstart').params, { tzid: 'America/New_York' });
});

test('VTIMEZONEs referenced anywhere in the item are attached, sorted by TZID; others are not', () => {
  const { items } = decodeICalendar(fixture('personal.ics'));
  const series = byUid(items, 'weekly-standup-5f1c@example.org');
  assert.deepEqual(tzids(series.timezones), ['America/New_York', 'Europe/Berlin']);
  const berlin = series.timezones[1];
  assert.deepEqual(berlin.components.map((c) => c.name), ['daylight', 'standard']);
  assert.deepEqual(propOf(berlin.components[0], 'tzoffsetto').values, ['+02:00']);
  assert.deepEqual(byUid(items, '1a2b3c4d5e6f7g8h9i0j@google.com').timezones, []);
  assert.deepEqual(byUid(items, 'floating-yoga-7781@example.org').timezones, []);
});

test('encodeICalendar writes each VTIMEZONE once, before the components', () => {
  const { items } = decodeICalendar(fixture('tasks.ics'));
  assert.equal(items.filter((i) => i.timezones.length > 0).length, 2);
  const text = encodeICalendar(items);
  assert.equal((text.match(/\r\nBEGIN:VTIMEZONE\r\n/g) ?? []).length, 1);
  assert.ok(text.indexOf('BEGIN:VTIMEZONE') < text.indexOf('BEGIN:VTODO'));
  const one = encodeCalendarItem(byUid(items, 'umzug-parent-0001@example.org'));
  assert.ok(one.includes('\r\nTZID:Europe/Berlin\r\n'));
  assert.ok(!encodeCalendarItem(byUid(items, 'umzug-kartons-0002@example.org')).includes('VTIMEZONE'));
});

test('components without UID are never grouped together', () => {
  const { items } = decodeICalendar(fixture('journal.ics'));
  const noUid = items.filter((i) => i.uid === '');
  assert.equal(noUid.length, 2);
  assert.deepEqual(noUid.map((i) => propOf(i.master, 'summary').values[0]), ['Notiz ohne UID (1)', 'Notiz ohne UID (2)']);
});

test('a UID spread over several VCALENDARs in one text is one item; unreferenced VTIMEZONE ignored', () => {
  const text = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:a',
    'BEGIN:VTIMEZONE', 'TZID:Unused/Zone', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0000', 'TZOFFSETTO:+0000', 'END:STANDARD', 'END:VTIMEZONE',
    'BEGIN:VEVENT', 'UID:x', 'RECURRENCE-ID:20240102T100000Z', 'DTSTART:20240102T120000Z', 'END:VEVENT',
    'END:VCALENDAR',
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:b',
    'BEGIN:VEVENT', 'UID:x', 'DTSTART:20240101T100000Z', 'RRULE:FREQ=DAILY', 'END:VEVENT',
    'END:VCALENDAR', '',
  ].join('\r\n');
  const r = decodeICalendar(text);
  assert.deepEqual(r.problems, []);
  assert.equal(r.items.length, 1);
  assert.ok(r.items[0].master);
  assert.equal(r.items[0].overrides.length, 1);
  assert.deepEqual(r.items[0].timezones, []);
});

test('overrides without a master make an item without master', () => {
  const text = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:o\r\nRECURRENCE-ID;VALUE=DATE:20240105\r\nDTSTART;VALUE=DATE:20240106\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
  const r = decodeICalendar(text);
  assert.equal(r.items.length, 1);
  assert.equal(r.items[0].master, undefined);
  assert.deepEqual(decodeICalendar(encodeCalendarItem(r.items[0])).items, r.items);
});

test('a second master, a duplicate RECURRENCE-ID or a UID reused by another type is a problem, not a merge', () => {
  const text = [
    'BEGIN:VCALENDAR', 'VERSION:2.0',
    'BEGIN:VEVENT', 'UID:d', 'DTSTART:20240101T100000Z', 'SUMMARY:first', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:d', 'DTSTART:20240101T100000Z', 'SUMMARY:second', 'END:VEVENT',
    'BEGIN:VTODO', 'UID:d', 'SUMMARY:todo', 'END:VTODO',
    'BEGIN:VEVENT', 'UID:d', 'RECURRENCE-ID:20240102T100000Z', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:d', 'RECURRENCE-ID:20240102T100000Z', 'END:VEVENT',
    'END:VCALENDAR',
  ].join('\n');
  const r = decodeICalendar(text);
  assert.equal(r.items.length, 1);
  assert.deepEqual(propOf(r.items[0].master, 'summary').values, ['first']);
  assert.equal(r.items[0].overrides.length, 1);
  assert.deepEqual(r.problems.map((p) => p.line), [8, 13, 21]);
  assert.match(r.problems[0].message, /second VEVENT with UID d/);
  assert.match(r.problems[1].message, /already used by a VEVENT/);
  assert.match(r.problems[2].message, /second override/);
  assert.ok(r.problems[0].raw.includes('SUMMARY:second'));
});

test('unknown top-level components are reported with their text, not dropped silently', () => {
  const text = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VFREEBUSY\r\nUID:fb\r\nFREEBUSY:20240101T100000Z/PT1H\r\nEND:VFREEBUSY\r\nBEGIN:VEVENT\r\nUID:e\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
  const r = decodeICalendar(text);
  assert.deepEqual(r.items.map((i) => i.uid), ['e']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].line, 3);
  assert.match(r.problems[0].message, /VFREEBUSY/);
  assert.ok(r.problems[0].raw.includes('FREEBUSY:20240101T100000Z/PT1H'));
});
