import type { Response } from 'express';
import type { StoredItem } from '../../core/store.js';
import type { Href } from '../../core/types.js';
import type { DavContext } from '../context.js';
import { DavError } from '../dav-error.js';
import { propRequestOf, propResponse, sendMultistatus, statusResponse, wantsData } from '../multistatus.js';
import { MultistatusStream } from '../multistatus-stream.js';
import { streamObjects } from '../listing.js';
import { Served } from '../served.js';
import { namesOf } from '../names.js';
import { objectResource, type Resource } from '../resources.js';
import { child, davText, NS, type XmlNode } from '../../xml/dav-xml.js';
import { objectHref } from '../paths.js';
import { sequenceOf, syncToken } from '../sync-token.js';

/**
 * sync-collection (RFC 6578 §3.2). An empty token lists every object (streamed, as a
 * PROPFIND Depth 1); a token lists what changed since (tombstones as 404). An unknown token
 * is 403 with DAV:valid-sync-token, as RFC 6578 §3.2 requires; Thunderbird, however, only
 * falls back to a full fetch on 400 and fails its sync on any other status, so it gets 400
 * with the same body.
 */
export async function syncCollection(body: XmlNode, target: Resource & { type: 'collection' }, res: Response, ctx: DavContext): Promise<void> {
  const req = propRequestOf(body);
  const token = child(body, NS.dav, 'sync-token')?.text.trim() ?? '';
  const served = new Served();
  const col = target.col;
  if (token === '') {
    // The token is the listing's seq: whatever changes while it is sent comes again next time.
    const listing = await ctx.listings.list(ctx.store, col);
    const out = new MultistatusStream(res);
    out.begin();
    if (!(await streamObjects(out, ctx, col, listing, req, served))) return;
    await served.record(ctx);
    out.end(davText('sync-token', syncToken(col, listing.seq)));
    return;
  }
  const since = await sequenceOf(token, col, target.seq, () => ctx.store.listCollections());
  if (since === undefined) {
    const status = /thunderbird/i.test(ctx.userAgent) ? 400 : 403;
    throw new DavError(status, 'the sync token is not valid for this collection; sync again without a token', { ns: NS.dav, name: 'valid-sync-token' });
  }
  const changes = await ctx.store.changesSince(col.name, since);
  const named: Array<{ item: StoredItem; names: Href[] }> = [];
  for (const item of changes.items) named.push({ item, names: await namesOf(ctx.store, col, item) });
  if (wantsData(req)) await served.preparePage(ctx, col, named.flatMap((n) => (n.item.deleted ? [] : n.names)));
  const responses: string[] = [];
  for (const { item, names } of named) {
    for (const name of names) {
      if (item.deleted) responses.push(statusResponse(objectHref(ctx.user, col.name, name), 'HTTP/1.1 404 Not Found'));
      else responses.push(propResponse(objectResource(ctx, col, name, item), req, ctx, served));
    }
  }
  await served.record(ctx);
  sendMultistatus(res, responses, davText('sync-token', syncToken(col, changes.seq)));
}
