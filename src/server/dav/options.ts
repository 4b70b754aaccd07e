import type { DavHandler } from './request.js';

/** RFC 4918 §10.1 compliance classes (1 and 3; no LOCK, so not 2), RFC 6352 §6.1, RFC 4791 §5.1, RFC 5689 §3.1. */
export const DAV_HEADER = '1, 3, addressbook, calendar-access, extended-mkcol';
export const ALLOW = 'OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, REPORT, MKCOL, MKCALENDAR, COPY, MOVE';

/** OPTIONS: what the server speaks; answered without authentication (it reveals nothing). */
export const options: DavHandler = async (_r, res) => {
  res.setHeader('DAV', DAV_HEADER);
  res.setHeader('Allow', ALLOW);
  res.setHeader('Content-Length', '0');
  res.status(200).end();
};
