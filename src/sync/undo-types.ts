import type { FieldDecision, Store } from '../core/store.js';
import type { MovedLink } from './merge-duplicates.js';
import type { Identity } from './types.js';
import type { UndoAction } from './undo-item.js';

/** What `pimhub undo` is asked and what it answers (shared by undo.ts and undo-match.ts). */
export interface UndoInput {
  store: Store;
  identity: Identity;
  target: { run: string } | { entry: number };
  deleteGuard: number;
  allowMassDelete: boolean;
  dryRun: boolean;
  by: 'cli' | 'review';
  now: Date;
}

export interface UndoItemReport {
  collection: string;
  itemId: string;
  uid: string;
  name: string;
  action: UndoAction;
  conflicts: FieldDecision[];
  note?: string;
}

export interface UndoResult {
  dryRun: boolean;
  /** The run undone. */
  undoes: string;
  entry?: number;
  /** The undo's own run (absent in a dry run). */
  run?: string;
  items: UndoItemReport[];
  /** Member links a merge of duplicates had moved, moved back. */
  links: MovedLink[];
}
