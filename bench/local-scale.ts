import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, BenchFigure } from './figure.js';
import { contacts } from './generate.js';
import { fmtMb, fmtSeconds, measure, runOnce, type Figure } from './measure.js';
import { B5 } from './targets.js';

/**
 * B5: a vcard-file of N contacts synced with an empty vdir, at N/10 and N: time per item
 * of the first sync and of a no-change sync, and peak RSS. Per-item cost should stay flat
 * as N grows; the no-change sync should barely grow at all.
 */
export const localScale: BenchFigure = {
  id: 'local',
  async run(ctx: BenchContext): Promise<string> {
    const sizes = [...new Set([Math.max(100, Math.floor(ctx.size / 10)), ctx.size])];
    const rows: string[] = [];
    const firstByN = new Map<number, Figure>();
    for (const n of sizes) {
      const work = mkdtempSync(join(tmpdir(), 'pimhub-bench-local-'));
      try {
        const text = contacts(n, 5).map((c) => c.text).join('');
        writeFileSync(join(work, 'pimhub.yaml'), [
          'store: sqlite:./pimhub.db',
          'connectors:',
          '  file: { type: vcard-file, path: ./all.vcf }',
          '  desktop: { type: vdir, path: ./vdir }',
          'collections:',
          '  contacts: { kind: contacts, members: [file, desktop] }',
          '',
        ].join('\n'));
        const cmd = `node ${join(ctx.root, 'bin', 'pimhub')} -c pimhub.yaml sync`;
        const fresh = () => {
          rmSync(join(work, 'vdir'), { recursive: true, force: true });
          for (const f of ['pimhub.db', 'pimhub.db-wal', 'pimhub.db-shm']) rmSync(join(work, f), { force: true });
          mkdirSync(join(work, 'vdir'));
          writeFileSync(join(work, 'all.vcf'), text);
        };
        ctx.log(`local: first sync of ${n}`);
        const first = measure(ctx.runs, fresh, () => runOnce(cmd, { cwd: work }));
        ctx.log(`local: no-change sync of ${n}`);
        const again = measure(ctx.runs, () => undefined, () => runOnce(cmd, { cwd: work }));
        firstByN.set(n, first);
        const perItem = (s: number) => `${((s / n) * 1000).toFixed(2)} ms`;
        rows.push(`| ${n.toLocaleString('en')} | ${fmtSeconds(first.median.seconds)} | ${perItem(first.median.seconds)} | ${fmtMb(first.median.peakRssKb)} | ${fmtSeconds(again.median.seconds)} | ${perItem(again.median.seconds)} | ${fmtMb(again.median.peakRssKb)} |`);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
    const seconds = (n: number) => firstByN.get(n)!.median.seconds;
    if (firstByN.has(10_000)) {
      ctx.summary({ id: 'B5', work: 'first sync of 10,000, .vcf → empty vdir', result: `${fmtSeconds(seconds(10_000))} s`, target: `≤ ${B5.first10kSeconds} s`, met: seconds(10_000) <= B5.first10kSeconds });
    }
    if (sizes.length === 2) {
      const [small, big] = sizes as [number, number];
      const growth = (seconds(big) / big) / (seconds(small) / small);
      ctx.summary({ id: 'B5', work: `first sync per item at ${big.toLocaleString('en')} vs at ${small.toLocaleString('en')}`, result: `${growth.toFixed(2)}×`, target: `≤ ${B5.perItemGrowth}× (stated for 100k vs 1k)`, met: growth <= B5.perItemGrowth });
      const rss = firstByN.get(big)!.median.peakRssKb;
      if (big >= 100_000 && rss !== undefined) {
        ctx.summary({ id: 'B5', work: `peak RSS, first sync of ${big.toLocaleString('en')}`, result: `${fmtMb(rss)} MB`, target: `≤ ${B5.rss100kMb} MB at 100,000`, met: rss / 1024 <= B5.rss100kMb });
      }
    }
    return [
      '## B5: vcard-file ↔ vdir at growing N',
      '',
      `Median of ${ctx.runs} runs; wall seconds of the whole \`pimhub sync\` process, peak RSS in MB.`,
      '',
      '| N | first sync s | per item | RSS MB | no-change sync s | per item | RSS MB |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n');
  },
};
