import { uidOfBroken as uidOf } from '../../src/codecs/readable-uid.js';
import type {
  Delta, FetchResult, IncrementalSource, ListedEntry, WritableSource, WriteResult,
} from '../../src/core/connector.js';
import { PimError } from '../../src/core/errors.js';
import { asEtag, asHref, type CollectionKind, type Etag, type Href } from '../../src/core/types.js';
import type { FormatCapabilities } from '../../src/model/capabilities.js';
import type { Item } from '../../src/model/item.js';
import { changesSince } from './changes.js';
import { expectCollectionAt } from './collection-missing.js';
import type { DavCollection } from './discovery.js';
import { safeUrl } from './http.js';
import { fileNameFor } from '../shared/file-names.js';
import type { ItemFormat } from './item-format.js';
import { inPool } from '../shared/pool.js';
import { NS } from '../../src/xml/dav-xml.js';
import { propOf, type DavEntry } from './multistatus.js';
import type { DavRequests } from './requests.js';
import { hasElement, textOf } from './xml-values.js';
import { killPoint } from '../../src/core/kill-point.js';

export interface DavSourceOptions {
  id: string;
  kind: CollectionKind;
  collection: DavCollection;
  dav: DavRequests;
  format: ItemFormat;
  /** Hrefs per multiget. */
  batchSize: number;
  /** Multigets in flight at once. */
  concurrency: number;
}

/**
 * One remote address book or calendar. Hrefs are resource names inside the collection
 * (decoded), so a moved server URL keeps its links. Every write is conditional: create
 * with If-None-Match: *, update and delete with If-Match; 412 is precondition-failed.
 */
export class DavSource implements WritableSource, IncrementalSource {
  readonly id: string;
  readonly kind: CollectionKind;
  readonly capabilities: FormatCapabilities;
  private readonly base: URL;

  constructor(readonly o: DavSourceOptions) {
    this.id = o.id;
    this.kind = o.kind;
    this.capabilities = o.format.capabilities;
    this.base = new URL(o.collection.url);
  }

  get url(): string {
    return this.o.collection.url;
  }

  /** PROPFIND Depth 1 getetag: every entry and its ETag, no bodies. */
  async list(): Promise<ListedEntry[]> {
    const ms = await this.o.dav.propfind(this.url, [{ ns: NS.dav, name: 'getetag' }, { ns: NS.dav, name: 'resourcetype' }], '1', true);
    expectCollectionAt(this.o.dav, ms, 'PROPFIND', this.url);
    this.o.dav.ok(ms, 'PROPFIND', this.url);
    return this.listed(ms.entries).changed;
  }

  /** RFC 6578 sync-collection where offered, else getctag plus a listing; null when the token is stale. */
  changesSince(token: string | undefined): Promise<Delta | null> {
    return changesSince(this, token);
  }

  /** Splits a multistatus into present entries (with ETags) and gone ones (404), by resource name. */
  listed(entries: DavEntry[]): { changed: ListedEntry[]; deleted: Href[] } {
    const changed: ListedEntry[] = [];
    const deleted: Href[] = [];
    for (const e of entries) {
      const name = this.nameOf(e.href);
      if (name === undefined || hasElement(propOf(e, NS.dav, 'resourcetype'), NS.dav, 'collection')) continue;
      if (e.status === 404) deleted.push(asHref(name));
      else if (e.status >= 200 && e.status < 300) changed.push({ href: asHref(name), etag: asEtag(textOf(propOf(e, NS.dav, 'getetag')) ?? '') });
    }
    return { changed, deleted };
  }

  /** addressbook-multiget / calendar-multiget in batches, a few at once. */
  async get(hrefs: readonly Href[]): Promise<FetchResult> {
    const names = [...new Set(hrefs.filter((h) => this.isName(h)))];
    const batches: string[][] = [];
    for (let i = 0; i < names.length; i += this.o.batchSize) batches.push(names.slice(i, i + this.o.batchSize));
    const result: FetchResult = { items: [], problems: [] };
    const parts = await inPool(batches, this.o.concurrency, (b) => this.multiget(b));
    for (const p of parts) {
      result.items.push(...p.items);
      result.problems.push(...p.problems);
    }
    return result;
  }

  async create(item: Item): Promise<WriteResult> {
    if (item.uid === '') throw new PimError('invalid-data', 'an item without UID cannot be created (the engine assigns one)', { where: safeUrl(this.url) });
    const name = fileNameFor(item.uid, this.o.format.extension);
    return this.put(name, item, { ifNoneMatch: '*' });
  }

  update(href: Href, etag: Etag, item: Item): Promise<WriteResult> {
    if (!this.isName(href)) throw new PimError('precondition-failed', `${href} is not an entry of ${safeUrl(this.url)}`, { where: safeUrl(this.url) });
    return this.put(href, item, { ifMatch: etag });
  }

  async delete(href: Href, etag: Etag): Promise<void> {
    if (!this.isName(href)) return;
    const url = this.urlOf(href);
    const status = await this.o.dav.delete(url, etag);
    killPoint('dav.deleted');
    if (status === 404 || status === 410 || (status >= 200 && status < 300)) return;
    throw this.o.dav.error(status, 'DELETE', url);
  }

  urlOf(name: string): string {
    return new URL(encodeURIComponent(name), this.base).href;
  }

  private async put(name: string, item: Item, cond: { ifMatch: string } | { ifNoneMatch: '*' }): Promise<WriteResult> {
    const text = this.o.format.encode(item);
    if (text === undefined) throw new PimError('invalid-data', `${safeUrl(this.url)} holds ${this.kind}, not a ${item.kind} item`, { where: safeUrl(this.url) });
    const url = this.urlOf(name);
    const r = await this.o.dav.put(url, text, this.o.format.contentType, cond);
    killPoint('dav.put');
    // A create meeting an existing resource is 412; a UID held by another resource is 409 (RFC 6352 §6.3.2.1).
    if (r.status === 404 && 'ifMatch' in cond) throw new PimError('precondition-failed', `PUT ${safeUrl(url)}: gone from the server`, { where: safeUrl(url) });
    if (r.status < 200 || r.status >= 300) throw this.o.dav.error(r.status, 'PUT', url);
    return { href: asHref(name), etag: asEtag(r.etag ?? (await this.etagOf(url))) };
  }

  /** The ETag of a resource after a PUT that did not return one (RFC 4918 allows that). */
  private async etagOf(url: string): Promise<string> {
    const ms = this.o.dav.ok(await this.o.dav.propfind(url, [{ ns: NS.dav, name: 'getetag' }], '0'), 'PROPFIND', url);
    const etag = textOf(propOf(ms.entries[0], NS.dav, 'getetag'));
    if (!etag) throw new PimError('io', `${safeUrl(url)}: the server gave no ETag for the item just written`, { where: safeUrl(url) });
    return etag;
  }

  private async multiget(names: string[]): Promise<FetchResult> {
    const paths = names.map((n) => new URL(this.urlOf(n)).pathname);
    const ms = this.o.dav.ok(await this.o.dav.report(this.url, this.o.format.multiget(paths)), 'REPORT', this.url);
    killPoint('dav.multiget');
    const out: FetchResult = { items: [], problems: [] };
    for (const e of ms.entries) {
      const name = this.nameOf(e.href);
      if (name === undefined || e.status < 200 || e.status >= 300) continue;
      const href = asHref(name);
      const etag = asEtag(textOf(propOf(e, NS.dav, 'getetag')) ?? '');
      const where = safeUrl(this.urlOf(name));
      // An empty data element is no data, as a missing one is.
      const text = textOf(propOf(e, this.o.format.dataProp.ns, this.o.format.dataProp.name)) || undefined;
      if (text === undefined) {
        out.problems.push({ href, etag, where: `${where}:1`, message: 'the server sent no data for this entry' });
        continue;
      }
      const r = this.o.format.decode(text);
      if (r.problems.length > 0) {
        const p = r.problems[0]!;
        out.problems.push({ href, etag, where: `${where}:${p.line}`, message: p.message, raw: text, ...uidOf(text) });
      } else if (r.items.length !== 1) {
        const message = r.items.length === 0 ? 'the entry holds no item' : `the entry holds ${r.items.length} items with different UIDs`;
        out.problems.push({ href, etag, where: `${where}:1`, message, raw: text, ...uidOf(text) });
      } else {
        const modified = httpDate(textOf(propOf(e, NS.dav, 'getlastmodified')));
        out.items.push({ href, etag, item: r.items[0]!, ...(modified ? { modified } : {}) });
      }
    }
    return out;
  }

  /** A plain resource name: no slash, not `.` or `..`. */
  private isName(href: string): boolean {
    return href !== '' && !href.includes('/') && href !== '.' && href !== '..';
  }

  /** The resource name of a server href inside this collection; undefined for the collection itself or elsewhere. */
  private nameOf(href: string): string | undefined {
    let path: string;
    try {
      path = new URL(href, this.base).pathname;
    } catch {
      return undefined;
    }
    const dir = this.base.pathname;
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    if (!decode(path).startsWith(decode(dir)) && !path.startsWith(dir)) return undefined;
    const rest = path.startsWith(dir) ? path.slice(dir.length) : decode(path).slice(decode(dir).length);
    const name = decode(rest.replace(/\/$/, ''));
    return this.isName(name) && !rest.endsWith('/') ? name : undefined;
  }
}

/** DAV:getlastmodified (an HTTP date, RFC 4918 §15.7) as ISO, when the server gives a valid one. */
function httpDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
