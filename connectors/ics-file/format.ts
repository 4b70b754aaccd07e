import { decodeICalendar, encodeICalendar, ICALENDAR_CAPABILITIES } from '../../src/codecs/icalendar/index.js';
import type { CalendarItem } from '../../src/model/item.js';
import type { DecodedFile, SingleFileFormat } from '../shared/single-file-source.js';

/**
 * One .ics of many components. The calendar's own properties (X-WR-CALNAME, CALSCALE,
 * METHOD) are kept from the file read and written back on every rewrite.
 */
export const icsFormat: SingleFileFormat<CalendarItem> = {
  kind: 'calendar',
  capabilities: () => ICALENDAR_CAPABILITIES,
  decode(bytes): DecodedFile<CalendarItem> {
    const r = bytes === undefined ? { items: [], problems: [], calendarProps: [] } : decodeICalendar(bytes);
    return {
      items: r.items,
      problems: r.problems,
      encode: (items) => encodeICalendar(items, { calendarProps: r.calendarProps }),
      appendRaw: (encoded, raws) => (raws.every(isComponentBlock) ? insertBeforeEnd(encoded, raws) : undefined),
    };
  },
};

/** A broken VEVENT/VTODO/… block can go back into the calendar verbatim; a broken file header cannot. */
function isComponentBlock(raw: string): boolean {
  return /^BEGIN:V[A-Z]+\r?\n/i.test(raw) && /END:V[A-Z]+\s*$/i.test(raw);
}

function insertBeforeEnd(encoded: string, raws: string[]): string {
  const end = encoded.lastIndexOf('END:VCALENDAR');
  const body = raws.map((r) => r.replace(/\r?\n/g, '\r\n').replace(/(\r\n)?$/, '\r\n')).join('');
  return encoded.slice(0, end) + body + encoded.slice(end);
}
