import type { SummaryRow } from './figure.js';

/**
 * The targets of shared/BENCHMARKS.md as numbers, per figure and size, so the summary
 * says "met" by the same rule everywhere. A target stated for one size (B3 at 10,000) is
 * shown at other sizes but not judged.
 */
export interface Limit {
  /** The largest value that meets the target (a ratio, seconds or MB); undefined: not judged at this size. */
  max?: number;
  text: string;
}

export function ratioLimit(id: 'B1' | 'B2' | 'B3' | 'B4 first' | 'B4 no-change' | 'RSS' | 'B7', size: number): Limit {
  const big = size >= 10_000;
  switch (id) {
    case 'B1': return big ? { max: 0.2, text: '≤ 0.20× at 10,000' } : { max: 0.5, text: '≤ 0.5× at 1,000' };
    case 'B2': return big ? { max: 0.05, text: '≤ 0.05× at 10,000' } : { max: 0.5, text: '≤ 0.5× at 1,000' };
    case 'B3': return big ? { max: 0.05, text: '≤ 0.05× at 10,000' } : { text: '≤ 0.05× at 10,000 (not judged at this N)' };
    case 'B4 first': return { max: 0.3, text: '≤ 0.3× Radicale' };
    case 'B4 no-change': return { max: 0.08, text: '≤ 0.08× Radicale' };
    case 'RSS': return big ? { max: 1, text: '≤ 1.0× vdirsyncer at 10,000' } : { text: '≤ 1.0× vdirsyncer at 10,000 (not judged at this N)' };
    case 'B7': return { max: 2, text: '≤ 2× SQLite' };
  }
}

/** A summary row for a value judged against `limit` (lower is better). */
export function judged(id: string, work: string, value: number, result: string, limit: Limit): SummaryRow {
  return { id, work, result, target: limit.text, ...(limit.max === undefined || !Number.isFinite(value) ? {} : { met: value <= limit.max }) };
}

/** B6: merges per CPU-second, higher is better. */
export const MERGES_PER_SECOND = 150_000;
/** B5: the first sync of 10,000 in seconds; per item at N against N/10; peak RSS at 100,000 in MB. */
export const B5 = { first10kSeconds: 3, perItemGrowth: 1.2, rss100kMb: 400 } as const;
/** Start-up: `pimhub status` on an empty store, wall seconds (issue 10). */
export const START = { statusWallSeconds: 0.25 } as const;
