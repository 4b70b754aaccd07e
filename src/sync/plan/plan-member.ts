import { isWritable, type Source } from '../../core/connector.js';
import type { LinkRecord, StoredItem } from '../../core/store.js';
import { itemFingerprint } from '../../merge/fingerprint.js';
import { holdsItem } from '../../model/capabilities.js';
import { itemLabel } from '../item-info.js';
import type { RunContext } from '../run-context.js';
import type { PlannedWrite } from '../types.js';

export interface WriteTask {
  write: PlannedWrite;
  item: StoredItem;
  link?: LinkRecord;
}

/**
 * What one member must be written: the canonical items whose version is above what the
 * member agreed to, that it lacks, or that were deleted. A pending item that already equals
 * what the member holds (as far as its format can hold it) needs no write: its link is
 * simply brought up to date. Read-only members are never planned.
 */
export async function planMember(ctx: RunContext, member: string, source: Source): Promise<WriteTask[]> {
  if (!isWritable(source)) return [];
  const { ws, input } = ctx;
  const keyOf = input.identity.keyOf;
  const candidates = new Map<string, StoredItem>();
  for (const p of await input.store.pendingForMember(input.collection, member)) candidates.set(p.item.id, p.item);
  // In a dry run the run's decisions are not committed: look at the staged items as well.
  for (const change of ctx.report.changes) {
    const it = await ws.getItemByUid(change.uid);
    if (it) candidates.set(it.id, it);
  }
  const tasks: WriteTask[] = [];
  for (const cand of candidates.values()) {
    const item = (await ws.getItem(cand.id)) ?? cand;
    const link = (await ws.linksOfItem(item.id)).find((l) => l.member === member);
    const base = { member, uid: item.uid, itemId: item.id, label: itemLabel(item.item) };
    if (item.deleted) {
      if (link) tasks.push({ write: { ...base, op: 'delete', href: link.href }, item, link });
    } else if (!link) {
      // A card the format has no place for (a group in a CSV) is held there in another form, or not at all.
      if (holdsItem(source.capabilities, item.item)) tasks.push({ write: { ...base, op: 'create' }, item });
    } else if (link.agreedVersion < item.version) {
      if (itemFingerprint(item.item, keyOf, source.capabilities) === itemFingerprint(link.base, keyOf, source.capabilities)) {
        await ws.putLink({ ...link, agreedVersion: item.version, updatedAt: ctx.now });
      } else tasks.push({ write: { ...base, op: 'update', href: link.href }, item, link });
    }
  }
  return tasks;
}
