import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { radicale } from '../test/dav/servers.js';
import type { BenchContext, BenchFigure } from './figure.js';
import { contacts } from './generate.js';
import { fmtMb, fmtSeconds, measure, ratio, runOnce, type Figure } from './measure.js';

const PW_ENV = 'PIMHUB_BENCH_PASSWORD';

function countFiles(dir: string, ext: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).reduce((n, d) =>
    n + (d.isDirectory() ? countFiles(join(dir, d.name), ext) : d.name.endsWith(ext) ? 1 : 0), 0);
}

function reset(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/**
 * B1 (first sync of N contacts, server → folder) and B2 (no-change sync), pimhub next to
 * `vdirsyncer discover && vdirsyncer sync`, both against the same Radicale collection,
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
      const put = await server.request('PUT', bookUrl, all.map((c) => c.text).join(''), { 'Content-Type': 'text/vcard; charset=utf-8' });
      await put.arrayBuffer();
      if (put.status >= 300) throw new Error(`bulk PUT: ${put.status}`);

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

      const vs = join(work, 'vdirsyncer');
      mkdirSync(vs);
      writeFileSync(join(vs, 'config'), [
        '[general]', `status_path = "${join(vs, 'status')}/"`, '',
        '[pair contacts]', 'a = "remote"', 'b = "local"', 'collections = ["from a"]', 'conflict_resolution = "a wins"', '',
        '[storage remote]', 'type = "carddav"', `url = "${server.url}"`, `username = "${server.username}"`, `password = "${server.password}"`, '',
        '[storage local]', 'type = "filesystem"', `path = "${join(vs, 'vdir')}/"`, 'fileext = ".vcf"', '',
      ].join('\n'));
      const vdirsyncer = 'vdirsyncer -c config';
      ctx.log('vdirsyncer B1');
      const vB1 = measure(ctx.runs, () => {
        reset(join(vs, 'vdir'));
        rmSync(join(vs, 'status'), { recursive: true, force: true });
      }, () => runOnce(`yes | ${vdirsyncer} discover > /dev/null && ${vdirsyncer} sync`, { cwd: vs }));
      const vCount = countFiles(join(vs, 'vdir'), '.vcf');
      ctx.log('vdirsyncer B2');
      const vB2 = measure(ctx.runs, () => {}, () => runOnce(`${vdirsyncer} sync`, { cwd: vs }));

      const row = (id: string, work: string, p: Figure, v: Figure) =>
        `| ${id} | ${work} | ${fmtSeconds(p.median.seconds)} | ${fmtSeconds(v.median.seconds)} | ${ratio(p.median.seconds, v.median.seconds)} | ${fmtMb(p.median.peakRssKb)} | ${fmtMb(v.median.peakRssKb)} |`;
      return [
        `## DAV sync vs vdirsyncer (N = ${ctx.size.toLocaleString('en')})`,
        '',
        `Radicale 3.1.8 on loopback, ${ctx.size.toLocaleString('en')} generated contacts (${(Buffer.byteLength(all.map((c) => c.text).join('')) / 1e6).toFixed(1)} MB), median of ${ctx.runs} runs; files written: pimhub ${pCount}, vdirsyncer ${vCount}.`,
        '',
        '| id | work | pimhub s | vdirsyncer s | time ratio | pimhub peak RSS MB | vdirsyncer peak RSS MB |',
        '|---|---|---|---|---|---|---|',
        row('B1', 'first sync, server → vdir', pB1, vB1),
        row('B2', 'second sync, nothing changed', pB2, vB2),
        '',
      ].join('\n');
    } finally {
      await server.stop();
      rmSync(work, { recursive: true, force: true });
    }
  },
};
