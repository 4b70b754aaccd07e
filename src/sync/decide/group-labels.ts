import type { StoredItem } from '../../core/store.js';
import { NO_UID, type Uid } from '../../core/types.js';
import { categoriesOf, groupName, isGroupCard, memberUids, newGroupCard, withCategory, withMember } from '../../model/group.js';
import type { Component } from '../../model/property.js';
import type { ItemWrite } from '../../core/store.js';
import { stage } from '../plan/stage.js';
import type { RunContext } from '../run-context.js';
import { afterWrite, logged } from './decision.js';
import { newEntry } from './merge-entry.js';

/**
 * Contact groups come in two forms, and the store holds both: group cards (`KIND:group` with
 * `MEMBER:urn:uuid:…`, which Apple's `X-ADDRESSBOOKSERVER-*` form and vCard 4 members hold)
 * and labels on the members (CATEGORIES, which Google CSV labels, Outlook's Categories and
 * phone exports hold). Each member's entry merges as any other item — CATEGORIES and MEMBER
 * are sets, merged element by element — and this step, after the run's merges and
 * deletions, carries what the run changed in one form over to the other: a label added to
 * a contact adds it to the group of that name (made when there is none), a member added to
 * a group card adds the label to that contact, a removal removes, a renamed group renames
 * its label, a deleted group or contact leaves the other side. A format that cannot hold a
 * group card (capabilities `holdsCard`) is never written one, so its absence there is no
 * deletion. When one run changes one contact's membership of one group in both forms in
 * opposite ways, being in the group wins (nothing is lost).
 */
export async function keepGroupsInStep(ctx: RunContext): Promise<void> {
  if (ctx.input.kind !== 'contacts') return;
  const pairs = await membershipChanges(ctx);
  if (pairs.size === 0) return;
  const byGroup = new Map<string, Array<{ uid: Uid; add: boolean }>>();
  const names = new Map<string, string>();
  const byContact = new Map<Uid, Array<{ name: string; add: boolean }>>();
  for (const { name, uid, add } of pairs.values()) {
    const key = nameKey(ctx, name);
    if (!names.has(key)) names.set(key, name);
    push(byGroup, key, { uid, add });
    push(byContact, uid, { name, add });
  }
  for (const [key, changes] of byGroup) await updateGroup(ctx, names.get(key)!, changes);
  for (const [uid, changes] of byContact) await updateContact(ctx, uid, changes);
}

interface Pair { name: string; uid: Uid; add: boolean }

/** Per (group name, contact UID): whether the run put the contact in that group or took it out. */
async function membershipChanges(ctx: RunContext): Promise<Map<string, Pair>> {
  const pairs = new Map<string, Pair>();
  const note = (name: string, uid: Uid, add: boolean) => {
    if (!name || !uid) return;
    const k = `${nameKey(ctx, name)}\n${uid}`;
    // Being in the group wins over leaving it when both forms disagree.
    if (!pairs.get(k)?.add) pairs.set(k, { name, uid, add });
  };
  for (const [uid, created] of ctx.report.groupsTouched) {
    const after = await ctx.ws.getItemByUid(uid);
    if (!after || after.item.kind !== 'contact') continue;
    const before = created ? undefined : await beforeRun(ctx, after);
    const was = before && !before.deleted ? before.card : undefined;
    const now = after.deleted ? undefined : after.item.card;
    const beforeUid = before?.uid ?? after.uid;
    if (isGroupCard(now ?? was ?? after.item.card)) {
      const [nameWas, nameNow] = [was && isGroupCard(was) ? groupName(was) : '', now && isGroupCard(now) ? groupName(now) : ''];
      const [membersWas, membersNow] = [was && isGroupCard(was) ? memberUids(was) : [], now && isGroupCard(now) ? memberUids(now) : []];
      const renamed = nameKey(ctx, nameWas) !== nameKey(ctx, nameNow);
      for (const m of membersWas) if (renamed || !membersNow.includes(m)) note(nameWas, m, false);
      for (const m of membersNow) if (renamed || !membersWas.includes(m)) note(nameNow, m, true);
    } else {
      const catsWas = was ? categoriesOf(was) : [];
      const catsNow = now ? categoriesOf(now) : [];
      const has = (list: string[], c: string) => list.some((x) => nameKey(ctx, x) === nameKey(ctx, c));
      const moved = beforeUid !== after.uid;
      for (const c of catsWas) if (moved || !has(catsNow, c)) note(c, beforeUid, false);
      for (const c of catsNow) if (moved || !has(catsWas, c)) note(c, after.uid, true);
    }
  }
  return pairs;
}

/** The item as it was before this run (the newest version another run made); undefined when the run created it. */
async function beforeRun(ctx: RunContext, item: StoredItem): Promise<{ uid: Uid; card: Component; deleted: boolean } | undefined> {
  const v = (await ctx.input.store.history(item.id, 20)).find((h) => h.run !== ctx.input.run);
  return v && v.item.kind === 'contact' ? { uid: v.item.uid, card: v.item.card, deleted: v.deleted } : undefined;
}

async function updateGroup(ctx: RunContext, name: string, changes: Array<{ uid: Uid; add: boolean }>): Promise<void> {
  const { ws, input } = ctx;
  const probe = { kind: 'contact' as const, uid: NO_UID, card: newGroupCard('', name, []) };
  const found = (await ws.findByIdentity(input.identity.identityKeys(probe)))
    .filter((g) => g.item.kind === 'contact' && isGroupCard(g.item.card))
    .sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  if (!found) {
    const members = changes.filter((c) => c.add).map((c) => c.uid);
    if (members.length === 0) return;
    // Seeded by the name, so a dry run shows the UID the real run then gives it.
    const d = newEntry({ ...probe, card: newGroupCard('', name, members) }, input.collection, input.identity, `group\n${nameKey(ctx, name)}`);
    await record(ctx, d.write!, 'created', `group ${JSON.stringify(name)} made for the label ${JSON.stringify(name)} of ${members.length} contact${members.length === 1 ? '' : 's'}`);
    return;
  }
  if (found.item.kind !== 'contact') return;
  const was = found.item.card;
  let card = was;
  for (const c of changes) card = withMember(card, c.uid, c.add);
  if (card === was) return;
  const [before, after] = [memberUids(was), memberUids(card)];
  const added = after.filter((u) => !before.includes(u)).length;
  const removed = before.filter((u) => !after.includes(u)).length;
  await put(ctx, found, card, `members changed by labels on contacts (${added} added, ${removed} removed)`);
}

async function updateContact(ctx: RunContext, uid: Uid, changes: Array<{ name: string; add: boolean }>): Promise<void> {
  const found = await ctx.ws.getItemByUid(uid);
  if (!found || found.deleted || found.item.kind !== 'contact' || isGroupCard(found.item.card)) return;
  let card = found.item.card;
  for (const c of changes) card = withCategory(card, c.name, c.add, (a, b) => nameKey(ctx, a) === nameKey(ctx, b));
  if (card === found.item.card) return;
  const what = changes.map((c) => `${c.add ? '+' : '−'}${c.name}`).join(', ');
  await put(ctx, found, card, `labels changed by group cards (${what})`);
}

async function put(ctx: RunContext, found: StoredItem, card: Component, message: string): Promise<void> {
  const item = { kind: 'contact' as const, uid: found.uid, card };
  await record(ctx, {
    id: found.id, collection: found.collection, uid: found.uid, item, meta: found.meta, deleted: false,
    expectVersion: found.version, identityKeys: ctx.input.identity.identityKeys(item),
  }, 'updated', message);
}

/** The new version as a decision of the run (member `store`), staged like every other. */
async function record(ctx: RunContext, write: Omit<ItemWrite, 'run'>, action: 'created' | 'updated', message: string): Promise<void> {
  const now = ctx.decide.now;
  const decision = { item: write };
  logged(decision, { time: now, item: afterWrite(write, now), action, member: 'store', message });
  await stage(ctx.ws, ctx.report, decision);
}

/** Two group or label names are one when they differ only in case and spacing. */
function nameKey(ctx: RunContext, name: string): string {
  return ctx.input.identity.keyOf('text-ci', { name: 'categories', params: {}, type: 'text', values: [name] });
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
