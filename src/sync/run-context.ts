import type { DecideContext } from './decide/context.js';
import type { CollectionReport, CollectionSyncInput } from './types.js';
import type { Workspace } from './workspace.js';

/** What the stages of one collection's run share. */
export interface RunContext {
  input: CollectionSyncInput;
  /** The plan's store part: staged decisions, committed in batches. */
  ws: Workspace;
  report: CollectionReport;
  /** What the decide step reads (its view is `ws`). */
  decide: DecideContext;
  /** Keeps the run's lock alive; call between items of long loops. */
  heartbeat(): Promise<void>;
}
