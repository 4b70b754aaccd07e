import { PimError } from '../../core/errors.js';
import { findDuplicates, type DuplicateGroup } from '../../normalize/duplicates.js';
import { dismissDuplicates, dismissedPairs } from '../../sync/dismiss-duplicates.js';
import { openContext } from '../context.js';
import { itemLabel } from '../../sync/item-info.js';
import { createOutput } from '../output.js';

/** `pimhub duplicates [COLLECTION]`: candidate groups of items that look like one person or event. */
export async function duplicatesCommand(collection: string | undefined, opts: { config?: string; json?: boolean; minScore?: string; dismiss?: string[] }): Promise<number> {
  const out = createOutput(!!opts.json);
  if (opts.dismiss) return dismissCommand(collection, opts.dismiss, out, opts.config);
  const threshold = opts.minScore === undefined ? 0.5 : Number(opts.minScore);
  if (!(threshold > 0 && threshold <= 1)) throw new PimError('config', `--min-score ${opts.minScore}: expected a number above 0 and at most 1`);
  const app = await openContext(opts.config);
  try {
    const names = collection ? [collection] : (await app.store.listCollections()).map((c) => c.name);
    if (collection && !(await app.store.getCollection(collection))) {
      throw new PimError('config', `no collection named "${collection}"; \`pimhub status\` lists them`);
    }
    const groups: Array<DuplicateGroup & { collection: string }> = [];
    for (const name of names) {
      const items = await app.store.listItems(name);
      const dismissed = await dismissedPairs(app.store, name);
      for (const g of findDuplicates(items, { defaultRegion: app.config.defaultRegion, threshold, dismissed })) groups.push({ collection: name, ...g });
    }
    groups.sort((a, b) => b.score - a.score);
    if (out.json) {
      out.result({ groups: groups.map((g) => ({ collection: g.collection, score: g.score, evidence: g.evidence, items: g.items })) });
      return 0;
    }
    if (groups.length === 0) out.line(`no duplicates found${collection ? ` in ${collection}` : ''}`);
    for (const g of groups) {
      out.line(`${g.collection}  ${g.score.toFixed(2)}  ${g.items.map((i) => `"${i.name}"`).join(', ')}`);
      out.line(`    ${g.evidence.join('; ')}`);
      out.line(`    pimhub merge ${g.items.map((i) => i.id).join(' ')}`);
    }
    return 0;
  } finally {
    await app.close();
  }
}

/** `pimhub duplicates --dismiss ITEM ITEM…`: these are not duplicates; never report them together again. */
async function dismissCommand(collection: string | undefined, refs: string[], out: ReturnType<typeof createOutput>, config: string | undefined): Promise<number> {
  if (refs.length < 2) throw new PimError('config', '--dismiss needs two or more item ids or UIDs (`pimhub duplicates` lists them)');
  const app = await openContext(config);
  try {
    const r = await dismissDuplicates(app.store, refs, collection, new Date());
    const names = r.items.map((i) => ({ id: i.id, uid: i.uid, name: itemLabel(i.item) }));
    if (out.json) out.result({ collection: r.collection, dismissed: names, pairs: r.pairs });
    else out.line(`${names.map((n) => `"${n.name}"`).join(', ')} (${r.collection}) are no longer reported as duplicates of each other`);
    return 0;
  } finally {
    await app.close();
  }
}
