import { badRequest, forbidden } from '../dav-error.js';
import { resolveResource } from '../resources.js';
import { is, NS } from '../../xml/dav-xml.js';
import { multiget } from './report-multiget.js';
import { freeBusy } from './report-freebusy.js';
import { query } from './report-query.js';
import { syncCollection } from './report-sync.js';
import { xmlBody, type DavHandler } from './request.js';

/**
 * REPORT (RFC 3253 §3.6): addressbook-multiget / addressbook-query (RFC 6352 §8.7, §8.6),
 * calendar-multiget / calendar-query / free-busy-query (RFC 4791 §7.9, §7.8, §7.10) and sync-collection (RFC 6578
 * §3.2), on a collection of the matching kind. Anything else: 403 DAV:supported-report.
 */
export const report: DavHandler = async (r, res, ctx) => {
  const body = xmlBody(r);
  if (!body) throw badRequest('REPORT needs an XML body');
  const target = await resolveResource(ctx, r.path);
  const unsupported = () => forbidden('this report is not supported here', { ns: NS.dav, name: 'supported-report' });
  if (target.type !== 'collection') throw unsupported();
  const contacts = target.col.kind === 'contacts';
  if (is(body, NS.dav, 'sync-collection')) return syncCollection(body, target, res, ctx);
  if (contacts ? is(body, NS.carddav, 'addressbook-multiget') : is(body, NS.caldav, 'calendar-multiget')) return multiget(body, target, res, ctx);
  if (contacts ? is(body, NS.carddav, 'addressbook-query') : is(body, NS.caldav, 'calendar-query')) return query(body, target, res, ctx);
  if (!contacts && is(body, NS.caldav, 'free-busy-query')) return freeBusy(body, target, res, ctx);
  throw unsupported();
};
