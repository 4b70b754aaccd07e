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
  const responses: string[] = [];
  for (const h of children(body, NS.dav, 'href')) {
    const href = h.text.trim();
    const name = nameInCollection(href, ctx.user, target.col.name);
    const item = name === undefined ? undefined : await resolveName(ctx.store, target.col, name);
    if (!item || item.deleted || name === undefined) {
      responses.push(statusResponse(href, 'HTTP/1.1 404 Not Found'));
      continue;
    }
    // The texts held for the named objects only, not for the whole collection.
    if (data) await served.prepareOne(ctx, target.col, name);
    responses.push(propResponse({ ...objectResource(ctx, target.col, name, item), href }, req, ctx, served));
  }
  await served.record(ctx);
  sendMultistatus(res, responses);
}
