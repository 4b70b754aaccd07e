import type { LinkRecord } from '../../core/store.js';
import type { StatementCache } from './statement-cache.js';
import { linkToRow } from './rows.js';

/**
 * A link's base stored by reference (schema 10). Most bases are exactly a version of the
 * link's item (what the member was written, or what it sent and the store kept as it came):
 * such a link holds that version's number in `base_version` and `base` is '' (no JSON text
 * is empty; '' rather than NULL so that a pimhub of schema 9 still running on the file fails
 * to parse it instead of reading no base); only a base that differs from every version (a
 * member's own view) is stored as JSON in `base`. A CHECK keeps the two consistent. Reads
 * take the JSON from `item_versions`.
 *
 * A version is removed only with its item (deleteCollection, which removes the links in
 * the same transaction) and never rewritten (an item write always makes a new version), so
 * a referenced version outlives every link that names it.
 */

/** The columns of a link as `linkFromRow` reads it, the base resolved; with `LINKS_FROM`. */
export const LINK_COLS = "l.collection, l.member, l.href, l.item_id, l.etag, coalesce(nullif(l.base, ''), v.data) AS base, l.base_version, l.agreed_version, l.updated_at, l.raw";

/** `links l` with the version its base names, if it names one. */
export const LINKS_FROM = "links l LEFT JOIN item_versions v ON l.base = '' AND v.item_id = l.item_id AND v.version = l.base_version";

/** Versions written by the commit under way, or found equal to a link's base in it: item id → version → its JSON text. */
export type WrittenVersions = Map<string, Map<number, string>>;

/**
 * Writes (inserts or replaces) a link. `text` is the base as JSON. The base becomes a
 * reference when its text is that of a version written in this commit (a new entry stored
 * as it came), or of the version the member agreed to (what it was written).
 */
export function putLink(stmt: StatementCache, l: LinkRecord, text: string, written?: WrittenVersions): void {
  const version = versionEqualTo(stmt, l, text, written);
  stmt(`INSERT OR REPLACE INTO links (collection, member, href, item_id, etag, base, base_version, agreed_version, updated_at, raw)
        VALUES (@collection, @member, @href, @item_id, @etag, @base, @base_version, @agreed_version, @updated_at, @raw)`)
    .run(version === undefined ? linkToRow(l, text) : linkToRow(l, '', version));
}

function versionEqualTo(stmt: StatementCache, l: LinkRecord, text: string, written: WrittenVersions | undefined): number | undefined {
  const mine = written?.get(l.itemId);
  if (mine) {
    if (mine.get(l.agreedVersion) === text) return l.agreedVersion;
    for (const [version, t] of mine) if (t === text) return version;
  }
  if (l.agreedVersion <= 0 || mine?.has(l.agreedVersion)) return undefined;
  // Compared inside SQLite: the version's text is never copied out.
  const hit = stmt('SELECT 1 FROM item_versions WHERE item_id = ? AND version = ? AND data = ?').get(l.itemId, l.agreedVersion, text);
  if (hit === undefined) return undefined;
  // A version never changes: the next link of this commit with this base (the endpoint
  // records two links per object served) is answered without the query.
  if (written) {
    if (mine) mine.set(l.agreedVersion, text);
    else written.set(l.itemId, new Map([[l.agreedVersion, text]]));
  }
  return l.agreedVersion;
}
