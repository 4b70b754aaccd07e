import { PimError } from '../core/errors.js';
import type { LogEntry, Store } from '../core/store.js';
import { applyFieldValue } from '../merge/apply-decision.js';
import type { Decision } from './decide/decision.js';
import { itemLabel } from './item-info.js';
import { commitDecisionRun } from './plan/commit-decisions.js';
import type { Identity } from './types.js';

/**
 * Changes a logged merge decision: every field of the entry takes the value of the chosen
 * side. The result is a new canonical version (logged `resolved`), so the next sync writes
 * it to every member. Keeping what the item holds already changes and logs nothing
 * (`unchanged`).
 */
export async function resolveEntry(opts: {
  store: Store;
  identity: Identity;
  entryId: number;
  keep: string;
  by: string;
  now: Date;
}): Promise<LogEntry & { unchanged?: true }> {
  const { store } = opts;
  const entry = await store.getLogEntry(opts.entryId);
  if (!entry) throw new PimError('not-found', `no merge log entry ${opts.entryId}; list them with \`pimhub log --conflicts\``);
  // A conflict, or a merge of duplicates (whose other fields are values united, nothing to choose), changes only its conflicting fields.
  const fields = (entry.fields ?? []).filter((f) => f.conflict || (entry.action !== 'conflict' && entry.action !== 'duplicates-merged'));
  if (fields.length === 0 || !entry.itemId) {
    throw new PimError('invalid-data', `log entry ${entry.id} (${entry.action}) has no field decisions to change`);
  }
  const stored = await store.getItem(entry.itemId);
  if (!stored || stored.deleted) throw new PimError('not-found', `the item of entry ${entry.id} (${entry.uid}) no longer exists`);
  let item = stored.item;
  const decisions = fields.map((f) => {
    const index = /^\d+$/.test(opts.keep) ? Number(opts.keep) : f.values.findIndex((v) => v.connector === opts.keep);
    const chosen = f.values[index];
    if (!chosen) {
      const choices = f.values.map((v, i) => `${i} (${v.connector})`).join(', ');
      throw new PimError('invalid-data', `--keep ${opts.keep}: field ${f.field} of entry ${entry.id} has values ${choices}`);
    }
    item = applyFieldValue(item, f.path, chosen.raw ?? null, opts.identity.keyOf);
    return { ...f, chosen: chosen.value, chosenIndex: index, conflict: false };
  });
  // The item holds these values already (the entry was resolved this way before, or the kept
  // value is the one chosen): nothing to do, and nothing logged twice.
  if (JSON.stringify(item) === JSON.stringify(stored.item)) {
    const earlier = (await store.listLog({ collection: stored.collection, uid: stored.uid, actions: ['resolved'] })).find((e) => e.resolves === entry.id);
    return { ...(earlier ?? entry), unchanged: true };
  }
  const now = opts.now.toISOString();
  const sources = { ...stored.meta.fieldSources };
  for (const f of fields) sources[`${f.path.component}/${f.path.field}`] = { connector: opts.by, time: now };
  const decision: Decision = {
    item: {
      id: stored.id, collection: stored.collection, uid: stored.uid, item, meta: { fieldSources: sources },
      expectVersion: stored.version, identityKeys: opts.identity.identityKeys(item),
    },
    logs: [{
      time: now, uid: stored.uid, itemId: stored.id, action: 'resolved', connector: opts.by,
      fields: decisions, resolves: entry.id, message: `kept ${opts.keep} for entry ${entry.id}`,
    }],
    changes: [{ action: 'updated', uid: stored.uid, member: opts.by, label: itemLabel(item) }],
  };
  // A resolve is a one-item run: from the review page (trigger `review`) or the CLI.
  const { logIds } = await commitDecisionRun(store, {
    collection: stored.collection, trigger: opts.by === 'review' ? 'review' : 'cli', command: `resolve ${entry.id} --keep ${opts.keep}`,
    now: opts.now, decisions: [decision],
  });
  return (await store.getLogEntry(logIds[0]!))!;
}
