import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { rng } from '../../bench/generate.js';
import { Scenario } from '../cli/cli-harness.js';
import { freshName } from '../dav/dav-setup.js';
import { runCli } from '../dav/run-cli.js';
import { forEachServer, type DavServer } from '../dav/servers.js';
import { CrashWorld } from './crash-world.js';

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
  describe(`crash suite: pimhub sync over a .vcf, a CSV, a vdir and ${profile.name}, ${ITEMS} contacts`, () => {
    let server: DavServer;
    const sc = new Scenario('crash-points');
    let world: CrashWorld;
    const figures = { kills: 0, survived: 0, randomKilled: 0, randomFinished: 0, reruns: 0, leftoverTemps: 0, ms: 0 };
    const started = Date.now();

    const sync = async (env: Record<string, string> = {}) => runCli(sc, ['sync', '--json'], { ...world.env, ...env }, 600_000);
    const rerun = async (label: string) => {
      const r = await sync();
      figures.reruns += 1;
      assert.equal(r.code, 0, `${label}: the rerun succeeds: ${r.stdout.slice(0, 2000)} ${r.stderr.slice(0, 2000)}`);
      await world.assertConverged(label);
    };

    before(async () => {
      server = await profile.start();
      world = new CrashWorld(sc, server, ITEMS);
      await world.setup(freshName('crash'));
      // A first full sync brings every member to every contact.
      await rerun('the first sync');
    });
    after(async () => {
      await server?.stop();
      console.log(`crash-points: ${JSON.stringify({ items: ITEMS, ...figures, ms: Date.now() - started })}`);
      sc.cleanup();
    });

    for (const point of LONG ? [...POINTS, ...LATER_PASSES] : ALL ? POINTS : SHORT) {
      test(`killed at ${point}, then rerun`, { timeout: 600_000 }, async () => {
        await world.edit(point);
        const child = sc.start(['sync', '--json'], { ...world.env, PIMHUB_KILL_AT: point });
        const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
        assert.equal(signal, 'SIGKILL', `the run reaches ${point} and dies there (it exited ${code})`);
        figures.kills += 1;
        await world.assertWhole(`killed at ${point}`);
        await rerun(`after ${point}`);
        figures.survived += 1;
      });
    }

    test(`${RANDOM_KILLS} kills at seeded random times`, { timeout: 1_800_000 }, async () => {
      const random = rng(SEED);
      for (let k = 0; k < RANDOM_KILLS; k++) {
        await world.edit(`random-${k}`);
        const ms = 300 + Math.floor(random() * 3000);
        const child = sc.start(['sync', '--json'], world.env);
        const timer = setTimeout(() => child.kill('SIGKILL'), ms);
        const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
        clearTimeout(timer);
        if (signal === 'SIGKILL') figures.randomKilled += 1;
        else {
          assert.equal(code, 0, `random run ${k} finished before its kill at ${ms} ms`);
          figures.randomFinished += 1;
        }
        await world.assertWhole(`random kill ${k} after ${ms} ms`);
        await rerun(`after random kill ${k} (${ms} ms)`);
      }
      figures.leftoverTemps = [...readdirSync(sc.dir), ...readdirSync(sc.path('cards'))].filter((f) => f.endsWith('.tmp')).length;
    });
  });
});
