import type { ClientSession, Db } from 'mongodb';
import type { Doc, Op } from './plan.js';

/** Ids per deleteMany, documents per insertMany. */
const CHUNK = 1000;

/**
 * Applies planned ops in order. A run of puts, inserts and removals by `_id` on one collection
 * becomes one deleteMany of every id it touches followed by one insertMany of the final
 * documents: the same result as applying them one by one (the last op on an id wins), and
 * idempotent, so the journal can apply a list again after a crash. Delete-and-insert rather
 * than replaceOne: jongodb's replace and update cost grows with the collection (hundreds of
 * ms per document at a few thousand), its inserts do not; on MongoDB, inside a transaction,
 * the two are alike and invisible to readers.
 */
export async function applyOps(db: Db, ops: readonly Op[], session?: ClientSession, replay = false): Promise<void> {
  let i = 0;
  while (i < ops.length) {
    const op = ops[i]!;
    if ('delWhere' in op) {
      await db.collection<Doc>(op.c).deleteMany({ [op.delWhere.field]: { $in: op.delWhere.in } }, { session });
      i++;
      continue;
    }
    // The run of by-id ops on this collection: its final state per id.
    const final = new Map<string | number, Doc | undefined>();
    const fresh = new Set<string | number>();
    while (i < ops.length && ops[i]!.c === op.c && !('delWhere' in ops[i]!)) {
      const o = ops[i++]! as Exclude<Op, { delWhere: unknown }>;
      if ('put' in o) final.set(o.put._id, o.put);
      else if ('ins' in o) {
        if (!final.has(o.ins._id) && !replay) fresh.add(o.ins._id);
        final.set(o.ins._id, o.ins);
      } else final.set(o.del, undefined);
    }
    // New documents need no removal first (unless this is a replay: they may be there already).
    const ids = [...final.keys()].filter((id) => !fresh.has(id));
    const docs = [...final.values()].filter((d): d is Doc => d !== undefined);
    const col = db.collection<Doc>(op.c);
    for (let k = 0; k < ids.length; k += CHUNK) await col.deleteMany({ _id: { $in: ids.slice(k, k + CHUNK) } }, { session });
    for (let k = 0; k < docs.length; k += CHUNK) await col.insertMany(docs.slice(k, k + CHUNK), { session, ordered: true });
  }
}
