/**
 * Splits iCalendar content lines into VCALENDAR blocks and their top-level components
 * before any parsing, so one broken or truncated component costs only itself: ical.js
 * parses a whole text or nothing.
 */
import type { DecodeProblem } from '../types.js';
import { physicalText, type ContentLine, type SourceText } from './lines.js';

/** A top-level component of a VCALENDAR, BEGIN and END lines included. */
export interface ComponentBlock {
  /** Lower-case component name (`vevent`, `vtimezone`). */
  name: string;
  lines: ContentLine[];
}

export interface CalendarBlock {
  /** 1-based line of BEGIN:VCALENDAR. */
  line: number;
  /** Calendar-level property lines (VERSION, PRODID, X-WR-CALNAME…). */
  props: ContentLine[];
  components: ComponentBlock[];
}

export interface SplitResult {
  calendars: CalendarBlock[];
  problems: DecodeProblem[];
}

/** Components that only ever appear directly inside VCALENDAR: seeing one opened inside
 * another component means that component lost its END line. */
const TOP_LEVEL = new Set(['vcalendar', 'vevent', 'vtodo', 'vjournal', 'vtimezone', 'vfreebusy', 'vavailability']);

interface Marker {
  kind: 'begin' | 'end';
  name: string;
}

function markerOf(l: ContentLine): Marker | undefined {
  const m = /^(BEGIN|END)\s*:(.*)$/i.exec(l.text);
  if (!m) return undefined;
  return { kind: m[1].toLowerCase() === 'begin' ? 'begin' : 'end', name: m[2].trim().toLowerCase() };
}

/** Looks like binary: NUL or other C0 controls that text never holds. */
function looksBinary(text: string): boolean {
  return /[\u0000-\u0008\u000e-\u001f]/.test(text);
}

export function splitBlocks(src: SourceText): SplitResult {
  const calendars: CalendarBlock[] = [];
  const problems: DecodeProblem[] = [];
  let cal: CalendarBlock | undefined;
  let comp: { block: ComponentBlock; stack: string[]; error?: string } | undefined;
  let stray: ContentLine[] = [];

  const rawOf = (lines: ContentLine[]): string =>
    lines.length === 0 ? '' : physicalText(src, lines[0].line, lines[lines.length - 1].endLine);
  const flushStray = (): void => {
    if (stray.length === 0) return;
    const raw = rawOf(stray);
    const what = looksBinary(raw) ? 'binary data, not iCalendar text' : `${stray.length} line(s) of text`;
    problems.push({
      line: stray[0].line,
      message: `line ${stray[0].line}: ${what} outside BEGIN:VCALENDAR … END:VCALENDAR`,
      raw,
    });
    stray = [];
  };
  const breakComponent = (why: string): void => {
    if (!comp) return;
    const b = comp.block;
    problems.push({
      line: b.lines[0].line,
      message: `line ${b.lines[0].line}: ${b.name.toUpperCase()} is broken: ${why}`,
      raw: rawOf(b.lines),
    });
    comp = undefined;
  };
  const finishComponent = (): void => {
    if (!comp || !cal) return;
    if (comp.error) breakComponent(comp.error);
    else cal.components.push(comp.block);
    comp = undefined;
  };

  for (const l of src.lines) {
    const mk = markerOf(l);
    if (!cal) {
      if (mk?.kind === 'begin' && mk.name === 'vcalendar') {
        flushStray();
        cal = { line: l.line, props: [], components: [] };
        calendars.push(cal);
      } else {
        stray.push(l);
      }
      continue;
    }
    if (comp) {
      if (mk?.kind === 'begin' && TOP_LEVEL.has(mk.name)) {
        breakComponent(`BEGIN:${mk.name.toUpperCase()} at line ${l.line} before END:${comp.stack[0].toUpperCase()}`);
      } else if (mk?.kind === 'end' && mk.name === 'vcalendar') {
        breakComponent(`END:VCALENDAR at line ${l.line} before END:${comp.stack[comp.stack.length - 1].toUpperCase()}`);
      } else {
        comp.block.lines.push(l);
        if (mk?.kind === 'begin') comp.stack.push(mk.name);
        else if (mk?.kind === 'end') {
          const top = comp.stack[comp.stack.length - 1];
          if (mk.name !== top) {
            const at = comp.stack.lastIndexOf(mk.name);
            comp.error ??= `END:${mk.name.toUpperCase()} at line ${l.line} while ${top.toUpperCase()} is open`;
            if (at >= 0) comp.stack.length = at + 1;
            else continue;
          }
          comp.stack.pop();
          if (comp.stack.length === 0) finishComponent();
        }
        continue;
      }
    }
    // inside a calendar, outside any component
    if (mk?.kind === 'begin' && mk.name === 'vcalendar') {
      problems.push({ line: cal.line, message: `line ${cal.line}: VCALENDAR is not closed before BEGIN:VCALENDAR at line ${l.line}`, raw: '' });
      cal = { line: l.line, props: [], components: [] };
      calendars.push(cal);
    } else if (mk?.kind === 'begin') {
      comp = { block: { name: mk.name, lines: [l] }, stack: [mk.name] };
    } else if (mk?.kind === 'end' && mk.name === 'vcalendar') {
      cal = undefined;
    } else if (mk?.kind === 'end') {
      problems.push({ line: l.line, message: `line ${l.line}: END:${mk.name.toUpperCase()} without BEGIN`, raw: rawOf([l]) });
    } else {
      cal.props.push(l);
    }
  }
  if (comp) {
    breakComponent(`the text ends before END:${comp.stack[comp.stack.length - 1].toUpperCase()} (truncated)`);
  } else if (cal) {
    problems.push({
      line: cal.line,
      message: `line ${cal.line}: VCALENDAR is not closed (missing END:VCALENDAR); its complete components were decoded`,
      raw: '',
    });
  }
  flushStray();
  problems.sort((a, b) => a.line - b.line);
  return { calendars, problems };
}
