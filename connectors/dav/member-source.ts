import type {
  Delta, FetchResult, IncrementalSource, ListedEntry, WritableSource, WriteResult,
} from '../../src/core/connector.js';
import type { CollectionKind, Etag, Href } from '../../src/core/types.js';
import type { FormatCapabilities } from '../../src/model/capabilities.js';
import type { Item } from '../../src/model/item.js';
import { CollectionMissing } from './collection-missing.js';
import type { DavSource } from './dav-source.js';
import type { DavCollection } from './discovery.js';
import { readToken, sameCollection, writeToken } from './member-token.js';

export interface MemberSourceOptions {
  id: string;
  kind: CollectionKind;
  /** fingerprintOf the member's settings (member-token.ts). */
  fingerprint: string;
  /**
   * Discovery, then the member's collection; a config error naming what exists when it has
   * none. `fresh`: not what the connector found earlier (a kept collection failed).
   */
  find(fresh: boolean): Promise<DavCollection>;
  /** The source of a known collection. */
  open(c: DavCollection): DavSource;
  /** The capabilities when they do not depend on the collection (calendars, a configured vCard version). */
  fixedCapabilities?: FormatCapabilities;
}

const sameUrl = (a: string, b: string) => new URL(a).href === new URL(b).href;

/**
 * A DAV member whose collection is known on first use, not when it is made: from the
 * member's token (written by the last run, holding the collection found then) when its
 * settings are unchanged, so a later run sends no discovery request; else by discovery.
 * A stored collection that no longer answers at its URL (404, 403, a redirect) is found
 * again by discovery. A sync token is used only at the collection it was issued by: when
 * the member's collection is another one (moved, recreated elsewhere, other settings), the
 * run lists it in full, which removes only links to entries it does not hold.
 */
export class DavMemberSource implements WritableSource, IncrementalSource {
  readonly id: string;
  readonly kind: CollectionKind;
  private current?: DavSource;
  /** The collection came from the token and has not yet answered with changes: on a failure, rediscover. */
  private fromToken = false;
  private finding?: Promise<DavSource>;

  constructor(private readonly o: MemberSourceOptions) {
    this.id = o.id;
    this.kind = o.kind;
  }

  /** Read after the collection is known (the engine reads first): a vCard version may depend on the server. */
  get capabilities(): FormatCapabilities {
    const caps = this.current?.capabilities ?? this.o.fixedCapabilities;
    if (!caps) throw new Error(`${this.id}: the capabilities of a DAV member depend on its collection, which is not known before its first read`);
    return caps;
  }

  /** The collection's URL once known. */
  get url(): string | undefined {
    return this.current?.url;
  }

  async changesSince(token: string | undefined): Promise<Delta | null> {
    const stored = token === undefined ? undefined : readToken(token, this.o.fingerprint, this.kind);
    if (!this.current && stored?.trusted && stored.collection) {
      this.current = this.o.open(stored.collection);
      this.fromToken = true;
    }
    let src = await this.source();
    // A token that cannot be read, or one issued by another collection: list everything.
    if (stored && (stored.changes === undefined || (stored.collection && !sameUrl(stored.collection.url, src.url)))) return null;
    const changes = stored?.changes;
    let delta: Delta | null;
    try {
      delta = await src.changesSince(changes);
    } catch (e) {
      if (!this.fromToken) throw e;
      const found = await this.rediscover(e);
      if (!sameUrl(src.url, found.url)) return null;
      src = found;
      delta = await src.changesSince(changes);
    }
    // Answered with changes: the collection is where the token said, and as it said.
    if (delta) this.fromToken = false;
    return delta && { ...delta, token: writeToken(this.o.fingerprint, src.o.collection, delta.token) };
  }

  /**
   * The collection from the token failed: discovery again. What it finds replaces the
   * token's collection when it differs (moved, or the server changed its reports or vCard
   * versions); when discovery says what the token said, the failure stands. A collection
   * that no longer answers and that discovery cannot find is the config error naming what exists.
   */
  private async rediscover(failure: unknown): Promise<DavSource> {
    const was = this.current!;
    this.fromToken = false;
    this.current = undefined;
    let found: DavSource;
    try {
      found = await this.source(true);
    } catch (e) {
      throw failure instanceof CollectionMissing ? e : failure;
    }
    if (sameCollection(was.o.collection, found.o.collection)) throw failure;
    return found;
  }

  async list(): Promise<ListedEntry[]> {
    return (await this.source()).list();
  }

  async get(hrefs: readonly Href[]): Promise<FetchResult> {
    return (await this.source()).get(hrefs);
  }

  async create(item: Item): Promise<WriteResult> {
    return (await this.source()).create(item);
  }

  async update(href: Href, etag: Etag, item: Item): Promise<WriteResult> {
    return (await this.source()).update(href, etag, item);
  }

  async delete(href: Href, etag: Etag): Promise<void> {
    return (await this.source()).delete(href, etag);
  }

  /** The collection's source: the one known, else found by discovery (once, however many ask; `fresh`: see `find`). */
  private source(fresh = false): Promise<DavSource> {
    if (this.current) return Promise.resolve(this.current);
    this.finding ??= this.o.find(fresh).then((c) => {
      this.current = this.o.open(c);
      return this.current;
    }).finally(() => {
      this.finding = undefined;
    });
    return this.finding;
  }
}
