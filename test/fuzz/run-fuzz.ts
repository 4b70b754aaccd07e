import { Worker } from 'node:worker_threads';
import type { TargetName } from './targets.js';
import type { WorkerJob, WorkerMessage } from './fuzz-worker.js';

/** Sizes of a fuzz run: short in `npm test`, PIMHUB_FUZZ_RUNS / PIMHUB_LONG_TESTS for more. */
export function fuzzSizes(): { count: number; nestDepth: number; hugeBytes: number; heavyOneIn: number; perInputMs: number } {
  const long = process.env.PIMHUB_LONG_TESTS === '1';
  const count = Number(process.env.PIMHUB_FUZZ_RUNS ?? (long ? 20_000 : 400));
  return { count, nestDepth: 10_000, hugeBytes: long ? 50 * 1024 * 1024 : 512 * 1024, heavyOneIn: long ? 8 : 1000, perInputMs: long ? 600_000 : 60_000 };
}

export interface FuzzOutcome { tried: number; violations: Array<{ index: number; message: string; preview: string }>; hung?: { index: number; preview: string; size: number } }

/**
 * Runs a target in a worker; an input that takes longer than `perInputMs` (generous: the
 * bound is against hangs, not a speed assertion) stops the run and is reported.
 */
export function runFuzz(target: TargetName, seed: number): Promise<FuzzOutcome> {
  const s = fuzzSizes();
  const job: WorkerJob = { target, seed, count: s.count, nestDepth: s.nestDepth, hugeBytes: s.hugeBytes, heavyOneIn: s.heavyOneIn };
  const worker = new Worker(new URL('./fuzz-worker.js', import.meta.url), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
  const out: FuzzOutcome = { tried: 0, violations: [] };
  return new Promise((resolve, reject) => {
    let current: { index: number; preview: string; size: number } | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        out.hung = current;
        out.tried = current?.index ?? 0;
        void worker.terminate().then(() => resolve(out));
      }, s.perInputMs);
    };
    worker.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'start':
          current = { index: m.index, preview: m.preview, size: m.size };
          arm();
          break;
        case 'violation':
          if (out.violations.length < 20) out.violations.push({ index: m.index, message: m.message, preview: m.preview });
          break;
        case 'done':
          clearTimeout(timer);
          out.tried = m.tried;
          void worker.terminate().then(() => resolve(out));
          break;
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`the fuzz worker crashed at input ${current?.index} ${current?.preview}: ${e.message}`));
    });
  });
}
