/**
 * What one request serves with data, per collection: the text each client holds for each
 * href (its link's raw text: its own form, see src/server/render.ts) is looked up before
 * rendering, and what was served is recorded afterwards as the client's links (the base of
 * its next PUT, and the form it is served next).
 */
import type { CollectionRecord, StoredItem } from '../core/store.js';
import type { Href } from '../core/types.js';
import { clientMember, ENDPOINT_MEMBER, recordServed } from '../sync/endpoint-write.js';
import type { DavContext } from './context.js';

/** The text a client holds at an href, and the item it named then. */
interface HeldText { itemId: string; raw: string; own: boolean }

export class Served {
  private readonly byCol = new Map<string, Array<{ href: Href; item: StoredItem; raw?: string }>>();
  /** Per collection, per href: the client's own text, else another client's (shared `endpoint` link). */
  private readonly templates = new Map<string, Map<string, HeldText>>();

  /** Loads the texts this client (else any client of the endpoint) holds in a collection. */
  async prepare(ctx: DavContext, col: CollectionRecord): Promise<void> {
    const links = this.templatesOf(col);
    const own = clientMember(ctx.user, ctx.userAgent);
    for (const member of [ENDPOINT_MEMBER, own]) {
      for (const l of await ctx.store.linksForMember(col.name, member)) if (l.raw !== undefined) links.set(l.href, { itemId: l.itemId, raw: l.raw, own: member === own });
    }
  }

  /**
   * Loads the texts held for these hrefs only (a page of a listing), replacing the previous
   * page's: a listing of 10,000 objects with data holds one page of texts at a time.
   */
  async preparePage(ctx: DavContext, col: CollectionRecord, names: readonly Href[]): Promise<void> {
    const links = new Map<string, HeldText>();
    const own = clientMember(ctx.user, ctx.userAgent);
    for (const member of [ENDPOINT_MEMBER, own]) {
      for (const l of await ctx.store.linksAt(col.name, member, names)) if (l.raw !== undefined) links.set(l.href, { itemId: l.itemId, raw: l.raw, own: member === own });
    }
    this.templates.set(col.name, links);
  }

  /** Loads the text held for one href (GET). */
  async prepareOne(ctx: DavContext, col: CollectionRecord, name: Href): Promise<void> {
    const links = this.templatesOf(col);
    const own = clientMember(ctx.user, ctx.userAgent);
    for (const member of [ENDPOINT_MEMBER, own]) {
      const [l] = await ctx.store.linksAt(col.name, member, [name]);
      if (l?.raw !== undefined) links.set(name, { itemId: l.itemId, raw: l.raw, own: member === own });
    }
  }

  /**
   * The text the client holds for this object (`own`), else the text another client of the
   * endpoint holds, if it is still the same item.
   */
  template(col: CollectionRecord, name: string, item: StoredItem): { raw: string; own: boolean } | undefined {
    const t = this.templates.get(col.name)?.get(name);
    return t && t.itemId === item.id ? { raw: t.raw, own: t.own } : undefined;
  }

  private templatesOf(col: CollectionRecord): Map<string, HeldText> {
    let links = this.templates.get(col.name);
    if (!links) this.templates.set(col.name, (links = new Map()));
    return links;
  }

  add(col: CollectionRecord, name: Href, item: StoredItem, raw?: string): void {
    const served = this.byCol.get(col.name);
    const one = { href: name, item, ...(raw === undefined ? {} : { raw }) };
    if (served) served.push(one);
    else this.byCol.set(col.name, [one]);
  }

  /** One commit per collection per request. */
  async record(ctx: DavContext): Promise<void> {
    for (const [col, served] of this.byCol) await recordServed(ctx.store, col, served, ctx.now(), clientMember(ctx.user, ctx.userAgent));
  }
}
