import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Items mapped between two yields: a few milliseconds of work. */
const SLICE = 100;

/**
 * `xs.map(f)` that lets the event loop run every {@link SLICE} items, so a PROPFIND Depth 1 or a
 * full sync-collection of thousands of objects (each rendered for its ETag and length) does
 * not hold up the other clients' requests while its answer is built.
 */
export async function mapYielding<T, U>(xs: readonly T[], f: (x: T, i: number) => U): Promise<U[]> {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (i > 0 && i % SLICE === 0) await yieldToLoop();
    out.push(f(xs[i]!, i));
  }
  return out;
}
