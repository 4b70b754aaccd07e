import { PimError } from '../../core/errors.js';
import type { LinkRecord, StoredItem } from '../../core/store.js';
import { itemFingerprint } from '../../merge/fingerprint.js';
import type { Keyer } from '../../merge/elements.js';
import type { FormatCapabilities } from '../../model/capabilities.js';
import type { MemberRead } from '../read/read-member.js';
import type { DecideContext, LinkHead } from './context.js';
import { logged, type Decision } from './decision.js';

type GoneDecision =
  | { kind: 'forget'; link: LinkHead }
  | { kind: 'delete'; link: LinkHead; item: StoredItem }
  | { kind: 'restore'; link: LinkHead; item: StoredItem };

/**
 * Entries gone from a member. A deletion propagates only if the item is unchanged since
 * the member's base; an edit elsewhere wins and the item is written back to the member.
 * All are decided before any is staged, so the delete guard refuses the run before
 * anything is deleted.
 */
export async function decideDeletions(d: DecideContext, reads: MemberRead[], liveBefore: number): Promise<Decision[]> {
  const gone: GoneDecision[] = [];
  const out: Decision[] = [];
  const deleting = new Set<string>();
  for (const read of reads) {
    const caps = read.source.capabilities;
    if (read.blind() && read.gone.length > 0) {
      // Unknown is not absent: an unreadable entry of this member may hold any of these.
      const n = read.gone.length;
      out.push({
        errors: [{
          collection: d.collection, member: read.member, where: read.member,
          message: `${n} entr${n === 1 ? 'y' : 'ies'} no longer found at ${read.member} kept everywhere for now: ${read.member} has entries that cannot be read (listed above); once they are fixed or removed, the next run decides`,
        }],
      });
      continue;
    }
    for (const link of read.gone) {
      const item = await d.view.getItem(link.itemId);
      const others = (await d.view.linksOfItemAt(read.member, link.itemId)).filter((l) => l.href !== link.href);
      if (!item || item.deleted || others.length > 0 || deleting.has(item.id)) {
        gone.push({ kind: 'forget', link });
        continue;
      }
      // The base is read only for a member that never agreed to a version: the rule compares it then.
      const whole = link.agreedVersion > 0 ? link : await d.view.link(read.member, link.href);
      if (whole && unchangedSinceBase(whole, item, d.identity.keyOf, caps)) {
        deleting.add(item.id);
        gone.push({ kind: 'delete', link, item });
      } else gone.push({ kind: 'restore', link, item });
    }
  }
  const guard = d.deleteGuard;
  if (!d.allowMassDelete && deleting.size > guard * liveBefore) {
    const byMember = new Map<string, number>();
    for (const g of gone) if (g.kind === 'delete') byMember.set(g.link.member, (byMember.get(g.link.member) ?? 0) + 1);
    const shrank = [...byMember].map(([m, n]) => `${m} (${n})`).join(', ');
    throw new PimError(
      'guard',
      `this run would delete ${deleting.size} of ${liveBefore} items (more than deleteGuard ${guard}) because they are missing from the listing of ${shrank}; nothing was changed. If ${byMember.size === 1 ? 'that member' : 'those members'} really lost them, run again with --allow-mass-delete`,
    );
  }
  for (const g of gone) out.push(goneDecision(d, g));
  return out;
}

function goneDecision(d: DecideContext, g: GoneDecision): Decision {
  const out: Decision = { removeLinks: [{ member: g.link.member, href: g.link.href }] };
  if (g.kind === 'forget') return out;
  const { item, link } = g;
  if (g.kind === 'delete') {
    out.item = { id: item.id, collection: item.collection, uid: item.uid, item: item.item, meta: item.meta, deleted: true, expectVersion: item.version };
    logged(out, { time: d.now, item, action: 'deleted', member: link.member });
  } else {
    logged(out, {
      time: d.now, item, action: 'updated', member: link.member, summary: 'restored',
      message: `restored: deleted at ${link.member} but changed elsewhere since; it is written back there`,
    });
  }
  return out;
}

/**
 * The rule for every deletion (a member's listing, a DELETE through the endpoint): it
 * propagates only if the item is unchanged elsewhere since the member's base — its agreed
 * version is the current one; a member that never agreed (a read-only export with less than
 * the store) compares content, so its base must be given then.
 */
export function unchangedSinceBase(link: LinkHead & { base?: LinkRecord['base'] }, item: StoredItem, keyOf: Keyer, caps: FormatCapabilities): boolean {
  if (link.agreedVersion > 0) return item.version <= link.agreedVersion;
  return link.base !== undefined && itemFingerprint(item.item, keyOf, caps) === itemFingerprint(link.base, keyOf, caps);
}
