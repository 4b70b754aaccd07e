import { isAbsolute, resolve } from 'node:path';
import { PimError } from '../core/errors.js';
import type { Store } from '../core/store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import { redactUrl } from './store-url.js';

/**
 * Opens the store a `store:` URL names (SPEC §6), initialised:
 * - `sqlite:PATH`: PATH relative to `baseDir` (the config file's folder); `sqlite::memory:` for a private in-memory database;
 * - `memory:`: the in-process map store (tests);
 * - `mongodb://…` or `mongodb+srv://…`: a MongoDB replica set; the driver is loaded only then.
 */
export async function openStore(url: string, baseDir: string): Promise<Store> {
  const store = await createStore(url, baseDir);
  await store.init();
  return store;
}

/** The store a URL names, not yet initialised. */
export async function createStore(url: string, baseDir: string): Promise<Store> {
  if (url === 'memory:') {
    // Tests' store: a start with SQLite does not compile it.
    const { MemoryStore } = await import('./memory/memory-store.js');
    return new MemoryStore();
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new PimError('config', 'the store URL sqlite: needs a path, e.g. sqlite:pimhub.db', { where: url });
    if (path === ':memory:') return new SqliteStore(':memory:');
    return new SqliteStore(isAbsolute(path) ? path : resolve(baseDir, path));
  }
  if (url.startsWith('mongodb://') || url.startsWith('mongodb+srv://')) {
    // Loaded here only: SQLite users never load the MongoDB driver.
    const { MongoStore } = await import('./mongodb/mongo-store.js');
    return new MongoStore(url);
  }
  throw new PimError('config', `unknown store URL scheme in "${redactUrl(url)}"; use sqlite:PATH, mongodb://HOST/DB?replicaSet=NAME or memory:`);
}
