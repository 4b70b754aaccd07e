import { isWritable, type Source } from '../../core/connector.js';
import type { StoredItem } from '../../core/store.js';
import type { Href, Uid } from '../../core/types.js';
import { itemFingerprint } from '../../merge/fingerprint.js';
import { holdsItem } from '../../model/capabilities.js';
import type { DecideContext, LinkHead } from '../decide/context.js';
import type { Decision } from '../decide/decision.js';
import { itemLabel } from '../item-info.js';
import type { PlannedWrite } from '../types.js';

/** A create has no link yet; an update or a delete goes to the href and etag its link holds. */
export type WriteTask =
  | { write: PlannedWrite & { op: 'create' }; item: StoredItem; link?: undefined }
  | ChangeTask;
export type ChangeTask = { write: PlannedWrite & { op: 'update' | 'delete' }; item: StoredItem; link: LinkHead };

/** One member's part of the plan: the writes it needs, and the links that need none. */
export interface MemberPlan {
  member: string;
  tasks: WriteTask[];
  /** Links brought up to date without a write (the member already holds the new version). */
  refresh: Decision;
  /** Items its format cannot hold (CollectionReport.skipped). */
  skipped: Array<{ member: string; uid: Uid; itemId: string; label: string }>;
}

/**
 * What one member must be written, for a page of the items `StoreView.pendingFor` names:
 * the canonical items whose version is above what the member agreed to, that it lacks, or
 * that were deleted. A pending item that already equals
 * what the member holds (as far as its format can hold it) needs no write: its link is
 * simply brought up to date. Read-only members are never planned, and neither is an entry
 * the member holds but that could not be read this run (`unknown`): what it holds is not
 * known, so it is neither overwritten nor deleted until it can be read again.
 */
export async function planMember(d: DecideContext, member: string, source: Source, unknown: ReadonlySet<Href>, ids: readonly string[]): Promise<MemberPlan> {
  const plan: MemberPlan = { member, tasks: [], refresh: { links: [] }, skipped: [] };
  if (!isWritable(source)) return plan;
  const keyOf = d.identity.keyOf;
  for (const id of ids) {
    const item = await d.view.getItem(id);
    if (!item) continue;
    const link = (await d.view.linksOfItemAt(member, item.id))[0];
    if (link && unknown.has(link.href)) continue;
    const base = { member, uid: item.uid, itemId: item.id, label: itemLabel(item.item) };
    if (item.deleted) {
      if (link) plan.tasks.push({ write: { ...base, op: 'delete', href: link.href }, item, link });
    } else if (!link) {
      // A card the format has no place for (a group in a CSV) is held there in another form, or not at all.
      if (holdsItem(source.capabilities, item.item)) plan.tasks.push({ write: { ...base, op: 'create' }, item });
      else plan.skipped.push(base);
    } else if (link.agreedVersion < item.version) {
      const whole = await d.view.link(member, link.href);
      if (whole && itemFingerprint(item.item, keyOf, source.capabilities) === itemFingerprint(whole.base, keyOf, source.capabilities)) {
        plan.refresh.links!.push({ ...whole, agreedVersion: item.version, updatedAt: d.now });
      } else plan.tasks.push({ write: { ...base, op: 'update', href: link.href }, item, link });
    }
  }
  return plan;
}
