/**
 * Parses one block of content lines (a component, or calendar properties) with ical.js,
 * turning its exceptions and its silent misreadings into a located message.
 */
import ICAL from 'ical.js';
import { messageOf } from '../../core/errors.js';
import type { ContentLine } from './lines.js';
import type { JCalComponent, JCalProperty } from './jcal.js';
import { lineForIcalJs, parseParams } from './params.js';
import { repairTextValues } from './text-values.js';
import { findInvalidValue, pairLines } from './validate.js';

export type BlockParse =
  | { ok: true; comp: JCalComponent }
  | { ok: false; line: number; message: string };

function wrap(lines: string[]): string {
  return ['BEGIN:VCALENDAR', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

/** BEGIN/END lines normalised (`begin:vevent ` → `BEGIN:VEVENT`); properties stripped of
 * all parameters but VALUE, which ical.js misreads (see params.ts). */
function normalised(l: ContentLine): string {
  const m = /^(BEGIN|END)\s*:(.*)$/i.exec(l.text);
  if (m) return `${m[1].toUpperCase()}:${m[2].trim().toUpperCase()}`;
  const parsed = parseParams(l.text);
  return parsed ? lineForIcalJs(parsed) : l.text;
}

/** Which line ical.js choked on: the first that does not parse as a property alone. */
function locate(lines: ContentLine[]): ContentLine {
  for (const l of lines) {
    if (/^(BEGIN|END)\s*:/i.test(l.text)) continue;
    try {
      ICAL.parse(wrap([normalised(l)]));
    } catch {
      return l;
    }
  }
  return lines[0];
}

/** Parses a component block (BEGIN … END); the result is the component's jCal. */
export function parseComponentBlock(lines: ContentLine[]): BlockParse {
  let comp: JCalComponent;
  try {
    const cal = ICAL.parse(wrap(lines.map(normalised))) as JCalComponent;
    comp = cal[2][0];
    if (!comp || cal[2].length !== 1) throw new Error('not exactly one component');
  } catch (e) {
    const bad = locate(lines);
    return { ok: false, line: bad.line, message: `line ${bad.line}: ${messageOf(e)}` };
  }
  const invalid = findInvalidValue(lines, comp);
  if (invalid) return { ok: false, line: invalid.line, message: `line ${invalid.line}: ${invalid.message}` };
  for (const { line, prop } of pairLines(lines, comp)) {
    const parsed = parseParams(line.text);
    if (!parsed) return { ok: false, line: line.line, message: `line ${line.line}: malformed parameters` };
    prop[1] = parsed.params;
    repairTextValues(prop, parsed.value);
  }
  return { ok: true, comp };
}

/** Parses calendar-level property lines one by one, so one bad line costs only itself. */
export function parseCalendarProps(lines: ContentLine[]): { props: JCalProperty[]; bad: Array<{ line: ContentLine; message: string }> } {
  const props: JCalProperty[] = [];
  const bad: Array<{ line: ContentLine; message: string }> = [];
  for (const l of lines) {
    const r = parseComponentBlock([
      { text: 'BEGIN:X-PIMHUB-PROPS', line: l.line, endLine: l.line },
      l,
      { text: 'END:X-PIMHUB-PROPS', line: l.line, endLine: l.line },
    ]);
    if (r.ok) props.push(...r.comp[1]);
    else bad.push({ line: l, message: r.message });
  }
  return { props, bad };
}
