import { spawnSync, type ChildProcess } from 'node:child_process';
import { Scenario } from '../cli/cli-harness.js';

/** Whether a Debian tool is installed; tests that need it are skipped with an install hint (a failure under CI=true). */
export function hasTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

export function skipUnless(cmd: string, pkg = cmd): string | false {
  if (hasTool(cmd)) return false;
  if (process.env.CI === 'true') throw new Error(`${cmd} is missing: apt-get install ${pkg}`);
  return `${cmd} is not installed (apt-get install ${pkg})`;
}

/** `pimhub serve` as a real process; resolves with its base URL once it prints it. */
export async function startServe(s: Scenario, env: Record<string, string>): Promise<{ base: string; proc: ChildProcess; output: () => string }> {
  const proc = s.start(['serve'], env);
  let out = '';
  proc.stderr!.on('data', (d) => (out += String(d)));
  const base = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`pimhub serve did not start:\n${out}`)), 20000);
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /listening on (http:\/\/[^\s]+?)\/\s/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    proc.once('exit', (code) => fail(new Error(`pimhub serve exited ${code}:\n${out}`)));
  });
  return { base, proc, output: () => out };
}

export async function stopServe(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const done = new Promise((ok) => proc.once('exit', ok));
  proc.kill('SIGTERM');
  await done;
}
