/**
 * COPY and MOVE of one object (RFC 4918 §9.8, §9.9) within or between the user's
 * collections of one kind. The destination gets what the client would read at the source
 * (its own form), written there as a PUT through the engine; a MOVE then deletes the source
 * the same way — so a move is a delete at the source and a create at the target, merged and
 * logged as such. Dead properties go along. Collections are not copied or moved (they hold
 * objects only, and the store names them).
 */
import type { Response } from 'express';
import { clientMember, endpointDelete, endpointEtag, endpointPut } from '../../sync/endpoint-write.js';
import { FULL_CAPABILITIES } from '../../model/capabilities.js';
import type { DavContext } from '../context.js';
import { DavError, forbidden } from '../dav-error.js';
import { parsePath } from '../paths.js';
import { cardVersionFor, contentTypeOf, LEGACY_MASK, parseBody, render } from '../render.js';
import { objectTarget, ownCollection, resolveResource } from '../resources.js';
import { Served } from '../served.js';
import { NS } from '../../xml/dav-xml.js';
import { checkPreconditions, type DavRequest } from './request.js';

/** The Destination header as a path of this server (RFC 4918 §10.3); another host is 502. */
function destinationOf(r: DavRequest) {
  const h = r.header('destination');
  if (!h) throw new DavError(400, 'COPY and MOVE need a Destination header');
  let path = h.trim();
  const m = /^https?:\/\/([^/]+)(\/.*)?$/i.exec(path);
  if (m) {
    if (r.header('host') && m[1]!.toLowerCase() !== r.header('host')!.toLowerCase()) throw new DavError(502, 'the destination is on another server');
    path = m[2] ?? '/';
  }
  return parsePath(path);
}

export async function transfer(r: DavRequest, res: Response, ctx: DavContext, move: boolean): Promise<void> {
  if (r.path.type === 'collection' || r.path.type === 'home') throw forbidden('address books and calendars cannot be copied or moved; their objects can');
  const src = await resolveResource(ctx, r.path);
  if (src.type !== 'object') throw forbidden('only objects can be copied or moved');
  const dest = destinationOf(r);
  if (dest.type !== 'object') throw new DavError(409, 'the destination must be an object inside one of your address books or calendars');
  if (dest.user !== ctx.user) throw forbidden('this belongs to another user');
  const destCol = await ownCollection(ctx, dest.collection);
  if (!destCol) throw new DavError(409, 'the destination collection does not exist');
  if (destCol.kind !== src.col.kind) throw forbidden(`a ${src.col.kind === 'contacts' ? 'vCard' : 'calendar object'} cannot go into ${destCol.kind === 'contacts' ? 'an address book' : 'a calendar'}`);
  if (destCol.name === src.col.name && dest.name === src.name) throw forbidden('source and destination are the same');
  const ifMatched = checkPreconditions(r, endpointEtag(src.item));
  const { item: existing } = await objectTarget(ctx, dest);
  const live = existing && !existing.deleted ? existing : undefined;
  if (live && (r.header('overwrite') ?? 'T').trim().toUpperCase() === 'F') throw new DavError(412, 'the destination exists and Overwrite is F');

  const served = new Served();
  await served.prepareOne(ctx, src.col, src.name);
  const template = served.template(src.col, src.name, src.item);
  const version = cardVersionFor(undefined, template);
  const text = render(src.item, version, undefined, template?.raw);
  const parsed = parseBody(destCol, contentTypeOf(destCol, version), Buffer.from(text));
  const client = clientMember(ctx.user, ctx.userAgent);
  const caps = src.col.kind === 'contacts' ? LEGACY_MASK : FULL_CAPABILITIES;
  const deleteSource = () => endpointDelete(ctx.deps, { collection: src.col.name, href: src.name, target: src.item, ifMatched, caps, client });
  // Overwriting another object: it goes first (RFC 4918 §9.8.4), unless it is this item's copy in another collection.
  if (live && live.uid !== src.item.uid) await endpointDelete(ctx.deps, { collection: destCol.name, href: dest.name, target: live, ifMatched: true, caps, client });
  const sameCollection = destCol.name === src.col.name;
  if (move && sameCollection) await deleteSource();
  const put = await endpointPut(ctx.deps, {
    collection: destCol.name, href: dest.name, incoming: parsed.item, caps: parsed.caps, ifMatched: true, client, raw: text,
    ...(live && live.uid === src.item.uid ? { target: live } : {}),
  });
  if (put.outcome === 'uid-conflict') {
    throw new DavError(409, 'the destination collection already has an object with this UID', { ns: destCol.kind === 'contacts' ? NS.carddav : NS.caldav, name: 'no-uid-conflict' });
  }
  if (move && !sameCollection) await deleteSource();
  await moveProperties(ctx, { from: [src.col.name, src.name], to: [destCol.name, dest.name], move });
  res.locals.written = [...new Set([src.col.name, destCol.name])];
  res.status(live ? 204 : 201).end();
}

async function moveProperties(ctx: DavContext, t: { from: [string, string]; to: [string, string]; move: boolean }): Promise<void> {
  const props = (await ctx.store.deadProperties(t.from[0]))[t.from[1]] ?? {};
  await ctx.store.setDeadProperties(t.to[0], t.to[1], props);
  if (t.move) await ctx.store.setDeadProperties(t.from[0], t.from[1], {});
}
