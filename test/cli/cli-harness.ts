import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/…). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'pimhub');
export const FIXTURES = join(ROOT, 'fixtures');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

/** A temporary working folder with a config; nothing under fixtures/ is ever modified. */
export class Scenario {
  readonly dir: string;
  constructor(name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `pimhub-${name}-`));
  }
  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }
  /** Copies a fixture file or folder into the scenario. */
  copy(fixture: string, to: string): string {
    const dest = this.path(to);
    cpSync(join(FIXTURES, fixture), dest, { recursive: true });
    return dest;
  }
  write(rel: string, text: string | Uint8Array): string {
    const p = this.path(rel);
    writeFileSync(p, text);
    return p;
  }
  config(yaml: string): void {
    writeFileSync(this.path('pimhub.yaml'), yaml);
  }
  run(args: string[], env: Record<string, string> = {}): CliResult {
    const r = spawnSync(process.execPath, [BIN, '-c', this.path('pimhub.yaml'), ...args], {
      cwd: this.dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000,
    });
    return {
      code: r.status ?? -1,
      stdout: r.stdout,
      stderr: r.stderr,
      json() {
        try {
          return JSON.parse(r.stdout);
        } catch {
          throw new Error(`not JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        }
      },
    };
  }
  start(args: string[], env: Record<string, string> = {}): ChildProcess {
    return spawn(process.execPath, [BIN, '-c', this.path('pimhub.yaml'), ...args], { cwd: this.dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
