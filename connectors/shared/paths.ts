import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * A path from the config: `~` and `~/…` expand to the home directory, relative paths
 * resolve against `baseDir` (the config file's folder, not the working directory, so a
 * config behaves the same wherever pimhub is started).
 */
export function resolveConfigPath(p: string, baseDir: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return isAbsolute(p) ? resolve(p) : resolve(baseDir, p);
}
