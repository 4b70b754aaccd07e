import { PimError } from '../../core/errors.js';
import type { LinkRecord, StoredItem } from '../../core/store.js';
import { itemFingerprint } from '../../merge/fingerprint.js';
import type { Keyer } from '../../merge/elements.js';
import type { FormatCapabilities } from '../../model/capabilities.js';
import { itemLabel } from '../item-info.js';
import type { MemberRead } from '../read/read-member.js';
import type { RunContext } from '../run-context.js';

type GoneDecision =
  | { kind: 'forget'; link: LinkRecord }
  | { kind: 'hold'; link: LinkRecord }
  | { kind: 'delete'; link: LinkRecord; item: StoredItem }
  | { kind: 'restore'; link: LinkRecord; item: StoredItem };

/**
 * Entries gone from a member. A deletion propagates only if the item is unchanged since
 * the member's base; an edit elsewhere wins and the item is written back to the member.
 * All decisions are made first so the delete guard can refuse the run before anything is
 * deleted.
 */
export async function processDeletions(ctx: RunContext, reads: MemberRead[], liveBefore: number): Promise<void> {
  const decisions: GoneDecision[] = [];
  const deleting = new Set<string>();
  for (const read of reads) {
    const caps = read.source.capabilities;
    if (read.blind() && read.gone.length > 0) {
      // Unknown is not absent: an unreadable entry of this member may hold any of these.
      for (const link of read.gone) decisions.push({ kind: 'hold', link });
      const n = read.gone.length;
      ctx.report.errors.push({
        collection: ctx.input.collection, member: read.member, where: read.member,
        message: `${n} entr${n === 1 ? 'y' : 'ies'} no longer found at ${read.member} kept everywhere for now: ${read.member} has entries that cannot be read (listed above); once they are fixed or removed, the next run decides`,
      });
      continue;
    }
    for (const link of read.gone) {
      const item = await ctx.ws.getItem(link.itemId);
      const others = (await ctx.ws.linksOfItem(link.itemId)).filter((l) => l.member === read.member && l.href !== link.href);
      if (!item || item.deleted || others.length > 0 || deleting.has(item.id)) {
        decisions.push({ kind: 'forget', link });
        continue;
      }
      if (unchangedSinceBase(link, item, ctx.input.identity.keyOf, caps)) {
        deleting.add(item.id);
        decisions.push({ kind: 'delete', link, item });
      } else decisions.push({ kind: 'restore', link, item });
    }
  }
  const guard = ctx.input.deleteGuard;
  if (!ctx.input.allowMassDelete && deleting.size > guard * liveBefore) {
    const byMember = new Map<string, number>();
    for (const d of decisions) if (d.kind === 'delete') byMember.set(d.link.member, (byMember.get(d.link.member) ?? 0) + 1);
    const shrank = [...byMember].map(([m, n]) => `${m} (${n})`).join(', ');
    throw new PimError(
      'guard',
      `this run would delete ${deleting.size} of ${liveBefore} items (more than deleteGuard ${guard}) because they are missing from the listing of ${shrank}; nothing was changed. If ${byMember.size === 1 ? 'that member' : 'those members'} really lost them, run again with --allow-mass-delete`,
    );
  }
  for (const d of decisions) {
    if (d.kind === 'hold') continue;
    await ctx.ws.removeLink(d.link.member, d.link.href);
    if (d.kind === 'forget') continue;
    const { item, link } = d;
    if (d.kind === 'delete') {
      await ctx.ws.putItem(
        { id: item.id, collection: item.collection, uid: item.uid, item: item.item, meta: item.meta, deleted: true, expectVersion: item.version },
        ctx.now,
      );
    }
    const action = d.kind === 'delete' ? 'deleted' : 'updated';
    ctx.ws.log({
      time: ctx.now, collection: item.collection, uid: item.uid, itemId: item.id, action, connector: link.member,
      ...(d.kind === 'restore' ? { message: `restored: deleted at ${link.member} but changed elsewhere since; it is written back there` } : {}),
    });
    ctx.report.changes.push({ action: d.kind === 'delete' ? 'deleted' : 'restored', uid: item.uid, member: link.member, label: itemLabel(item.item) });
  }
}

/**
 * The rule for every deletion (a member's listing, a DELETE through the endpoint): it
 * propagates only if the item is unchanged elsewhere since the member's base — its agreed
 * version is the current one; a member that never agreed (a read-only export with less than
 * the store) compares content.
 */
export function unchangedSinceBase(link: LinkRecord, item: StoredItem, keyOf: Keyer, caps: FormatCapabilities): boolean {
  return link.agreedVersion > 0
    ? item.version <= link.agreedVersion
    : itemFingerprint(item.item, keyOf, caps) === itemFingerprint(link.base, keyOf, caps);
}
