import { PimError } from '../core/errors.js';
import { STORE_TABLES, type Store, type StoreRecords, type StoreTable } from '../core/store.js';

export type CopyCounts = Record<StoreTable, number>;

/** Records per page read from the source and written to the target (one atomic import each). */
const BATCH = 500;

/**
 * Copies a whole store into an empty one (`pimhub migrate`, SPEC §3): every table through
 * the Store interface, page by page (memory stays bounded), records verbatim: item versions
 * and seqs, history, link bases and ETags, member tokens, log ids and run ids, runs,
 * quarantine, outbox, collections, change sequences. Refuses a target that holds anything,
 * and a source whose collections are being synced. Ends by counting every table on both
 * sides; a difference is an error.
 */
export async function copyStore(from: Store, to: Store, opts: { batch?: number; progress?: (table: StoreTable, copied: number) => void } = {}): Promise<CopyCounts> {
  const batch = opts.batch ?? BATCH;
  for (const table of STORE_TABLES) {
    if ((await to.exportPage(table, 0, 1)).length > 0) {
      throw new PimError('config', `the target store is not empty (it holds ${table}); migrate copies only into an empty store: give a new database or file`);
    }
  }
  for (const c of await from.listCollections()) {
    const holder = await from.lockHolder(`sync:${c.name}`);
    if (holder) {
      throw new PimError('busy', `collection ${c.name} is being synced (by ${holder}); stop pimhub serve, daemon and sync on this store before migrating`);
    }
  }
  const copied = {} as CopyCounts;
  for (const table of STORE_TABLES) {
    copied[table] = 0;
    for (let offset = 0; ; offset += batch) {
      const page = await from.exportPage(table, offset, batch);
      if (page.length === 0) break;
      await to.importRecords({ [table]: page } as Partial<StoreRecords>);
      copied[table] += page.length;
      opts.progress?.(table, copied[table]);
      if (page.length < batch) break;
    }
  }
  const counted = {} as CopyCounts;
  const problems: string[] = [];
  for (const table of STORE_TABLES) {
    counted[table] = await countTable(to, table, batch);
    const source = await countTable(from, table, batch);
    if (counted[table] !== source || counted[table] !== copied[table]) {
      problems.push(`${table}: source ${source}, copied ${copied[table]}, target ${counted[table]}`);
    }
  }
  if (problems.length > 0) {
    throw new PimError('io', `the copy does not match the source (${problems.join('; ')}); keep using the source store and run migrate again into a new, empty target`);
  }
  return counted;
}

async function countTable(store: Store, table: StoreTable, batch: number): Promise<number> {
  let n = 0;
  for (let offset = 0; ; offset += batch) {
    const page = await store.exportPage(table, offset, batch);
    n += page.length;
    if (page.length < batch) return n;
  }
}
