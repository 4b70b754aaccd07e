/**
 * iCalendar codec (RFC 5545): text ⇄ canonical calendar items. Pure functions, no I/O.
 * See docs/formats-icalendar.md.
 */
export { decodeICalendar, type CalendarDecodeResult } from './decode.js';
export { encodeICalendar, encodeCalendarItem, DEFAULT_PRODID, type EncodeOptions } from './encode.js';
export { ICALENDAR_CAPABILITIES } from './capabilities.js';
