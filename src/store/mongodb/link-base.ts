import type { ClientSession, Db, Document } from 'mongodb';
import type { LinkRecord } from '../../core/store.js';
import { linkToRow, type LinkRow } from '../sqlite/rows.js';
import { idOf, type VersionDoc } from './docs.js';
import { C } from './schema.js';

/**
 * A link's base stored by reference, as in the SQLite store (src/store/sqlite/link-base.ts):
 * a link document whose base equals a version of its item, byte for byte, holds `base: ''`
 * (a pimhub of schema 1 fails to parse it rather than reading no base) and that version's
 * number in `base_version`; reads fetch the versions' JSON in one query per page of links.
 * Versions are removed only with their collection, links included, and never rewritten (an
 * item write always makes a new version).
 */

/** Bound on ids per `$in`. */
const CHUNK = 1000;

/** Versions written by the commit being planned: item id → version → its JSON text. */
export type WrittenVersions = Map<string, Map<number, string>>;

/**
 * The documents of links to put. A base becomes a reference when its text is that of a
 * version this commit writes, or of the version the member agreed to (one read for all of
 * those not settled by the commit).
 */
export async function linkDocs(
  db: Db, session: ClientSession | undefined, links: readonly LinkRecord[], json: (value: object) => string, written: WrittenVersions = new Map(),
): Promise<Array<Document & { _id: string }>> {
  const texts = links.map((l) => json(l.base));
  const found = links.map((l, i) => {
    const mine = written.get(l.itemId);
    if (mine?.get(l.agreedVersion) === texts[i]) return l.agreedVersion;
    if (mine) for (const [version, t] of mine) if (t === texts[i]) return version;
    return undefined;
  });
  const ask = [...new Set(links.flatMap((l, i) => (found[i] === undefined && l.agreedVersion > 0 && !written.get(l.itemId)?.has(l.agreedVersion) ? [idOf(l.itemId, l.agreedVersion)] : [])))];
  const stored = new Map<string, string>();
  for (let i = 0; i < ask.length; i += CHUNK) {
    const docs = await db.collection<VersionDoc>(C.versions).find({ _id: { $in: ask.slice(i, i + CHUNK) } }, { session, projection: { data: 1 } }).toArray();
    for (const d of docs) stored.set(d._id, d.data);
  }
  return links.map((l, i) => {
    const version = found[i] ?? (stored.get(idOf(l.itemId, l.agreedVersion)) === texts[i] ? l.agreedVersion : undefined);
    const row = version === undefined ? linkToRow(l, texts[i]) : linkToRow(l, '', version);
    return { _id: idOf(l.collection, l.member, l.href), ...row };
  });
}

/** Fills in the base of each document that names a version (in place), with one query per page; returns them. */
export async function withBases<T extends LinkRow>(db: Db, docs: T[]): Promise<T[]> {
  const refs = docs.filter((d) => d.base === '' && typeof d.base_version === 'number');
  const ids = [...new Set(refs.map((d) => idOf(d.item_id, d.base_version!)))];
  const data = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const found = await db.collection<VersionDoc>(C.versions).find({ _id: { $in: ids.slice(i, i + CHUNK) } }, { projection: { data: 1 } }).toArray();
    for (const v of found) data.set(v._id, v.data);
  }
  // A version not found leaves the base null: linkFromRow names the link and the version.
  for (const d of refs) d.base = data.get(idOf(d.item_id, d.base_version!)) ?? null;
  return docs;
}
