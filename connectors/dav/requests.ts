import { createObject, davRequest, deleteObject, updateObject, type DAVResponse } from 'tsdav';
import { PimError } from '../../src/core/errors.js';
import { safeUrl, type DavHttp } from './http.js';
import { textOf } from './xml-values.js';

export const NS = { d: 'DAV:', card: 'urn:ietf:params:xml:ns:carddav', c: 'urn:ietf:params:xml:ns:caldav', cs: 'http://calendarserver.org/ns/', ca: 'http://apple.com/ns/ical/' };
const ALL_NS = Object.fromEntries(Object.entries(NS).map(([k, v]) => [`xmlns:${k}`, v]));

/** One `<response>` of a multistatus: an href, its status and its found properties. */
export interface DavEntry {
  href: string;
  status: number;
  props: Record<string, unknown>;
}

export interface MultiStatus {
  /** The HTTP status of the whole answer. */
  status: number;
  /** The URL that answered, after redirects: relative hrefs in the answer resolve against it. */
  url: string;
  entries: DavEntry[];
  /** RFC 6578: the multistatus's `<sync-token>`. */
  syncToken?: string;
  /** The answer's text when it was not a multistatus (error bodies, for preconditions). */
  text?: string;
}

export interface WriteAnswer {
  status: number;
  etag?: string;
}

/** An HTTP status as a PimError naming the URL (never the credentials). */
export function httpError(status: number, method: string, url: string, user?: string): PimError {
  const where = safeUrl(url);
  const at = `${method} ${where}`;
  switch (status) {
    case 401:
      return new PimError('access-denied', `${at}: 401 Unauthorized: the server refused the credentials${user ? ` of user ${user}` : ''}`, { where });
    case 403:
      return new PimError('access-denied', `${at}: 403 Forbidden: the account may not do this`, { where });
    case 404:
      return new PimError('not-found', `${at}: 404 Not Found`, { where });
    case 409:
    case 412:
      return new PimError('precondition-failed', `${at}: ${status} ${status === 412 ? 'Precondition Failed: it changed on the server' : 'Conflict'}`, { where });
    default:
      return new PimError('io', `${at}: the server answered ${status}`, { where });
  }
}

/**
 * The WebDAV requests the connector sends, through tsdav's request helpers with our own
 * HTTP client as their fetch. tsdav's types end here: callers see `MultiStatus`.
 */
export class DavRequests {
  constructor(readonly http: DavHttp, private readonly user?: string) {}

  error(status: number, method: string, url: string): PimError {
    return httpError(status, method, url, this.user);
  }

  /** PROPFIND; `props` in xml-js compact form with prefixes d:, card:, c:, cs:, ca:. */
  propfind(url: string, props: Record<string, unknown>, depth: '0' | '1'): Promise<MultiStatus> {
    return this.multistatus(url, 'PROPFIND', depth, { 'd:propfind': { _attributes: ALL_NS, 'd:prop': props } });
  }

  report(url: string, body: Record<string, unknown>, depth?: '0'): Promise<MultiStatus> {
    const [root] = Object.keys(body);
    const el = body[root!] as Record<string, unknown>;
    return this.multistatus(url, 'REPORT', depth, { [root!]: { _attributes: ALL_NS, ...el } });
  }

  /** Throws for an answer that is not a multistatus. */
  ok(ms: MultiStatus, method: string, url: string): MultiStatus {
    if (ms.status !== 207 && ms.status !== 200) throw this.error(ms.status, method, url);
    return ms;
  }

  async put(url: string, text: string, contentType: string, cond: { ifMatch: string } | { ifNoneMatch: '*' }): Promise<WriteAnswer> {
    const headers = { 'Content-Type': contentType, ...('ifMatch' in cond ? {} : { 'If-None-Match': '*' }) };
    const res = 'ifMatch' in cond
      ? await updateObject({ url, data: text, etag: cond.ifMatch, headers, fetch: this.http.fetch })
      : await createObject({ url, data: text, headers, fetch: this.http.fetch });
    await res.arrayBuffer();
    return { status: res.status, etag: res.headers.get('etag') ?? undefined };
  }

  async delete(url: string, etag: string): Promise<number> {
    const res = await deleteObject({ url, etag, fetch: this.http.fetch });
    await res.arrayBuffer();
    return res.status;
  }

  private async multistatus(url: string, method: 'PROPFIND' | 'REPORT', depth: '0' | '1' | undefined, body: Record<string, unknown>): Promise<MultiStatus> {
    let status = 0;
    let answered = url;
    const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const r = await this.http.fetch(input, init);
      status = r.status;
      if (r.url) answered = r.url;
      return r;
    };
    const answer: DAVResponse[] = await davRequest({
      url,
      init: { method, headers: { ...(depth ? { Depth: depth } : {}), 'Content-Type': 'application/xml; charset=utf-8' }, body },
      fetch: fetch as typeof globalThis.fetch,
    });
    const raw = answer[0]?.raw as { multistatus?: { syncToken?: unknown } } | string | undefined;
    if (status !== 207 && status !== 200) {
      return { status, url: answered, entries: [], text: typeof raw === 'string' ? raw : undefined };
    }
    const entries: DavEntry[] = answer
      .filter((a) => typeof a.href === 'string' && a.href !== '')
      .map((a) => ({ href: a.href!, status: a.status, props: ((a as { props?: Record<string, unknown> }).props ?? {}) }));
    const syncToken = typeof raw === 'object' ? textOf(raw.multistatus?.syncToken) : undefined;
    return { status, url: answered, entries, syncToken };
  }
}
