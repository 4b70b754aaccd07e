import type { FetchedItem, FetchProblem, Source } from '../../core/connector.js';
import type { Href } from '../../core/types.js';
import type { Workspace } from '../workspace.js';

// Large enough for a source to split it into several requests in flight (DAV multigets of ~100).
export const FETCH_BATCH = 500;

/**
 * Fetches and decodes entries a batch at a time, as the caller merges them: memory stays
 * bounded by the batch. Entries that cannot be decoded go to `problems`.
 */
export async function* fetchBatches(
  ws: Workspace,
  member: string,
  source: Source,
  hrefs: readonly Href[],
  problems: FetchProblem[],
  onProgress?: (done: number, total: number) => void,
): AsyncGenerator<FetchedItem[]> {
  for (let i = 0; i < hrefs.length; i += FETCH_BATCH) {
    const r = await source.get(hrefs.slice(i, i + FETCH_BATCH));
    problems.push(...r.problems);
    // The merge needs each fetched entry's link with its base: one store query per batch.
    await ws.preloadLinks(member, r.items.map((f) => f.href));
    onProgress?.(Math.min(i + FETCH_BATCH, hrefs.length), hrefs.length);
    yield r.items;
  }
}
