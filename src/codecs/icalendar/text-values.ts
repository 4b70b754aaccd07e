/**
 * ical.js (2.2) splits multi-valued and structured text (CATEGORIES, RESOURCES,
 * REQUEST-STATUS) at the first `,`/`;` not preceded by a backslash, so `a\\,b` (a value
 * ending in a backslash, then the next value) is read as one value `a\,b`. When a raw
 * value holds an escaped backslash, the values are split again here, correctly.
 */
import ICAL from 'ical.js';
import { splitEscaped, unescapeText } from '../content-line/escape.js';
import type { JCalProperty } from './jcal.js';

const DESIGN_PROPS = ICAL.design.icalendar.property as Record<string, { multiValue?: string; structuredValue?: string }>;

/** Re-reads the values of a multi-valued or structured text property from its raw text. */
export function repairTextValues(prop: JCalProperty, raw: string): void {
  if (prop[2] !== 'text' || !raw.includes('\\\\')) return;
  const design = DESIGN_PROPS[prop[0]];
  if (design?.multiValue) {
    prop.splice(3, prop.length - 3, ...splitEscaped(raw, design.multiValue).map((v) => unescapeText(v)));
  } else if (design?.structuredValue) {
    const parts = splitEscaped(raw, design.structuredValue).map((v) => unescapeText(v));
    prop.splice(3, prop.length - 3, parts.length === 1 ? parts[0] : parts);
  }
}
