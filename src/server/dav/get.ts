import { encodeICalendar } from '../../codecs/icalendar/index.js';
import { encodeVCards } from '../../codecs/vcard/index.js';
import type { CalendarItem, ContactItem } from '../../model/item.js';
import { endpointEtag } from '../../sync/endpoint-write.js';
import { homePage } from '../home-page.js';
import { listEntries } from '../names.js';
import { cardVersionFor, contentTypeOf, JCARD_TYPE, render, renderJCard, versionFromAccept, wantsJCard } from '../render.js';
import { Served } from '../served.js';
import { resolveResource } from '../resources.js';
import { etagList, type DavHandler } from './request.js';

/**
 * GET and HEAD (RFC 4918 §9.4): an object's vCard (3.0, or 4.0 when Accept asks) or
 * iCalendar with its strong ETag; a collection as one .vcf/.ics (an export); the root and
 * home as a short HTML page listing the user's collections.
 */
export const get: DavHandler = async (r, res, ctx) => {
  const target = await resolveResource(ctx, r.path);
  const head = r.method === 'HEAD';
  if (target.type === 'root' || target.type === 'home' || target.type === 'principal') {
    res.status(200).type('text/html; charset=utf-8').send(head ? '' : await homePage(ctx));
    return;
  }
  if (target.type === 'collection') {
    const items = (await listEntries(ctx.store, target.col)).map((e) => e.item.item);
    const text = target.col.kind === 'contacts'
      ? encodeVCards(items as ContactItem[], versionFromAccept(r.header('accept')) ?? '3.0')
      : encodeICalendar(items as CalendarItem[]);
    res.status(200).type(contentTypeOf(target.col)).send(head ? '' : text);
    return;
  }
  const etag = endpointEtag(target.item);
  res.setHeader('ETag', etag);
  res.setHeader('Vary', 'Accept');
  const inm = etagList(r.header('if-none-match'));
  if (inm && (inm.includes('*') || inm.includes(etag))) {
    res.status(304).end();
    return;
  }
  const served = new Served();
  await served.prepareOne(ctx, target.col, target.name);
  const template = served.template(target.col, target.name, target.item);
  const version = cardVersionFor(versionFromAccept(r.header('accept')), template);
  const json = target.col.kind === 'contacts' && wantsJCard(r.header('accept'));
  const text = json ? renderJCard(target.item) : render(target.item, version, undefined, template?.raw);
  res.setHeader('Last-Modified', new Date(target.item.updatedAt).toUTCString());
  res.status(200).type(json ? `${JCARD_TYPE}; charset=utf-8` : contentTypeOf(target.col, version));
  if (head) {
    res.setHeader('Content-Length', String(Buffer.byteLength(text)));
    res.end();
    return;
  }
  served.add(target.col, target.name, target.item, json ? undefined : text);
  await served.record(ctx);
  res.send(text);
};
