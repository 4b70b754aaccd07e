import type { CollectionRecord } from '../../core/store.js';
import { badRequest } from '../dav-error.js';
import { hrefResponse, propstat, sendMultistatus } from '../multistatus.js';
import { propertyDef, WRITABLE } from '../properties.js';
import { resolveResource } from '../resources.js';
import { children, innerXml, is, keyOf, NS, qname, type XmlNode } from '../../xml/dav-xml.js';
import { xmlBody, type DavHandler } from './request.js';

type Change = { prop: XmlNode; remove: boolean; field?: 'displayName' | 'color' | 'description'; protected?: boolean };

/**
 * PROPPATCH (RFC 4918 §9.2). On a collection, displayname, Apple's calendar-color and the
 * address book / calendar description set the collection's fields; every other property
 * that is not a live one is a dead property (§4), stored as sent and returned by PROPFIND,
 * on collections and objects alike. Live properties are protected (403). Instructions are
 * applied in document order and atomically: if one cannot be, none is (403 for it, 424
 * Failed Dependency for the others).
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
      const field = target.type === 'collection' ? WRITABLE[keyOf(prop)] : undefined;
      const live = propertyDef(prop) !== undefined;
      changes.push({ prop, remove, ...(field ? { field } : {}), protected: !field && live });
    }
  }
  if (target.type !== 'collection' && target.type !== 'object') {
    sendMultistatus(res, [hrefResponse(target.href, propstat(changes.map((c) => qname(c.prop)), 403))]);
    return;
  }
  const col = target.col;
  const refused = changes.filter((c) => c.protected || (c.field && !fits(col, c.prop)));
  if (refused.length > 0) {
    const ok = changes.filter((c) => !refused.includes(c)).map((c) => qname(c.prop));
    sendMultistatus(res, [hrefResponse(target.href, propstat(refused.map((c) => qname(c.prop)), 403) + propstat(ok, 424))]);
    return;
  }
  const href = target.type === 'collection' ? '' : target.name;
  const next: CollectionRecord = { ...col };
  const dead = { ...((await ctx.store.deadProperties(col.name))[href] ?? {}) };
  for (const c of changes) {
    const value = c.remove ? undefined : c.prop.text.trim();
    if (c.field) {
      if (value === undefined || value === '') delete next[c.field];
      else next[c.field] = value;
    } else if (c.remove) delete dead[keyOf(c.prop)];
    else dead[keyOf(c.prop)] = innerXml(c.prop);
  }
  if (changes.some((c) => c.field)) await ctx.store.upsertCollection(next);
  if (changes.some((c) => !c.field)) await ctx.store.setDeadProperties(col.name, href, dead);
  sendMultistatus(res, [hrefResponse(target.href, propstat(changes.map((c) => qname(c.prop)), 200))]);
};

/** The description property must match the collection's kind. */
function fits(col: CollectionRecord, prop: XmlNode): boolean {
  if (is(prop, NS.carddav, 'addressbook-description')) return col.kind === 'contacts';
  if (is(prop, NS.caldav, 'calendar-description')) return col.kind === 'calendar';
  if (is(prop, NS.apple, 'calendar-color')) return /^#?[0-9A-Fa-f]{3,8}$|^[a-z]+$/.test(prop.text.trim()) || prop.text.trim() === '';
  return true;
}
