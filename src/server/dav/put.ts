import { clientMember, endpointEtag, endpointPut } from '../../sync/endpoint-write.js';
import { DavError } from '../dav-error.js';
import { namesOf } from '../names.js';
import { objectHref } from '../paths.js';
import { parseBody, wantsJCard } from '../render.js';
import { objectTarget } from '../resources.js';
import { davText, NS } from '../../xml/dav-xml.js';
import { checkPreconditions, type DavHandler } from './request.js';

/**
 * PUT (RFC 4918 §9.7, RFC 6352 §6.3.2, RFC 4791 §5.3.2): a change by the member `endpoint`,
 * merged three-way like any member's (src/sync/endpoint-write.ts). 201 for a new object,
 * 204 otherwise. The ETag of the stored version is returned only when the stored object
 * equals what was sent (RFC 7231 §4.3.4): when the merge kept changes made elsewhere, the
 * client gets no ETag and fetches the merged object.
 */
export const put: DavHandler = async (r, res, ctx) => {
  const { col, name, item } = await objectTarget(ctx, r.path);
  const live = item && !item.deleted ? item : undefined;
  const ifMatched = checkPreconditions(r, live ? endpointEtag(live) : undefined);
  const parsed = parseBody(col, r.header('content-type'), r.body);
  const result = await endpointPut(ctx.deps, {
    collection: col.name, href: name, incoming: parsed.item, caps: parsed.caps, target: item, ifMatched,
    client: clientMember(ctx.user, ctx.userAgent), raw: wantsJCard(r.header('content-type')) ? undefined : utf8Text(r.body),
  });
  if (result.outcome === 'uid-conflict') {
    const other = await ctx.store.getItem(result.itemId);
    const names = other ? await namesOf(ctx.store, col, other) : [];
    const pre = col.kind === 'contacts' ? { ns: NS.carddav, name: 'no-uid-conflict' } : { ns: NS.caldav, name: 'no-uid-conflict' };
    const detail = names[0] ? davText('href', objectHref(ctx.user, col.name, names[0])) : '';
    const msg = result.uidChanged ? 'the UID of an existing object cannot be changed' : 'another object of this collection has that UID';
    throw new DavError(409, msg, pre, {}, detail);
  }
  if (result.agrees) res.setHeader('ETag', endpointEtag(result.item));
  res.status(live ? 204 : 201).end();
};

/** The body as text when it is UTF-8 (what a client's own form is kept as). */
function utf8Text(body: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return undefined;
  }
}
