import { listEntries } from '../names.js';
import { collectionResource, objectResource, resolveResource, userCollections, type Resource } from '../resources.js';
import { propRequestOf, propResponse, sendMultistatus } from '../multistatus.js';
import { Served } from '../served.js';
import { badRequest } from '../dav-error.js';
import { is, NS } from '../../xml/dav-xml.js';
import { depthOf, xmlBody, type DavHandler } from './request.js';
import { homeHref, principalHref } from '../paths.js';
import type { DavContext } from '../context.js';
import { mapYielding } from '../yield-map.js';
import { assertNever } from '../../core/errors.js';

/**
 * PROPFIND (RFC 4918 §9.1) at Depth 0 or 1; Depth infinity is served as 1 (RFC 4918
 * allows refusing it; clients of address books and calendars never need more).
 */
export const propfind: DavHandler = async (r, res, ctx) => {
  const body = xmlBody(r);
  if (body && !is(body, NS.dav, 'propfind')) throw badRequest('expected a DAV:propfind body');
  const req = propRequestOf(body);
  const target = await resolveResource(ctx, r.path);
  const resources = [target, ...(depthOf(r) === '1' ? await members(ctx, target) : [])];
  const served = new Served();
  if (target.type === 'collection' && resources.length > 1) await served.prepare(ctx, target.col);
  const dead = await deadPropertiesOf(ctx, resources);
  const responses = await mapYielding(resources, (x, i) => propResponse(x, req, ctx, served, dead[i]));
  await served.record(ctx);
  sendMultistatus(res, responses);
};

async function members(ctx: DavContext, target: Resource): Promise<Resource[]> {
  switch (target.type) {
    case 'root':
      return [{ type: 'principal', href: principalHref(ctx.user), user: ctx.user }, { type: 'home', href: homeHref(ctx.user), user: ctx.user }];
    case 'home':
      return Promise.all((await userCollections(ctx)).map((c) => collectionResource(ctx, c)));
    case 'collection':
      return (await listEntries(ctx.store, target.col)).map((e) => objectResource(ctx, target.col, e.name, e.item));
    case 'principal':
    case 'object':
      return [];
    default:
      return assertNever(target, 'resource');
  }
}

/** Each resource's dead properties (one store read per collection). */
async function deadPropertiesOf(ctx: DavContext, resources: Resource[]): Promise<Array<Record<string, string> | undefined>> {
  const byCol = new Map<string, Record<string, Record<string, string>>>();
  const out: Array<Record<string, string> | undefined> = [];
  for (const r of resources) {
    if (r.type !== 'collection' && r.type !== 'object') {
      out.push(undefined);
      continue;
    }
    if (!byCol.has(r.col.name)) byCol.set(r.col.name, await ctx.store.deadProperties(r.col.name));
    out.push(byCol.get(r.col.name)![r.type === 'collection' ? '' : r.name]);
  }
  return out;
}
