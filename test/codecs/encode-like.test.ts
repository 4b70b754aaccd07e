/**
 * Encoding in a member's own form (src/codecs/vcard/encode-like.ts,
 * src/codecs/icalendar/encode-like.ts): unchanged properties reuse the template's lines,
 * changed ones are encoded, and a template that does not fit never costs content.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeCalendarItemLike } from '../../src/codecs/icalendar/encode-like.js';
import { decodeICalendar, encodeCalendarItem } from '../../src/codecs/icalendar/index.js';
import { encodeVCardLike } from '../../src/codecs/vcard/encode-like.js';
import { decodeVCards, encodeVCard } from '../../src/codecs/vcard/index.js';
import type { CalendarItem } from '../../src/model/item.js';

const CARD = [
  'BEGIN:VCARD', 'PRODID:-//Example//Phone 1.0//EN', 'VERSION:3.0', 'FN:Ann Smith', 'N:Smith;Ann;;;',
  'item1.URL;VALUE=URI:http://ann.example.com/', 'item1.X-ABLabel:_$!<HomePage>!$_', 'BDAY;VALUE=DATE:--0315',
  'TEL;type=cell;type=pref:+1 415 555 0100', 'NOTE:a very long note that a client folded at its own width and not a',
  '  byte later', 'UID:ann-1', 'END:VCARD', '',
].join('\n');

test('vCard: an unchanged card comes back byte for byte (VERSION position, LF line ends, folding)', () => {
  const item = decodeVCards(CARD).items[0]!;
  assert.equal(encodeVCardLike(item, '3.0', CARD), CARD);
  assert.notEqual(encodeVCard(item, '3.0'), CARD, 'the plain encoder rewrites it (else this test proves nothing)');
});

test('vCard: a changed property is encoded, the others keep their lines; a removed one is gone', () => {
  const item = decodeVCards(CARD).items[0]!;
  item.card.props.find((p) => p.name === 'fn')!.values = ['Ann B. Smith'];
  item.card.props = item.card.props.filter((p) => p.name !== 'bday');
  const out = encodeVCardLike(item, '3.0', CARD);
  assert.match(out, /\nFN:Ann B\. Smith\n/);
  assert.doesNotMatch(out, /BDAY/);
  assert.match(out, /\nitem1\.URL;VALUE=URI:http:\/\/ann\.example\.com\/\nitem1\.X-ABLabel:/);
  assert.match(out, /\nTEL;type=cell;type=pref:\+1 415 555 0100\n/);
  assert.deepEqual(decodeVCards(out).items[0], item);
});

test('vCard: another version, or a template that is not one card, gives the plain encoding', () => {
  const item = decodeVCards(CARD).items[0]!;
  assert.equal(encodeVCardLike(item, '4.0', CARD), encodeVCard(item, '4.0'));
  assert.equal(encodeVCardLike(item, '3.0', CARD + CARD), encodeVCard(item, '3.0'));
  assert.equal(encodeVCardLike(item, '3.0', 'BEGIN:VCARD\nFN broken\nEND:VCARD\n'), encodeVCard(item, '3.0'));
});

test('vCard: a template of another item (stale, or wrong) never changes what is written', () => {
  const item = decodeVCards(CARD).items[0]!;
  const other = CARD.replace('FN:Ann Smith', 'FN:Bob').replace('+1 415 555 0100', '+1 999').replace('ann-1', 'bob-1');
  assert.deepEqual(decodeVCards(encodeVCardLike(item, '3.0', other)).items[0], item);
});

const ICS = [
  'BEGIN:VCALENDAR', 'PRODID:-//Example//Cal 2//EN', 'VERSION:2.0', 'CALSCALE:GREGORIAN', 'X-WR-CALNAME:Home',
  'BEGIN:VEVENT', 'UID:ev-1', 'DTSTAMP:20240101T000000Z', 'DTSTART;VALUE=DATE-TIME;TZID=Europe/Berlin:20240105T090000',
  'SUMMARY;X-Vendor=yes:Weekly', 'RRULE:FREQ=WEEKLY', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER;VALUE=DURATION:-PT10M',
  'DESCRIPTION:one', 'END:VALARM', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT1H', 'DESCRIPTION:two', 'END:VALARM', 'END:VEVENT',
  'BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'BEGIN:STANDARD', 'DTSTART:19701025T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100',
  'END:STANDARD', 'END:VTIMEZONE', 'END:VCALENDAR', '',
].join('\r\n');

test('iCalendar: an unchanged item comes back byte for byte (PRODID, CALSCALE, X-WR-, component order, VALUE=)', () => {
  const item = decodeICalendar(ICS).items[0]!;
  assert.equal(encodeCalendarItemLike(item, ICS), ICS);
  assert.notEqual(encodeCalendarItem(item), ICS);
});

test('iCalendar: a changed alarm and a new override are encoded, everything else keeps its lines', () => {
  const item = decodeICalendar(ICS).items[0]! as CalendarItem;
  item.master!.components[1]!.props.find((p) => p.name === 'description')!.values = ['TWO'];
  const override = structuredClone(item.master!);
  override.props = override.props.filter((p) => p.name !== 'rrule');
  override.props.push({ name: 'recurrence-id', params: { tzid: 'Europe/Berlin' }, type: 'date-time', values: ['2024-01-12T09:00:00'] });
  override.components = [];
  item.overrides.push(override);
  const out = encodeCalendarItemLike(item, ICS);
  assert.match(out, /\r\nDESCRIPTION:one\r\n/);
  assert.match(out, /\r\nDESCRIPTION:TWO\r\n/);
  assert.match(out, /\r\nTRIGGER;VALUE=DURATION:-PT10M\r\n/);
  assert.match(out, /RECURRENCE-ID;TZID=Europe\/Berlin:20240112T090000/);
  assert.match(out, /^BEGIN:VCALENDAR\r\nPRODID:-\/\/Example\/\/Cal 2\/\/EN\r\nVERSION:2\.0\r\nCALSCALE:GREGORIAN\r\n/);
  assert.deepEqual(decodeICalendar(out).items[0], item);
});

test('iCalendar: an unreadable template gives the plain encoding', () => {
  const item = decodeICalendar(ICS).items[0]!;
  assert.equal(encodeCalendarItemLike(item, 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n'), encodeCalendarItem(item));
});
