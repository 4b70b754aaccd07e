import { randomBytes } from 'node:crypto';
import type { RunCollectionCounts, RunRecord, RunTrigger, Store } from '../core/store.js';
import type { CollectionReport } from './types.js';

/**
 * Run ids (SPEC §4): every sync, endpoint write, resolve, undo and merge of duplicates is a
 * run, and every log entry and item version names it. Ids sort by start time and stay
 * readable (`r20261201-190512-3fa9c1`).
 */
export function newRunId(now: Date): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `r${t}-${randomBytes(3).toString('hex')}`;
}

export function newRun(trigger: RunTrigger, now: Date, command?: string): RunRecord {
  return { id: newRunId(now), start: now.toISOString(), trigger, ...(command ? { command } : {}), collections: [] };
}

/** What one collection's report adds up to in the run record. */
export function countsOf(report: CollectionReport): RunCollectionCounts {
  const n = report.counts;
  return {
    name: report.name,
    created: n.created,
    updated: n.updated + n.matched,
    merged: n.merged,
    conflicts: n.conflict,
    deleted: n.deleted,
    restored: n.restored,
    writes: n.writes,
  };
}

/** Records the run as started (a run killed half-way still shows, with no end). */
export async function recordRunStart(store: Store, run: RunRecord): Promise<void> {
  await store.commit({ runs: [run] });
}

export async function recordRunEnd(store: Store, run: RunRecord, reports: CollectionReport[], end: Date): Promise<RunRecord> {
  const done: RunRecord = { ...run, end: end.toISOString(), collections: reports.map(countsOf) };
  await store.commit({ runs: [done] });
  return done;
}
