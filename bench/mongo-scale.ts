import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jongodbBinary, startJongodb, stopJongodb, withDatabase } from '../test/store/jongodb.js';
import type { BenchContext, BenchFigure } from './figure.js';
import { contacts } from './generate.js';
import { fmtSeconds, measure, runOnce } from './measure.js';
import { judged, ratioLimit } from './targets.js';

/**
 * B7: B5 (a vcard-file of N contacts synced with an empty vdir: first sync, then a no-change
 * sync) on SQLite and on MongoDB side by side. MongoDB is PIMHUB_BENCH_MONGODB_URI when set
 * (a real replica set), else jongodb started here; every run gets a fresh database.
 */
export const mongoScale: BenchFigure = {
  id: 'mongo',
  async run(ctx: BenchContext): Promise<string> {
    const real = process.env.PIMHUB_BENCH_MONGODB_URI;
    const binary = jongodbBinary();
    if (!real && !binary) return '## B7: MongoDB beside SQLite\n\nSkipped: no jongodb (npm install) and no PIMHUB_BENCH_MONGODB_URI.\n';
    const server = real ? undefined : await startJongodb(binary!);
    const serverName = real ? 'MongoDB (PIMHUB_BENCH_MONGODB_URI)' : 'jongodb 0.1.6';
    const rows: string[] = [];
    let dbNo = 0;
    try {
      const sizes = [...new Set([Math.max(100, Math.floor(ctx.size / 10)), ctx.size])];
      for (const n of sizes) {
        const text = contacts(n, 5).map((c) => c.text).join('');
        const cells: string[] = [];
        for (const kind of ['sqlite', 'mongodb'] as const) {
          const work = mkdtempSync(join(tmpdir(), 'pimhub-bench-mongo-'));
          try {
            let store = 'sqlite:./pimhub.db';
            const config = () => writeFileSync(join(work, 'pimhub.yaml'), [
              `store: "${store}"`,
              'connectors:',
              '  file: { type: vcard-file, path: ./all.vcf }',
              '  desktop: { type: vdir, path: ./vdir }',
              'collections:',
              '  contacts: { kind: contacts, members: [file, desktop] }',
              '',
            ].join('\n'));
            const fresh = () => {
              rmSync(join(work, 'vdir'), { recursive: true, force: true });
              for (const f of ['pimhub.db', 'pimhub.db-wal', 'pimhub.db-shm']) rmSync(join(work, f), { force: true });
              if (kind === 'mongodb') store = withDatabase(real ?? server!.uri, `pimhub_bench_${process.pid}_${dbNo++}`);
              config();
              mkdirSync(join(work, 'vdir'));
              writeFileSync(join(work, 'all.vcf'), text);
            };
            const cmd = `node ${join(ctx.root, 'bin', 'pimhub')} -c pimhub.yaml sync`;
            ctx.log(`mongo: first sync of ${n} on ${kind}`);
            const first = measure(ctx.runs, fresh, () => runOnce(cmd, { cwd: work }));
            ctx.log(`mongo: no-change sync of ${n} on ${kind}`);
            const again = measure(ctx.runs, () => undefined, () => runOnce(cmd, { cwd: work }));
            cells.push(fmtSeconds(first.median.seconds), fmtSeconds(again.median.seconds));
          } finally {
            rmSync(work, { recursive: true, force: true });
          }
        }
        const ratio = (a: string, b: string) => `${(Number(b) / Number(a)).toFixed(1)}×`;
        rows.push(`| ${n.toLocaleString('en')} | ${cells[0]} | ${cells[2]} | ${ratio(cells[0]!, cells[2]!)} | ${cells[1]} | ${cells[3]} | ${ratio(cells[1]!, cells[3]!)} |`);
        const against = Number(cells[2]) / Number(cells[0]);
        ctx.summary(judged('B7', `first sync on ${serverName} vs SQLite, N = ${n.toLocaleString('en')}`, against, `${against.toFixed(1)}× (${cells[2]} s vs ${cells[0]} s)`, ratioLimit('B7', n)));
      }
    } finally {
      if (server) await stopJongodb(server);
    }
    return [
      `## B7: SQLite beside ${serverName}`,
      '',
      `Median of ${ctx.runs} runs; wall seconds of the whole \`pimhub sync\` process (vcard-file → empty vdir, then no change).`,
      '',
      '| N | first sync SQLite s | first sync MongoDB s | ratio | no-change SQLite s | no-change MongoDB s | ratio |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n');
  },
};
