import { spawnSync } from 'node:child_process';
import { PimError } from './errors.js';

/**
 * Where a secret comes from (shared/SPEC.md §2): an environment variable, or a command whose
 * first output line is the secret (vdirsyncer's `password.fetch = ["command", …]`). The value
 * is never put in a message, a log line or an error; a command runs once per process.
 */
export interface SecretSource {
  passwordEnv?: string;
  passwordCommand?: string[];
}

const fromCommands = new Map<string, string>();

/**
 * The secret, or undefined when the source names none. `where` is the key path for
 * messages (`connectors.cloud`); a variable that is not set or a command that fails is a
 * config error naming the variable or the command (never its output).
 */
export function readSecret(source: SecretSource, where: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (source.passwordEnv !== undefined) {
    const v = env[source.passwordEnv];
    if (v === undefined || v === '') {
      throw new PimError('config', `${where}.passwordEnv: the environment variable ${source.passwordEnv} is not set`, { where: `${where}.passwordEnv` });
    }
    return v;
  }
  if (source.passwordCommand !== undefined) return runSecretCommand(source.passwordCommand, `${where}.passwordCommand`);
  return undefined;
}

function runSecretCommand(command: string[], where: string): string {
  const key = JSON.stringify(command);
  const cached = fromCommands.get(key);
  if (cached !== undefined) return cached;
  const shown = `\`${command.join(' ')}\``;
  const r = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', stdio: ['inherit', 'pipe', 'inherit'], timeout: 60_000 });
  if (r.error) {
    throw new PimError('config', `${where}: cannot run ${shown} (${(r.error as NodeJS.ErrnoException).code ?? 'failed'}); check the command`, { where });
  }
  if (r.status !== 0) throw new PimError('config', `${where}: ${shown} failed (exit ${r.status ?? r.signal}); run it yourself to see why`, { where });
  const line = (r.stdout ?? '').split(/\r?\n/)[0] ?? '';
  if (line === '') throw new PimError('config', `${where}: ${shown} printed nothing on its first line; it should print the password`, { where });
  fromCommands.set(key, line);
  return line;
}
