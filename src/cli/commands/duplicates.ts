import { PimError } from '../../core/errors.js';
import { findDuplicates, type DuplicateGroup } from '../../normalize/duplicates.js';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';

/** `pimhub duplicates [COLLECTION]`: candidate groups of items that look like one person or event. */
export async function duplicatesCommand(collection: string | undefined, opts: { config?: string; json?: boolean; minScore?: string }): Promise<number> {
  const out = createOutput(!!opts.json);
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
      for (const g of findDuplicates(items, { defaultRegion: app.config.defaultRegion, threshold })) groups.push({ collection: name, ...g });
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
