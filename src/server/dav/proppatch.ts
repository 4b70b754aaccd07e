import type { CollectionRecord } from '../../core/store.js';
import { badRequest } from '../dav-error.js';
import { hrefResponse, propstat, sendMultistatus } from '../multistatus.js';
import { WRITABLE } from '../properties.js';
import { resolveResource } from '../resources.js';
import { children, is, keyOf, NS, qname, type XmlNode } from '../xml.js';
import { xmlBody, type DavHandler } from './request.js';

type Change = { prop: XmlNode; field?: 'displayName' | 'color' | 'description'; value?: string };

/**
 * PROPPATCH (RFC 4918 §9.2) on a collection: displayname, Apple's calendar-color and the
 * address book / calendar description. Atomic: if any property cannot be set, nothing is
 * (403 for it, 424 Failed Dependency for the others).
 */
export const proppatch: DavHandler = async (r, res, ctx) => {
  const body = xmlBody(r);
  if (!body || !is(body, NS.dav, 'propertyupdate')) throw badRequest('expected a DAV:propertyupdate body');
  const target = await resolveResource(ctx, r.path);
  const changes: Change[] = [];
  for (const op of body.children) {
    const remove = is(op, NS.dav, 'remove');
    if (!remove && !is(op, NS.dav, 'set')) continue;
    for (const prop of children(op, NS.dav, 'prop').flatMap((p) => p.children)) {
      changes.push({ prop, field: WRITABLE[keyOf(prop)], value: remove ? undefined : prop.text.trim() });
    }
  }
  if (target.type !== 'collection') {
    const names = changes.map((c) => qname(c.prop));
    sendMultistatus(res, [hrefResponse(target.href, propstat(names, 403))]);
    return;
  }
  const col = target.col;
  const refused = changes.filter((c) => !c.field || !fits(col, c.prop));
  if (refused.length > 0) {
    const ok = changes.filter((c) => !refused.includes(c)).map((c) => qname(c.prop));
    sendMultistatus(res, [hrefResponse(target.href, propstat(refused.map((c) => qname(c.prop)), 403) + propstat(ok, 424))]);
    return;
  }
  const next: CollectionRecord = { ...col };
  for (const c of changes) {
    if (c.value === undefined || c.value === '') delete next[c.field!];
    else next[c.field!] = c.value;
  }
  await ctx.store.upsertCollection(next);
  sendMultistatus(res, [hrefResponse(target.href, propstat(changes.map((c) => qname(c.prop)), 200))]);
};

/** The description property must match the collection's kind. */
function fits(col: CollectionRecord, prop: XmlNode): boolean {
  if (is(prop, NS.carddav, 'addressbook-description')) return col.kind === 'contacts';
  if (is(prop, NS.caldav, 'calendar-description')) return col.kind === 'calendar';
  if (is(prop, NS.apple, 'calendar-color')) return /^#?[0-9A-Fa-f]{3,8}$|^[a-z]+$/.test(prop.text.trim()) || prop.text.trim() === '';
  return true;
}
