import { isWritable, type FetchedItem, type Source } from '../../core/connector.js';
import type { LinkRecord, StoredItem } from '../../core/store.js';
import { itemFingerprint } from '../../merge/fingerprint.js';
import type { Item } from '../../model/item.js';
import { itemTime } from '../item-info.js';
import type { DecideContext } from './context.js';
import { afterWrite, logged, type Decision } from './decision.js';
import { identify } from './identify.js';
import { mergeEntry, newEntry } from './merge-entry.js';

/**
 * What one changed entry of a member does to the store: find its canonical item (link,
 * UID, identity), merge it three-way against the member's base, and say which version,
 * link and log entries follow. Nothing is written here.
 */
export async function decideIncoming(d: DecideContext, member: string, source: Source, f: FetchedItem): Promise<Decision> {
  const { view } = d;
  const keyOf = d.identity.keyOf;
  const caps = source.capabilities;
  // The whole link (its base) only for an entry the member held before: a new entry needs none.
  const link = (await view.linksOf(member)).has(f.href) ? await view.link(member, f.href) : undefined;
  const out: Decision = {};
  if (d.quarantined.get(member)?.has(f.href)) out.unquarantine = [{ member, href: f.href }];

  if (link && itemFingerprint(f.item, keyOf, caps) === itemFingerprint(link.base, keyOf, caps)) {
    // Same content under a new etag (a server rewrote PRODID, or the file was touched).
    out.links = [{ ...link, etag: f.etag, updatedAt: d.now }];
    return out;
  }

  let stored: StoredItem | undefined;
  let action: 'updated' | 'matched' = 'updated';
  let base: Item | undefined;
  // Computed once for a new entry: to find its item, and stored with it when it has none.
  let keys: string[] | undefined;
  if (link) {
    stored = await view.getItem(link.itemId);
    base = (await interruptedWrite(d, member, source, link.itemId, f.item)) ?? link.base;
  } else {
    keys = d.identity.identityKeys(f.item);
    const found = await identify(d, member, f.href, f.item, keys);
    stored = found?.item;
    if (found?.movedFrom) {
      // The member's own entry under a new href (a CSV row renamed, a file renamed): it is
      // merged against what this member last agreed, exactly as an edit in place.
      base = found.movedFrom.base;
    } else action = 'matched';
  }

  const time = changeTime(f, base) ?? d.now;
  const m = stored
    ? mergeEntry({
      stored, base, incoming: f.item, member, caps, time, policy: d.policy, identity: d.identity,
      matched: action === 'matched', where: f.href,
      // A UID pimhub made up gives way to the first real one a member brings.
      adoptUid: !!stored.meta.uidInvented && !!f.item.uid && !(await view.getItemByUid(f.item.uid)),
    })
    : newEntry(f.item, d.collection, d.identity, `${member}\n${f.href}`, keys);
  const result = m.write ? afterWrite(m.write, d.now) : stored!;
  if (m.write) out.item = m.write;
  out.links = [memberLink(d, member, source, f, result)];
  for (const l of m.logs) logged(out, { time: d.now, item: result, action: l.action, member, fields: l.fields, message: l.message, summary: l.summary, entry: l.entry });
  return out;
}

/** The member now holds `f.item`; it agrees with the store if that equals the canonical item as far as it can hold. */
function memberLink(d: DecideContext, member: string, source: Source, f: FetchedItem, item: StoredItem): LinkRecord {
  const keyOf = d.identity.keyOf;
  // A new entry stored as it came is the same object: no need to fingerprint it twice.
  const agrees = f.item === item.item
    || itemFingerprint(f.item, keyOf, source.capabilities) === itemFingerprint(item.item, keyOf, source.capabilities);
  // A read-only member is never written, so its agreed version records the version it last
  // reported at: a later change elsewhere then keeps its deletion from propagating.
  return {
    collection: d.collection, member, href: f.href, itemId: item.id, etag: f.etag, base: f.item,
    agreedVersion: agrees || !isWritable(source) ? item.version : 0, updatedAt: d.now,
  };
}

/**
 * The version an interrupted run wrote to this member, when the member holds exactly that:
 * the write happened, only its record was lost, so that version is the member's base.
 */
async function interruptedWrite(d: DecideContext, member: string, source: Source, itemId: string, held: Item): Promise<Item | undefined> {
  const version = d.interrupted.get(`${member}\n${itemId}`);
  if (version === undefined) return undefined;
  const keyOf = d.identity.keyOf;
  const written = await d.view.versionOf(itemId, version);
  if (!written) return undefined;
  return itemFingerprint(written, keyOf, source.capabilities) === itemFingerprint(held, keyOf, source.capabilities) ? written : undefined;
}

/** The time of this change for `newest` (SPEC §4): the item's own stamp when this change
 * set it, else when the member changed the entry (file mtime, DAV getlastmodified). */
function changeTime(f: FetchedItem, base: Item | undefined): string | undefined {
  const own = itemTime(f.item);
  if (own !== undefined && (base === undefined || own !== itemTime(base))) return own;
  return f.modified;
}
