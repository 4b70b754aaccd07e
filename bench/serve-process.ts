import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A running `pimhub serve` started by the bench. */
export interface ServeProcess {
  /** e.g. `http://127.0.0.1:40123` (no trailing slash). */
  base: string;
  /** Peak RSS of the server process so far (VmHWM), in kB; undefined where /proc is missing. */
  peakRssKb(): number | undefined;
  /** User + system CPU seconds of the server process so far; undefined where /proc is missing. */
  cpuSeconds(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `pimhub -c pimhub.yaml serve` in `cwd` (its config listens on port 0), waits for
 * the address it prints and for an answer there. Its output is kept for the error message.
 */
export async function startServe(root: string, cwd: string, env: Record<string, string>, ms = 60_000): Promise<ServeProcess> {
  const proc: ChildProcess = spawn(process.execPath, [join(root, 'bin', 'pimhub'), '-c', 'pimhub.yaml', 'serve'], {
    cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stderr!.on('data', (d) => (out = (out + String(d)).slice(-4000)));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const done = new Promise((ok) => proc.once('exit', ok));
    proc.kill('SIGTERM');
    const hard = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(hard);
  };
  try {
    const base = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`pimhub serve printed no address within ${ms} ms:\n${out}`)), ms);
      proc.stdout!.on('data', (d) => {
        out = (out + String(d)).slice(-4000);
        const m = /listening on (https?:\/\/[^\s]+?)\/?\s/.exec(out);
        if (m) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`pimhub serve exited (${code}) before listening:\n${out}`));
      });
    });
    const health = await fetch(`${base}/healthz`);
    await health.arrayBuffer();
    if (health.status !== 200) throw new Error(`pimhub serve at ${base}: /healthz answered ${health.status}:\n${out}`);
    return {
      base,
      peakRssKb() {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
          return m ? Number(m[1]) : undefined;
        } catch {
          return undefined;
        }
      },
      cpuSeconds() {
        try {
          // /proc/PID/stat after the command name: utime and stime are fields 14 and 15, in clock ticks (100/s on Linux).
          const f = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          return (Number(f[11]) + Number(f[12])) / 100;
        } catch {
          return undefined;
        }
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
