/**
 * CALDAV:filter of a calendar-query (RFC 4791 §9.7): the VCALENDAR comp-filter, and inside
 * it comp-filters on VEVENT/VTODO/VJOURNAL with is-not-defined, time-range (recurrences of
 * events and tasks expanded, see time-range.ts), prop-filters (is-not-defined, text-match)
 * and nested comp-filters (VALARM, with time-range on trigger times: alarm-range.ts).
 */
import type { CalendarItem } from '../../../model/item.js';
import type { Component } from '../../../model/property.js';
import { badRequest } from '../../dav-error.js';
import { parseTextMatch, valueTexts } from './text-match.js';
import { alarmInRange } from './alarm-range.js';
import { inTimeRange, parseUtc, type Range } from './time-range.js';
import { child, children, NS, type XmlNode } from '../../../xml/dav-xml.js';

type Pred<T> = (x: T) => boolean;

export function calendarFilter(filter: XmlNode | undefined): Pred<CalendarItem> {
  const top = child(filter, NS.caldav, 'comp-filter');
  if (!filter || !top) return () => true;
  if ((top.attrs.name ?? '').toUpperCase() !== 'VCALENDAR') return () => false;
  if (child(top, NS.caldav, 'is-not-defined')) return () => false;
  const inner = children(top, NS.caldav, 'comp-filter').map(itemFilter);
  return (item) => inner.every((p) => p(item));
}

function timeRangeOf(el: XmlNode | undefined): Range | undefined {
  if (!el) return undefined;
  const start = parseUtc(el.attrs.start);
  const end = parseUtc(el.attrs.end);
  if ((el.attrs.start && start === undefined) || (el.attrs.end && end === undefined) || (start === undefined && end === undefined)) {
    throw badRequest('time-range start and end must be UTC date-times like 20240101T000000Z');
  }
  return { start, end };
}

/** A comp-filter on the item's own components (VEVENT, VTODO, VJOURNAL, VTIMEZONE). */
function itemFilter(el: XmlNode): Pred<CalendarItem> {
  const name = (el.attrs.name ?? '').toLowerCase();
  const compsOf = (i: CalendarItem): Component[] =>
    name === 'vtimezone' ? i.timezones : i.compType === name ? [i.master, ...i.overrides].filter((c): c is Component => !!c) : [];
  if (child(el, NS.caldav, 'is-not-defined')) return (i) => compsOf(i).length === 0;
  const range = timeRangeOf(child(el, NS.caldav, 'time-range'));
  // A time-range on VALARM is about trigger times of instances (RFC 4791 §9.9): item-level.
  const alarmRanges = children(el, NS.caldav, 'comp-filter').filter((cf) => (cf.attrs.name ?? '').toLowerCase() === 'valarm')
    .map((cf) => timeRangeOf(child(cf, NS.caldav, 'time-range'))).filter((r): r is Range => r !== undefined);
  const comp = componentFilter(el);
  return (i) => {
    const comps = compsOf(i);
    if (comps.length === 0) return false;
    if (range && name !== 'vtimezone' && !inTimeRange(i, range)) return false;
    if (alarmRanges.some((r) => !alarmInRange(i, r))) return false;
    return comps.some(comp);
  };
}

/** prop-filters and nested comp-filters of one component (a VALARM time-range is tested per item, above). */
function componentFilter(el: XmlNode): Pred<Component> {
  const props = children(el, NS.caldav, 'prop-filter').map((pf): Pred<Component> => {
    const pname = (pf.attrs.name ?? '').toLowerCase();
    const found = (c: Component) => c.props.filter((p) => p.name === pname);
    if (child(pf, NS.caldav, 'is-not-defined')) return (c) => found(c).length === 0;
    const tm = child(pf, NS.caldav, 'text-match');
    const m = tm ? parseTextMatch(tm, NS.caldav) : undefined;
    return (c) => found(c).some((p) => !m || m(valueTexts(p)));
  });
  const subs = children(el, NS.caldav, 'comp-filter').map((cf): Pred<Component> => {
    const cname = (cf.attrs.name ?? '').toLowerCase();
    const inner = componentFilter(cf);
    if (child(cf, NS.caldav, 'is-not-defined')) return (c) => !c.components.some((s) => s.name === cname);
    return (c) => c.components.some((s) => s.name === cname && inner(s));
  });
  return (c) => props.every((p) => p(c)) && subs.every((p) => p(c));
}
