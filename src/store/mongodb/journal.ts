import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { killPoint } from '../../core/kill-point.js';
import { applyOps } from './apply.js';
import type { Op } from './plan.js';
import { C } from './schema.js';

/** Ops per journal document (a document must stay under 16 MB; items are up to a few hundred kB). */
const OPS_PER_PART = 200;

interface JournalDoc {
  _id: string;
  commit: string;
  part: number;
  parts: number;
  ops: Op[];
}

/**
 * Commits without a multi-document transaction, for servers whose transactions cannot carry
 * pimhub's commits (jongodb: see docs/store.md). Under the commit lease, the planned ops are
 * first written to the `journal` collection, then applied, then the journal is removed. A
 * writer killed while applying leaves a complete journal, which the next writer (or the next
 * process to open the store) applies again before anything else: the commit ends up whole.
 * A writer killed while writing the journal leaves an incomplete one, which is dropped: none
 * of that commit was applied. Readers may see a commit half-applied for the moment it takes.
 */
export async function commitThroughJournal(db: Db, ops: readonly Op[]): Promise<void> {
  if (ops.length === 0) return;
  const commit = `${Date.now().toString(36).padStart(10, '0')}-${randomUUID()}`;
  const parts = Math.ceil(ops.length / OPS_PER_PART);
  const journal = db.collection<JournalDoc>(C.journal);
  for (let p = 0; p < parts; p++) {
    await journal.insertOne({ _id: `${commit}:${String(p).padStart(6, '0')}`, commit, part: p, parts, ops: ops.slice(p * OPS_PER_PART, (p + 1) * OPS_PER_PART) });
  }
  killPoint('mongodb.journal-written');
  await applyOps(db, ops);
  killPoint('mongodb.applied');
  await journal.deleteMany({ commit });
}

/** Applies every complete journal left by a killed writer, in order; drops incomplete ones. Call under the commit lease. */
export async function replayJournal(db: Db): Promise<number> {
  const journal = db.collection<JournalDoc>(C.journal);
  if (!(await journal.findOne({}))) return 0;
  const docs = await journal.find({}).sort({ _id: 1 }).toArray();
  const commits = new Map<string, JournalDoc[]>();
  for (const d of docs) commits.set(d.commit, [...(commits.get(d.commit) ?? []), d]);
  let replayed = 0;
  for (const [commit, parts] of commits) {
    if (parts.length === parts[0]!.parts) {
      await applyOps(db, parts.flatMap((p) => p.ops), undefined, true);
      replayed++;
    }
    await journal.deleteMany({ commit });
  }
  return replayed;
}
