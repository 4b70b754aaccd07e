import { isAbsolute, resolve } from 'node:path';
import { PimError } from '../core/errors.js';
import type { Store } from '../core/store.js';
import { MemoryStore } from './memory/memory-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

/**
 * Opens the store a `store:` URL names (SPEC §6), initialised:
 * - `sqlite:PATH`: PATH relative to `baseDir` (the config file's folder); `sqlite::memory:` for a private in-memory database;
 * - `memory:`: the in-process map store (tests);
 * - `mongodb://…`: not built yet.
 */
export async function openStore(url: string, baseDir: string): Promise<Store> {
  const store = createStore(url, baseDir);
  await store.init();
  return store;
}

function createStore(url: string, baseDir: string): Store {
  if (url === 'memory:') return new MemoryStore();
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new PimError('config', 'the store URL sqlite: needs a path, e.g. sqlite:pimhub.db', { where: url });
    if (path === ':memory:') return new SqliteStore(':memory:');
    return new SqliteStore(isAbsolute(path) ? path : resolve(baseDir, path));
  }
  if (url.startsWith('mongodb://') || url.startsWith('mongodb+srv://')) {
    throw new PimError('unsupported', 'the MongoDB store is not built yet; use sqlite:PATH');
  }
  throw new PimError('config', `unknown store URL scheme in "${redact(url)}"; use sqlite:PATH or memory:`);
}

/** Drops credentials (user:password@) from a URL before it goes into a message. */
function redact(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@');
}
