import { isPimError } from '../../core/errors.js';
import type { MemberState, RunRecord, RunTrigger, Store, StoreChange } from '../../core/store.js';
import type { Decision } from '../decide/decision.js';
import { newReport } from '../report.js';
import { countsOf, newRun } from '../runs.js';
import type { CollectionReport } from '../types.js';
import { Workspace } from '../workspace.js';
import { stage } from './stage.js';

export interface CommittedDecisions {
  report: CollectionReport;
  logIds: number[];
}

/**
 * Decisions made outside a sync (a write through the endpoint, a resolve, an undo, a merge
 * of duplicates), staged exactly as a sync stages them (src/sync/plan/stage.ts) and
 * committed as one. A change the store saw move meanwhile fails with the store's
 * `precondition-failed`, for the caller to decide again or refuse.
 */
export async function commitDecisions(
  store: Store,
  o: { collection: string; run: string; now: string; decisions: Decision[]; extra?: (report: CollectionReport) => StoreChange },
): Promise<CommittedDecisions> {
  const ws = new Workspace(store, o.collection, false, o.run, o.now, Number.MAX_SAFE_INTEGER);
  const report = newReport(o.collection);
  for (const d of o.decisions) await stage(ws, report, d);
  try {
    const done = await ws.flush(o.extra?.(report) ?? {});
    return { report, logIds: done?.logIds ?? [] };
  } catch (e) {
    if (isPimError(e, 'busy') && isPimError(e.cause, 'precondition-failed')) throw e.cause;
    throw e;
  }
}

/** A change outside a sync that is a run of its own (SPEC §4): committed with the run's record. */
export async function commitDecisionRun(
  store: Store,
  o: { collection: string; trigger: RunTrigger; command?: string; now: Date; decisions: Decision[]; memberStates?: MemberState[] },
): Promise<CommittedDecisions & { run: RunRecord }> {
  const started = newRun(o.trigger, o.now, o.command);
  const time = o.now.toISOString();
  let run: RunRecord = started;
  const done = await commitDecisions(store, {
    collection: o.collection, run: started.id, now: time, decisions: o.decisions,
    extra: (report) => {
      run = { ...started, end: time, collections: [countsOf(report)] };
      // A change that decides nothing (links only) is no run worth listing.
      const logs = o.decisions.some((d) => d.logs?.length);
      return { ...(logs ? { runs: [run] } : {}), memberStates: o.memberStates ?? [] };
    },
  });
  return { ...done, run };
}
