/**
 * ical.js is lenient where a sync tool cannot be: it turns `DTSTART:2024-13-45T99` into
 * `2024--1-3-T5T:99:`, `PRIORITY:high` into 0, `GEO:a;b` into 0;0, and
 * `DTSTART;VALUE=DATE:20240101T100000` into a bare date. Writing such a value back would
 * silently corrupt the item, so every typed value is checked against its raw text here and
 * a bad one makes the whole component a decode problem (quarantined, raw text kept).
 */
import ICAL from 'ical.js';
import type { ContentLine } from './lines.js';
import { parseParams } from './params.js';
import type { JCalComponent, JCalProperty } from './jcal.js';

const DATE = /^(\d{4})(\d{2})(\d{2})$/;
const DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/;
const DURATION = /^[+-]?P(?:\d+W(?:\d+D)?|\d+D(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?|T(?:\d+H)?(?:\d+M)?(?:\d+S)?)$/;
const UTC_OFFSET = /^[+-]\d{4}(?:\d{2})?$/;
const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function inRange(n: string, lo: number, hi: number): boolean {
  const v = Number(n);
  return v >= lo && v <= hi;
}

export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  return !!m && inRange(m[2], 1, 12) && inRange(m[3], 1, 31);
}

export function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  return !!m && inRange(m[2], 1, 12) && inRange(m[3], 1, 31) && inRange(m[4], 0, 23)
    && inRange(m[5], 0, 59) && inRange(m[6], 0, 60);
}

function isDuration(s: string): boolean {
  return DURATION.test(s) && !s.endsWith('T');
}

/** The value part of a content line: after the parameters. */
export function rawValue(line: string): string {
  return parseParams(line)?.value ?? '';
}

const WEEKDAY = '(?:SU|MO|TU|WE|TH|FR|SA)';
const list = (item: string) => new RegExp(`^${item}(?:,${item})*$`, 'i');
const signed = (lo: number, hi: number) => (s: string) => s.split(',').every((n) => /^[+-]?\d{1,3}$/.test(n) && inRange(n.replace(/^[+-]/, ''), lo, hi));
/**
 * RFC 5545 §3.3.10 (and RFC 7529's leap months): ical.js reads `BYMONTH=109BYDAY=-1SU` (a `;`
 * lost) as BYMONTH=109, drops the rest, and refuses what it then writes. Every part is
 * checked, so such a rule is refused on the first read, with its raw text kept.
 */
const RECUR_PARTS: Record<string, (v: string) => boolean> = {
  FREQ: (v) => /^(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)$/i.test(v),
  UNTIL: (v) => isDate(v) || isDateTime(v),
  COUNT: (v) => /^\d+$/.test(v),
  INTERVAL: (v) => /^\d+$/.test(v) && Number(v) > 0,
  BYSECOND: (v) => list('\\d{1,2}').test(v) && v.split(',').every((n) => inRange(n, 0, 60)),
  BYMINUTE: (v) => list('\\d{1,2}').test(v) && v.split(',').every((n) => inRange(n, 0, 59)),
  BYHOUR: (v) => list('\\d{1,2}').test(v) && v.split(',').every((n) => inRange(n, 0, 23)),
  BYDAY: (v) => list(`[+-]?\\d{0,2}${WEEKDAY}`).test(v),
  BYMONTHDAY: signed(1, 31),
  BYYEARDAY: signed(1, 366),
  BYWEEKNO: signed(1, 53),
  BYMONTH: (v) => list('\\d{1,2}L?').test(v) && v.split(',').every((n) => inRange(n.replace(/L$/i, ''), 1, 12)),
  BYSETPOS: signed(1, 366),
  WKST: (v) => new RegExp(`^${WEEKDAY}$`, 'i').test(v),
};

function checkRecur(raw: string): string | undefined {
  const parts = new Map<string, string>();
  for (const part of raw.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return `has a part without "=": "${part}"`;
    parts.set(part.slice(0, eq).toUpperCase(), part.slice(eq + 1));
  }
  if (!parts.has('FREQ')) return 'has no FREQ';
  for (const [name, value] of parts) {
    if (RECUR_PARTS[name]?.(value) === false) return `has an invalid ${name} "${value}"`;
  }
  return undefined;
}

/** Why a raw value is not a valid value of `type`, or undefined when it is. */
export function checkValue(type: string, raw: string): string | undefined {
  const each = (ok: (s: string) => boolean, what: string, sep: string | RegExp = ','): string | undefined => {
    const bad = raw.split(sep).find((s) => !ok(s));
    return bad === undefined ? undefined : `value "${bad}" is not a valid ${what}`;
  };
  switch (type) {
    case 'date': return each(isDate, 'date (YYYYMMDD)');
    case 'date-time': return each(isDateTime, 'date-time (YYYYMMDDTHHMMSS[Z])');
    case 'duration': return each(isDuration, 'duration');
    case 'utc-offset': return each((s) => UTC_OFFSET.test(s), 'UTC offset');
    case 'integer': return each((s) => INTEGER.test(s), 'integer');
    case 'float': return each((s) => FLOAT.test(s), 'number', /[;,]/);
    case 'period':
      return each((s) => {
        const [start, end, extra] = s.split('/');
        return extra === undefined && isDateTime(start) && end !== undefined && (isDateTime(end) || isDuration(end));
      }, 'period (start/end or start/duration)');
    case 'boolean': return each((s) => /^(TRUE|FALSE)$/i.test(s), 'boolean');
    case 'recur': {
      const why = checkRecur(raw);
      return why && `recurrence rule ${why}`;
    }
    default: return undefined;
  }
}

/**
 * Pairs every property of a parsed component with the content line it came from.
 * ical.js keeps the order of properties and of sub-components within each component,
 * so walking the lines with a stack finds each property's line.
 */
export function pairLines(lines: ContentLine[], root: JCalComponent): Array<{ line: ContentLine; prop: JCalProperty }> {
  const out: Array<{ line: ContentLine; prop: JCalProperty }> = [];
  const stack: Array<{ comp: JCalComponent; prop: number; sub: number }> = [];
  for (const l of lines) {
    const m = /^(BEGIN|END)\s*:/i.exec(l.text);
    if (m && m[1].toUpperCase() === 'BEGIN') {
      const top = stack[stack.length - 1];
      const comp = top ? top.comp[2][top.sub++] : root;
      if (!comp) break;
      stack.push({ comp, prop: 0, sub: 0 });
    } else if (m) {
      stack.pop();
    } else {
      const top = stack[stack.length - 1];
      const prop = top?.comp[1][top.prop++];
      if (prop) out.push({ line: l, prop });
    }
  }
  return out;
}

/** Types whose values hold no comma of their own: in them a comma separates values. */
const LISTABLE = new Set(['date', 'date-time', 'period', 'integer', 'utc-offset', 'boolean']);

/**
 * ical.js reads several values only where its design says a property has them (RDATE,
 * EXDATE…); elsewhere (`X-FOO;VALUE=DATE:20240312,20240319`, `DTSTART:a,b`) it keeps the first
 * and drops the rest, or reads a period list as one garbled period. Such a line is refused, so
 * the item keeps its raw text instead of losing values.
 */
function severalInOne(name: string, type: string, raw: string): string | undefined {
  if (!LISTABLE.has(type) || !raw.includes(',')) return undefined;
  const design = (ICAL.design.icalendar.property as Record<string, { multiValue?: string }>)[name.toLowerCase()];
  return design?.multiValue ? undefined : `holds several values ("${raw.slice(0, 80)}") where pimhub can keep only one`;
}

/** The first invalid value of a parsed component, as a message naming its line. */
export function findInvalidValue(lines: ContentLine[], root: JCalComponent): { line: number; message: string } | undefined {
  for (const { line, prop } of pairLines(lines, root)) {
    const raw = rawValue(line.text);
    const why = severalInOne(prop[0], prop[2], raw) ?? checkValue(prop[2], raw);
    if (why) return { line: line.line, message: `${prop[0].toUpperCase()} ${why}` };
  }
  return undefined;
}
