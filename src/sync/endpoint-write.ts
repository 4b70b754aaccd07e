import { createHash } from 'node:crypto';
import { PimError, isPimError } from '../core/errors.js';
import type { LinkRecord, Store, StoredItem } from '../core/store.js';
import { itemFingerprint } from '../merge/fingerprint.js';
import type { ConflictPolicy } from '../merge/policy.js';
import type { FormatCapabilities } from '../model/capabilities.js';
import type { Item } from '../model/item.js';
import { asEtag, type Etag, type Href } from '../core/types.js';
import { unchangedSinceBase } from './decide/deletions.js';
import { afterWrite, logged, type Decision } from './decide/decision.js';
import { mergeEntry, newEntry, type LogDraft } from './decide/merge-entry.js';
import { itemTime } from './item-info.js';
import { commitDecisionRun } from './plan/commit-decisions.js';
import type { Identity } from './types.js';

/**
 * Writes through the CardDAV/CalDAV endpoint, as changes by the member `endpoint` of the
 * collection (SPEC §5). What the endpoint served for an href is recorded as that member's
 * link (base = the item as served): a PUT is merged three-way against it, exactly as the
 * sync engine merges a member's change (src/sync/merge-incoming.ts), so a client that PUTs
 * without If-Match (Thunderbird) does not revert what changed elsewhere since it read.
 * Pure engine logic: the Store interface only, no HTTP.
 */
export const ENDPOINT_MEMBER = 'endpoint';

/**
 * Each client keeps its own base: a phone and a desktop of one user read different versions,
 * and a PUT without If-Match (Thunderbird) must be merged against what *that* client read.
 * Clients are told apart by user and User-Agent (versions left out, so an update of the app
 * keeps its key). These links only hold bases; hrefs are the `endpoint` member's.
 */
export function clientMember(user: string, userAgent: string): string {
  const ua = userAgent.replace(/[\d.]+/g, '').trim();
  return `${ENDPOINT_MEMBER}~${createHash('sha1').update(`${user}\n${ua}`).digest('hex').slice(0, 12)}`;
}

/** The strong ETag of a stored version: the item and its version (RFC 7232 §2.3). */
export function endpointEtag(item: Pick<StoredItem, 'id' | 'version'>): Etag {
  return asEtag(`"${item.id.replace(/-/g, '').slice(0, 12)}-${item.version}"`);
}

export interface EndpointDeps {
  store: Store;
  identity: Identity;
  policy: ConflictPolicy;
  now: () => Date;
}

export interface EndpointPutRequest {
  collection: string;
  /** The resource name within the collection (percent-decoded). */
  href: Href;
  incoming: Item;
  /** What the client's format holds: the rest is kept from the store, never read as deleted. */
  caps: FormatCapabilities;
  /** The item this href names now (live or tombstone), as the server resolved it. */
  target?: StoredItem;
  /** The client sent If-Match naming the current version: its base is that version. */
  ifMatched: boolean;
  /** This client's base-keeping member (`clientMember`), when known. */
  client?: string;
  /** The text the client sent, kept on its links so it is served its own form. */
  raw?: string;
}

export type EndpointPutResult =
  | {
    outcome: 'created' | 'updated' | 'unchanged';
    item: StoredItem;
    /** True when the stored item equals what the client sent (as far as its format holds): the ETag may be returned. */
    agrees: boolean;
  }
  /**
   * Another resource of the collection holds this UID, or the PUT would change the UID of the
   * live object at this href (`itemId` is then that object) (RFC 6352 §6.3.2.1, RFC 4791 §5.3.2.1).
   */
  | { outcome: 'uid-conflict'; itemId: string; uidChanged?: true };

const RETRIES = 3;

/**
 * A PUT. With If-Match (`ifMatched`), a concurrent change between the check and the commit
 * is a precondition failure (412); without it the write is re-merged against the new
 * version, as the sync engine does after a 412 from a member.
 */
export async function endpointPut(deps: EndpointDeps, req: EndpointPutRequest): Promise<EndpointPutResult> {
  let target = req.target;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await putOnce(deps, { ...req, target });
    } catch (e) {
      if (!isPimError(e, 'precondition-failed') || req.ifMatched || attempt >= RETRIES) throw e;
      target = target ? await deps.store.getItem(target.id) : undefined;
    }
  }
}

async function putOnce(deps: EndpointDeps, req: EndpointPutRequest): Promise<EndpointPutResult> {
  const { store, identity } = deps;
  const now = deps.now().toISOString();
  const link = await store.getLink(req.collection, ENDPOINT_MEMBER, req.href);
  const own = req.client ? await store.getLink(req.collection, req.client, req.href) : undefined;
  let target = req.target;
  // A tombstone's href reused for a different UID is a new item, not a restore.
  if (target?.deleted && req.incoming.uid && target.uid !== req.incoming.uid) target = undefined;
  // A live object's UID cannot change: a PUT naming another UID would overwrite one contact
  // or event with another (RFC 6352 §6.3.2.1, RFC 4791 §5.3.2.1).
  if (target && !target.deleted && req.incoming.uid && target.uid !== req.incoming.uid) return { outcome: 'uid-conflict', itemId: target.id, uidChanged: true };
  const removeLinks: Decision['removeLinks'] = [];
  if (!target && req.incoming.uid) {
    const byUid = await store.getItemByUid(req.collection, req.incoming.uid);
    // The endpoint serves every live item under an href of its own: a new href with a live
    // item's UID is a second resource for one UID, which CardDAV and CalDAV forbid.
    if (byUid && !byUid.deleted) return { outcome: 'uid-conflict', itemId: byUid.id };
    if (byUid) {
      target = byUid;
      for (const l of await store.linksForItem(byUid.id)) {
        if (l.member === ENDPOINT_MEMBER && l.href !== req.href) removeLinks.push({ member: l.member, href: l.href });
      }
    }
  }
  if (!target) return create(deps, req, now);

  const restored = target.deleted;
  const served = own && own.itemId === target.id ? own : link && link.itemId === target.id ? link : undefined;
  const d = mergeEntry({
    stored: target, base: restored ? undefined : req.ifMatched ? target.item : served?.base, incoming: req.incoming,
    member: ENDPOINT_MEMBER, caps: req.caps, time: itemTime(req.incoming) ?? now, policy: deps.policy, identity,
    matched: false, adoptUid: false, where: req.href,
  });
  const result: StoredItem = d.write ? afterWrite(d.write, now) : target;
  const agrees = sameAsHeld(deps, req.incoming, result.item, req.caps);
  const decision: Decision = { removeLinks, links: linksFor(req, result, agrees, now), ...(d.write ? { item: d.write } : {}) };
  logAll(decision, now, result, d.logs);
  await commitEndpointRun(deps, req.collection, `PUT ${req.href}`, decision, now);
  return { outcome: d.write ? 'updated' : 'unchanged', item: (await store.getItem(result.id)) ?? result, agrees };
}

async function create(deps: EndpointDeps, req: EndpointPutRequest, now: string): Promise<EndpointPutResult> {
  const d = newEntry(req.incoming, req.collection, deps.identity, `${ENDPOINT_MEMBER}\n${req.href}\n${now}`);
  const w = d.write!;
  const stored = afterWrite(w, now);
  const decision: Decision = { item: w, links: linksFor(req, stored, true, now) };
  logAll(decision, now, stored, d.logs);
  await commitEndpointRun(deps, req.collection, `PUT ${req.href}`, decision, now);
  return { outcome: 'created', item: (await deps.store.getItem(w.id)) ?? stored, agrees: true };
}

function logAll(decision: Decision, now: string, item: StoredItem, logs: LogDraft[]): void {
  for (const l of logs) logged(decision, { time: now, item, action: l.action, member: ENDPOINT_MEMBER, fields: l.fields, message: l.message, summary: l.summary, entry: l.entry });
}

/** A write through the endpoint is a one-item run (trigger `endpoint`) of the member `endpoint`. */
async function commitEndpointRun(deps: EndpointDeps, collection: string, command: string, decision: Decision, now: string): Promise<void> {
  await commitDecisionRun(deps.store, {
    collection, trigger: 'endpoint', command, now: new Date(now), decisions: [decision],
    memberStates: [{ collection, member: ENDPOINT_MEMBER, lastSync: now, errors: 0 }],
  });
}

/** The client now holds what it sent: that is its base for its next write (its own, and the shared one). */
function linksFor(req: EndpointPutRequest, item: StoredItem, agrees: boolean, now: string): LinkRecord[] {
  const link = (member: string): LinkRecord => ({
    collection: req.collection, member, href: req.href, itemId: item.id, etag: endpointEtag(item),
    base: req.incoming, agreedVersion: agrees ? item.version : 0, updatedAt: now,
    ...(req.raw === undefined ? {} : { raw: req.raw }),
  });
  return req.client ? [link(ENDPOINT_MEMBER), link(req.client)] : [link(ENDPOINT_MEMBER)];
}

function sameAsHeld(deps: EndpointDeps, incoming: Item, stored: Item, caps: FormatCapabilities): boolean {
  const keyOf = deps.identity.keyOf;
  return itemFingerprint(incoming, keyOf, caps) === itemFingerprint(stored, keyOf, caps);
}

/** Records what the endpoint served (GET, multiget, query, sync-collection with data): the base of the client's next PUT. */
export async function recordServed(
  store: Store,
  collection: string,
  served: Array<{ href: Href; item: StoredItem; raw?: string }>,
  now: Date,
  client?: string,
): Promise<void> {
  const links: LinkRecord[] = [];
  const time = now.toISOString();
  for (const member of client ? [ENDPOINT_MEMBER, client] : [ENDPOINT_MEMBER]) {
    const held = new Map((await store.linksAt(collection, member, served.map((s) => s.href))).map((l) => [l.href, l]));
    for (const { href, item, raw } of served) {
      const existing = held.get(href);
      if (existing && existing.itemId === item.id && existing.agreedVersion === item.version && existing.raw === raw) continue;
      links.push({
        collection, member, href, itemId: item.id, etag: endpointEtag(item), base: item.item,
        agreedVersion: item.version, updatedAt: time, ...(raw === undefined ? {} : { raw }),
      });
    }
  }
  if (links.length > 0) await store.commit({ links });
}

export type EndpointDeleteResult = { outcome: 'deleted' } | { outcome: 'restored'; item: StoredItem };

/**
 * A DELETE tombstones the item, so the sync engine's plan deletes it at the other members.
 * As for any member (SPEC §4), a deletion without If-Match of an item changed elsewhere
 * since the client read it is not carried out: the edit wins, the item gets a new version
 * (so the client's next sync brings it back) and the decision is logged.
 */
export async function endpointDelete(
  deps: EndpointDeps,
  req: { collection: string; href: Href; target: StoredItem; ifMatched: boolean; caps: FormatCapabilities; client?: string },
): Promise<EndpointDeleteResult> {
  const { store } = deps;
  const now = deps.now().toISOString();
  const t = req.target;
  const own = req.client ? await store.getLink(req.collection, req.client, req.href) : undefined;
  const link = own && own.itemId === t.id ? own : await store.getLink(req.collection, ENDPOINT_MEMBER, req.href);
  const changedSince = !req.ifMatched && link !== undefined && link.itemId === t.id
    && !unchangedSinceBase(link, t, deps.identity.keyOf, req.caps);
  const decision: Decision = {
    item: {
      id: t.id, collection: t.collection, uid: t.uid, item: t.item, meta: t.meta, expectVersion: t.version,
      deleted: !changedSince, ...(changedSince ? { identityKeys: deps.identity.identityKeys(t.item) } : {}),
    },
  };
  if (changedSince) {
    logged(decision, {
      time: now, item: t, action: 'updated', member: ENDPOINT_MEMBER, summary: 'restored',
      message: 'restored: deleted through the endpoint but changed elsewhere since; the client gets it back',
    });
  } else logged(decision, { time: now, item: t, action: 'deleted', member: ENDPOINT_MEMBER });
  try {
    await commitEndpointRun(deps, req.collection, `DELETE ${req.href}`, decision, now);
  } catch (e) {
    if (isPimError(e, 'precondition-failed')) throw new PimError('precondition-failed', 'the item changed while it was being deleted');
    throw e;
  }
  if (!changedSince) return { outcome: 'deleted' };
  return { outcome: 'restored', item: (await store.getItem(t.id))! };
}
