import { forEachServer } from '../dav/servers.js';
import { sqliteCrashStore } from './crash-store.js';
import { crashSuite } from './crash-suite.js';

/**
 * The crash suite (issue 13, point 1): `pimhub sync` over a .vcf, a Google CSV, a vdir and a
 * real Radicale, killed with SIGKILL at every named kill point (PIMHUB_KILL_AT, see
 * src/core/kill-point.ts and docs/reliability.md) and at seeded random times, with edits made
 * on every member before each run. After each kill the files are whole and the store is
 * sound; after each rerun every member holds the same contacts, once each, with every edit.
 * Each point costs two CLI runs, so `npm test` kills at one point of each stage (SHORT);
 * PIMHUB_CRASH_ALL=1 at every point, PIMHUB_LONG_TESTS=1 also at later passes, with 3,000
 * contacts and 10 random kills. PIMHUB_CRASH_ITEMS sets the size (default 120; 240 with ALL).
 */
const LONG = process.env.PIMHUB_LONG_TESTS === '1';
const ALL = LONG || process.env.PIMHUB_CRASH_ALL === '1';
const ITEMS = Number(process.env.PIMHUB_CRASH_ITEMS ?? (LONG ? 3000 : ALL ? 240 : 120));
const RANDOM_KILLS = Number(process.env.PIMHUB_CRASH_RANDOM ?? (LONG ? 10 : ALL ? 3 : 1));
const SEED = Number(process.env.PIMHUB_CRASH_SEED ?? 1301);

/** Every kill point, at a pass a run with edits on every member reaches (`:N` = the N-th pass). */
const POINTS = [
  'sync.locked', 'read.listed', 'read.batch', 'dav.multiget', 'merge.item', 'merge.member-done',
  'decide.deletions', 'store.before-commit', 'sqlite.in-transaction', 'store.after-commit', 'decide.committed',
  'plan.done', 'outbox.before-commit', 'outbox.committed',
  // The .vcf's rewrite (the first member written), then the CSV's (the second).
  'write.item', 'write.before-flush', 'single-file.encoded', 'file.temp-written', 'file.renamed', 'single-file.written', 'write.flushed',
  'apply.member-written', 'apply.member-committed', 'file.temp-written:2', 'single-file.written:2',
  // The vdir, then the server.
  'file.create-temp-written', 'file.create-linked', 'vdir.created', 'vdir.updated', 'vdir.deleted',
  'dav.put', 'dav.deleted', 'sync.before-outbox-done', 'sync.done',
];
/** One point per stage: reading and merging, inside a store commit, the outbox, the .vcf mid-rewrite, the CSV, the vdir, the server. */
const SHORT = [
  'merge.item', 'sqlite.in-transaction', 'outbox.committed', 'file.temp-written', 'single-file.written:2',
  'apply.member-committed', 'file.create-linked', 'dav.put',
];
const LATER_PASSES = [
  'read.listed:4', 'read.batch:3', 'merge.item:4', 'store.before-commit:3', 'sqlite.in-transaction:2', 'store.after-commit:4',
  'write.item:3', 'file.renamed:2', 'write.flushed:2', 'apply.member-committed:3', 'dav.put:2', 'vdir.updated:2',
];

forEachServer((profile) => {
  if (profile.name !== 'radicale') return;
  crashSuite({
    storeName: 'SQLite', profile, items: ITEMS, randomKills: RANDOM_KILLS, seed: SEED,
    points: LONG ? [...POINTS, ...LATER_PASSES] : ALL ? POINTS : SHORT,
    store: async (sc) => sqliteCrashStore(sc.path('pimhub.db')),
  });
});
