import { PimError, messageOf } from '../core/errors.js';
import { readSecret, type SecretSource } from '../core/secrets.js';
import type { PimhubConfig } from './load-config.js';

/**
 * Reads every secret a command will need before it starts (shared/SPEC.md §2): a user or
 * connector whose variable is not set, or whose command fails, is a config error (exit 2)
 * naming the key path and the variable or command, all of them in one report. Commands run
 * here once; their output is kept in memory by readSecret, never printed.
 */
export function requireSecrets(config: PimhubConfig, what: { users?: boolean; connectors?: string[] }): void {
  const problems: string[] = [];
  const check = (source: SecretSource & { bearerTokenEnv?: string }, where: string) => {
    try {
      if (source.bearerTokenEnv === undefined) readSecret(source, where);
      else if (!process.env[source.bearerTokenEnv]) {
        throw new PimError('config', `${where}.bearerTokenEnv: the environment variable ${source.bearerTokenEnv} is not set`);
      }
    } catch (e) {
      problems.push(`${config.file}: ${messageOf(e)}`);
    }
  };
  if (what.users) {
    for (const [name, u] of Object.entries(config.server.users)) check(u, `server.users.${name}`);
  }
  for (const name of what.connectors ?? []) {
    const o = config.connectors[name]?.options as (SecretSource & { bearerTokenEnv?: string }) | undefined;
    if (o) check(o, `connectors.${name}`);
  }
  if (problems.length > 0) {
    throw new PimError('config', problems.join('\n'), { where: config.file });
  }
}

/** The connectors the named collections use (every collection when none is named). */
export function connectorsOf(config: PimhubConfig, collections?: string[]): string[] {
  const names = collections && collections.length > 0 ? collections : Object.keys(config.collections);
  const out = new Set<string>();
  for (const n of names) for (const m of config.collections[n]?.members ?? []) out.add(m.connector);
  return [...out];
}
