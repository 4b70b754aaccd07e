import type cliProgress from 'cli-progress';
import { createRequire } from 'node:module';
import type { ProgressEvent } from '../sync/types.js';

/** cli-progress is loaded when a bar is first shown (only a long sync on a terminal shows one). */
let progressLibrary: typeof cliProgress | undefined;
const bars = (): typeof cliProgress => (progressLibrary ??= createRequire(import.meta.url)('cli-progress') as typeof cliProgress);

/** Where human output goes: stdout for results, stderr for progress and warnings. */
export interface Output {
  json: boolean;
  /** A line for people (suppressed with --json). */
  line(text?: string): void;
  /** The one JSON document of a --json run. */
  result(doc: unknown): void;
  warn(text: string): void;
  progress(): ((e: ProgressEvent) => void) | undefined;
  done(): void;
}

export function createOutput(json: boolean): Output {
  let bar: cliProgress.SingleBar | undefined;
  let barKey = '';
  const interactive = !json && process.stderr.isTTY === true;
  return {
    json,
    line: (text = '') => {
      if (!json) process.stdout.write(`${text}\n`);
    },
    result: (doc) => {
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    },
    warn: (text) => {
      process.stderr.write(`${text}\n`);
    },
    progress: () => {
      if (!interactive) return undefined;
      return (e) => {
        if (e.total < 50) return;
        const key = `${e.collection}:${e.phase}:${e.member ?? ''}`;
        if (key !== barKey) {
          bar?.stop();
          bar = new (bars().SingleBar)(
            { format: `${e.collection} ${e.phase}${e.member ? ` ${e.member}` : ''} [{bar}] {value}/{total}`, stream: process.stderr, clearOnComplete: true },
            bars().Presets.shades_classic,
          );
          bar.start(e.total, e.done);
          barKey = key;
        }
        bar!.update(e.done);
        if (e.done >= e.total) {
          bar!.stop();
          bar = undefined;
          barKey = '';
        }
      };
    },
    done: () => bar?.stop(),
  };
}
