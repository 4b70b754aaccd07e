import { PimError } from '../../core/errors.js';
import type { LinkRecord, StoredItem } from '../../core/store.js';
import type { Item } from '../../model/item.js';
import type { RunContext } from '../run-context.js';

export interface Identified {
  item: StoredItem;
  /** The member's link the entry moved from (its base), when it is the member's own item under a new href. */
  movedFrom?: LinkRecord;
}

/** UID first; failing that, the same person (or event) by normalised identity keys. */
export async function identify(ctx: RunContext, member: string, href: string, item: Item): Promise<Identified | undefined> {
  const { ws, input } = ctx;
  if (item.uid) {
    const byUid = await ws.getItemByUid(item.uid);
    if (byUid) {
      const claim = byUid.deleted ? undefined : await claimedBy(ctx, member, byUid.id);
      if (claim?.kind === 'present') {
        // Two entries of one member with one UID: which is the item is anybody's guess.
        throw new PimError('invalid-data', `UID ${item.uid} is used by another entry of ${member} as well; give one of them a UID of its own`, { where: href });
      }
      return { item: byUid, ...(claim?.kind === 'moved' ? { movedFrom: claim.link } : {}) };
    }
  }
  const keys = input.identity.identityKeys(item);
  if (keys.length === 0) return undefined;
  for (const candidate of await ws.findByIdentity(keys)) {
    if (candidate.deleted) continue;
    const claim = await claimedBy(ctx, member, candidate.id);
    if (claim.kind === 'present') continue;
    // An entry that left this member in this run and shares an email or phone with the new
    // one moved (a CSV row renamed): the same item even when the name changed.
    if (claim.kind === 'moved') return { item: candidate, movedFrom: claim.link };
    if (input.identity.sameIdentity(candidate.item, item)) return { item: candidate };
  }
  return undefined;
}

type Claim = { kind: 'present' } | { kind: 'moved'; link: LinkRecord } | { kind: 'none' };

/** Whether this member holds the item under a present href, held it under one gone in this run, or not at all. */
async function claimedBy(ctx: RunContext, member: string, itemId: string): Promise<Claim> {
  const gone = ctx.goneHrefs.get(member);
  const own = (await ctx.ws.linksOfItem(itemId)).filter((l) => l.member === member);
  if (own.some((l) => !gone?.has(l.href))) return { kind: 'present' };
  return own[0] ? { kind: 'moved', link: own[0] } : { kind: 'none' };
}

