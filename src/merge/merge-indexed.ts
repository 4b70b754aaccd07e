import type { FieldDecision, FieldSource } from '../core/store.js';
import { ICAL_RULES, VCARD_RULES } from '../model/field-rules.js';
import type { ContactItem } from '../model/item.js';
import type { Component, Property } from '../model/property.js';
import { isPreferred } from '../normalize/meaning.js';
import { ElementMap } from './element-map.js';
import { joinFields, type FieldMap } from './elements.js';
import { displayValue, propsKey } from './equality.js';
import { indexComponent, type ComponentIndex, type IndexedElement, type IndexedField } from './field-index.js';
import { mergeSubcomponents, pickVolatile, type ComponentMerge, type MergeContext } from './merge-component.js';
import { context, fillUnheld, finish, withoutUid, type ItemMergeInput, type ItemMergeResult } from './merge-item.js';
import { chooseSide } from './policy.js';

/**
 * The field-index prototype (docs/performance.md, "Speed round 6"): the same three-way merge
 * as `mergeComponent`, as a merge-join over three field indexes. Decisions and output are
 * `mergeComponent`'s (checked differentially, test/merge/field-index.test.ts); the order of
 * both is restored from each field's and element's place on its side.
 */
const NO_FIELDS: IndexedField[] = [];
const NO_ELEMENTS: IndexedElement[] = [];
/** Orders of the second and third side: after every field or element of the first. */
const TIER = 1 << 20;

interface Ordered<T> {
  order: number;
  value: T;
}

interface OrderedElement extends Ordered<Property[]> {
  key: string;
}

interface Walk {
  ctx: MergeContext;
  compKey: string;
  /** With whether the incoming side set the field (sources are recorded in the order of the decisions). */
  decisions: Array<Ordered<FieldDecision> & { setBy: boolean }> | undefined;
  out: Array<{ name: string; elements: OrderedElement[] }>;
  sources: Record<string, FieldSource>;
  incomingChanged: boolean;
  currentChanged: boolean;
}

/** Three-way merge of one component from its indexes; `v` is current as the incoming member's format holds it. */
export function mergeIndexed(b: ComponentIndex | undefined, c: ComponentIndex, i: ComponentIndex, compKey: string, ctx: MergeContext, v?: ComponentIndex): ComponentMerge {
  const w: Walk = { ctx, compKey, decisions: undefined, out: [], sources: {}, incomingChanged: false, currentChanged: false };
  const bF = b?.fields ?? NO_FIELDS;
  const cF = c.fields;
  const iF = i.fields;
  const vF = v ? v.fields : cF;
  let bi = 0;
  let ci = 0;
  let ii = 0;
  let vi = 0;
  while (ci < cF.length || ii < iF.length || bi < bF.length) {
    let name = ci < cF.length ? cF[ci]!.name : undefined;
    if (ii < iF.length && (name === undefined || iF[ii]!.name < name)) name = iF[ii]!.name;
    if (bi < bF.length && (name === undefined || bF[bi]!.name < name)) name = bF[bi]!.name;
    const cf = ci < cF.length && cF[ci]!.name === name ? cF[ci++] : undefined;
    const inf = ii < iF.length && iF[ii]!.name === name ? iF[ii++] : undefined;
    const bf = bi < bF.length && bF[bi]!.name === name ? bF[bi++] : undefined;
    while (vi < vF.length && vF[vi]!.name < name!) vi += 1;
    const vf = vi < vF.length && vF[vi]!.name === name ? vF[vi] : undefined;
    const order = cf ? cf.ord : inf ? TIER + inf.ord : 2 * TIER + bf!.ord;
    mergeField(w, name!, order, bf, cf, vf, inf);
  }

  const subs = mergeSubcomponents(b?.component.components ?? [], c.component.components, i.component.components, compKey, ctx);
  const decisions: FieldDecision[] = [];
  if (w.decisions) {
    if (w.decisions.length > 1) w.decisions.sort((x, y) => x.order - y.order);
    for (const d of w.decisions) {
      decisions.push(d.value);
      if (d.setBy) w.sources[`${compKey}/${d.value.path.field}`] = ctx.incoming;
    }
  }
  for (const d of subs.decisions) decisions.push(d);

  const fields: FieldMap = new Map();
  const ranks = new Map<string, number>();
  const cLength = c.component.props.length;
  for (const f of w.out) {
    if (f.elements.length > 1) f.elements.sort((x, y) => x.order - y.order);
    let em: ElementMap | undefined;
    for (const e of f.elements) {
      if (em) em.set(e.key, e.value);
      else em = new ElementMap(e.key, e.value);
    }
    fields.set(f.name, em!);
    const atC = c.firstAt.get(f.name);
    const atI = i.firstAt.get(f.name);
    if (atC !== undefined) ranks.set(f.name, atC);
    else if (atI !== undefined) ranks.set(f.name, cLength + atI);
  }
  const volatile = pickVolatile(c.volatile, i.volatile);
  return {
    component: { name: c.component.name, props: joinFields(fields, volatile, (name) => ranks.get(name), ctx.table), components: subs.components },
    decisions,
    sources: w.sources,
    incomingChanged: w.incomingChanged || subs.incomingChanged,
    currentChanged: w.currentChanged || subs.currentChanged,
  };
}

function mergeField(w: Walk, field: string, fieldOrder: number, bf: IndexedField | undefined, cf: IndexedField | undefined, vf: IndexedField | undefined, inf: IndexedField | undefined): void {
  const bE = bf?.elements ?? NO_ELEMENTS;
  const cE = cf?.elements ?? NO_ELEMENTS;
  const iE = inf?.elements ?? NO_ELEMENTS;
  // Without a view of its own, current is its own view.
  const vE = vf?.elements ?? NO_ELEMENTS;
  let bi = 0;
  let ci = 0;
  let ii = 0;
  let vi = 0;
  let merged: OrderedElement[] | undefined;
  let currentSource: FieldSource | undefined;
  const { ctx } = w;
  const sourceOfCurrent = () => (currentSource ??= ctx.fieldSources[`${w.compKey}/${field}`] ?? ctx.currentFallback);
  while (ci < cE.length || ii < iE.length || bi < bE.length) {
    let key = ci < cE.length ? cE[ci]!.key : undefined;
    if (ii < iE.length && (key === undefined || iE[ii]!.key < key)) key = iE[ii]!.key;
    if (bi < bE.length && (key === undefined || bE[bi]!.key < key)) key = bE[bi]!.key;
    const ce = ci < cE.length && cE[ci]!.key === key ? cE[ci++] : undefined;
    const ie = ii < iE.length && iE[ii]!.key === key ? iE[ii++] : undefined;
    const be = bi < bE.length && bE[bi]!.key === key ? bE[bi++] : undefined;
    while (vi < vE.length && vE[vi]!.key < key!) vi += 1;
    const ve = vi < vE.length && vE[vi]!.key === key ? vE[vi] : undefined;
    const order = ce ? ce.ord : ie ? TIER + ie.ord : 2 * TIER + be!.ord;
    const c = ce?.props;
    const i = ie?.props;
    const b = be?.props;
    const cvE = ve ?? ce;
    const mb = be?.meaning ?? '';
    const mcv = cvE?.meaning ?? '';
    const mi = ie?.meaning ?? '';
    // The three-way rule: equal sides agree; a side equal to the base did not change.
    let value: Property[] | undefined;
    let side: 'both' | 'current' | 'incoming';
    let conflict = false;
    if (mcv === mi) {
      value = c;
      side = 'both';
    } else if (mb === mcv) {
      value = i;
      side = 'incoming';
    } else if (mb === mi) {
      value = c;
      side = 'current';
    } else {
      side = chooseSide(ctx.policy, sourceOfCurrent(), ctx.incoming);
      value = side === 'current' ? c : i;
      conflict = true;
      // Both sides hold the element and differ only in its preference flag: keep the preferred one, no conflict.
      const cv = cvE?.props;
      if (cv && i && cv.length > 0 && i.length > 0 && propsKey(cv, ctx, false) === propsKey(i, ctx, false)) {
        const incomingPreferred = i.some(isPreferred) && !(c ?? []).some(isPreferred);
        conflict = false;
        if (incomingPreferred) {
          value = i;
          side = 'incoming';
        } else {
          value = c;
          side = 'current';
        }
      }
    }
    if (value && value.length > 0) (merged ??= []).push({ order, key: key!, value });
    if (side === 'incoming' || conflict) w.incomingChanged = true;
    if (side === 'current' || conflict) w.currentChanged = true;
    if (side === 'incoming' || conflict) {
      const source = sourceOfCurrent();
      (w.decisions ??= []).push({
        order: fieldOrder * TIER * 4 + order,
        setBy: value === i,
        value: {
          field: key ? `${field}[${key}]` : field,
          path: { component: w.compKey, field, element: key! },
          conflict,
          base: displayValue(b),
          values: [
            { connector: source.connector, value: displayValue(c), raw: c ?? null },
            { connector: ctx.incoming.connector, value: displayValue(i), raw: i ?? null },
          ],
          chosen: displayValue(value),
          chosenIndex: value === c ? 0 : 1,
        },
      });
    }
  }
  if (merged) w.out.push({ name: field, elements: merged });
}

/** Indexes of a contact merge's sides that are already at hand (a stored index, in the design). */
export interface GivenIndexes {
  base?: ComponentIndex;
  current?: ComponentIndex;
  incoming?: ComponentIndex;
}

/** `mergeItem` of a contact by field indexes; indexes of the cards as they are (UID left out) may be given. */
export function mergeContactIndexed(input: ItemMergeInput<ContactItem>, given: GivenIndexes = {}): ItemMergeResult<ContactItem> {
  const cur = input.current.card;
  const caps = input.caps;
  const uidProps: Property[] = [];
  for (const p of cur.props) if (p.name === 'uid') uidProps.push(p);
  const keyOf = input.keyOf;
  // A format that holds everything and projects nothing merges the cards as they are.
  const plain = !caps.project && fillUnheld(input.incoming.card, cur, caps) === input.incoming.card;
  const derived = (c: Component) => indexComponent(withoutUid(fillUnheld(caps.project ? caps.project(c) : c, cur, caps)), VCARD_RULES, keyOf);
  const ci = given.current ?? indexComponent(cur, VCARD_RULES, keyOf, true);
  const ii = plain ? (given.incoming ?? indexComponent(input.incoming.card, VCARD_RULES, keyOf, true)) : derived(input.incoming.card);
  const bi = input.base ? (plain && fillUnheld(input.base.card, cur, caps) === input.base.card ? (given.base ?? indexComponent(input.base.card, VCARD_RULES, keyOf, true)) : derived(input.base.card)) : undefined;
  const vi = caps.project ? derived(cur) : undefined;
  const m = mergeIndexed(bi, ci, ii, '', context(input, VCARD_RULES), vi);
  const card: Component = { ...m.component, props: uidProps.length === 0 ? m.component.props : uidProps.concat(m.component.props) };
  return finish({ kind: 'contact', uid: input.current.uid, card }, input, [m]);
}

/** `mergeComponent`'s signature, by field indexes built on the spot (calendar items). */
export function mergeComponentIndexed(base: Component | undefined, current: Component, incoming: Component, compKey: string, ctx: MergeContext, currentView: Component = current): ComponentMerge {
  const index = (c: Component) => indexComponent(c, ctx.table === VCARD_RULES ? VCARD_RULES : ICAL_RULES, ctx.keyOf);
  const ci = index(current);
  return mergeIndexed(base ? index(base) : undefined, ci, index(incoming), compKey, ctx, currentView === current ? undefined : index(currentView));
}
