import { createHash } from 'node:crypto';
import type { CollectionRecord } from '../core/store.js';

/**
 * Sync tokens of the endpoint (RFC 6578 §4: a URI). A token names the collection's identity —
 * a hash of its name and creation time, so another collection, or a collection deleted and
 * created again under the same name, never accepts it — and the change sequence it was
 * issued at: `urn:pimhub:sync:v2:<identity>:<seq>`.
 *
 * Tokens before v2 (`urn:pimhub:sync:<createdAt ms>:<seq>`) named the creation time only, which
 * collections created in the same millisecond share. Such a token is still accepted when it
 * names this collection unambiguously (no other collection of the store was created in that
 * millisecond); otherwise the client is told to sync again without a token (a full listing,
 * which every client does on `valid-sync-token`).
 */
export function syncToken(col: CollectionRecord, seq: number): string {
  return `urn:pimhub:sync:v2:${identityOf(col)}:${seq}`;
}

/**
 * The change sequence a token names, or undefined when it is not a token of this collection
 * (or names a sequence this collection has not reached). `others` are the store's other
 * collections, consulted only for a token of the old format.
 */
export async function sequenceOf(token: string, col: CollectionRecord, current: number, others: () => Promise<CollectionRecord[]>): Promise<number | undefined> {
  const v2 = /^urn:pimhub:sync:v2:([A-Za-z0-9_-]{22}):(\d{1,15})$/.exec(token);
  if (v2) return v2[1] === identityOf(col) ? upTo(Number(v2[2]), current) : undefined;
  const v1 = /^urn:pimhub:sync:(\d{1,15}):(\d{1,15})$/.exec(token);
  if (!v1) return undefined;
  const created = Date.parse(col.createdAt) || 0;
  if (Number(v1[1]) !== created) return undefined;
  const twins = (await others()).filter((c) => c.name !== col.name && (Date.parse(c.createdAt) || 0) === created);
  return twins.length === 0 ? upTo(Number(v1[2]), current) : undefined;
}

const upTo = (seq: number, current: number) => (seq <= current ? seq : undefined);

function identityOf(col: CollectionRecord): string {
  return createHash('sha256').update(`pimhub-collection\0${col.name}\0${col.createdAt}`).digest('base64url').slice(0, 22);
}
