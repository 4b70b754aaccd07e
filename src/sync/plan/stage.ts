import type { Decision } from '../decide/decision.js';
import { addChanges } from '../report.js';
import type { CollectionReport } from '../types.js';
import type { Workspace } from '../workspace.js';

/**
 * Adds one decision to the run's plan: its store changes to the workspace (committed in
 * batches, or never in a dry run) and its lines to the run report. The only place decisions
 * turn into staged changes, so a dry run and a real run cannot disagree.
 */
export async function stage(ws: Workspace, report: CollectionReport, d: Decision): Promise<void> {
  for (const r of d.removeLinks ?? []) await ws.removeLink(r.member, r.href);
  if (d.item) await ws.putItem(d.item);
  for (const l of d.links ?? []) await ws.putLink(l);
  for (const u of d.unquarantine ?? []) ws.unquarantine(u.member, u.href);
  for (const q of d.quarantine ?? []) ws.quarantine(q);
  for (const l of d.logs ?? []) ws.log({ ...l, collection: ws.collection });
  if (d.changes) addChanges(report, d.changes, d.item);
  report.errors.push(...(d.errors ?? []));
  report.quarantined += d.quarantine?.length ?? 0;
}
