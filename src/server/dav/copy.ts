import { transfer } from './transfer.js';
import type { DavHandler } from './request.js';

/** COPY (RFC 4918 §9.8) of an object to another name or another collection of its kind (see transfer.ts). */
export const copy: DavHandler = (r, res, ctx) => transfer(r, res, ctx, false);
