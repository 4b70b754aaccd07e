import type { Request, Response } from 'express';
import type { DavContext } from '../context.js';
import { badRequest, DavError } from '../dav-error.js';
import type { ParsedPath } from '../paths.js';
import { parseXml, XmlError, type XmlNode } from '../../xml/dav-xml.js';

/** One request as the method handlers see it: parsed path, the body read under the size limit. */
export interface DavRequest {
  method: string;
  path: ParsedPath;
  body: Buffer;
  raw: Request;
  header(name: string): string | undefined;
}

export type DavHandler = (r: DavRequest, res: Response, ctx: DavContext) => Promise<void>;

/** The XML body, or undefined when there is none. Malformed XML, DTDs and entities: 400. */
export function xmlBody(r: DavRequest): XmlNode | undefined {
  if (r.body.length === 0 || r.body.toString('utf8').trim() === '') return undefined;
  try {
    return parseXml(r.body.toString('utf8'));
  } catch (e) {
    if (e instanceof XmlError) throw badRequest(`the XML body was refused: ${e.message}`);
    throw e;
  }
}

/** Depth header (RFC 4918 §10.2); PROPFIND defaults to infinity, which is served as 1. */
export function depthOf(r: DavRequest, dflt: '0' | '1' = '1'): '0' | '1' {
  const d = (r.header('depth') ?? '').trim().toLowerCase();
  if (d === '0') return '0';
  if (d === '1' || d === 'infinity') return '1';
  if (d === '') return dflt;
  throw badRequest('Depth must be 0, 1 or infinity');
}

/** Entity tags of an If-Match / If-None-Match header ('*' kept as is). */
export function etagList(h: string | undefined): string[] | undefined {
  if (h === undefined) return undefined;
  return h.split(',').map((s) => s.trim()).filter(Boolean).map((s) => s.replace(/^W\//, ''));
}

/**
 * RFC 7232 §3.1/§3.2 for a resource whose current ETag is `etag` (undefined: it does not
 * exist). Returns whether If-Match named the current version.
 */
export function checkPreconditions(r: DavRequest, etag: string | undefined): boolean {
  const ifMatch = etagList(r.header('if-match'));
  const ifNoneMatch = etagList(r.header('if-none-match'));
  if (ifMatch && !(etag !== undefined && (ifMatch.includes('*') || ifMatch.includes(etag)))) {
    throw new DavError(412, 'If-Match does not name the current version');
  }
  if (ifNoneMatch && etag !== undefined && (ifNoneMatch.includes('*') || ifNoneMatch.includes(etag))) {
    throw new DavError(412, 'If-None-Match: the resource exists');
  }
  return ifMatch !== undefined && etag !== undefined;
}
