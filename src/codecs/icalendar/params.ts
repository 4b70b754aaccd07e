/**
 * Parameters read and written here rather than by ical.js, which (2.2) reads parameter
 * values as backslash-escaped text (`X-P=a\nb` becomes a line break, `"\,"` a comma) and
 * keeps only the first of several quoted values of a parameter it does not know
 * (`X-Q="a","b"` → `a`). RFC 5545 §3.2 has no backslash escapes in parameters; RFC 6868
 * caret escapes (^n ^' ^^) are honoured both ways.
 */
import ICAL from 'ical.js';
import type { ParamValue } from '../../model/property.js';
import { caretDecode, caretEncode, lexContentLine, quoteParamValue } from '../content-line/params.js';

const DESIGN_PARAMS = ICAL.design.icalendar.param as Record<string, { multiValue?: string }>;

function isMultiValued(name: string): boolean {
  return !!DESIGN_PARAMS[name]?.multiValue;
}

/**
 * The parameters of one content line, names lower-cased, VALUE left out (it is the type).
 * Several values become a list when the parameter is multi-valued by design (MEMBER,
 * DELEGATED-TO…) or when they were quoted one by one (`X-Q="a","b"`); unquoted `a,b` of
 * any other parameter stays one text, as ical.js and vCard TYPE handling expect.
 * Returns undefined when the line has no well-formed parameter list or no value.
 */
export function parseParams(line: string): ParsedLine | undefined {
  const lexed = lexContentLine(line);
  if (!lexed.ok) return undefined;
  const out: Record<string, ParamValue> = {};
  let valueType: string | undefined;
  for (const p of lexed.line.params) {
    // iCalendar has no bare parameters (vCard 2.1's `TEL;CELL:`).
    if (p.bare) return undefined;
    const param = p.name.toLowerCase();
    const values = p.values.map(caretDecode);
    if (param === 'value') {
      valueType = values.join(',');
      continue;
    }
    const prev = out[param];
    const all = prev === undefined ? values : [...(Array.isArray(prev) ? prev : [prev]), ...values];
    if (all.length === 1) out[param] = all[0];
    else if (isMultiValued(param) || p.quoted || prev !== undefined) out[param] = all;
    else out[param] = all.join(',');
  }
  return { name: lexed.line.name, params: out, valueType, value: lexed.line.value };
}

/** A content line taken apart: name as written, parameters, VALUE type, raw value. */
export interface ParsedLine {
  name: string;
  params: Record<string, ParamValue>;
  valueType?: string;
  value: string;
}

/**
 * The line as ical.js should see it: name, VALUE (the only parameter that changes how it
 * reads the value) and the raw value. Other parameters are read by parseParams.
 */
export function lineForIcalJs(p: ParsedLine): string {
  // ical.js turns an empty part of a rule (`FREQ=WEEKLY;BYDAY=MO;`) into `;=undefined` when writing.
  const value = /^(RRULE|EXRULE)$/i.test(p.name) ? p.value.split(';').filter((part) => part !== '').join(';') : p.value;
  return p.name + (p.valueType !== undefined ? `;VALUE=${p.valueType}` : '') + ':' + value;
}

/** `;NAME=value…` for every parameter, in the order given; lists are written quoted. */
export function writeParams(params: Record<string, ParamValue>): string {
  let out = '';
  for (const [k, v] of Object.entries(params)) {
    if (k.toLowerCase() === 'value') continue;
    const text = Array.isArray(v)
      ? v.map((x) => quoteParamValue(caretEncode(x), v.length > 1 || isMultiValued(k.toLowerCase()))).join(',')
      : quoteParamValue(caretEncode(v));
    out += `;${k.toUpperCase()}=${text}`;
  }
  return out;
}
