import type { CollectionRecord } from '../../core/store.js';
import type { CollectionKind } from '../../core/types.js';
import { ENDPOINT_MEMBER } from '../../sync/endpoint-write.js';
import { badRequest, DavError, forbidden } from '../dav-error.js';
import { collectionHref } from '../paths.js';
import { WRITABLE } from '../properties.js';
import { child, children, is, keyOf, NS, type XmlNode } from '../../xml/dav-xml.js';
import { xmlBody, type DavHandler } from './request.js';

/**
 * Extended MKCOL (RFC 5689 §3) and MKCALENDAR (RFC 4791 §5.3.1): a new address book or
 * calendar in the user's home, owned by that user, with the endpoint as its only member,
 * kept in the store. displayname, description and calendar-color in the body are applied;
 * other properties (calendar-timezone, calendar-order…) are accepted and not kept. A plain
 * MKCOL without a body makes an address book; a body whose resourcetype is neither an
 * address book nor a calendar is refused (403 DAV:valid-resourcetype). Names of the config
 * file's collections are refused (403).
 */
export const mkcol: DavHandler = async (r, res, ctx) => {
  const ct = r.header('content-type');
  // Lenient on a missing or generic type when the body is XML; anything else is not a MKCOL body.
  if (r.body.length > 0 && ct && !/\bxml\b/i.test(ct) && !r.body.toString('utf8').trimStart().startsWith('<')) throw new DavError(415, 'the body of MKCOL must be XML (RFC 5689)');
  const p = r.path;
  if (p.type !== 'collection') throw new DavError(409, 'collections are created directly in the home: /dav/home/USER/NAME/');
  if (p.user !== ctx.user) throw forbidden('this belongs to another user');
  const body = xmlBody(r);
  const calendar = r.method === 'MKCALENDAR';
  if (body && !is(body, calendar ? NS.caldav : NS.dav, calendar ? 'mkcalendar' : 'mkcol')) throw badRequest(`expected a ${calendar ? 'C:mkcalendar' : 'D:mkcol'} body`);
  const props = children(body, NS.dav, 'set').flatMap((s) => children(s, NS.dav, 'prop')).flatMap((x) => x.children);
  // A plain MKCOL (no body) makes an address book: pimhub holds nothing else that a bare collection could be.
  const kind = calendar ? 'calendar' : body ? kindOf(props.find((x) => is(x, NS.dav, 'resourcetype'))) : 'contacts';
  if (!kind) throw new DavError(403, 'only address books and calendars can be created', { ns: NS.dav, name: 'valid-resourcetype' });
  const existing = await ctx.store.getCollection(p.collection);
  // A name of the config file is the config's: a client-made collection under it would be
  // taken over (or clash) when pimhub next starts. Another user's name gets the same answer,
  // which does not tell whether it exists (a user never learns another's collections).
  if ((existing && existing.owner !== ctx.user) || (!existing && ctx.config.collections[p.collection])) throw forbidden('this name cannot be used for a new collection');
  if (existing) throw new DavError(405, 'a collection of that name exists', undefined, { Allow: 'PROPFIND, PROPPATCH, DELETE, REPORT' });
  const now = ctx.now().toISOString();
  const rec: CollectionRecord = { name: p.collection, kind, owner: ctx.user, origin: 'endpoint', createdAt: now, displayName: p.collection };
  for (const prop of props) {
    const field = WRITABLE[keyOf(prop)];
    if (field && prop.text.trim() !== '') rec[field] = prop.text.trim();
  }
  await ctx.store.upsertCollection(rec);
  await ctx.store.commit({ memberStates: [{ collection: rec.name, member: ENDPOINT_MEMBER, errors: 0, lastSync: now }] });
  res.setHeader('Location', collectionHref(ctx.user, rec.name));
  res.status(201).end();
};

function kindOf(rt: XmlNode | undefined): CollectionKind | undefined {
  if (child(rt, NS.carddav, 'addressbook')) return 'contacts';
  if (child(rt, NS.caldav, 'calendar')) return 'calendar';
  return undefined;
}
