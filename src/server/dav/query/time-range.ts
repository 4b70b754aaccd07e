/**
 * CALDAV:time-range (RFC 4791 §9.9) for one calendar item, and the instances behind it.
 * `occurrences` expands recurring VEVENTs and VTODOs with ical.js (RRULE, RDATE, EXDATE and
 * the RECURRENCE-ID overrides, in the item's own time zones) and yields each instance that
 * overlaps a range; the time-range filter, expand, limit-recurrence-set and free-busy all
 * use it, so they agree on what an instance is.
 */
import ICAL from 'ical.js';
import { encodeCalendarItem } from '../../../codecs/icalendar/index.js';
import type { CalendarItem } from '../../../model/item.js';

const MAX_INSTANCES = 20000;

export interface Range { start?: number; end?: number }

export interface Occurrence {
  /** Absent for an item with no date at all (a VTODO without DTSTART or DUE: in every range). */
  start?: ICAL.Time;
  end?: ICAL.Time;
  /** The component that describes this instance: the master, or the override for it. */
  comp: ICAL.Component;
  /** The instance's RECURRENCE-ID when the item recurs. */
  recurrenceId?: ICAL.Time;
}

export function parseUtc(s: string | undefined): number | undefined {
  const m = s ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s.trim()) : null;
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

/** RFC 4791 §9.9: a zero-length instance overlaps when it starts in the range. */
export function overlaps(s: number, e: number, r: Range): boolean {
  const rs = r.start ?? -Infinity;
  const re = r.end ?? Infinity;
  return e > s ? s < re && e > rs : s >= rs && s < re;
}

/** The item as ical.js components, its VTIMEZONEs registered so TZIDs resolve. */
export function icalComponents(item: CalendarItem): ICAL.Component[] {
  const root = new ICAL.Component(ICAL.parse(encodeCalendarItem(item)) as unknown as unknown[]);
  for (const tz of root.getAllSubcomponents('vtimezone')) {
    const id = tz.getFirstPropertyValue('tzid');
    if (typeof id === 'string' && !ICAL.TimezoneService.has(id)) ICAL.TimezoneService.register(tz);
  }
  return root.getAllSubcomponents(item.compType);
}

const ms = (t: ICAL.Time): number => t.toJSDate().getTime();

/** Start and end of one component as it stands (VTODO: DTSTART/DUE/DURATION, RFC 4791 §9.9). */
function span(c: ICAL.Component, start?: ICAL.Time): { start: ICAL.Time; end: ICAL.Time } | undefined {
  const get = (n: string) => {
    const v = c.getFirstPropertyValue(n);
    return v instanceof ICAL.Time ? v : undefined;
  };
  if (c.name === 'vevent') {
    const ev = new ICAL.Event(c);
    if (!ev.startDate) return undefined;
    const s = start ?? ev.startDate;
    const end = s.clone();
    end.addDuration(ev.endDate.subtractDate(ev.startDate));
    return { start: s, end };
  }
  const dtstart = get('dtstart');
  const due = get('due');
  const duration = c.getFirstPropertyValue('duration');
  const s = start ?? dtstart ?? due;
  if (!s) return undefined;
  let len = new ICAL.Duration({});
  if (dtstart && due) len = due.subtractDate(dtstart);
  else if (duration instanceof ICAL.Duration) len = duration;
  const end = s.clone();
  end.addDuration(len);
  return { start: s, end };
}

/** Every instance of the item that overlaps the range (all instances of an open range, up to a limit). */
export function* occurrences(item: CalendarItem, range: Range): Generator<Occurrence> {
  const comps = icalComponents(item);
  const master = comps.find((c) => !c.hasProperty('recurrence-id'));
  const overrides = comps.filter((c) => c.hasProperty('recurrence-id'));
  const inRange = (s: { start: ICAL.Time; end: ICAL.Time }) => overlaps(ms(s.start), ms(s.end), range);
  const recurring = master && (master.hasProperty('rrule') || master.hasProperty('rdate'));
  // Overridden instances are tested where the override put them; the rest where the rule does.
  for (const o of overrides) {
    const s = span(o);
    if (s && inRange(s)) yield { ...s, comp: o, recurrenceId: o.getFirstPropertyValue('recurrence-id') as ICAL.Time };
  }
  if (!master) return;
  if (!recurring) {
    const s = span(master);
    if (!s || inRange(s)) yield { ...s, comp: master };
    return;
  }
  const overridden = new Set(overrides.map((o) => (o.getFirstPropertyValue('recurrence-id') as ICAL.Time).toUnixTime()));
  const dtstart = master.getFirstPropertyValue('dtstart') as ICAL.Time;
  const it = new ICAL.RecurExpansion({ component: master, dtstart });
  for (let n = 0, next = it.next(); next && n < MAX_INSTANCES; n += 1, next = it.next()) {
    if (range.end !== undefined && ms(next) >= range.end) break;
    if (overridden.has(next.toUnixTime())) continue;
    const s = span(master, next);
    if (s && inRange(s)) yield { ...s, comp: master, recurrenceId: next };
  }
}

export function inTimeRange(item: CalendarItem, range: Range): boolean {
  return !occurrences(item, range).next().done;
}
