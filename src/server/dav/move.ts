import { transfer } from './transfer.js';
import type { DavHandler } from './request.js';

/** MOVE (RFC 4918 §9.9): a create at the destination and a delete at the source (see transfer.ts). */
export const move: DavHandler = (r, res, ctx) => transfer(r, res, ctx, true);
