import type { FieldDecision, FieldSource } from '../core/store.js';
import type { FieldRule } from '../model/field-rules.js';
import { SUBCOMPONENT_KEYS } from '../model/field-rules.js';
import type { Component, Property } from '../model/property.js';
import { ElementMap } from './element-map.js';
import { firstPosition, joinFields, splitComponent, type FieldMap, type Keyer } from './elements.js';
import { isPreferred } from '../normalize/meaning.js';
import { componentKey, displayValue, sameForm, samePrefAside, sameProps, type Comparison } from './equality.js';
import { chooseSide, type ConflictPolicy } from './policy.js';

export interface MergeContext {
  table: Record<string, FieldRule>;
  keyOf: Keyer;
  policy: ConflictPolicy;
  /** Who brings the incoming version, and its time (REV/LAST-MODIFIED, else when seen). */
  incoming: FieldSource;
  /** Who set each field of the current version (keys `component/field`). */
  fieldSources: Record<string, FieldSource>;
  /** For fields with no recorded source. */
  currentFallback: FieldSource;
}

export interface ComponentMerge {
  component: Component;
  decisions: FieldDecision[];
  /** Field sources of the result for the fields the incoming side set. */
  sources: Record<string, FieldSource>;
  incomingChanged: boolean;
  currentChanged: boolean;
}

/** Which side a three-way decision keeps: both agree, one side's change, or a conflict for the policy. */
const enum Side { Both, Incoming, Current, Conflict }

/**
 * The three-way rule, for one element: equal sides agree; a side equal to the base did not
 * change. `cv` is the current value as the incoming member's format would hold it. The
 * comparison is a plain function with its comparison table (no closure, no outcome object:
 * a merge decides every element of every field).
 */
function decide<T, C>(b: T | undefined, cv: T | undefined, i: T | undefined, eq: (x: T | undefined, y: T | undefined, cmp: C) => boolean, cmp: C): Side {
  if (eq(cv, i, cmp)) return Side.Both;
  if (eq(b, cv, cmp)) return Side.Incoming;
  if (eq(b, i, cmp)) return Side.Current;
  return Side.Conflict;
}

/** What a component's merge gathers while it walks the fields. */
interface Gathered {
  out: FieldMap;
  decisions: FieldDecision[];
  sources: Record<string, FieldSource>;
  incomingChanged: boolean;
  currentChanged: boolean;
}

/** Merges one component (a vCard, or a VEVENT/VTODO/VJOURNAL master or override). */
export function mergeComponent(
  base: Component | undefined,
  current: Component,
  incoming: Component,
  compKey: string,
  ctx: MergeContext,
  /** `current` as the incoming member's format holds it (when that format drops parameters). */
  currentView: Component = current,
): ComponentMerge {
  // The base is split once with current when its properties are the same data: in a sync
  // the store's version is usually what the member last agreed, and only the member
  // changed. Equal data splits into equal fields, so the outcome is the same. (Checking
  // incoming too cost more in merges of two edits than it saved.)
  const sc = splitComponent(current, ctx.table, ctx.keyOf);
  const split = (c: Component) => (c === current || sameForm(c.props, current.props) ? sc : splitComponent(c, ctx.table, ctx.keyOf));
  const sb = base ? split(base) : undefined;
  const sv = split(currentView);
  const si = splitComponent(incoming, ctx.table, ctx.keyOf);
  const g: Gathered = { out: new Map(), decisions: [], sources: {}, incomingChanged: false, currentChanged: false };

  // Fields in the order current, incoming, base name them (each once).
  const bFields = sb?.fields;
  for (const [field, cf] of sc.fields) mergeField(field, bFields?.get(field), cf, sv.fields.get(field), si.fields.get(field), compKey, ctx, g);
  for (const [field, inf] of si.fields) {
    if (!sc.fields.has(field)) mergeField(field, bFields?.get(field), undefined, sv.fields.get(field), inf, compKey, ctx, g);
  }
  if (bFields) {
    for (const [field, bf] of bFields) {
      if (!sc.fields.has(field) && !si.fields.has(field)) mergeField(field, bf, undefined, sv.fields.get(field), undefined, compKey, ctx, g);
    }
  }

  const subs = mergeSubcomponents(base?.components ?? [], current.components, incoming.components, compKey, ctx);
  for (const d of subs.decisions) g.decisions.push(d);

  const volatile = pickVolatile(sc.volatile, si.volatile);
  return {
    component: { name: current.name, props: joinFields(g.out, volatile, (name) => firstPosition(name, current.props, incoming.props), ctx.table), components: subs.components },
    decisions: g.decisions,
    sources: g.sources,
    incomingChanged: g.incomingChanged || subs.incomingChanged,
    currentChanged: g.currentChanged || subs.currentChanged,
  };
}

/** One field: its elements in the order current, incoming, base hold them, each decided three-way. */
function mergeField(
  field: string,
  bf: ElementMap | undefined,
  cf: ElementMap | undefined,
  vf: ElementMap | undefined,
  inf: ElementMap | undefined,
  compKey: string,
  ctx: MergeContext,
  g: Gathered,
): void {
  const f: FieldWalk = { field, compKey, ctx, g, merged: undefined, vf, currentSource: undefined };
  if (cf) {
    const keys = cf.keys();
    const values = cf.values();
    for (let at = 0; at < keys.length; at += 1) mergeElement(f, keys[at]!, bf?.get(keys[at]!), values[at], inf?.get(keys[at]!));
  }
  if (inf) {
    const keys = inf.keys();
    const values = inf.values();
    for (let at = 0; at < keys.length; at += 1) if (!cf?.has(keys[at]!)) mergeElement(f, keys[at]!, bf?.get(keys[at]!), undefined, values[at]);
  }
  if (bf) {
    const keys = bf.keys();
    const values = bf.values();
    for (let at = 0; at < keys.length; at += 1) if (!cf?.has(keys[at]!) && !inf?.has(keys[at]!)) mergeElement(f, keys[at]!, values[at], undefined, undefined);
  }
  if (f.merged) g.out.set(field, f.merged);
}

/** The field being merged, and who set it (looked up only when an element changed: most fields of most merges did not). */
interface FieldWalk {
  field: string;
  compKey: string;
  ctx: MergeContext;
  g: Gathered;
  /** The field's merged elements, made with the first one. */
  merged: ElementMap | undefined;
  vf: ElementMap | undefined;
  currentSource: FieldSource | undefined;
}

function sourceOfCurrent(f: FieldWalk): FieldSource {
  return (f.currentSource ??= f.ctx.fieldSources[`${f.compKey}/${f.field}`] ?? f.ctx.currentFallback);
}

function keep(f: FieldWalk, key: string, value: Property[]): void {
  if (f.merged) f.merged.set(key, value);
  else f.merged = new ElementMap(key, value);
}

function mergeElement(f: FieldWalk, key: string, b: Property[] | undefined, c: Property[] | undefined, i: Property[] | undefined): void {
  const { ctx, g } = f;
  const cv = f.vf?.get(key) ?? c;
  // The common case first: both sides hold the element in the same form.
  if (c !== undefined && cv === c && i !== undefined && c.length > 0 && sameForm(c, i)) {
    keep(f, key, c);
    return;
  }
  let side = decide(b, cv, i, sameProps, ctx);
  let conflict = false;
  if (side === Side.Conflict) {
    conflict = true;
    side = chooseSide(ctx.policy, sourceOfCurrent(f), ctx.incoming) === 'current' ? Side.Current : Side.Incoming;
    // Both sides hold the element and differ only in its preference flag: keep the preferred one, no conflict.
    if (samePrefAside(cv, i, ctx)) {
      conflict = false;
      side = (i ?? []).some(isPreferred) && !(c ?? []).some(isPreferred) ? Side.Incoming : Side.Current;
    }
  }
  const value = side === Side.Incoming ? i : c;
  if (value && value.length > 0) keep(f, key, value);
  if (side === Side.Current || conflict) g.currentChanged = true;
  if (side === Side.Incoming || conflict) {
    g.incomingChanged = true;
    const { field, compKey } = f;
    const source = sourceOfCurrent(f);
    if (value === i) g.sources[`${compKey}/${field}`] = ctx.incoming;
    g.decisions.push({
      field: key ? `${field}[${key}]` : field,
      path: { component: compKey, field, element: key },
      conflict,
      base: displayValue(b),
      values: [
        { connector: source.connector, value: displayValue(c), raw: c ?? null },
        { connector: ctx.incoming.connector, value: displayValue(i), raw: i ?? null },
      ],
      chosen: displayValue(value),
      chosenIndex: value === c ? 0 : 1,
    });
  }
}

/** Volatile properties: per name, the larger value (REV, LAST-MODIFIED, SEQUENCE); the store's otherwise. */
function pickVolatile(current: Property[], incoming: Property[]): Property[] {
  const byName = new Map<string, Property>();
  for (const p of current) if (!byName.has(p.name)) byName.set(p.name, p);
  for (const p of incoming) {
    const c = byName.get(p.name);
    if (!c || (p.name !== 'prodid' && String(p.values[0] ?? '') > String(c.values[0] ?? ''))) byName.set(p.name, p);
  }
  return [...byName.values()];
}

export function subKey(c: Component, cmp: Comparison): string {
  const keyProps = SUBCOMPONENT_KEYS[c.name];
  if (!keyProps) return `${c.name}:${componentKey(c, cmp)}`;
  return `${c.name}:${keyProps.map((n) => JSON.stringify(c.props.find((p) => p.name === n)?.values ?? null)).join('|')}`;
}

function mergeSubcomponents(
  base: Component[],
  current: Component[],
  incoming: Component[],
  compKey: string,
  ctx: MergeContext,
): { components: Component[]; decisions: FieldDecision[]; incomingChanged: boolean; currentChanged: boolean } {
  // A vCard has none: nothing to index.
  if (base.length === 0 && current.length === 0 && incoming.length === 0) return { components: [], decisions: [], incomingChanged: false, currentChanged: false };
  const index = (list: Component[]) => new Map(list.map((c) => [subKey(c, ctx), c] as const));
  const bm = index(base);
  const cm = index(current);
  const im = index(incoming);
  const keys = new Set([...cm.keys(), ...im.keys(), ...bm.keys()]);
  const components: Component[] = [];
  const decisions: FieldDecision[] = [];
  let incomingChanged = false;
  let currentChanged = false;
  const currentSource = ctx.fieldSources[`${compKey}/components`] ?? ctx.currentFallback;
  for (const key of keys) {
    const c = cm.get(key);
    const i = im.get(key);
    let side = decide(bm.get(key), c, i, sameComponent, ctx);
    const conflict = side === Side.Conflict;
    if (conflict) side = chooseSide(ctx.policy, currentSource, ctx.incoming) === 'current' ? Side.Current : Side.Incoming;
    const value = side === Side.Incoming ? i : c;
    if (value) components.push(value);
    if (side === Side.Incoming || conflict) incomingChanged = true;
    if (side === Side.Current || conflict) currentChanged = true;
    if (side === Side.Incoming || conflict) {
      const name = (c ?? i)!.name;
      const show = (x: Component | undefined) => (x ? displayValue(x.props) : null);
      decisions.push({
        field: `${name}[${key}]`,
        path: { component: compKey, field: name, element: key },
        conflict,
        base: show(bm.get(key)),
        values: [
          { connector: currentSource.connector, value: show(c), raw: c ?? null },
          { connector: ctx.incoming.connector, value: show(i), raw: i ?? null },
        ],
        chosen: show(value),
        chosenIndex: value === c ? 0 : 1,
      });
    }
  }
  return { components, decisions, incomingChanged, currentChanged };
}

function sameComponent(x: Component | undefined, y: Component | undefined, cmp: Comparison): boolean {
  return componentKey(x, cmp) === componentKey(y, cmp);
}
