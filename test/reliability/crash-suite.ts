import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { rng } from '../../bench/generate.js';
import { Scenario } from '../cli/cli-harness.js';
import { freshName } from '../dav/dav-setup.js';
import { runCli } from '../dav/run-cli.js';
import type { DavServer, ServerProfile } from '../dav/servers.js';
import type { CrashStore } from './crash-store.js';
import { CrashWorld } from './crash-world.js';

export interface CrashSuiteOptions {
  /** The store's name in the titles (`SQLite`, `MongoDB (jongodb)`). */
  storeName: string;
  /** The store a run uses, made once for the suite's scenario. */
  store(sc: Scenario): Promise<CrashStore>;
  profile: ServerProfile;
  items: number;
  points: readonly string[];
  randomKills: number;
  seed: number;
}

/**
 * `pimhub sync` over a .vcf, a Google CSV, a vdir and a real DAV server (CrashWorld), killed
 * with SIGKILL at each named kill point (PIMHUB_KILL_AT) and at seeded random times, with
 * edits made on every member before each run. After each kill the files are whole and the
 * store sound; after each rerun every member holds the same contacts, once each, with every
 * edit, and the store is settled (crash-store.ts).
 */
export function crashSuite(o: CrashSuiteOptions): void {
  describe(`crash suite (${o.storeName}): pimhub sync over a .vcf, a CSV, a vdir and ${o.profile.name}, ${o.items} contacts`, () => {
    let server: DavServer;
    let store: CrashStore | undefined;
    const sc = new Scenario('crash-points');
    let world: CrashWorld;
    const figures = { kills: 0, survived: 0, randomKilled: 0, randomFinished: 0, reruns: 0, leftoverTemps: 0, ms: 0 };
    const started = Date.now();

    const sync = async (timeoutMs: number) => runCli(sc, ['sync', '--json'], world.env, timeoutMs);
    const rerun = async (label: string, timeoutMs = 600_000) => {
      const r = await sync(timeoutMs);
      figures.reruns += 1;
      assert.equal(r.code, 0, `${label}: the rerun succeeds: ${r.stdout.slice(0, 2000)} ${r.stderr.slice(0, 2000)}`);
      await world.assertConverged(label);
    };

    before(async () => {
      server = await o.profile.start();
      store = await o.store(sc);
      world = new CrashWorld(sc, server, o.items, store);
      await world.setup(freshName('crash'));
      // A first full sync brings every member to every contact: with 3,000 contacts that is
      // 2,250 PUTs into the DAV server, which take Radicale more than 10 minutes here.
      await rerun('the first sync', 90 * 60_000);
    });
    after(async () => {
      await server?.stop();
      await store?.close();
      console.log(`crash-points (${o.storeName}): ${JSON.stringify({ items: o.items, ...figures, ms: Date.now() - started })}`);
      sc.cleanup();
    });

    for (const point of o.points) {
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

    test(`${o.randomKills} kills at seeded random times`, { timeout: 1_800_000, skip: o.randomKills === 0 ? 'no random kills in this run (PIMHUB_CRASH_RANDOM)' : false }, async () => {
      const random = rng(o.seed);
      for (let k = 0; k < o.randomKills; k++) {
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
}
