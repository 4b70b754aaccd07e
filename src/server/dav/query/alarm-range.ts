/**
 * time-range on VALARM (RFC 4791 §9.9): an alarm matches when one of its trigger times —
 * an absolute TRIGGER, or a duration before or after the start (or, RELATED=END, the end)
 * of an instance of its component — falls in the range. Instances come from time-range.ts,
 * searched over the range widened by the largest trigger offset.
 */
import ICAL from 'ical.js';
import type { CalendarItem } from '../../../model/item.js';
import { icalComponents, occurrences, overlaps, type Range } from './time-range.js';

const ms = (t: ICAL.Time): number => t.toJSDate().getTime();

interface Trigger { at?: number; offset?: number; end?: boolean }

function triggers(c: ICAL.Component): Trigger[] {
  return c.getAllSubcomponents('valarm').flatMap((a): Trigger[] => {
    const p = a.getFirstProperty('trigger');
    const v = p?.getFirstValue();
    if (v instanceof ICAL.Time) return [{ at: ms(v) }];
    if (v instanceof ICAL.Duration) return [{ offset: v.toSeconds() * 1000, end: p!.getParameter('related') === 'END' }];
    return [];
  });
}

export function alarmInRange(item: CalendarItem, range: Range): boolean {
  const all = icalComponents(item).flatMap(triggers);
  if (all.some((t) => t.at !== undefined && overlaps(t.at, t.at, range))) return true;
  const widest = Math.max(0, ...all.map((t) => Math.abs(t.offset ?? 0)));
  const wide: Range = { start: range.start === undefined ? undefined : range.start - widest, end: range.end === undefined ? undefined : range.end + widest };
  for (const o of occurrences(item, wide)) {
    if (!o.start || !o.end) continue;
    for (const t of triggers(o.comp)) {
      if (t.offset === undefined) continue;
      const at = ms(t.end ? o.end : o.start) + t.offset;
      if (overlaps(at, at, range)) return true;
    }
  }
  return false;
}
