import type { FormatCapabilities } from '../../model/capabilities.js';

/**
 * iCalendar holds every property and parameter of the canonical calendar model: typed
 * values round-trip through jCal, unknown and X- properties keep their raw text.
 */
export const ICALENDAR_CAPABILITIES: FormatCapabilities = {
  format: 'icalendar',
  holds: () => true,
};
