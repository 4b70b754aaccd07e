/** What every benchmark figure module provides; `run.ts` lists them. */
export interface BenchContext {
  /** N: how many items. */
  size: number;
  /** Runs per measure; the median is reported. */
  runs: number;
  /** The repository root (bin/pimhub lives there). */
  root: string;
  log(line: string): void;
}

export interface BenchFigure {
  /** Short id for `--only` (e.g. `dav`). */
  id: string;
  /** Runs the figure and returns its Markdown section (heading included). */
  run(ctx: BenchContext): Promise<string>;
}
