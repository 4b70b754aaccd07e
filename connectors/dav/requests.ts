import { PimError } from '../../src/core/errors.js';
import { dav, davText, qname, ROOT_NS_DECL, XML_HEAD, type QName } from '../../src/xml/dav-xml.js';
import { safeUrl, type DavHttp } from './http.js';
import { readMultiStatus, type MultiStatus } from './multistatus.js';

export interface WriteAnswer {
  status: number;
  etag?: string;
}

/**
 * A request whose answer lists every entry of a collection (a listing, a sync-collection
 * without token) waits this many times the connector's timeout: the server reads every entry
 * before it says a word, and Radicale 3 writes a history file per entry (with fsync) the first
 * time it is asked for a sync-collection: 23 s for 10,000 cards on a loaded machine, past the
 * default 30 s timeout when the retries pile onto it (docs/performance.md, "Speed round 4").
 */
export const WHOLE_COLLECTION_TIMEOUT = 10;

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

/** A request body: its root element (with every DAV namespace declared) around `inner`. */
export function requestBody(root: QName, inner: string): string {
  return XML_HEAD + qname(root, inner).replace(/^<([^\s/>]+)/, `<$1 ${ROOT_NS_DECL}`);
}

/** `<D:prop>` asking for these properties. */
export const propList = (props: QName[]): string => dav('prop', props.map((p) => qname(p)).join(''));

/** `<D:href>` elements. */
export const hrefList = (paths: string[]): string => paths.map((p) => davText('href', p)).join('');

/**
 * The WebDAV requests the connector sends, over the connector's own HTTP client, with
 * bodies built and answers read by the one XML model (src/xml/dav-xml.ts).
 */
export class DavRequests {
  constructor(readonly http: DavHttp, private readonly user?: string) {}

  error(status: number, method: string, url: string): PimError {
    return httpError(status, method, url, this.user);
  }

  /** `whole`: the answer lists every entry of a collection (see WHOLE_COLLECTION_TIMEOUT). */
  propfind(url: string, props: QName[], depth: '0' | '1', whole = false): Promise<MultiStatus> {
    return this.multistatus(url, 'PROPFIND', depth, requestBody({ ns: 'DAV:', name: 'propfind' }, propList(props)), whole);
  }

  /** REPORT with a body made by requestBody; `whole` as for propfind. */
  report(url: string, body: string, depth?: '0', whole = false): Promise<MultiStatus> {
    return this.multistatus(url, 'REPORT', depth, body, whole);
  }

  /** Throws for an answer that is not a multistatus. */
  ok(ms: MultiStatus, method: string, url: string): MultiStatus {
    if (ms.status !== 207 && ms.status !== 200) throw this.error(ms.status, method, url);
    return ms;
  }

  async put(url: string, text: string, contentType: string, cond: { ifMatch: string } | { ifNoneMatch: '*' }): Promise<WriteAnswer> {
    const headers = { 'Content-Type': contentType, ...('ifMatch' in cond ? { 'If-Match': cond.ifMatch } : { 'If-None-Match': '*' }) };
    const res = await this.http.fetch(url, { method: 'PUT', body: text, headers });
    await res.arrayBuffer();
    return { status: res.status, etag: res.headers.get('etag') ?? undefined };
  }

  async delete(url: string, etag: string): Promise<number> {
    const res = await this.http.fetch(url, { method: 'DELETE', headers: { 'If-Match': etag } });
    await res.arrayBuffer();
    return res.status;
  }

  private async multistatus(url: string, method: 'PROPFIND' | 'REPORT', depth: '0' | '1' | undefined, body: string, whole: boolean): Promise<MultiStatus> {
    const headers = { ...(depth ? { Depth: depth } : {}), 'Content-Type': 'application/xml; charset=utf-8' };
    const res = await this.http.fetch(url, { method, headers, body, ...(whole ? { timeoutScale: WHOLE_COLLECTION_TIMEOUT } : {}) });
    const text = await res.text();
    return readMultiStatus(res.status, res.url || url, res.headers.get('content-type') ?? '', text, method);
  }
}
