/**
 * Calendar items → iCalendar text: one VCALENDAR, CRLF line ends, lines folded at 75
 * octets between code points (ical.js's own folding lets continuation lines reach 76).
 */
import type { CalendarItem } from '../../model/item.js';
import type { Component, Property } from '../../model/property.js';
import { tzidOf } from './group.js';
import { componentLines, propertyLine } from './jcal.js';
import { joinFolded } from '../content-line/fold.js';

export const DEFAULT_PRODID = '-//pimhub//pimhub//EN';

export interface EncodeOptions {
  /** VCALENDAR-level properties (X-WR-CALNAME, CALSCALE, METHOD…); VERSION and PRODID are ignored. */
  calendarProps?: Property[];
  prodId?: string;
}

/** Master then overrides: the components an item is written as. */
export function itemComponents(item: CalendarItem): Component[] {
  return item.master ? [item.master, ...item.overrides] : [...item.overrides];
}

export function encodeICalendar(items: CalendarItem[], opts: EncodeOptions = {}): string {
  const lines: string[] = ['BEGIN:VCALENDAR', 'VERSION:2.0'];
  lines.push(propertyLine({ name: 'prodid', params: {}, type: 'text', values: [opts.prodId ?? DEFAULT_PRODID] }));
  for (const p of opts.calendarProps ?? []) {
    if (p.name !== 'version' && p.name !== 'prodid') lines.push(propertyLine(p));
  }
  const zones = new Map<string, Component>();
  for (const item of items) {
    for (const z of item.timezones) {
      const tzid = tzidOf(z);
      if (!zones.has(tzid)) zones.set(tzid, z);
    }
  }
  for (const z of zones.values()) componentLines(z, lines);
  for (const item of items) for (const c of itemComponents(item)) componentLines(c, lines);
  lines.push('END:VCALENDAR');
  return joinFolded(lines);
}

/** One item as its own VCALENDAR: a vdir file or a CalDAV object resource. */
export function encodeCalendarItem(item: CalendarItem, opts: { prodId?: string } = {}): string {
  return encodeICalendar([item], opts);
}
