import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { radicale, xandikos, type DavServer } from '../test/dav/servers.js';
import type { BenchContext, BenchFigure } from './figure.js';
import { contacts } from './generate.js';
import { fmtMb, fmtSeconds, measure, ratio, runOnce, type Figure } from './measure.js';
import { seedCardByCard, seedRadicaleBook, seedXandikosByGit } from './seed-server.js';
import { startServe } from './serve-process.js';
import { judged, ratioLimit } from './targets.js';
import { countFiles, firstDownload, vdirsyncerSetup } from './vdirsyncer.js';

const PW_ENV = 'PIMHUB_BENCH_SERVE_PASSWORD';
const PASSWORD = 'bench-serve-password';
/** Xandikos answers a multiget of all 10,000 items in minutes: it is a peer only up to this N. */
const XANDIKOS_MAX = 1000;

/** vdirsyncer's own CPU (user + system): the floor of B4, whatever the server. */
const cpuOf = (f: Figure) => (f.median.cpuSeconds === undefined ? 'n/a' : fmtSeconds(f.median.cpuSeconds));

interface Download {
  first: Figure;
  again: Figure;
  files: number;
  /** What getting the data there cost, not timed in the figure. */
  seeding: string;
  serverRssKb?: number;
  /** The server's own CPU seconds (user + system) during the first download (median over the runs), where known. */
  serverCpu?: number;
}

/** vdirsyncer's first download (discover + sync into an empty folder) and its no-change sync from `remote`. */
function download(ctx: BenchContext, dir: string, remote: { url: string; username?: string; password?: string }, serverCpu?: () => number | undefined): Omit<Download, 'seeding'> {
  const vs = vdirsyncerSetup(dir, remote);
  const cpu: number[] = [];
  const first = measure(ctx.runs, () => vs.reset(), () => {
    const before = serverCpu?.();
    const sample = runOnce(firstDownload(vs), { cwd: vs.dir });
    const after = serverCpu?.();
    if (before !== undefined && after !== undefined) cpu.push(after - before);
    return sample;
  });
  const files = countFiles(vs.vdir, '.vcf');
  if (files !== ctx.size) throw new Error(`vdirsyncer downloaded ${files} cards from ${remote.url}, ${ctx.size} expected`);
  const again = measure(ctx.runs, () => {}, () => runOnce(`${vs.command} sync`, { cwd: vs.dir }));
  const median = [...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)];
  return { first, again, files, ...(median === undefined ? {} : { serverCpu: median }) };
}

async function fromPimhub(ctx: BenchContext, work: string, all: Array<{ text: string }>): Promise<Download> {
  const dir = join(work, 'pimhub');
  mkdirSync(dir);
  writeFileSync(join(dir, 'all.vcf'), all.map((c) => c.text).join(''));
  writeFileSync(join(dir, 'pimhub.yaml'), [
    'store: sqlite:./pimhub.db',
    'server:',
    '  listen: 127.0.0.1:0',
    '  users:',
    `    alice: { passwordEnv: ${PW_ENV} }`,
    'connectors:',
    '  file: { type: vcard-file, path: ./all.vcf }',
    'collections:',
    '  contacts: { kind: contacts, members: [file], owner: alice }',
    '',
  ].join('\n'));
  const env = { [PW_ENV]: PASSWORD };
  ctx.log(`endpoint: filling pimhub's store from a .vcf of ${ctx.size}`);
  const seed = runOnce(`node ${JSON.stringify(join(ctx.root, 'bin', 'pimhub'))} -c pimhub.yaml sync`, { cwd: dir, env });
  const serve = await startServe(ctx.root, dir, env);
  try {
    ctx.log(`endpoint: vdirsyncer from pimhub serve at ${serve.base}`);
    const d = download(ctx, join(dir, 'vdirsyncer'), { url: `${serve.base}/`, username: 'alice', password: PASSWORD }, () => serve.cpuSeconds());
    return { ...d, seeding: `\`pimhub sync\` from a .vcf, ${fmtSeconds(seed.seconds)} s`, serverRssKb: serve.peakRssKb() };
  } finally {
    await serve.stop();
  }
}

async function fromServer(ctx: BenchContext, work: string, which: 'radicale' | 'xandikos', all: Array<{ uid: string; text: string }>): Promise<Download> {
  const server: DavServer = await (which === 'radicale' ? radicale : xandikos).start();
  try {
    let seconds: number;
    let how: string;
    if (which === 'radicale') {
      ctx.log(`endpoint: seeding Radicale with one PUT of ${ctx.size}`);
      seconds = await seedRadicaleBook(server, `${server.url}${server.username}/book/`, all);
      how = 'one PUT of the whole .vcf';
    } else {
      ctx.log(`endpoint: seeding Xandikos with one git commit of ${ctx.size}`);
      const book = await server.newCollection('contacts', 'book');
      const folder = join(server.dataDir, new URL(book).pathname);
      if (existsSync(join(folder, '.git')) && spawnSync('git', ['--version']).status === 0) {
        seconds = seedXandikosByGit(folder, all);
        how = 'one git commit in its storage';
      } else {
        seconds = await seedCardByCard(server, book, all);
        how = `${ctx.size.toLocaleString('en')} PUTs, 4 in flight`;
      }
    }
    ctx.log(`endpoint: vdirsyncer from ${which}`);
    const d = download(ctx, join(work, which), { url: server.url, username: server.username, password: server.password });
    return { ...d, seeding: `${how}, ${fmtSeconds(seconds)} s` };
  } finally {
    await server.stop();
  }
}

/**
 * B4: a client (vdirsyncer) downloads N contacts from `pimhub serve`, and from Radicale (and
 * Xandikos up to 1,000) holding the same cards: first download, then a sync with nothing
 * changed. pimhub's store is filled by a `pimhub sync` from the same .vcf.
 */
export const endpointDownload: BenchFigure = {
  id: 'endpoint',
  async run(ctx: BenchContext): Promise<string> {
    const title = `## B4: vdirsyncer downloading from pimhub serve and from the servers (N = ${ctx.size.toLocaleString('en')})`;
    if (!existsSync('/usr/bin/vdirsyncer') || !existsSync(radicale.binary)) {
      return `${title}\n\nSkipped: needs vdirsyncer and radicale (\`apt-get install vdirsyncer radicale\`).\n`;
    }
    const work = mkdtempSync(join(tmpdir(), 'pimhub-bench-endpoint-'));
    try {
      const all = contacts(ctx.size);
      const pimhub = await fromPimhub(ctx, work, all);
      const rad = await fromServer(ctx, work, 'radicale', all);
      const xan = existsSync(xandikos.binary) && ctx.size <= XANDIKOS_MAX ? await fromServer(ctx, work, 'xandikos', all) : undefined;
      const n = ctx.size.toLocaleString('en');
      const vs = (p: Figure, r: Figure) => `${ratio(p.median.seconds, r.median.seconds)} (${fmtSeconds(p.median.seconds)} s vs ${fmtSeconds(r.median.seconds)} s)`;
      ctx.summary(judged('B4', `vdirsyncer's first download from pimhub serve vs from Radicale, N = ${n}`, pimhub.first.median.seconds / rad.first.median.seconds, vs(pimhub.first, rad.first), ratioLimit('B4 first', ctx.size)));
      ctx.summary(judged('B4', `vdirsyncer's no-change sync with pimhub serve vs with Radicale, N = ${n}`, pimhub.again.median.seconds / rad.again.median.seconds, vs(pimhub.again, rad.again), ratioLimit('B4 no-change', ctx.size)));
      const row = (name: string, d: Download) =>
        `| ${name} | ${fmtSeconds(d.first.median.seconds)} | ${cpuOf(d.first)} | ${ratio(d.first.median.seconds, rad.first.median.seconds)} | ${fmtSeconds(d.again.median.seconds)} | ${cpuOf(d.again)} | ${ratio(d.again.median.seconds, rad.again.median.seconds)} | ${fmtMb(d.first.median.peakRssKb)} | ${d.seeding} |`;
      return [
        title,
        '',
        `The same ${ctx.size.toLocaleString('en')} generated contacts on each server; vdirsyncer 0.19 \`discover && sync\` into an empty folder (first download), then \`sync\` with nothing changed; wall seconds of vdirsyncer's process, median of ${ctx.runs} runs; ratios against Radicale. pimhub serve's own peak RSS: ${fmtMb(pimhub.serverRssKb)} MB; its own CPU during the first download (user + system, median of the runs): ${pimhub.serverCpu === undefined ? 'n/a' : `${fmtSeconds(pimhub.serverCpu)} s`} — the server's share; vdirsyncer's CPU and its disk waits are the rest.`,
        '',
        '| server | first download s | vdirsyncer CPU s | ratio | no-change sync s | vdirsyncer CPU s | ratio | vdirsyncer peak RSS MB | seeded by (not timed) |',
        '|---|---|---|---|---|---|---|---|---|',
        row('pimhub serve', pimhub),
        row('Radicale 3.1.8', rad),
        xan ? row('Xandikos 0.2.8', xan) : `| Xandikos 0.2.8 | ${existsSync(xandikos.binary) ? `not run above N = ${XANDIKOS_MAX.toLocaleString('en')}: its multiget of 10,000 takes minutes` : 'not installed'} | | | | | | | | |`,
        '',
      ].join('\n');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
