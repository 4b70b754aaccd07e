import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, BenchFigure } from './figure.js';
import { figureOf, runOnce, type Figure, type Sample } from './measure.js';
import { START } from './targets.js';

/** Runs per command: start-up is short and noisy, so more than the other figures' default 3. */
const RUNS = 11;

/**
 * Start-up: `pimhub status` on a fresh config with an empty SQLite store, `--version` and
 * `--help`, each through bin/pimhub (the bundle after `npm run build`), beside `node -e 0`,
 * the floor no command can go under. The commands take turns within each round, so a
 * change of load hits them all alike.
 */
export const startUp: BenchFigure = {
  id: 'start',
  async run(ctx: BenchContext): Promise<string> {
    const work = mkdtempSync(join(tmpdir(), 'pimhub-bench-start-'));
    try {
      // Like examples/pimhub.yaml: a few connectors and collections to validate, nothing synced yet.
      writeFileSync(join(work, 'pimhub.yaml'), [
        'store: sqlite:./pimhub.db',
        'server:',
        '  listen: 127.0.0.1:5233',
        '  users:',
        '    alice: { passwordEnv: PIMHUB_BENCH_ALICE }',
        'connectors:',
        '  phone: { type: vcard-file, path: ./phone-export.vcf, readOnly: true }',
        '  desktop: { type: vdir, path: ./contacts }',
        '  cloud: { type: carddav, url: "https://dav.example.org/", username: alice, passwordEnv: PIMHUB_BENCH_ALICE }',
        'collections:',
        '  contacts: { kind: contacts, members: [phone, desktop, cloud/contacts], owner: alice }',
        '',
      ].join('\n'));
      const pimhub = `node ${join(ctx.root, 'bin', 'pimhub')}`;
      const commands: Array<{ label: string; command: string }> = [
        { label: '`node -e 0` (the floor)', command: 'node -e 0' },
        { label: '`pimhub status`', command: `${pimhub} -c pimhub.yaml status` },
        { label: '`pimhub --version`', command: `${pimhub} --version` },
        { label: '`pimhub --help`', command: `${pimhub} --help` },
      ];
      // The first status creates the store; it is not timed: the figure is start-up, not schema creation.
      runOnce(commands[1]!.command, { cwd: work });
      const samples: Sample[][] = commands.map(() => []);
      for (let round = 0; round < RUNS; round += 1) {
        commands.forEach((c, i) => samples[i]!.push(runOnce(`${c.command} >/dev/null`, { cwd: work })));
      }
      const figures = samples.map(figureOf);
      const [floor, status] = figures as [Figure, Figure, ...Figure[]];
      const cpu = (f: Figure) => (f.median.cpuSeconds === undefined ? 'n/a' : `${ms(f.median.cpuSeconds)} ms`);
      const wall = status.median.seconds;
      ctx.log(`start: status ${ms(wall)} ms wall, ${cpu(status)} CPU; node -e 0 ${ms(floor.median.seconds)} ms, ${cpu(floor)}`);
      ctx.summary({
        id: 'start',
        work: '`pimhub status` on an empty store, wall',
        result: `${ms(wall)} ms (${times(wall, START.statusWallSeconds)} the target; ${times(wall, floor.median.seconds)} \`node -e 0\`'s ${ms(floor.median.seconds)} ms); CPU ${cpu(status)}, floor ${cpu(floor)}`,
        target: `≤ ${ms(START.statusWallSeconds)} ms`,
        met: wall <= START.statusWallSeconds,
      });
      return [
        '## Start-up: `pimhub status` and friends beside `node -e 0`',
        '',
        `Median of ${RUNS} runs each, taking turns; bin/pimhub, so the bundle after \`npm run build\`; a config with three connectors and one collection, the store created by an untimed first run and holding no items. CPU is user + system of the whole process (GNU time).`,
        '',
        '| command | wall | CPU | wall / target | wall / floor | CPU / floor |',
        '|---|---|---|---|---|---|',
        ...commands.map((c, i) => {
          const f = figures[i]!;
          const cpuRatio = f.median.cpuSeconds !== undefined && floor.median.cpuSeconds ? times(f.median.cpuSeconds, floor.median.cpuSeconds) : 'n/a';
          return `| ${c.label} | ${ms(f.median.seconds)} ms | ${cpu(f)} | ${times(f.median.seconds, START.statusWallSeconds)} | ${times(f.median.seconds, floor.median.seconds)} | ${cpuRatio} |`;
        }),
        '',
      ].join('\n');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

const ms = (seconds: number) => String(Math.round(seconds * 1000));
const times = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);
