import { promises as fs, statSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { errnoOf, fsError } from './fs-errors.js';

/** Stats per turn of the event loop: a few milliseconds, so other work (a server's answer) is not held up. */
const SYNC_CHUNK = 256;
/**
 * Above this mean per stat of a chunk, the folder is slow (a network file system answering
 * from the server): the rest go in parallel. A local disk under heavy load (load average 9
 * on 2 cores) measured 0.03-0.25 ms per stat, the first chunk the slowest (cold code).
 */
const SLOW_STAT_MS = 1;
/** Stats in flight at once on a slow folder. */
const PARALLEL = 64;

/**
 * A signature per file name of a folder, from one stat each (no file opened); a name whose
 * file is gone by then has none (undefined). Local disks answer a stat from the inode
 * cache in microseconds, where a synchronous call costs a third less CPU than the thread
 * pool's round trip (10,000 files: ~0.2 s against ~0.3 s); a folder whose stats take longer
 * (NFS, SMB) would serialise its round trips that way, so once a chunk proves slow the rest
 * is stat'ed in parallel instead.
 */
export async function statSignatures<S extends string>(
  dir: string,
  names: readonly string[],
  signature: (st: BigIntStats) => S,
  slowStatMs = SLOW_STAT_MS,
): Promise<Array<S | undefined>> {
  const out = new Array<S | undefined>(names.length).fill(undefined);
  let i = 0;
  while (i < names.length) {
    const end = Math.min(i + SYNC_CHUNK, names.length);
    const t0 = performance.now();
    for (; i < end; i += 1) {
      const st = statOne(dir, names[i]!);
      out[i] = st && signature(st);
    }
    if (i < names.length) {
      if ((performance.now() - t0) / SYNC_CHUNK > slowStatMs) return statRestInParallel(dir, names, i, out, signature);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return out;
}

function statOne(dir: string, name: string): BigIntStats | undefined {
  const path = join(dir, name);
  try {
    return statSync(path, { bigint: true });
  } catch (e) {
    // Only ENOENT gives undefined: a folder that stops being one (ENOTDIR, an unmounted
    // drive) must fail the listing, never make every entry look deleted. (Not
    // `throwIfNoEntry: false`: some Node versions answer ENOTDIR with undefined too.)
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw fsError(e, path, 'stat');
  }
}

async function statRestInParallel<S extends string>(
  dir: string, names: readonly string[], from: number, out: Array<S | undefined>, signature: (st: BigIntStats) => S,
): Promise<Array<S | undefined>> {
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const i = next;
      next += 1;
      const path = join(dir, names[i]!);
      try {
        out[i] = signature(await fs.stat(path, { bigint: true }));
      } catch (e) {
        if (errnoOf(e) !== 'ENOENT') throw fsError(e, path, 'stat');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, names.length - from) }, worker));
  return out;
}
