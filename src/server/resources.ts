/**
 * The resource a request path names, checked against the logged-in user: another user's
 * principal or home is 403; a collection the user does not own is 404 (its existence is
 * not revealed); an object that does not exist (or is a tombstone) is 404.
 */
import type { CollectionRecord, ItemHead, StoredItem } from '../core/store.js';
import type { Href } from '../core/types.js';
import type { DavContext } from './context.js';
import { DavError, forbidden, notFound } from './dav-error.js';
import { resolveName } from './names.js';
import { collectionHref, DAV_ROOT, homeHref, objectHref, principalHref, type ParsedPath } from './paths.js';
import { assertNever } from '../core/errors.js';

export type Resource =
  | { type: 'root'; href: string }
  | { type: 'principal'; href: string; user: string }
  | { type: 'home'; href: string; user: string }
  | { type: 'collection'; href: string; user: string; col: CollectionRecord; seq: number }
  | ObjectResource;

/** An object of a collection, with its stored item (or, in a listing, only the item's head). */
export interface ObjectResource<I extends ItemHead = StoredItem> { type: 'object'; href: string; user: string; col: CollectionRecord; name: Href; item: I }

/**
 * A resource as a listing (PROPFIND Depth 1, sync-collection) serves it: an object may carry
 * only its item's head when no property asked for needs the item (src/server/listing.ts).
 */
export type ListedResource = Resource | ObjectResource<ItemHead>;

/** The stored item of a listed object: a listing reads it when a property asked for needs it. */
export function storedItemOf(r: ObjectResource<ItemHead>): StoredItem {
  if (!('item' in r.item)) throw new Error(`${r.href}: the listing read only the head of this item, but a property asked for needs the item`);
  return r.item as StoredItem;
}

export type ResourceType = Resource['type'];

function ownUser(ctx: DavContext, user: string): void {
  if (user !== ctx.user) throw forbidden('this belongs to another user');
}

/** The user's collection of that name, or undefined. */
export async function ownCollection(ctx: DavContext, name: string): Promise<CollectionRecord | undefined> {
  const col = await ctx.store.getCollection(name);
  return col && col.owner === ctx.user ? col : undefined;
}

export async function userCollections(ctx: DavContext): Promise<CollectionRecord[]> {
  return (await ctx.store.listCollections()).filter((c) => c.owner === ctx.user);
}

export async function collectionResource(ctx: DavContext, col: CollectionRecord): Promise<Resource & { type: 'collection' }> {
  return { type: 'collection', href: collectionHref(ctx.user, col.name), user: ctx.user, col, seq: await ctx.store.currentSeq(col.name) };
}

export function objectResource<I extends ItemHead>(ctx: DavContext, col: CollectionRecord, name: Href, item: I): ObjectResource<I> {
  return { type: 'object', href: objectHref(ctx.user, col.name, name), user: ctx.user, col, name, item };
}

/** Resolves an existing resource; throws 404/403 otherwise. */
export async function resolveResource(ctx: DavContext, p: ParsedPath): Promise<Resource> {
  switch (p.type) {
    case 'root':
      return { type: 'root', href: DAV_ROOT };
    case 'principal':
      ownUser(ctx, p.user);
      return { type: 'principal', href: principalHref(p.user), user: p.user };
    case 'home':
      ownUser(ctx, p.user);
      return { type: 'home', href: homeHref(p.user), user: p.user };
    case 'collection': {
      ownUser(ctx, p.user);
      const col = await ownCollection(ctx, p.collection);
      if (!col) throw notFound('no such collection');
      return collectionResource(ctx, col);
    }
    case 'object': {
      ownUser(ctx, p.user);
      const col = await ownCollection(ctx, p.collection);
      if (!col) throw notFound('no such collection');
      const item = await resolveName(ctx.store, col, p.name);
      if (!item || item.deleted) throw notFound('no such object');
      return objectResource(ctx, col, p.name, item);
    }
    case 'well-known':
    case 'unknown':
      throw notFound();
    default:
      return assertNever(p, 'path');
  }
}

/** For writes: the collection an object path lives in, and the item its name answers to (maybe a tombstone). */
export async function objectTarget(ctx: DavContext, p: ParsedPath): Promise<{ col: CollectionRecord; name: Href; item?: StoredItem }> {
  if (p.type !== 'object') throw new DavError(405, 'only objects inside a collection can be written', undefined, { Allow: 'OPTIONS, PROPFIND, REPORT' });
  ownUser(ctx, p.user);
  const col = await ownCollection(ctx, p.collection);
  if (!col) throw new DavError(409, 'no such collection');
  return { col, name: p.name, item: await resolveName(ctx.store, col, p.name) };
}
