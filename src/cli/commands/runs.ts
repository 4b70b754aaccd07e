import type { RunRecord } from '../../core/store.js';
import { PimError } from '../../core/errors.js';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';

/** `pimhub runs`: the sync runs (and one-item runs: endpoint writes, resolves), newest first. */
export async function runsCommand(opts: { config?: string; json?: boolean; limit?: string }): Promise<number> {
  const out = createOutput(!!opts.json);
  const limit = opts.limit === undefined ? 20 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new PimError('config', `--limit ${opts.limit}: expected a positive whole number`);
  const app = await openContext(opts.config);
  try {
    const runs = await app.store.listRuns(limit);
    if (out.json) {
      out.result({ runs });
      return 0;
    }
    if (runs.length === 0) out.line('no runs yet: `pimhub sync` makes the first');
    for (const r of runs) out.line(runLine(r));
    return 0;
  } finally {
    await app.close();
  }
}

function runLine(r: RunRecord): string {
  const counts = r.collections.map((c) => {
    const parts = (['created', 'updated', 'merged', 'conflicts', 'deleted', 'restored', 'writes'] as const)
      .filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`);
    return `${c.name}: ${parts.join(', ') || 'no changes'}`;
  });
  const end = r.end ? '' : ' (did not finish)';
  return `${r.id}  ${r.start}  ${r.trigger.padEnd(8)} ${r.command ?? ''}${end}\n    ${counts.join('; ') || 'no collections'}`;
}
