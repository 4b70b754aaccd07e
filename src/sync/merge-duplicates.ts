import { PimError } from '../core/errors.js';
import type { FieldDecision, FieldSource, LinkRecord, Store, StoredItem } from '../core/store.js';
import { asUid, type Href, type Uid } from '../core/types.js';
import { mergeItem } from '../merge/merge-item.js';
import type { ConflictPolicy } from '../merge/policy.js';
import { FULL_CAPABILITIES } from '../model/capabilities.js';
import { isGroupCard, withMembersRenamed } from '../model/group.js';
import type { Item } from '../model/item.js';
import { itemLabel, itemTime } from './item-info.js';
import { withLock } from './run-lock.js';
import type { Decision } from './decide/decision.js';
import { commitDecisionRun } from './plan/commit-decisions.js';
import type { Identity } from './types.js';

/** A member link that `pimhub merge` moved from a redundant item to the surviving one (undo moves it back). */
export interface MovedLink {
  member: string;
  href: Href;
  from: string;
}

export interface MergeDuplicatesInput {
  store: Store;
  identity: Identity;
  policy: ConflictPolicy;
  /** Item ids or UIDs; the first one survives (keeps its id and UID). */
  refs: string[];
  /** Where to look UIDs up when several collections hold one. */
  collection?: string;
  deleteGuard: number;
  allowMassDelete: boolean;
  dryRun: boolean;
  by: 'cli' | 'review';
  now: Date;
}

export interface MergeDuplicatesResult {
  dryRun: boolean;
  run?: string;
  /** The `duplicates-merged` log entry (absent in a dry run). */
  entry?: number;
  collection: string;
  survivor: { id: string; uid: string; name: string };
  merged: Array<{ id: string; uid: string; name: string }>;
  /** Group cards (`KIND:group`) whose MEMBER named a merged item, now naming the survivor. */
  groups: Array<{ id: string; uid: string; name: string }>;
  /** Every field the merge took from a redundant item or decided between values. */
  fields: FieldDecision[];
  conflicts: number;
  links: MovedLink[];
  item: Item;
}

const LINKS_MARK = '; member links moved to it: ';

/** The moved links recorded in a `duplicates-merged` entry's message. */
export function movedLinksOf(message: string | undefined): MovedLink[] {
  const at = message?.lastIndexOf(LINKS_MARK) ?? -1;
  if (!message || at < 0) return [];
  return JSON.parse(message.slice(at + LINKS_MARK.length)) as MovedLink[];
}

/** Items named by id or UID (in `collection`, else in any), live, two or more, of one collection. */
export async function resolveRefs(store: Store, refs: string[], collection: string | undefined): Promise<StoredItem[]> {
  const names = collection ? [collection] : (await store.listCollections()).map((c) => c.name);
  const found: StoredItem[] = [];
  for (const ref of refs) {
    let item = await store.getItem(ref);
    if (item && collection && item.collection !== collection) item = undefined;
    if (!item) {
      const byUid = (await Promise.all(names.map((n) => store.getItemByUid(n, asUid(ref))))).filter((x): x is StoredItem => !!x);
      if (byUid.length > 1) throw new PimError('config', `UID ${ref} is in collections ${byUid.map((x) => x.collection).join(', ')}; name one with --collection`);
      item = byUid[0];
    }
    if (!item) throw new PimError('not-found', `no item with id or UID ${ref}${collection ? ` in ${collection}` : ''}; \`pimhub duplicates --json\` lists ids`);
    if (item.deleted) throw new PimError('invalid-data', `item ${ref} ("${itemLabel(item.item)}") is deleted; only live items can be merged`);
    if (!found.some((f) => f.id === item!.id)) found.push(item);
  }
  if (found.length < 2) throw new PimError('config', 'merge needs at least two different items');
  const cols = new Set(found.map((f) => f.collection));
  if (cols.size > 1) throw new PimError('config', `the items are in different collections (${[...cols].join(', ')}); merge items of one collection`);
  return found;
}

/**
 * Where an item's values came from, for the policy (`prefer:`) and the log: the member
 * that brought it first (its `created` entry), else its first member, else `store`.
 */
async function sourceOf(store: Store, item: StoredItem): Promise<FieldSource> {
  const created = (await store.listLog({ uid: item.uid, actions: ['created'], limit: 20 })).find((e) => e.itemId === item.id);
  const members = [...new Set((await store.linksForItem(item.id)).map((l) => l.member))].sort();
  return { connector: created?.connector ?? members[0] ?? 'store', time: itemTime(item.item) ?? item.updatedAt };
}

/** One decision per field element, with the values of every item that had one. */
function combineDecisions(decisions: FieldDecision[]): FieldDecision[] {
  const byPath = new Map<string, FieldDecision>();
  for (const d of decisions) {
    const key = `${d.path.component}\n${d.path.field}\n${d.path.element}`;
    const prev = byPath.get(key);
    if (!prev) {
      byPath.set(key, { ...d, values: [...d.values] });
      continue;
    }
    const values = [...prev.values];
    for (const v of d.values) if (!values.some((w) => JSON.stringify(w.raw) === JSON.stringify(v.raw))) values.push(v);
    const chosenIndex = values.findIndex((v) => JSON.stringify(v.value) === JSON.stringify(d.chosen));
    byPath.set(key, { ...prev, values, conflict: prev.conflict || d.conflict, chosen: d.chosen, chosenIndex });
  }
  return [...byPath.values()];
}

/**
 * `pimhub merge`: merges duplicates into the first item, field by field (sets united,
 * conflicts decided by the policy and logged with every value), tombstones the others and
 * moves their member links to the survivor where it has none at that member, so the next
 * sync updates that copy in place and deletes the other redundant copies (SPEC §3).
 */
export async function mergeDuplicates(input: MergeDuplicatesInput): Promise<MergeDuplicatesResult> {
  const items = await resolveRefs(input.store, input.refs, input.collection);
  const collection = items[0]!.collection;
  return withLock(input.store, `sync:${collection}`, `collection ${collection}`, () => merge(input, collection, items.map((i) => i.id)));
}

async function merge(input: MergeDuplicatesInput, collection: string, ids: string[]): Promise<MergeDuplicatesResult> {
  const { store, identity } = input;
  // Read again under the lock: a sync may have changed them meanwhile.
  const items = (await Promise.all(ids.map((id) => store.getItem(id)))).filter((x): x is StoredItem => !!x && !x.deleted);
  if (items.length !== ids.length) throw new PimError('busy', 'an item changed while waiting for the lock; run merge again');
  const [survivor, ...others] = items as [StoredItem, ...StoredItem[]];
  const live = await store.countItems(collection);
  if (!input.allowMassDelete && others.length > input.deleteGuard * live) {
    throw new PimError('guard', `collection ${collection}: merging would remove ${others.length} of ${live} items (more than deleteGuard ${input.deleteGuard}); nothing was changed. If intended, run again with --allow-mass-delete`);
  }

  let acc = survivor.item;
  let sources = survivor.meta.fieldSources;
  const currentFallback = await sourceOf(store, survivor);
  const decisions: FieldDecision[] = [];
  for (const other of others) {
    const r = mergeItem({
      base: undefined, current: acc, incoming: other.item, caps: FULL_CAPABILITIES, keyOf: identity.keyOf, policy: input.policy,
      incomingSource: await sourceOf(store, other), fieldSources: sources, currentFallback,
    });
    acc = r.item;
    sources = r.fieldSources;
    decisions.push(...r.decisions);
  }
  const fields = combineDecisions(decisions);
  const conflicts = fields.filter((f) => f.conflict);

  // Links: a member holding only redundant copies keeps one of them, now the survivor's.
  const survivorLinks = await store.linksForItem(survivor.id);
  const moved: MovedLink[] = [];
  const movedLinks: LinkRecord[] = [];
  const now = input.now.toISOString();
  for (const other of others) {
    for (const link of await store.linksForItem(other.id)) {
      if (survivorLinks.some((l) => l.member === link.member) || moved.some((m) => m.member === link.member)) continue;
      moved.push({ member: link.member, href: link.href, from: other.id });
      movedLinks.push({ ...link, itemId: survivor.id, agreedVersion: 0, updatedAt: now });
    }
  }

  const name = itemLabel(acc);
  const describe = (i: StoredItem) => ({ id: i.id, uid: i.uid, name: itemLabel(i.item) });
  const groups = await groupsNaming(store, collection, new Set(others.map((o) => o.uid)), survivor.uid, [survivor.id, ...others.map((o) => o.id)]);
  const result: MergeDuplicatesResult = {
    dryRun: input.dryRun, collection, survivor: { ...describe(survivor), name }, merged: others.map(describe),
    groups: groups.map((g) => describe(g.stored)), fields, conflicts: conflicts.length, links: moved, item: acc,
  };
  if (input.dryRun) return result;

  // The survivor's new version, the moved links and the log first: its entry is the one `undo --entry` splits.
  const survivorDecision: Decision = {
    item: {
      id: survivor.id, collection, uid: survivor.uid, item: acc,
      meta: { fieldSources: sources, ...(survivor.meta.uidInvented ? { uidInvented: true } : {}) },
      expectVersion: survivor.version, identityKeys: identity.identityKeys(acc),
    },
    links: movedLinks,
    logs: [
      {
        time: now, uid: survivor.uid, itemId: survivor.id, action: 'duplicates-merged', connector: input.by, ...(fields.length ? { fields } : {}),
        message: `merged ${items.length} items into "${name}" (${survivor.uid}): ${others.map((o) => `"${itemLabel(o.item)}" (${o.uid})`).join(', ')}${LINKS_MARK}${JSON.stringify(moved)}`,
      },
      ...(conflicts.length ? [{ time: now, uid: survivor.uid, itemId: survivor.id, action: 'conflict' as const, connector: input.by, fields: conflicts, message: 'while merging duplicates' }] : []),
    ],
    changes: [
      { action: 'updated', uid: survivor.uid, member: input.by, label: name },
      ...(conflicts.length ? [{ action: 'conflict' as const, uid: survivor.uid, member: input.by, label: name }] : []),
    ],
  };
  const redundant = others.map((o): Decision => ({
    item: { id: o.id, collection, uid: o.uid, item: o.item, meta: o.meta, deleted: true, expectVersion: o.version },
    logs: [{ time: now, uid: o.uid, itemId: o.id, action: 'deleted', connector: input.by, message: `merged into "${name}" (${survivor.uid})` }],
    changes: [{ action: 'deleted', uid: o.uid, member: input.by, label: itemLabel(o.item) }],
  }));
  // Undo of the merge reverts these versions with the rest of its run (src/sync/undo.ts).
  const groupDecisions = groups.map(({ stored, item }): Decision => ({
    item: {
      id: stored.id, collection, uid: stored.uid, item, meta: stored.meta, expectVersion: stored.version, identityKeys: identity.identityKeys(item),
    },
    logs: [{
      time: now, uid: stored.uid, itemId: stored.id, action: 'updated', connector: input.by,
      message: `group member${others.length > 1 ? 's' : ''} ${others.map((o) => o.uid).join(', ')} merged into "${name}" (${survivor.uid})`,
    }],
    changes: [{ action: 'updated', uid: stored.uid, member: input.by, label: itemLabel(item) }],
  }));
  const { run, logIds } = await commitDecisionRun(store, {
    collection, trigger: input.by, command: `merge ${ids.join(' ')}`, now: input.now, decisions: [survivorDecision, ...redundant, ...groupDecisions],
  });
  return { ...result, run: run.id, entry: logIds[0] };
}

/**
 * Live group cards of the collection whose MEMBER names a merged item, each with the card
 * that names the survivor instead (set semantics: it is not listed twice).
 */
async function groupsNaming(store: Store, collection: string, merged: ReadonlySet<string>, survivor: Uid, skip: string[]): Promise<Array<{ stored: StoredItem; item: Item }>> {
  const found: Array<{ stored: StoredItem; item: Item }> = [];
  for (const stored of await store.listItems(collection)) {
    if (stored.deleted || stored.item.kind !== 'contact' || skip.includes(stored.id) || !isGroupCard(stored.item.card)) continue;
    const card = withMembersRenamed(stored.item.card, merged, survivor);
    if (card !== stored.item.card) found.push({ stored, item: { ...stored.item, card } });
  }
  return found;
}
