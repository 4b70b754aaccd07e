/**
 * Groups decoded components into calendar items: everything sharing a UID is one item
 * (master + RECURRENCE-ID overrides), with the VTIMEZONEs its TZIDs reference.
 */
import { asUid, NO_UID, type Uid } from '../../core/types.js';
import type { CalendarComponentType, CalendarItem } from '../../model/item.js';
import { findProp, type Component, type Property } from '../../model/property.js';

export const ITEM_TYPES: ReadonlySet<string> = new Set<CalendarComponentType>(['vevent', 'vtodo', 'vjournal']);

/** TZIDs referenced anywhere in a component tree (DTSTART, EXDATE, VALARM TRIGGER…). */
export function referencedTzids(c: Component, into = new Set<string>()): Set<string> {
  for (const p of c.props) {
    const tz = p.params.tzid;
    if (typeof tz === 'string' && tz !== '') into.add(tz);
  }
  for (const sub of c.components) referencedTzids(sub, into);
  return into;
}

export function tzidOf(vtimezone: Component): string {
  const p = findProp(vtimezone, 'tzid');
  const v = p?.values[0];
  return typeof v === 'string' ? v : '';
}

function recurrenceKey(c: Component): string {
  const p = findProp(c, 'recurrence-id');
  return p ? String(p.values[0] ?? '') : '';
}

/** Sort key of an override: its RECURRENCE-ID value, then the whole component as a tie-break. */
export function compareOverrides(a: Component, b: Component): number {
  const ka = recurrenceKey(a);
  const kb = recurrenceKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

export function uidOf(c: Component): Uid {
  const v = findProp(c, 'uid')?.values[0];
  return typeof v === 'string' ? asUid(v) : NO_UID;
}

function recurrenceProp(c: Component): Property | undefined {
  return findProp(c, 'recurrence-id');
}

/** A component decoded from a calendar, with what grouping needs to know about it. */
export interface Decoded {
  comp: Component;
  /** VTIMEZONEs of the calendar it came from, by TZID. */
  zones: Map<string, Component>;
  line: number;
  raw: string;
}

export interface GroupProblem {
  line: number;
  message: string;
  raw: string;
}

/**
 * Builds items in order of first appearance. A UID-less component is an item on its own.
 * A second master or a second override with the same RECURRENCE-ID, or a UID reused by
 * another component type, is reported rather than merged or dropped silently.
 */
export function groupItems(decoded: Decoded[], allZones: Map<string, Component>): { items: CalendarItem[]; problems: GroupProblem[] } {
  const items: CalendarItem[] = [];
  const byUid = new Map<string, CalendarItem>();
  const zonesOf = new Map<CalendarItem, Map<string, Component>>();
  const problems: GroupProblem[] = [];
  for (const d of decoded) {
    const uid = uidOf(d.comp);
    const compType = d.comp.name as CalendarComponentType;
    let item = uid === '' ? undefined : byUid.get(uid);
    if (!item) {
      item = { kind: 'calendar', uid, compType, overrides: [], timezones: [] };
      items.push(item);
      zonesOf.set(item, new Map());
      if (uid !== '') byUid.set(uid, item);
    }
    const rid = recurrenceProp(d.comp);
    const clash = item.compType !== compType
      ? `UID ${uid} is already used by a ${item.compType.toUpperCase()}`
      : !rid && item.master
        ? `a second ${compType.toUpperCase()} with UID ${uid} and no RECURRENCE-ID`
        : rid && item.overrides.some((o) => recurrenceKey(o) === recurrenceKey(d.comp))
          ? `a second override of UID ${uid} for RECURRENCE-ID ${recurrenceKey(d.comp)}`
          : undefined;
    if (clash) {
      problems.push({ line: d.line, message: `line ${d.line}: ${clash}`, raw: d.raw });
      continue;
    }
    if (rid) item.overrides.push(d.comp);
    else item.master = d.comp;
    const zones = zonesOf.get(item)!;
    for (const tzid of referencedTzids(d.comp)) {
      const z = d.zones.get(tzid) ?? allZones.get(tzid);
      if (z && !zones.has(tzid)) zones.set(tzid, z);
    }
  }
  for (const item of items) {
    item.overrides.sort(compareOverrides);
    const zones = zonesOf.get(item)!;
    item.timezones = [...zones.keys()].sort().map((k) => structuredClone(zones.get(k)!));
  }
  return { items, problems };
}
