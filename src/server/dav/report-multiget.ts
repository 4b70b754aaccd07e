import type { CollectionRecord, StoredItem } from '../../core/store.js';
import type { Href } from '../../core/types.js';
import type { DavContext } from '../context.js';
import { propRequestOf, propResponse, sendMultistatus, statusResponse, wantsData } from '../multistatus.js';
import { Served } from '../served.js';
import { resolveName } from '../names.js';
import { nameInCollection } from '../paths.js';
import { objectResource, type Resource } from '../resources.js';
import { children, NS, type XmlNode } from '../../xml/dav-xml.js';
import type { Response } from 'express';

/**
 * From this many hrefs on, a multiget names them from the collection's listing (kept between
 * requests, src/server/listing-cache.ts) and reads their items in one query; fewer are
 * resolved one by one, so a client fetching a few changed objects of a large collection does
 * not pay for listing it.
 */
const BY_LISTING = 64;

/** addressbook-multiget / calendar-multiget: the named objects, each href echoed as the client sent it. */
export async function multiget(body: XmlNode, target: Resource & { type: 'collection' }, res: Response, ctx: DavContext): Promise<void> {
  const req = propRequestOf(body);
  const served = new Served();
  const data = wantsData(req);
  const hrefs = children(body, NS.dav, 'href').map((h) => h.text.trim());
  const found = await resolveAll(ctx, target.col, hrefs);
  // The texts held for the named objects only (one read per member), not for the whole collection.
  if (data) await served.preparePage(ctx, target.col, found.flatMap((f) => ('name' in f ? [f.name] : [])));
  const responses = found.map((f) => ('name' in f
    ? propResponse({ ...objectResource(ctx, target.col, f.name, f.item), href: f.href }, req, ctx, served)
    : statusResponse(f.href, 'HTTP/1.1 404 Not Found')));
  await served.record(ctx);
  sendMultistatus(res, responses);
}

type Found = { href: string; name: Href; item: StoredItem } | { href: string };

/**
 * The live item each href names, as `resolveName` answers (it decides every name the
 * listing does not settle): a vdirsyncer asking for all 10,000 objects at once costs one
 * listing and one read of the items instead of three store reads per href.
 */
async function resolveAll(ctx: DavContext, col: CollectionRecord, hrefs: string[]): Promise<Found[]> {
  const names = hrefs.map((href) => nameInCollection(href, ctx.user, col.name));
  const listing = hrefs.length >= BY_LISTING ? await ctx.listings.list(ctx.store, col) : undefined;
  const ids = listing ? names.map((n) => (n === undefined ? undefined : listing.named(n)?.item.id)) : [];
  const read = new Map((await ctx.store.getItems([...new Set(ids.filter((id) => id !== undefined))])).map((i) => [i.id, i] as const));
  const found: Found[] = [];
  for (const [i, href] of hrefs.entries()) {
    const name = names[i];
    if (name === undefined) {
      found.push({ href });
      continue;
    }
    const listed = ids[i] === undefined ? undefined : read.get(ids[i]!);
    const item = listed && listed.collection === col.name ? listed : await resolveName(ctx.store, col, name);
    found.push(!item || item.deleted ? { href } : { href, name, item });
  }
  return found;
}
