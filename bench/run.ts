import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { davVsVdirsyncer } from './dav-vs-vdirsyncer.js';
import { endpointDownload } from './endpoint-download.js';
import { localScale } from './local-scale.js';
import { mergeEngine } from './merge-engine.js';
import { mongoScale } from './mongo-scale.js';
import { startUp } from './start-up.js';
import type { BenchFigure, SummaryRow } from './figure.js';

/**
 * `npm run bench [-- --size N] [--runs R] [--only ID]`: runs the figures of
 * shared/BENCHMARKS.md and writes one Markdown report to stdout and bench/results/latest.md.
 * Add a figure by writing a module exporting a BenchFigure and listing it here.
 */
const FIGURES: BenchFigure[] = [startUp, davVsVdirsyncer, endpointDownload, localScale, mergeEngine, mongoScale];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const size = Number(arg('size') ?? 1000);
  const runs = Number(arg('runs') ?? 3);
  const only = arg('only');
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' / ');
  const sections: string[] = [`# pimhub benchmarks\n\n${new Date().toISOString()}, Node ${process.version}, N = ${size}, ${runs} runs each; load average (1/5/15 min) at the start: ${load()}.\n`];
  const rows: SummaryRow[] = [];
  const summary = (row: SummaryRow) => rows.push(row);
  const detail: string[] = [];
  for (const f of FIGURES) {
    if (only && f.id !== only) continue;
    log(`figure ${f.id}`);
    detail.push(await f.run({ size, runs, root, log, summary }));
  }
  sections.push([
    '## Summary: every figure against its target',
    '',
    '| id | work | measured | target | met |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.id} | ${r.work} | ${r.result} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : '**no**'} |`),
    '',
    `Load average at the end: ${load()}. Ratios are pimhub / peer, wall time of the whole process; details below.`,
    '',
  ].join('\n'), ...detail);
  if (!only) sections.push('## B8: the endpoint under 50 concurrent clients\n\nNot a bench figure: measured by `test/load/load.test.ts` (`PIMHUB_LONG_TESTS=1` for 10,000 contacts and Radicale beside it); its figures are in docs/reliability.md, "Load figures".\n');
  const md = sections.join('\n');
  process.stdout.write(md);
  const out = join(root, 'bench', 'results', 'latest.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, md);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
