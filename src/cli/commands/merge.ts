import { PimError } from '../../core/errors.js';
import { mergeDuplicates } from '../../sync/merge-duplicates.js';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';

/** `pimhub merge ITEM ITEM… [--dry-run]`: duplicates into one item; the next sync writes it everywhere. */
export async function mergeCommand(refs: string[], opts: { config?: string; json?: boolean; dryRun?: boolean; collection?: string; allowMassDelete?: boolean }): Promise<number> {
  const out = createOutput(!!opts.json);
  if (refs.length < 2) throw new PimError('config', 'merge needs two or more item ids or UIDs (`pimhub duplicates` lists them)');
  const app = await openContext(opts.config);
  try {
    if (opts.collection && !app.config.collections[opts.collection] && !(await app.store.getCollection(opts.collection))) {
      throw new PimError('config', `no collection named "${opts.collection}"`);
    }
    const r = await mergeDuplicates({
      store: app.store, identity: app.identity, policy: app.config.conflict, refs, collection: opts.collection,
      deleteGuard: app.config.deleteGuard, allowMassDelete: !!opts.allowMassDelete, dryRun: !!opts.dryRun, by: 'cli', now: new Date(),
    });
    if (out.json) {
      const { item: _item, ...doc } = r;
      out.result(doc);
      return 0;
    }
    out.line(`${r.dryRun ? 'would merge' : 'merged'} ${r.merged.length + 1} items of ${r.collection} into "${r.survivor.name}" (${r.survivor.uid}): ${r.merged.map((m) => `"${m.name}" (${m.uid})`).join(', ')}`);
    for (const f of r.fields) {
      const values = f.values.map((v, i) => `[${i}] ${v.connector} ${JSON.stringify(v.value)}${i === f.chosenIndex ? ' ✓' : ''}`).join('  ');
      out.line(`  ${f.conflict ? '!' : '+'} ${f.field}  ${values}`);
    }
    for (const l of r.links) out.line(`  ${l.member} keeps its copy ${l.href}, now holding the merged item`);
    for (const g of r.groups) out.line(`  group "${g.name}" (${g.uid}) names "${r.survivor.name}" instead of the merged items`);
    if (r.dryRun) out.line('nothing was changed (--dry-run)');
    else out.line(`logged as #${r.entry} (run ${r.run}); \`pimhub sync\` writes the result to every member and removes the redundant copies; \`pimhub undo --entry ${r.entry}\` splits them again`);
    return 0;
  } finally {
    await app.close();
  }
}
