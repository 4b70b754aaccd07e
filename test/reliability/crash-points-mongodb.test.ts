import { forEachServer } from '../dav/servers.js';
import { emptyDatabase, mongoTargets } from '../store/jongodb.js';
import { mongoCrashStore } from './crash-store.js';
import { crashSuite } from './crash-suite.js';

/**
 * The crash suite (crash-suite.ts) with the MongoDB store, on jongodb (and on
 * PIMHUB_TEST_MONGODB_URI when set). jongodb's transactions cannot carry pimhub's commits, so
 * the store commits through its journal (src/store/mongodb/journal.ts): the kill points
 * `mongodb.journal-written` (the journal is whole, nothing applied) and `mongodb.applied`
 * (applied, the journal not yet removed) are the commits a rerun must complete. After each
 * rerun: every link names an existing item, no UID is held twice, the outbox and the journal
 * are empty. `npm test` kills at `mongodb.journal-written` with 40 contacts; PIMHUB_CRASH_ALL=1 at every
 * point with 160; PIMHUB_LONG_TESTS=1 with 3,000 contacts and 10 random kills.
 */
const LONG = process.env.PIMHUB_LONG_TESTS === '1';
const ALL = LONG || process.env.PIMHUB_CRASH_ALL === '1';
const ITEMS = Number(process.env.PIMHUB_CRASH_ITEMS ?? (LONG ? 3000 : ALL ? 160 : 40));
const RANDOM_KILLS = Number(process.env.PIMHUB_CRASH_RANDOM ?? (LONG ? 10 : ALL ? 3 : 0));
const SEED = Number(process.env.PIMHUB_CRASH_SEED ?? 1302);

/** The SQLite suite's points less `sqlite.in-transaction`, plus the journal's. */
const POINTS = [
  'sync.locked', 'read.batch', 'merge.item', 'decide.deletions', 'store.before-commit', 'mongodb.journal-written', 'mongodb.applied',
  'mongodb.journal-written:3', 'mongodb.applied:4', 'store.after-commit', 'decide.committed', 'plan.done', 'outbox.before-commit', 'outbox.committed',
  'write.item', 'file.temp-written', 'single-file.written', 'apply.member-committed', 'file.temp-written:2',
  'file.create-linked', 'vdir.created', 'vdir.updated', 'vdir.deleted', 'dav.put', 'dav.deleted', 'sync.before-outbox-done', 'sync.done',
];
/** A commit's journal whole but not applied: the next run must replay it (the SQLite suite covers the other stages in npm test). */
const SHORT = ['mongodb.journal-written'];

for (const target of mongoTargets()) {
  forEachServer((profile) => {
    if (profile.name !== 'radicale') return;
    crashSuite({
      storeName: `MongoDB (${target.name})`, profile, items: ITEMS, randomKills: RANDOM_KILLS, seed: SEED,
      points: ALL ? POINTS : SHORT,
      store: async () => {
        const url = await target.freshUrl();
        await emptyDatabase(url);
        return mongoCrashStore(url);
      },
    });
  });
}
