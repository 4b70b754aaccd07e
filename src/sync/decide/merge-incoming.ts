import { isWritable, type FetchedItem, type Source } from '../../core/connector.js';
import type { FieldDecision, LinkRecord, LogAction, StoredItem } from '../../core/store.js';
import { itemFingerprint } from '../../merge/fingerprint.js';
import type { Item } from '../../model/item.js';
import { identify } from './identify.js';
import { mergeEntry, newEntry } from './merge-entry.js';
import { itemLabel, itemTime } from '../item-info.js';
import type { RunContext } from '../run-context.js';

/**
 * Brings one changed entry of a member into the store: find its canonical item (link, UID,
 * identity), merge it three-way against the member's base, stage the new version, the
 * member's link and the log entry.
 */
export async function mergeIncoming(ctx: RunContext, member: string, source: Source, f: FetchedItem): Promise<void> {
  const { ws, input } = ctx;
  const keyOf = input.identity.keyOf;
  const caps = source.capabilities;
  const link = (await ws.linksOf(member)).get(f.href);
  if (ctx.quarantined.get(member)?.has(f.href)) ws.unquarantine(member, f.href);

  if (link && itemFingerprint(f.item, keyOf, caps) === itemFingerprint(link.base, keyOf, caps)) {
    // Same content under a new etag (a server rewrote PRODID, or the file was touched).
    await ws.putLink({ ...link, etag: f.etag, updatedAt: ctx.now });
    return;
  }

  let stored: StoredItem | undefined;
  let action: 'updated' | 'matched' = 'updated';
  let base: Item | undefined;
  if (link) {
    stored = await ws.getItem(link.itemId);
    base = (await interruptedWrite(ctx, member, source, link.itemId, f.item)) ?? link.base;
  } else {
    const found = await identify(ctx, member, f.href, f.item);
    stored = found?.item;
    if (found?.movedFrom) {
      // The member's own entry under a new href (a CSV row renamed, a file renamed): it is
      // merged against what this member last agreed, exactly as an edit in place.
      base = found.movedFrom.base;
    } else action = 'matched';
  }

  const time = changeTime(f, base) ?? ctx.now;
  const d = stored
    ? mergeEntry({
      stored, base, incoming: f.item, member, caps, time, policy: input.policy, identity: input.identity,
      matched: action === 'matched', where: f.href,
      // A UID pimhub made up gives way to the first real one a member brings.
      adoptUid: !!stored.meta.uidInvented && !!f.item.uid && !(await ws.getItemByUid(f.item.uid)),
    })
    : newEntry(f.item, input.collection, input.identity, `${member}\n${f.href}`);
  const result = d.write ? await ws.putItem(d.write, ctx.now) : stored!;
  await linkMember(ctx, member, source, f, result);
  for (const l of d.logs) record(ctx, l.action, result, member, l.fields, l.message, l.summary);
}

/** The member now holds `f.item`; it agrees with the store if that equals the canonical item as far as it can hold. */
async function linkMember(ctx: RunContext, member: string, source: Source, f: FetchedItem, item: StoredItem): Promise<void> {
  const keyOf = ctx.input.identity.keyOf;
  const agrees = itemFingerprint(f.item, keyOf, source.capabilities) === itemFingerprint(item.item, keyOf, source.capabilities);
  // A read-only member is never written, so its agreed version records the version it last
  // reported at: a later change elsewhere then keeps its deletion from propagating.
  const link: LinkRecord = {
    collection: ctx.input.collection, member, href: f.href, itemId: item.id, etag: f.etag, base: f.item,
    agreedVersion: agrees || !isWritable(source) ? item.version : 0, updatedAt: ctx.now,
  };
  await ctx.ws.putLink(link);
}

/**
 * The version an interrupted run wrote to this member, when the member holds exactly that:
 * the write happened, only its record was lost, so that version is the member's base.
 */
async function interruptedWrite(ctx: RunContext, member: string, source: Source, itemId: string, held: Item): Promise<Item | undefined> {
  const version = ctx.interrupted.get(`${member}\n${itemId}`);
  if (version === undefined) return undefined;
  const keyOf = ctx.input.identity.keyOf;
  const written = (await ctx.input.store.history(itemId, 50)).find((h) => h.version === version);
  if (!written) return undefined;
  return itemFingerprint(written.item, keyOf, source.capabilities) === itemFingerprint(held, keyOf, source.capabilities) ? written.item : undefined;
}

/** The time of this change for `newest` (SPEC §4): the item's own stamp when this change
 * set it, else when the member changed the entry (file mtime, DAV getlastmodified). */
function changeTime(f: FetchedItem, base: Item | undefined): string | undefined {
  const own = itemTime(f.item);
  if (own !== undefined && (base === undefined || own !== itemTime(base))) return own;
  return f.modified;
}

function record(
  ctx: RunContext,
  action: LogAction,
  item: StoredItem,
  member: string,
  fields: FieldDecision[] | undefined,
  message?: string,
  summaryAction?: 'restored',
): void {
  ctx.ws.log({
    time: ctx.now, collection: ctx.input.collection, uid: item.uid, itemId: item.id, action, connector: member,
    ...(fields && fields.length ? { fields } : {}), ...(message ? { message } : {}),
  });
  ctx.report.changes.push({ action: summaryAction ?? (action as Exclude<LogAction, 'quarantined' | 'resolved' | 'undone' | 'duplicates-merged'>), uid: item.uid, member, label: itemLabel(item.item) });
}
