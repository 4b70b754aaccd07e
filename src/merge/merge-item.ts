import type { FieldDecision, FieldSource } from '../core/store.js';
import { FULL_CAPABILITIES, type FormatCapabilities } from '../model/capabilities.js';
import { ICAL_RULES, VCARD_RULES } from '../model/field-rules.js';
import type { CalendarItem, ContactItem, Item } from '../model/item.js';
import type { Component, Property } from '../model/property.js';
import type { Keyer } from './elements.js';
import { componentFingerprint } from './fingerprint.js';
import { mergeComponent, type MergeContext } from './merge-component.js';
import type { ConflictPolicy } from './policy.js';

export interface ItemMergeInput<T extends Item> {
  /** What the incoming member last agreed with the store; undefined for a first match. */
  base: T | undefined;
  current: T;
  incoming: T;
  /** What the incoming member can hold: the rest is taken from `current`, never read as deleted. */
  caps: FormatCapabilities;
  keyOf: Keyer;
  policy: ConflictPolicy;
  incomingSource: FieldSource;
  fieldSources: Record<string, FieldSource>;
  currentFallback: FieldSource;
}

export interface ItemMergeResult<T extends Item> {
  item: T;
  decisions: FieldDecision[];
  /** Field sources of the result (the current ones updated with the incoming side's wins). */
  fieldSources: Record<string, FieldSource>;
  incomingChanged: boolean;
  currentChanged: boolean;
  conflicts: number;
}

/**
 * Three-way merge of one item, field by field and element by element. Pure: the same
 * inputs give the same result, and nothing present on either side is dropped unless the
 * other side deliberately removed it.
 */
export function mergeItem<T extends Item>(input: ItemMergeInput<T>): ItemMergeResult<T> {
  const r = input.current.kind === 'contact'
    ? mergeContact(input as unknown as ItemMergeInput<ContactItem>)
    : mergeCalendar(input as unknown as ItemMergeInput<CalendarItem>);
  return r as unknown as ItemMergeResult<T>;
}

/** Adds what `caps` cannot hold from `from` to `c`, so its absence reads as "unchanged". */
function fillUnheld(c: Component, from: Component, caps: FormatCapabilities): Component {
  if (caps === FULL_CAPABILITIES) return c;
  const unheld = from.props.filter((p) => !caps.holds(p, from));
  if (unheld.length === 0) return c;
  return { ...c, props: [...c.props.filter((p) => caps.holds(p, c)), ...unheld] };
}

/** The canonical UID is the store's: a matched item keeps it. */
function withoutUid(c: Component): Component {
  return { ...c, props: c.props.filter((p) => p.name !== 'uid') };
}

function context(input: ItemMergeInput<Item>, table: MergeContext['table']): MergeContext {
  return {
    table,
    keyOf: input.keyOf,
    policy: input.policy,
    incoming: input.incomingSource,
    fieldSources: input.fieldSources,
    currentFallback: input.currentFallback,
  };
}

function finish<T extends Item>(item: T, input: ItemMergeInput<Item>, parts: Array<ReturnType<typeof mergeComponent>>): ItemMergeResult<T> {
  // Each part's decisions are its own fresh list: one part's is taken as it is.
  const decisions = parts.length === 1 ? parts[0]!.decisions : parts.flatMap((p) => p.decisions);
  const fieldSources = Object.assign({}, input.fieldSources);
  let incomingChanged = false;
  let currentChanged = false;
  for (const p of parts) {
    Object.assign(fieldSources, p.sources);
    incomingChanged ||= p.incomingChanged;
    currentChanged ||= p.currentChanged;
  }
  let conflicts = 0;
  for (const d of decisions) if (d.conflict) conflicts += 1;
  return { item, decisions, fieldSources, incomingChanged, currentChanged, conflicts };
}

function mergeContact(input: ItemMergeInput<ContactItem>): ItemMergeResult<ContactItem> {
  const cur = input.current.card;
  const uidProps: Property[] = [];
  const curProps: Property[] = [];
  for (const p of cur.props) (p.name === 'uid' ? uidProps : curProps).push(p);
  // Both sides as the member's format holds them: what it cannot keep is no edit of its.
  const project = (c: Component) => (input.caps.project ? input.caps.project(c) : c);
  const incoming = withoutUid(fillUnheld(project(input.incoming.card), cur, input.caps));
  const base = input.base ? withoutUid(fillUnheld(project(input.base.card), cur, input.caps)) : undefined;
  const view = input.caps.project ? withoutUid(fillUnheld(project(cur), cur, input.caps)) : undefined;
  const m = mergeComponent(base, { ...cur, props: curProps }, incoming, '', context(input, VCARD_RULES), view);
  const card: Component = { ...m.component, props: uidProps.length === 0 ? m.component.props : uidProps.concat(m.component.props) };
  return finish({ kind: 'contact', uid: input.current.uid, card }, input, [m]);
}

/** Sub-items of a calendar item: `master` and one per RECURRENCE-ID. */
export function subItems(item: CalendarItem): Map<string, Component> {
  const m = new Map<string, Component>();
  if (item.master) m.set('master', item.master);
  for (const o of item.overrides) m.set(recurrenceKey(o), o);
  return m;
}

export function recurrenceKey(c: Component): string {
  const rid = c.props.find((p) => p.name === 'recurrence-id');
  return rid ? String(rid.values[0] ?? '').replace(/[^0-9TZ]/g, '') : 'master';
}

function mergeCalendar(input: ItemMergeInput<CalendarItem>): ItemMergeResult<CalendarItem> {
  const ctx = context(input, ICAL_RULES);
  const fp = (c: Component | undefined) => (c ? componentFingerprint(c, ICAL_RULES, input.keyOf) : '');
  const b = input.base ? subItems(input.base) : new Map<string, Component>();
  const c = subItems(input.current);
  const i = subItems(input.incoming);
  const parts: Array<ReturnType<typeof mergeComponent>> = [];
  const result = new Map<string, Component>();
  let removedByIncoming = false;
  for (const key of new Set([...c.keys(), ...i.keys(), ...b.keys()])) {
    const bc = b.get(key);
    const cc = c.get(key);
    const ic = i.get(key);
    if (cc && ic) {
      const m = mergeComponent(bc && withoutUid(bc), withoutUid(cc), withoutUid(fillUnheld(ic, cc, input.caps)), key, ctx);
      parts.push(m);
      result.set(key, { ...m.component, props: restoreUid(cc, m.component) });
    } else if (cc) {
      // Gone on the incoming side: a removal only if the store's version is the base one.
      if (!bc || fp(bc) !== fp(cc)) result.set(key, cc);
      else removedByIncoming = true;
    } else if (ic) {
      if (!bc || fp(bc) !== fp(ic)) result.set(key, ic);
    }
  }
  const master = result.get('master');
  const overrides = [...result.entries()].filter(([k]) => k !== 'master').sort(([x], [y]) => (x < y ? -1 : 1)).map(([, v]) => v);
  const timezones = unionTimezones(input.current.timezones, input.incoming.timezones);
  const item: CalendarItem = { kind: 'calendar', uid: input.current.uid, compType: input.current.compType, overrides, timezones };
  if (master) item.master = master;
  const r = finish(item, input, parts);
  const added = [...i.keys()].some((k) => !c.has(k) && !b.has(k));
  if (removedByIncoming || added) r.incomingChanged = true;
  return r;
}

function restoreUid(current: Component, merged: Component): Component['props'] {
  const uid = current.props.find((p) => p.name === 'uid');
  const rest = merged.props.filter((p) => p.name !== 'uid');
  return uid ? [uid, ...rest] : rest;
}

function unionTimezones(current: Component[], incoming: Component[]): Component[] {
  const tzid = (c: Component) => String(c.props.find((p) => p.name === 'tzid')?.values[0] ?? '');
  const out = new Map(current.map((c) => [tzid(c), c] as const));
  for (const c of incoming) if (!out.has(tzid(c))) out.set(tzid(c), c);
  return [...out.values()];
}

export type { ConflictPolicy };
