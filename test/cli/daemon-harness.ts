import type { ChildProcess } from 'node:child_process';
import type { Scenario } from './cli-harness.js';

export type LogRecord = Record<string, unknown> & { msg?: string; level?: number };

/** `pimhub daemon` as a real process, its JSON log lines parsed as they come. */
export class DaemonProcess {
  private out = '';
  private err = '';
  readonly records: LogRecord[] = [];
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;
  base = '';

  constructor(readonly proc: ChildProcess) {
    let partial = '';
    proc.stdout!.on('data', (d) => {
      this.out += String(d);
      partial += String(d);
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        try {
          this.records.push(JSON.parse(line) as LogRecord);
        } catch {
          this.records.push({ msg: `(not JSON) ${line}` });
        }
      }
      for (const w of this.waiters.splice(0)) w();
    });
    proc.stderr!.on('data', (d) => {
      this.err += String(d);
    });
    this.exited = new Promise((ok) => proc.once('exit', (code) => {
      for (const w of this.waiters.splice(0)) w();
      ok(code);
    }));
  }

  static async start(s: Scenario, env: Record<string, string>, args: string[] = []): Promise<DaemonProcess> {
    const d = new DaemonProcess(s.start(['daemon', ...args], env));
    const listening = await d.waitFor((r) => r.msg === 'listening', 20_000, 'the daemon to listen');
    d.base = String(listening.url).replace(/\/$/, '');
    return d;
  }

  /** Everything it printed, for assertion messages. */
  output(): string {
    return `${this.out}${this.err ? `\n(stderr)\n${this.err}` : ''}`;
  }

  /** The first record (already logged or to come) that matches. */
  async waitFor(pred: (r: LogRecord) => boolean, timeoutMs: number, what: string, from = 0): Promise<LogRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.records.slice(from).find(pred);
      if (found) return found;
      if (this.proc.exitCode !== null) throw new Error(`daemon exited (${this.proc.exitCode}) while waiting for ${what}:\n${this.output()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}:\n${this.output()}`);
      await new Promise<void>((ok) => {
        const timer = setTimeout(ok, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          ok();
        });
      });
    }
  }

  /** SIGTERM; resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.proc.exitCode !== null) return this.proc.exitCode;
    this.proc.kill(signal);
    return this.exited;
  }
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
