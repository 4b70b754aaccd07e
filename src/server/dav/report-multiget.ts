import type { StoredItem } from '../../core/store.js';
import type { Href } from '../../core/types.js';
import type { DavContext } from '../context.js';
import { propRequestOf, propResponse, sendMultistatus, statusResponse, wantsData } from '../multistatus.js';
import { Served } from '../served.js';
import { resolveName } from '../names.js';
import { nameInCollection } from '../paths.js';
import { objectResource, type Resource } from '../resources.js';
import { children, NS, type XmlNode } from '../../xml/dav-xml.js';
import type { Response } from 'express';

/** addressbook-multiget / calendar-multiget: the named objects, each href echoed as the client sent it. */
export async function multiget(body: XmlNode, target: Resource & { type: 'collection' }, res: Response, ctx: DavContext): Promise<void> {
  const req = propRequestOf(body);
  const served = new Served();
  const data = wantsData(req);
  const found: Array<{ href: string; name: Href; item: StoredItem } | { href: string }> = [];
  for (const h of children(body, NS.dav, 'href')) {
    const href = h.text.trim();
    const name = nameInCollection(href, ctx.user, target.col.name);
    const item = name === undefined ? undefined : await resolveName(ctx.store, target.col, name);
    found.push(!item || item.deleted || name === undefined ? { href } : { href, name, item });
  }
  // The texts held for the named objects only (one read per member), not for the whole collection.
  if (data) await served.preparePage(ctx, target.col, found.flatMap((f) => ('name' in f ? [f.name] : [])));
  const responses = found.map((f) => ('name' in f
    ? propResponse({ ...objectResource(ctx, target.col, f.name, f.item), href: f.href }, req, ctx, served)
    : statusResponse(f.href, 'HTTP/1.1 404 Not Found')));
  await served.record(ctx);
  sendMultistatus(res, responses);
}
