import { parentPort, workerData } from 'node:worker_threads';
import { TARGETS, Violation, type TargetName } from './targets.js';

/**
 * Runs one fuzz target in a worker thread, so the test can stop an input that hangs (the
 * decoders are synchronous). Before each input it reports its index and a preview; a
 * violation is reported with the input and the run goes on.
 */
export interface WorkerJob { target: TargetName; seed: number; count: number; nestDepth: number; hugeBytes: number; heavyOneIn: number }
export type WorkerMessage =
  | { type: 'start'; index: number; size: number; preview: string }
  | { type: 'violation'; index: number; message: string; preview: string }
  | { type: 'done'; tried: number };

const job = workerData as WorkerJob;
const target = TARGETS[job.target];
const preview = (b: Buffer) => JSON.stringify(b.subarray(0, 300).toString('latin1'));
let i = 0;
for (const input of target.inputs(job.seed, job.count, { nestDepth: job.nestDepth, hugeBytes: job.hugeBytes, heavyOneIn: job.heavyOneIn })) {
  parentPort!.postMessage({ type: 'start', index: i, size: input.length, preview: preview(input) } satisfies WorkerMessage);
  try {
    target.check(input);
  } catch (e) {
    const message = e instanceof Violation ? e.message : `the check itself failed: ${e instanceof Error ? e.stack : String(e)}`;
    parentPort!.postMessage({ type: 'violation', index: i, message, preview: preview(input) } satisfies WorkerMessage);
  }
  i++;
}
parentPort!.postMessage({ type: 'done', tried: i } satisfies WorkerMessage);
