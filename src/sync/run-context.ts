import type { Source } from '../core/connector.js';
import type { CollectionReport, CollectionSyncInput } from './types.js';
import type { Workspace } from './workspace.js';

/** What the steps of one collection's run share. */
export interface RunContext {
  input: CollectionSyncInput;
  ws: Workspace;
  report: CollectionReport;
  /** ISO time of this run, for entries that carry no time of their own. */
  now: string;
  /** Per member: hrefs quarantined before this run. */
  quarantined: Map<string, Set<string>>;
  /** Per member: hrefs gone from the source in this run (their items may move to a new href). */
  goneHrefs: Map<string, Set<string>>;
  sources: Map<string, Source>;
  /** `member\nitemId` → the version an interrupted earlier run was writing there. */
  interrupted: Map<string, number>;
  /** Keeps the run's lock alive; call between items of long loops. */
  heartbeat(): Promise<void>;
}
