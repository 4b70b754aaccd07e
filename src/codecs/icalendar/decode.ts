/**
 * iCalendar text → calendar items. Never throws: a component that does not parse, or
 * whose values ical.js would misread, becomes a DecodeProblem with its line and raw
 * text, and everything else still decodes.
 */
import type { CalendarItem } from '../../model/item.js';
import type { Component, Property } from '../../model/property.js';
import type { DecodeProblem, DecodeResult } from '../types.js';
import { splitBlocks } from './blocks.js';
import { groupItems, ITEM_TYPES, tzidOf, type Decoded } from './group.js';
import { componentFromJCal, propertyFromJCal } from './jcal.js';
import { physicalText, toText, unfoldLines, type SourceText } from './lines.js';
import { parseCalendarProps, parseComponentBlock } from './parse-block.js';

export interface CalendarDecodeResult extends DecodeResult<CalendarItem> {
  /** VCALENDAR-level properties other than VERSION and PRODID (X-WR-CALNAME, CALSCALE,
   * METHOD…), from every VCALENDAR of the input, duplicates removed. */
  calendarProps: Property[];
}

/** Written by every encoder; not carried as calendar properties. */
const WRITER_PROPS = new Set(['version', 'prodid']);

export function decodeICalendar(input: string | Uint8Array): CalendarDecodeResult {
  const src: SourceText = unfoldLines(toText(input));
  const { calendars, problems } = splitBlocks(src);
  const calendarProps: Property[] = [];
  const seenProps = new Set<string>();
  const decoded: Decoded[] = [];
  const allZones = new Map<string, Component>();

  if (calendars.length === 0 && problems.length === 0) {
    problems.push({ line: 1, message: 'no BEGIN:VCALENDAR found (empty input)', raw: src.physical.join('\r\n') });
  }
  for (const cal of calendars) {
    const { props, bad } = parseCalendarProps(cal.props);
    for (const b of bad) problems.push({ line: b.line.line, message: b.message, raw: physicalText(src, b.line.line, b.line.endLine) });
    for (const p of props.map(propertyFromJCal)) {
      const key = JSON.stringify(p);
      if (WRITER_PROPS.has(p.name) || seenProps.has(key)) continue;
      seenProps.add(key);
      calendarProps.push(p);
    }

    const zones = new Map<string, Component>();
    const pending: Decoded[] = [];
    for (const block of cal.components) {
      const first = block.lines[0];
      const raw = physicalText(src, first.line, block.lines[block.lines.length - 1].endLine);
      const isItem = ITEM_TYPES.has(block.name);
      if (!isItem && block.name !== 'vtimezone') {
        problems.push({
          line: first.line,
          message: `line ${first.line}: ${block.name.toUpperCase()} is not a calendar item (VEVENT, VTODO, VJOURNAL); kept out of the items`,
          raw,
        });
        continue;
      }
      const parsed = parseComponentBlock(block.lines);
      if (!parsed.ok) {
        problems.push({ line: first.line, message: `${block.name.toUpperCase()} at line ${first.line}: ${parsed.message}`, raw });
        continue;
      }
      const comp = componentFromJCal(parsed.comp);
      if (isItem) {
        pending.push({ comp, zones, line: first.line, raw });
        continue;
      }
      const tzid = tzidOf(comp);
      if (tzid === '') {
        problems.push({ line: first.line, message: `line ${first.line}: VTIMEZONE without TZID`, raw });
        continue;
      }
      if (!zones.has(tzid)) zones.set(tzid, comp);
      if (!allZones.has(tzid)) allZones.set(tzid, comp);
    }
    decoded.push(...pending);
  }

  const grouped = groupItems(decoded, allZones);
  const all: DecodeProblem[] = [...problems, ...grouped.problems].sort((a, b) => a.line - b.line);
  return { items: grouped.items, problems: all, calendarProps };
}
