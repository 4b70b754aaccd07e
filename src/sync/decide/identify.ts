import { PimError } from '../../core/errors.js';
import type { LinkRecord, StoredItem } from '../../core/store.js';
import type { Item } from '../../model/item.js';
import type { DecideContext, LinkHead } from './context.js';

export interface Identified {
  item: StoredItem;
  /** The member's link the entry moved from (its base), when it is the member's own item under a new href. */
  movedFrom?: LinkRecord;
}

/** UID first; failing that, the same person (or event) by normalised identity keys. */
export async function identify(d: DecideContext, member: string, href: string, item: Item, keys: readonly string[] = d.identity.identityKeys(item)): Promise<Identified | undefined> {
  if (item.uid) {
    const byUid = await d.view.getItemByUid(item.uid);
    if (byUid) {
      const claim = byUid.deleted ? undefined : await claimedBy(d, member, byUid.id);
      if (claim?.kind === 'present') {
        // Two entries of one member with one UID: which is the item is anybody's guess.
        throw new PimError('invalid-data', `UID ${item.uid} is used by another entry of ${member} as well; give one of them a UID of its own`, { where: href });
      }
      const movedFrom = claim?.kind === 'moved' ? await d.view.link(member, claim.link.href) : undefined;
      return { item: byUid, ...(movedFrom ? { movedFrom } : {}) };
    }
  }
  if (keys.length === 0) return undefined;
  for (const candidate of await d.view.findByIdentity([...keys])) {
    if (candidate.deleted) continue;
    const claim = await claimedBy(d, member, candidate.id);
    if (claim.kind === 'present') continue;
    // An entry that left this member in this run and shares an email or phone with the new
    // one moved (a CSV row renamed): the same item even when the name changed.
    if (claim.kind === 'moved') {
      const movedFrom = await d.view.link(member, claim.link.href);
      return { item: candidate, ...(movedFrom ? { movedFrom } : {}) };
    }
    if (d.identity.sameIdentity(candidate.item, item)) return { item: candidate };
  }
  return undefined;
}

type Claim = { kind: 'present' } | { kind: 'moved'; link: LinkHead } | { kind: 'none' };

/** Whether this member holds the item under a present href, held it under one gone in this run, or not at all. */
async function claimedBy(d: DecideContext, member: string, itemId: string): Promise<Claim> {
  const gone = d.goneHrefs.get(member);
  const own = await d.view.linksOfItemAt(member, itemId);
  if (own.some((l) => !gone?.has(l.href))) return { kind: 'present' };
  return own[0] ? { kind: 'moved', link: own[0] } : { kind: 'none' };
}

