import { isPimError } from '../../core/errors.js';
import { clientMember, endpointDelete, endpointEtag } from '../../sync/endpoint-write.js';
import { FULL_CAPABILITIES } from '../../model/capabilities.js';
import { DavError, forbidden, notFound } from '../dav-error.js';
import { LEGACY_MASK } from '../render.js';
import { ownCollection } from '../resources.js';
import { objectTarget } from '../resources.js';
import { checkPreconditions, type DavHandler } from './request.js';

/**
 * DELETE (RFC 4918 §9.6). An object is tombstoned through the engine (the next sync deletes
 * it at the other members). A collection created through the endpoint is removed with its
 * items; one defined in the config file is refused with 403. One removed from the config
 * file became a client-made one when pimhub started (src/cli/context.ts): its owner may delete it.
 */
export const del: DavHandler = async (r, res, ctx) => {
  if (r.path.type === 'collection') {
    if (r.path.user !== ctx.user) throw forbidden('this belongs to another user');
    const col = await ownCollection(ctx, r.path.collection);
    if (!col) throw notFound('no such collection');
    if (col.origin === 'config' || ctx.config.collections[col.name]) throw forbidden('this collection is defined in the config file; remove it there');
    checkPreconditions(r, undefined);
    await ctx.store.deleteCollection(col.name);
    res.status(204).end();
    return;
  }
  if (r.path.type !== 'object') throw new DavError(405, 'only objects and collections can be deleted');
  const { col, name, item } = await objectTarget(ctx, r.path);
  if (!item || item.deleted) throw notFound('no such object');
  const ifMatched = checkPreconditions(r, endpointEtag(item));
  try {
    const done = await endpointDelete(ctx.deps, {
      collection: col.name, href: name, target: item, ifMatched, caps: col.kind === 'contacts' ? LEGACY_MASK : FULL_CAPABILITIES,
      client: clientMember(ctx.user, ctx.userAgent),
    });
    // The resource is gone: its dead properties with it (RFC 4918 §9.6).
    if (done.outcome === 'deleted') await ctx.store.setDeadProperties(col.name, name, {});
  } catch (e) {
    if (isPimError(e, 'precondition-failed') && ifMatched) throw new DavError(412, 'the object changed meanwhile');
    throw e;
  }
  res.status(204).end();
};
