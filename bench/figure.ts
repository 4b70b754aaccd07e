/** What every benchmark figure module provides; `run.ts` lists them. */
export interface BenchContext {
  /** N: how many items. */
  size: number;
  /** Runs per measure; the median is reported. */
  runs: number;
  /** The repository root (bin/pimhub lives there). */
  root: string;
  log(line: string): void;
  /** Adds a line to the summary table at the top of the report: the figure against its target. */
  summary(row: SummaryRow): void;
}

/** One line of the summary: what was measured, the target of shared/BENCHMARKS.md, whether it was met. */
export interface SummaryRow {
  id: string;
  work: string;
  /** What was measured, e.g. `0.42× (3.1 s vs 7.4 s)`. */
  result: string;
  target: string;
  /** Undefined where the target is not a plain comparison (or was not measurable). */
  met?: boolean;
}

export interface BenchFigure {
  /** Short id for `--only` (e.g. `dav`). */
  id: string;
  /** Runs the figure and returns its Markdown section (heading included). */
  run(ctx: BenchContext): Promise<string>;
}
