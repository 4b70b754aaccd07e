/**
 * CALDAV:time-range (RFC 4791 §9.9) for one calendar item: does any instance overlap
 * [start, end)? Recurring VEVENTs are expanded with ical.js (RRULE, RDATE, EXDATE and the
 * RECURRENCE-ID overrides); VTODO and VJOURNAL are tested on their own DTSTART/DUE.
 */
import ICAL from 'ical.js';
import { encodeCalendarItem } from '../codecs/icalendar/index.js';
import type { CalendarItem } from '../model/item.js';

const MAX_INSTANCES = 20000;

export interface Range { start?: number; end?: number }

export function parseUtc(s: string | undefined): number | undefined {
  const m = s ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s.trim()) : null;
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

function overlaps(s: number, e: number, r: Range): boolean {
  const rs = r.start ?? -Infinity;
  const re = r.end ?? Infinity;
  return e > s ? s < re && e > rs : s >= rs && s < re;
}

export function inTimeRange(item: CalendarItem, range: Range): boolean {
  const root = new ICAL.Component(ICAL.parse(encodeCalendarItem(item)) as unknown as unknown[]);
  for (const tz of root.getAllSubcomponents('vtimezone')) {
    const id = tz.getFirstPropertyValue('tzid');
    if (typeof id === 'string' && !ICAL.TimezoneService.has(id)) ICAL.TimezoneService.register(tz);
  }
  const comps = root.getAllSubcomponents(item.compType);
  if (item.compType !== 'vevent') return comps.some((c) => simpleOverlap(c, range));
  const master = comps.find((c) => !c.hasProperty('recurrence-id'));
  const overrides = comps.filter((c) => c.hasProperty('recurrence-id'));
  if (!master) return overrides.some((c) => eventOverlap(new ICAL.Event(c), range));
  const ev = new ICAL.Event(master, { exceptions: overrides });
  if (!ev.isRecurring()) return eventOverlap(ev, range);
  // Overridden instances are tested where the override put them; the rest where the rule does.
  if (overrides.some((c) => eventOverlap(new ICAL.Event(c), range))) return true;
  const it = ev.iterator();
  for (let n = 0, next = it.next(); next && n < MAX_INSTANCES; n += 1, next = it.next()) {
    if (range.end !== undefined && next.toJSDate().getTime() >= range.end) break;
    const d = ev.getOccurrenceDetails(next);
    if (d.item !== ev) continue;
    if (overlaps(d.startDate.toJSDate().getTime(), d.endDate.toJSDate().getTime(), range)) return true;
  }
  return false;
}

function eventOverlap(ev: ICAL.Event, range: Range): boolean {
  if (!ev.startDate) return true;
  return overlaps(ev.startDate.toJSDate().getTime(), ev.endDate.toJSDate().getTime(), range);
}

function simpleOverlap(c: ICAL.Component, range: Range): boolean {
  const time = (name: string) => {
    const v = c.getFirstPropertyValue(name);
    return v instanceof ICAL.Time ? v.toJSDate().getTime() : undefined;
  };
  const start = time('dtstart');
  const due = time('due');
  if (start === undefined && due === undefined) return true;
  return overlaps(start ?? due!, due ?? start!, range);
}
