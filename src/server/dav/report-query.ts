import type { Response } from 'express';
import type { CalendarItem, ContactItem } from '../../model/item.js';
import { calendarFilter } from './query/calendar-filter.js';
import { cardFilter } from './query/card-filter.js';
import type { DavContext } from '../context.js';
import { propRequestOf, propResponse, sendMultistatus, statusResponse } from '../multistatus.js';
import { Served } from '../served.js';
import { listEntries } from '../names.js';
import { objectResource, type Resource } from '../resources.js';
import { child, NS, type XmlNode } from '../../xml/dav-xml.js';

/**
 * addressbook-query (RFC 6352 §8.6, with CARDDAV:limit §8.6.1: the cut is reported as 507
 * on the collection) and calendar-query (RFC 4791 §7.8).
 */
export async function query(body: XmlNode, target: Resource & { type: 'collection' }, res: Response, ctx: DavContext): Promise<void> {
  const contacts = target.col.kind === 'contacts';
  const filterEl = child(body, contacts ? NS.carddav : NS.caldav, 'filter');
  const match = contacts ? cardFilter(filterEl) : calendarFilter(filterEl);
  const limitText = child(child(body, NS.carddav, 'limit'), NS.carddav, 'nresults')?.text.trim();
  const limit = contacts && limitText && /^\d+$/.test(limitText) ? Number(limitText) : Infinity;
  const req = propRequestOf(body);
  const served = new Served();
  await served.prepare(ctx, target.col);
  const responses: string[] = [];
  let truncated = false;
  for (const e of await listEntries(ctx.store, target.col)) {
    const ok = contacts ? (match as (i: ContactItem) => boolean)(e.item.item as ContactItem) : (match as (i: CalendarItem) => boolean)(e.item.item as CalendarItem);
    if (!ok) continue;
    if (responses.length >= limit) {
      truncated = true;
      break;
    }
    responses.push(propResponse(objectResource(ctx, target.col, e.name, e.item), req, ctx, served));
  }
  if (truncated) responses.push(statusResponse(target.href, 'HTTP/1.1 507 Insufficient Storage'));
  await served.record(ctx);
  sendMultistatus(res, responses);
}
