import type { PimError } from './errors.js';
import type { FormatCapabilities } from '../model/capabilities.js';
import type { Item } from '../model/item.js';
import type { CollectionKind, Etag, Href } from './types.js';

/**
 * The sync engine knows sources only through these interfaces. A connector is a simple
 * adapter: it lists, reads, and writes items conditionally. It never merges, matches or
 * reads sync state; the engine passes in whatever it needs (etags, tokens).
 *
 * One `Source` is one collection at one connector: a vdir folder, a .vcf file, one
 * CardDAV address book. Connectors with several remote collections (DAV) expose them
 * through `CollectionDiscovery`.
 */

/** An entry of a listing: where an item is and its version tag. */
export interface ListedEntry {
  href: Href;
  /** A strong version tag: the server's ETag, or for files a stat/content signature. */
  etag: Etag;
}

/** An item read from a source, decoded into the canonical model. */
export interface FetchedItem extends ListedEntry {
  item: Item;
  /** When the member itself last changed this entry (file mtime, DAV getlastmodified), ISO;
   * the `newest` policy's time where the item carries no REV / LAST-MODIFIED of its own. */
  modified?: string;
}

/** An entry that could not be decoded: quarantined by the engine, never deleted elsewhere. */
export interface FetchProblem {
  href: Href;
  etag?: Etag;
  /** Where, for people: the file path (and line) or the URL. Never contains credentials. */
  where: string;
  message: string;
  /** The raw text, kept in quarantine so nothing is lost. */
  raw?: string;
  /** The UID, when it can still be read from the broken entry: then the entry is known to
   * hold that item, which is neither changed nor deleted by it (SPEC §4, unknown is not absent). */
  uid?: string;
}

export interface FetchResult {
  items: FetchedItem[];
  problems: FetchProblem[];
}

export interface WriteResult {
  href: Href;
  etag: Etag;
}

export interface Source {
  /** The member name as written in the config (`desktop`, `cloud/contacts`). */
  readonly id: string;
  readonly kind: CollectionKind;
  /** What this source can hold: absent properties it cannot hold are never deletions. */
  readonly capabilities: FormatCapabilities;
  /** Every entry with its version tag. Cheap: no item bodies. */
  list(): Promise<ListedEntry[]>;
  /** Reads and decodes the named entries. Unknown hrefs are simply absent from the result. */
  get(hrefs: readonly Href[]): Promise<FetchResult>;
}

/** A source that can be written. Every write is conditional (If-Match / If-None-Match,
 * compare-then-rename); a mismatch throws PimError('precondition-failed'). */
export interface WritableSource extends Source {
  /** Creates an item; fails with precondition-failed if the chosen href exists already. */
  create(item: Item): Promise<WriteResult>;
  update(href: Href, etag: Etag, item: Item): Promise<WriteResult>;
  /** Deleting an entry that is already gone is success. */
  delete(href: Href, etag: Etag): Promise<void>;
  /**
   * How many writes the engine may run side by side (default 8). A source whose writes
   * share their durability work (the group fsyncs of file writes) gains from more.
   */
  readonly writeConcurrency?: number;
}

/** Sources that buffer writes (single-file connectors rewrite the file once per run). */
export interface FlushableSource extends WritableSource {
  /** Writes buffered changes atomically; precondition-failed if the file changed since it was read. */
  flush(): Promise<void>;
  /**
   * Why a flush would refuse whatever was written (entries that cannot be read and that the
   * format cannot keep verbatim, e.g. a broken CSV row), or undefined. The engine asks before
   * planning writes, so a dry run plans exactly what the run then does.
   */
  rewriteBlocker(): PimError | undefined;
}

/** Changes since a token: a delta, or `null` when the token is no longer valid (list everything). */
export interface Delta {
  changed: ListedEntry[];
  deleted: Href[];
  token: string;
}

/** Sources that can report changes since a token (RFC 6578 sync-collection, file signatures). */
export interface IncrementalSource extends Source {
  /** `token` undefined: first run. Returns null when the token is invalid and a full list is needed. */
  changesSince(token: string | undefined): Promise<Delta | null>;
}

export interface RemoteCollectionInfo {
  /** The path segment that names it in the config (`cloud/contacts`). */
  name: string;
  url: string;
  displayName?: string;
  color?: string;
  kind: CollectionKind;
  /** For calendars: VEVENT, VTODO, VJOURNAL. */
  components?: string[];
}

/** Connectors holding several remote collections (a DAV account). */
export interface CollectionDiscovery {
  discover(): Promise<RemoteCollectionInfo[]>;
}

/** A configured connector: makes the Source for a member of a collection. */
export interface Connector {
  readonly name: string;
  readonly type: string;
  /** `remote` is the part after the slash in `cloud/contacts`; undefined for single-collection connectors. */
  source(kind: CollectionKind, remote?: string): Promise<Source>;
  /** Checks that the connector can be reached (for `pimhub check`). */
  check(): Promise<void>;
  close?(): Promise<void>;
}

export function isWritable(s: Source): s is WritableSource {
  return typeof (s as Partial<WritableSource>).create === 'function';
}

export function isFlushable(s: Source): s is FlushableSource {
  return isWritable(s) && typeof (s as Partial<FlushableSource>).flush === 'function';
}

export function isIncremental(s: Source): s is IncrementalSource {
  return typeof (s as Partial<IncrementalSource>).changesSince === 'function';
}

export function hasDiscovery(c: Connector): c is Connector & CollectionDiscovery {
  return typeof (c as Partial<CollectionDiscovery>).discover === 'function';
}
