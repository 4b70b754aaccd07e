/**
 * calendar-data options of a CalDAV REPORT (RFC 4791 §9.6): `expand` (§9.6.5) returns each
 * instance of a recurring item that overlaps the range as its own component — RRULE, RDATE
 * and EXDATE gone, RECURRENCE-ID set, times in UTC, no VTIMEZONE — overrides included where
 * they put their instance; `limit-recurrence-set` (§9.6.6) returns the master and only the
 * overrides whose instances overlap the range. Instances come from time-range.ts.
 */
import ICAL from 'ical.js';
import { encodeCalendarItem } from '../codecs/icalendar/index.js';
import { componentFromJCal, type JCalComponent } from '../codecs/icalendar/jcal.js';
import type { CalendarItem } from '../model/item.js';
import type { Component } from '../model/property.js';
import { badRequest } from './dav-error.js';
import { occurrences, parseUtc, type Range } from './dav/query/time-range.js';
import { child, NS, type XmlNode } from '../xml/dav-xml.js';

const UTC = ICAL.Timezone.utcTimezone;

/** A time in UTC, written without TZID; dates stay dates. */
function setUtc(c: ICAL.Component, name: string, t: ICAL.Time): void {
  const p = c.getFirstProperty(name) ?? c.addPropertyWithValue(name, t);
  p.removeParameter('tzid');
  p.setValue(t.isDate ? t : t.convertToZone(UTC));
}

export function expandedItem(item: CalendarItem, range: Range): CalendarItem {
  const instances: Component[] = [];
  for (const o of occurrences(item, range)) {
    const c = new ICAL.Component(structuredClone(o.comp.toJSON()));
    for (const n of ['rrule', 'rdate', 'exdate', 'exrule']) c.removeAllProperties(n);
    if (o.recurrenceId) setUtc(c, 'recurrence-id', o.recurrenceId);
    if (o.start && o.end) {
      setUtc(c, 'dtstart', o.start);
      if (c.hasProperty('dtend')) setUtc(c, 'dtend', o.end);
      if (c.hasProperty('due')) setUtc(c, 'due', o.end);
    }
    instances.push(componentFromJCal(c.toJSON() as unknown as JCalComponent));
  }
  return { kind: 'calendar', uid: item.uid, compType: item.compType, overrides: instances, timezones: [] };
}

export function limitedItem(item: CalendarItem, range: Range): CalendarItem {
  const keep = new Set<string>();
  for (const o of occurrences(item, range)) if (o.comp.hasProperty('recurrence-id')) keep.add(String(o.comp.getFirstPropertyValue('recurrence-id')));
  // ical.js writes a time as its jCal text, the form the model holds it in.
  const rid = (c: Component) => String(c.props.find((p) => p.name === 'recurrence-id')?.values[0] ?? '');
  return { ...item, overrides: item.overrides.filter((c) => keep.has(rid(c))) };
}

/** The range of an expand or limit-recurrence-set element: both bounds, UTC (§9.6.5). */
function rangeOf(el: XmlNode): Range {
  const start = parseUtc(el.attrs.start);
  const end = parseUtc(el.attrs.end);
  if (start === undefined || end === undefined) throw badRequest(`${el.name} needs start and end as UTC date-times like 20240101T000000Z`);
  return { start, end };
}

/** The calendar-data text when the request asks for expand or limit-recurrence-set; else undefined. */
export function shapedCalendarData(el: XmlNode, item: CalendarItem): string | undefined {
  const ex = child(el, NS.caldav, 'expand');
  if (ex) return encodeCalendarItem(expandedItem(item, rangeOf(ex)));
  const lim = child(el, NS.caldav, 'limit-recurrence-set');
  if (lim) return encodeCalendarItem(limitedItem(item, rangeOf(lim)));
  return undefined;
}
