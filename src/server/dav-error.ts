import type { Response } from 'express';
import { escapeXml, qname, ROOT_NS_DECL, XML_HEAD, type QName } from '../xml/dav-xml.js';

/**
 * An HTTP error with an optional DAV precondition element (RFC 4918 §16): the body is
 * `<D:error><precondition/></D:error>`. Messages are fixed texts: they never echo request
 * headers, credentials or bodies.
 */
export class DavError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly precondition?: QName,
    readonly headers: Record<string, string> = {},
    /** Extra XML inside the precondition element (e.g. the href of a UID conflict). */
    readonly detail = '',
  ) {
    super(message);
  }
}

export function sendError(res: Response, e: DavError): void {
  for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
  if (e.precondition) {
    // The root declares every prefix the precondition (C:, CR:…) and its detail may use.
    const body = `${XML_HEAD}<D:error ${ROOT_NS_DECL}>${qname(e.precondition, e.detail)}<D:responsedescription>${escapeXml(e.message)}</D:responsedescription></D:error>`;
    res.status(e.status).type('application/xml; charset=utf-8').send(body);
    return;
  }
  res.status(e.status).type('text/plain; charset=utf-8').send(`${e.message}\n`);
}

export const badRequest = (msg: string, pre?: QName) => new DavError(400, msg, pre);
export const notFound = (msg = 'not found') => new DavError(404, msg);
export const forbidden = (msg: string, pre?: QName) => new DavError(403, msg, pre);
