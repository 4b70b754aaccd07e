import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** One timed run of a command: wall seconds and the peak RSS of the process tree's largest member. */
export interface Sample {
  seconds: number;
  /** Kilobytes; undefined without GNU time. */
  peakRssKb?: number;
  /** User + system CPU seconds of the command's processes; undefined without GNU time. */
  cpuSeconds?: number;
}

export interface Figure {
  median: Sample;
  samples: Sample[];
}

const GNU_TIME = '/usr/bin/time';

/** Runs `sh -c command` once under `/usr/bin/time -v` where present; throws on a non-zero exit. */
export function runOnce(command: string, opts: { cwd: string; env?: Record<string, string> }): Sample {
  const withTime = existsSync(GNU_TIME);
  const t0 = process.hrtime.bigint();
  const r = withTime
    ? spawnSync(GNU_TIME, ['-v', 'sh', '-c', command], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : spawnSync('sh', ['-c', command], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr ?? '');
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr ?? '');
  return { seconds, ...(rss ? { peakRssKb: Number(rss[1]) } : {}), ...(user && sys ? { cpuSeconds: Number(user[1]) + Number(sys[1]) } : {}) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `prepare` then the measured command `runs` times; the median of each measure. */
export function measure(runs: number, prepare: () => void, once: () => Sample): Figure {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i += 1) {
    prepare();
    samples.push(once());
  }
  return figureOf(samples);
}

/** The median of each measure of samples taken elsewhere (a loop with async preparation). */
export function figureOf(samples: Sample[]): Figure {
  const rss = samples.map((s) => s.peakRssKb).filter((x): x is number => x !== undefined);
  const cpu = samples.map((s) => s.cpuSeconds).filter((x): x is number => x !== undefined);
  return {
    samples,
    median: { seconds: median(samples.map((s) => s.seconds)), ...(rss.length ? { peakRssKb: median(rss) } : {}), ...(cpu.length ? { cpuSeconds: median(cpu) } : {}) },
  };
}

export const fmtSeconds = (s: number) => (s < 10 ? s.toFixed(2) : s.toFixed(1));
export const fmtMb = (kb?: number) => (kb === undefined ? 'n/a' : (kb / 1024).toFixed(0));
export const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);
