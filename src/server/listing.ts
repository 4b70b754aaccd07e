import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { CollectionRecord, ItemHead, StoredItem } from '../core/store.js';
import type { DavContext } from './context.js';
import type { Entry } from './names.js';
import type { Listing } from './listing-cache.js';
import { keyOf } from '../xml/dav-xml.js';
import { needsItems, propResponse, wantsData, type PropRequest } from './multistatus.js';
import type { MultistatusStream } from './multistatus-stream.js';
import { objectResource } from './resources.js';
import type { Served } from './served.js';

/**
 * Objects answered per page: their items read in one store query (when a property asked for
 * needs them), their `response`s written in one piece, then the event loop runs other
 * requests before the next page.
 */
const PAGE = 250;

/**
 * Streams the `response` of every listed object of a collection (PROPFIND Depth 1, a
 * sync-collection without token), a page at a time: a listing of 10,000 objects neither holds
 * its answer in memory nor keeps the server from answering GETs and PUTs meanwhile. Only the
 * items' heads are read unless a property asked for needs the items (address-data,
 * getcontentlength); the texts clients hold (the form address-data is served in) are read
 * per page too. An item changed after the heads were read is answered as it is now; one
 * deleted since is left out (a client's next sync-collection reports it). False when the
 * client went away before the end.
 */
export async function streamObjects(
  out: MultistatusStream, ctx: DavContext, col: CollectionRecord, listing: Listing, req: PropRequest, served: Served,
  deadOf: (name: string) => Record<string, string> | undefined = () => undefined,
): Promise<boolean> {
  const { entries } = listing;
  const withItems = needsItems(req);
  const withData = wantsData(req);
  // Heads-only answers are kept per object (listing-cache.ts); one with dead properties is rendered each time.
  const kept = withItems ? undefined : listing.rendered(requestKind(req, ctx.user));
  for (let start = 0; start < entries.length; start += PAGE) {
    if (start > 0) await yieldToLoop();
    const page = entries.slice(start, start + PAGE);
    const items = withItems ? await itemsById(ctx, page) : undefined;
    if (withData) await served.preparePage(ctx, col, page.map((e) => e.name));
    const parts: Buffer[] = [];
    let xml = '';
    for (const e of page) {
      const item: ItemHead | undefined = items ? items.get(e.item.id) : e.item;
      if (!item || item.deleted) continue;
      const dead = deadOf(e.name);
      if (!kept || dead !== undefined) {
        xml += propResponse(objectResource(ctx, col, e.name, item), req, ctx, served, dead);
        continue;
      }
      let fragment = kept.get(e);
      if (!fragment) {
        fragment = Buffer.from(propResponse(objectResource(ctx, col, e.name, item), req, ctx, served));
        kept.set(e, fragment);
      }
      if (xml !== '') parts.push(Buffer.from(xml));
      xml = '';
      parts.push(fragment);
    }
    if (xml !== '') parts.push(Buffer.from(xml));
    if (!(await out.write(Buffer.concat(parts)))) return false;
  }
  return true;
}

/** What a heads-only `response` depends on besides the object: the properties asked for and the user (hrefs, owner). */
function requestKind(req: PropRequest, user: string): string {
  const props = req.kind === 'prop' ? req.props : req.kind === 'allprop' ? req.include : [];
  return [user, req.kind, ...props.map((q) => keyOf(q))].join('\n');
}

async function itemsById(ctx: DavContext, page: Array<Entry<ItemHead>>): Promise<Map<string, StoredItem>> {
  const ids = [...new Set(page.map((e) => e.item.id))];
  return new Map((await ctx.store.getItems(ids)).map((i) => [i.id, i] as const));
}
