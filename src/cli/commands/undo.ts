import { PimError } from '../../core/errors.js';
import { undo } from '../../sync/undo.js';
import { openContext } from '../context.js';
import { EXIT } from '../errors.js';
import { createOutput } from '../output.js';

/** `pimhub undo --run ID | --entry ID [--dry-run]`: reverses a run or one logged decision in the store. */
export async function undoCommand(opts: { config?: string; json?: boolean; dryRun?: boolean; run?: string; entry?: string; allowMassDelete?: boolean }): Promise<number> {
  const out = createOutput(!!opts.json);
  if (!!opts.run === !!opts.entry) throw new PimError('config', 'name what to undo: --run ID (see `pimhub runs`) or --entry ID (see `pimhub log`)');
  if (opts.entry && !/^\d+$/.test(opts.entry)) throw new PimError('config', `--entry ${opts.entry}: expected a log entry number`);
  const app = await openContext(opts.config);
  try {
    const r = await undo({
      store: app.store, identity: app.identity,
      target: opts.run ? { run: opts.run } : { entry: Number(opts.entry) },
      deleteGuard: app.config.deleteGuard, allowMassDelete: !!opts.allowMassDelete, dryRun: !!opts.dryRun, by: 'cli', now: new Date(),
    });
    if (out.json) {
      out.result(r);
      return EXIT.ok;
    }
    const verb = r.dryRun ? 'would undo' : 'undid';
    out.line(`${verb} ${opts.entry ? `entry #${opts.entry} of ` : ''}run ${r.undoes}:`);
    for (const i of r.items) {
      out.line(`  ${i.action.padEnd(9)} ${i.collection}  "${i.name}"${i.note ? `  (${i.note})` : ''}`);
      for (const c of i.conflicts) out.line(`    ! ${c.field}: changed again since; kept ${JSON.stringify(c.chosen)} (${c.values.map((v) => `${v.connector} ${JSON.stringify(v.value)}`).join(' / ')})`);
    }
    for (const l of r.links) out.line(`  link ${l.member} ${l.href} back to its own item`);
    if (r.items.length === 0) out.line('  nothing: the run changed no item');
    if (r.dryRun) out.line('nothing was changed (--dry-run)');
    else out.line(`done as run ${r.run}; \`pimhub sync\` writes the result to every member${r.items.some((i) => i.conflicts.length) ? '; `pimhub log --conflicts` shows the conflicts, `pimhub resolve` picks the other value' : ''}`);
    return EXIT.ok;
  } finally {
    await app.close();
  }
}
