import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { radicale } from '../test/dav/servers.js';
import type { BenchContext, BenchFigure } from './figure.js';
import { contacts } from './generate.js';
import { figureOf, fmtMb, fmtSeconds, measure, ratio, runOnce, type Figure, type Sample } from './measure.js';
import { changeOnServer, seedRadicaleBook } from './seed-server.js';
import { itemsToChange, needlesFound, newMobile } from './server-edits.js';
import { judged, ratioLimit } from './targets.js';
import { countFiles, firstDownload, vdirsyncerSetup } from './vdirsyncer.js';

const PW_ENV = 'PIMHUB_BENCH_PASSWORD';

function reset(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * B1 (first sync of N contacts, server → folder), B2 (no-change sync) and B3 (1 % changed
 * on the server), pimhub next to vdirsyncer, both against the same Radicale collection,
 * seeded with one PUT of the whole .vcf (Radicale checks UIDs on every single PUT).
 */
export const davVsVdirsyncer: BenchFigure = {
  id: 'dav',
  async run(ctx: BenchContext): Promise<string> {
    if (!existsSync(radicale.binary) || !existsSync('/usr/bin/vdirsyncer')) {
      return '## DAV sync vs vdirsyncer\n\nSkipped: needs radicale and vdirsyncer (`apt-get install radicale vdirsyncer`).\n';
    }
    const server = await radicale.start();
    const work = mkdtempSync(join(tmpdir(), 'pimhub-bench-dav-'));
    try {
      const env = { [PW_ENV]: server.password! };
      const bookUrl = `${server.url}${server.username}/book/`;
      const all = contacts(ctx.size);
      ctx.log(`seeding ${ctx.size} contacts into Radicale with one PUT`);
      const seedSeconds = await seedRadicaleBook(server, bookUrl, all);
      ctx.log(`seeded in ${fmtSeconds(seedSeconds)} s`);

      const ph = join(work, 'pimhub');
      mkdirSync(ph);
      writeFileSync(join(ph, 'pimhub.yaml'), [
        'store: sqlite:./pimhub.db',
        'connectors:',
        `  cloud: { type: carddav, url: "${server.url}", username: ${server.username}, passwordEnv: ${PW_ENV} }`,
        '  local: { type: vdir, path: ./vdir }',
        'collections:',
        '  contacts: { kind: contacts, members: [cloud/book, local] }',
        '',
      ].join('\n'));
      const pimhub = `node ${JSON.stringify(join(ctx.root, 'bin', 'pimhub'))} -c pimhub.yaml sync`;
      ctx.log('pimhub B1');
      const pB1 = measure(ctx.runs, () => {
        for (const f of ['pimhub.db', 'pimhub.db-wal', 'pimhub.db-shm']) rmSync(join(ph, f), { force: true });
        reset(join(ph, 'vdir'));
      }, () => runOnce(pimhub, { cwd: ph, env }));
      const pCount = countFiles(join(ph, 'vdir'), '.vcf');
      ctx.log('pimhub B2');
      const pB2 = measure(ctx.runs, () => {}, () => runOnce(pimhub, { cwd: ph, env }));

      const vs = vdirsyncerSetup(join(work, 'vdirsyncer'), { url: server.url, username: server.username, password: server.password });
      ctx.log('vdirsyncer B1');
      const vB1 = measure(ctx.runs, () => vs.reset(), () => runOnce(firstDownload(vs), { cwd: vs.dir }));
      const vCount = countFiles(vs.vdir, '.vcf');
      ctx.log('vdirsyncer B2');
      const vB2 = measure(ctx.runs, () => {}, () => runOnce(`${vs.command} sync`, { cwd: vs.dir }));

      // B3: both tools are now in step with the server. Each run changes its own 1 % there
      // (not timed), then times both tools on that same change. Who goes first alternates:
      // the first may pay for Radicale re-reading the changed files.
      const pB3: Sample[] = [];
      const vB3: Sample[] = [];
      const putSeconds: number[] = [];
      let changed = 0;
      for (let run = 0; run < ctx.runs; run += 1) {
        const indices = itemsToChange(ctx.size, 0.01, run);
        ctx.log(`B3 run ${run + 1}: changing ${indices.length} cards on the server, a GET and a PUT with If-Match each`);
        putSeconds.push(...await changeOnServer(server, bookUrl, all, indices, run));
        ctx.log(`B3 run ${run + 1}: one PUT took ${fmtSeconds(median(putSeconds))} s (median)`);
        const tools = [
          () => pB3.push(runOnce(pimhub, { cwd: ph, env })),
          () => vB3.push(runOnce(`${vs.command} sync`, { cwd: vs.dir })),
        ];
        for (const t of run % 2 === 0 ? tools : [...tools].reverse()) t();
        // Honest only if both wrote the changes: look for each new number in each folder.
        const numbers = indices.map((i) => newMobile(run, i));
        const [p, v] = [needlesFound(join(ph, 'vdir'), numbers), needlesFound(vs.vdir, numbers)];
        if (p !== numbers.length || v !== numbers.length) {
          throw new Error(`B3 run ${run + 1}: ${numbers.length} cards changed on the server, but pimhub's vdir holds ${p} of them and vdirsyncer's ${v}`);
        }
        changed = numbers.length;
      }

      const b3 = [figureOf(pB3), figureOf(vB3)] as const;
      const judge = (id: 'B1' | 'B2' | 'B3', what: string, p: Figure, v: Figure) => ctx.summary(judged(id, `${what}, N = ${ctx.size.toLocaleString('en')}`, p.median.seconds / v.median.seconds,
        `${ratio(p.median.seconds, v.median.seconds)} (${fmtSeconds(p.median.seconds)} s vs ${fmtSeconds(v.median.seconds)} s)`, ratioLimit(id, ctx.size)));
      judge('B1', 'first sync, Radicale → vdir', pB1, vB1);
      judge('B2', 'no-change sync', pB2, vB2);
      judge('B3', '1 % changed on the server', b3[0], b3[1]);
      if (pB1.median.peakRssKb !== undefined && vB1.median.peakRssKb !== undefined) {
        ctx.summary(judged('RSS', `peak RSS of B1, N = ${ctx.size.toLocaleString('en')}`, pB1.median.peakRssKb / vB1.median.peakRssKb,
          `${ratio(pB1.median.peakRssKb, vB1.median.peakRssKb)} (${fmtMb(pB1.median.peakRssKb)} MB vs ${fmtMb(vB1.median.peakRssKb)} MB)`, ratioLimit('RSS', ctx.size)));
      }
      const row = (id: string, what: string, p: Figure, v: Figure) =>
        `| ${id} | ${what} | ${fmtSeconds(p.median.seconds)} | ${fmtSeconds(v.median.seconds)} | ${ratio(p.median.seconds, v.median.seconds)} | ${fmtMb(p.median.peakRssKb)} | ${fmtMb(v.median.peakRssKb)} |`;
      return [
        `## DAV sync vs vdirsyncer (N = ${ctx.size.toLocaleString('en')})`,
        '',
        `Radicale 3.1.8 on loopback, ${ctx.size.toLocaleString('en')} generated contacts (${(Buffer.byteLength(all.map((c) => c.text).join('')) / 1e6).toFixed(1)} MB, seeded by one PUT in ${fmtSeconds(seedSeconds)} s), median of ${ctx.runs} runs; files written: pimhub ${pCount}, vdirsyncer ${vCount}.`,
        '',
        '| id | work | pimhub s | vdirsyncer s | time ratio | pimhub peak RSS MB | vdirsyncer peak RSS MB |',
        '|---|---|---|---|---|---|---|',
        row('B1', 'first sync, server → vdir', pB1, vB1),
        row('B2', 'second sync, nothing changed', pB2, vB2),
        row('B3', `${changed.toLocaleString('en')} cards (1 %) changed on the server`, b3[0], b3[1]),
        '',
        `B3: each run changed its own ${changed.toLocaleString('en')} cards on Radicale (the mobile number), a GET and a PUT with If-Match each, not timed; one such PUT took ${fmtSeconds(median(putSeconds))} s (median of ${putSeconds.length}): Radicale checks the UID against the whole collection on every PUT. Afterwards both tools' folders held every changed card (checked by content). Run 1 timed pimhub first, run 2 vdirsyncer first, and so on.`,
        '',
      ].join('\n');
    } finally {
      await server.stop();
      rmSync(work, { recursive: true, force: true });
    }
  },
};
