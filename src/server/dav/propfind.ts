import { collectionResource, resolveResource, userCollections, type Resource } from '../resources.js';
import { propRequestOf, propResponse, sendMultistatus, type PropRequest } from '../multistatus.js';
import { MultistatusStream } from '../multistatus-stream.js';
import { streamObjects } from '../listing.js';
import { Served } from '../served.js';
import { badRequest } from '../dav-error.js';
import { is, NS } from '../../xml/dav-xml.js';
import { depthOf, xmlBody, type DavHandler } from './request.js';
import { homeHref, principalHref } from '../paths.js';
import type { DavContext } from '../context.js';
import type { Response } from 'express';
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
  const depth1 = depthOf(r) === '1';
  if (target.type === 'collection' && depth1) return listCollection(target, req, res, ctx);
  const resources = [target, ...(depth1 ? await members(ctx, target) : [])];
  const dead = await deadPropertiesOf(ctx, resources);
  const served = new Served();
  const responses = resources.map((x, i) => propResponse(x, req, ctx, served, dead[i]));
  await served.record(ctx);
  sendMultistatus(res, responses);
};

/** A collection and its objects, streamed (src/server/listing.ts). */
async function listCollection(target: Resource & { type: 'collection' }, req: PropRequest, res: Response, ctx: DavContext): Promise<void> {
  const listing = await ctx.listings.list(ctx.store, target.col);
  const dead = await ctx.store.deadProperties(target.col.name);
  const served = new Served();
  const out = new MultistatusStream(res);
  out.begin();
  if (!(await out.write(propResponse(target, req, ctx, served, dead['']))) || !(await streamObjects(out, ctx, target.col, listing, req, served, (name) => dead[name]))) return;
  await served.record(ctx);
  out.end();
}

/** The members of a resource other than a collection (a collection's are streamed). */
async function members(ctx: DavContext, target: Resource): Promise<Resource[]> {
  switch (target.type) {
    case 'root':
      return [{ type: 'principal', href: principalHref(ctx.user), user: ctx.user }, { type: 'home', href: homeHref(ctx.user), user: ctx.user }];
    case 'home':
      return Promise.all((await userCollections(ctx)).map((c) => collectionResource(ctx, c)));
    case 'collection':
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
