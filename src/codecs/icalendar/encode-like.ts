/**
 * A calendar item written in a member's own form (SPEC §5), the iCalendar side of
 * src/codecs/vcard/encode-like.ts: given the text the member last held (the template),
 * every property that decodes from one of the template's lines to exactly the same property
 * is written as that line, byte for byte (`VALUE=DATE-TIME`, parameter case, vendor
 * parameters, folding); only the others are encoded. The template's VCALENDAR properties
 * (PRODID, CALSCALE, X-WR-…) and its BEGIN/END lines are kept, components keep the
 * template's order (a VTIMEZONE before or after the VEVENT), and line ends are the
 * template's. A stale template costs form, never content.
 */
import type { CalendarItem } from '../../model/item.js';
import { sameProperty, type Component, type Property } from '../../model/property.js';
import { splitBlocks } from './blocks.js';
import { DEFAULT_PRODID, encodeCalendarItem, itemComponents } from './encode.js';
import { tzidOf } from './group.js';
import { componentFromJCal, componentLines, propertyLine } from './jcal.js';
import { foldLine } from '../content-line/fold.js';
import { toText, unfoldLines, type ContentLine, type SourceText } from './lines.js';
import { parseComponentBlock } from './parse-block.js';

/** One component of the template: its decoded form and the raw text of each part. */
interface Node {
  comp: Component;
  begin: string;
  end: string;
  props: Array<{ prop: Property; text: string }>;
  subs: Node[];
}

interface CalendarTemplate {
  begin: string;
  end: string;
  props: string[];
  hasVersion: boolean;
  hasProdid: boolean;
  nodes: Node[];
  eol: string;
}

/** Pairs a decoded component with its lines; undefined when the shapes differ. */
function nodeOf(lines: ContentLine[], comp: Component, raw: (l: ContentLine) => string): Node | undefined {
  const node: Node = { comp, begin: raw(lines[0]!), end: raw(lines[lines.length - 1]!), props: [], subs: [] };
  let i = 1;
  while (i < lines.length - 1) {
    const l = lines[i]!;
    if (/^BEGIN\s*:/i.test(l.text)) {
      let depth = 0;
      let j = i;
      for (; j < lines.length - 1; j++) {
        if (/^BEGIN\s*:/i.test(lines[j]!.text)) depth++;
        else if (/^END\s*:/i.test(lines[j]!.text) && --depth === 0) break;
      }
      const sub = comp.components[node.subs.length];
      const child = sub && nodeOf(lines.slice(i, j + 1), sub, raw);
      if (!child) return undefined;
      node.subs.push(child);
      i = j + 1;
      continue;
    }
    const prop = comp.props[node.props.length];
    if (!prop) return undefined;
    node.props.push({ prop, text: raw(l) });
    i++;
  }
  return node.props.length === comp.props.length && node.subs.length === comp.components.length ? node : undefined;
}

function parseTemplate(text: string): CalendarTemplate | undefined {
  const src: SourceText = unfoldLines(toText(text));
  const { calendars, problems } = splitBlocks(src);
  const cal = calendars[0];
  if (calendars.length !== 1 || problems.length > 0 || !cal) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const raw = (l: ContentLine): string => src.physical.slice(l.line - 1, l.endLine).join(eol);
  const nodes: Node[] = [];
  for (const block of cal.components) {
    const parsed = parseComponentBlock(block.lines);
    const node = parsed.ok ? nodeOf(block.lines, componentFromJCal(parsed.comp), raw) : undefined;
    if (node) nodes.push(node);
  }
  const names = cal.props.map((l) => /^[A-Za-z0-9-]+/.exec(l.text)?.[0]?.toUpperCase());
  const endLine = src.physical.findLastIndex((l) => /^END\s*:\s*VCALENDAR\s*$/i.test(l));
  return {
    begin: src.physical[cal.line - 1]!, end: endLine >= 0 ? src.physical[endLine]! : 'END:VCALENDAR',
    props: cal.props.map(raw), hasVersion: names.includes('VERSION'), hasProdid: names.includes('PRODID'), nodes, eol,
  };
}

/** What tells two top-level components of one item apart: the TZID, or the RECURRENCE-ID. */
function keyOf(c: Component): string {
  if (c.name === 'vtimezone') return `vtimezone|${tzidOf(c)}`;
  const rid = c.props.find((p) => p.name === 'recurrence-id');
  return `${c.name}|${rid ? JSON.stringify(rid.values) : ''}`;
}

function sameComponent(a: Component, b: Component): boolean {
  return a.name === b.name && a.props.length === b.props.length && a.components.length === b.components.length
    && a.props.every((p, i) => sameProperty(p, b.props[i]!)) && a.components.every((c, i) => sameComponent(c, b.components[i]!));
}

function emit(c: Component, node: Node | undefined, eol: string, out: string[]): void {
  if (!node) {
    out.push(...componentLines(c).map((l) => foldLine(l).join(eol)));
    return;
  }
  out.push(node.begin);
  const used = new Set<number>();
  for (const p of c.props) {
    const i = node.props.findIndex((np, j) => !used.has(j) && sameProperty(np.prop, p));
    if (i >= 0) used.add(i);
    out.push(i >= 0 ? node.props[i]!.text : foldLine(propertyLine(p)).join(eol));
  }
  const usedSubs = new Set<number>();
  for (const sub of c.components) {
    let i = node.subs.findIndex((n, j) => !usedSubs.has(j) && sameComponent(n.comp, sub));
    if (i < 0) i = node.subs.findIndex((n, j) => !usedSubs.has(j) && n.comp.name === sub.name);
    if (i >= 0) usedSubs.add(i);
    emit(sub, i >= 0 ? node.subs[i] : undefined, eol, out);
  }
  out.push(node.end);
}

/** encodeCalendarItem, in the template's form where the item did not change (see above). */
export function encodeCalendarItemLike(item: CalendarItem, template: string | undefined): string {
  const t = template === undefined ? undefined : parseTemplate(template);
  if (!t) return encodeCalendarItem(item);
  const out: string[] = [t.begin];
  if (!t.hasVersion) out.push('VERSION:2.0');
  out.push(...t.props);
  if (!t.hasProdid) out.push(foldLine(propertyLine({ name: 'prodid', params: {}, type: 'text', values: [DEFAULT_PRODID] })).join(t.eol));
  const byKey = new Map(t.nodes.map((n, i) => [keyOf(n.comp), i] as const));
  const comps = [...item.timezones, ...itemComponents(item)].map((c, order) => ({ c, at: byKey.get(keyOf(c)) ?? Infinity, order }));
  comps.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const { c, at } of comps) emit(c, Number.isFinite(at) ? t.nodes[at] : undefined, t.eol, out);
  out.push(t.end);
  return out.join(t.eol) + t.eol;
}
