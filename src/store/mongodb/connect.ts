import { MongoClient, MongoError, type Db } from 'mongodb';
import { PimError, isPimError, messageOf } from '../../core/errors.js';
import { redactUrl, scrub } from '../store-url.js';

/** The database used when the URL names none (`mongodb://host:27017/?replicaSet=rs0`). */
export const DEFAULT_DB = 'pimhub';
/** How long to look for a usable server before giving up, unless the URL sets serverSelectionTimeoutMS. */
const SELECT_TIMEOUT_MS = 10_000;

/** The database name in the URL's path, or `pimhub`. */
export function dbNameOf(url: string): string {
  const m = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/i.exec(url);
  const name = m ? decodeURIComponent(m[1]) : '';
  return name === '' ? DEFAULT_DB : name;
}

/**
 * Connects and checks the server is a replica set member (or a mongos): the store commits
 * in multi-document transactions, which a standalone mongod refuses. Errors never carry the
 * URL's password.
 */
export async function connectMongo(url: string): Promise<{ client: MongoClient; db: Db }> {
  const where = redactUrl(url);
  let client: MongoClient;
  try {
    const opts = /[?&]serverSelectionTimeoutMS=/i.test(url) ? {} : { serverSelectionTimeoutMS: SELECT_TIMEOUT_MS };
    client = new MongoClient(url, { ...opts, appName: 'pimhub' });
  } catch (e) {
    throw new PimError('config', `the store URL is not a valid MongoDB connection string: ${scrub(messageOf(e), url)}`, { where });
  }
  try {
    await client.connect();
    const db = client.db(dbNameOf(url));
    const hello = await db.admin().command({ hello: 1 });
    if (typeof hello.setName !== 'string' && hello.msg !== 'isdbgrid') {
      throw new PimError(
        'config',
        'this MongoDB server is a standalone server, not a replica set member; pimhub commits in transactions, which need a replica set. '
        + 'Start mongod with --replSet rs0 and run rs.initiate() once (one node is enough), then add ?replicaSet=rs0 to the store URL; '
        + 'or use store: sqlite:pimhub.db',
        { where },
      );
    }
    return { client, db };
  } catch (e) {
    await client.close().catch(() => undefined);
    throw mongoError(e, url, 'cannot use the MongoDB store');
  }
}

/** A driver error as a PimError without secrets: `config` for authentication, `busy` for write conflicts, else `io`. */
export function mongoError(e: unknown, url: string, what: string): PimError {
  if (isPimError(e)) return e;
  const where = redactUrl(url);
  const msg = scrub(messageOf(e), url);
  const name = e instanceof Error ? e.name : '';
  const code = e instanceof MongoError ? e.code : undefined;
  if (name === 'MongoServerSelectionError' || name === 'MongoNetworkError' || name === 'MongoNetworkTimeoutError') {
    return new PimError('io', `${what}: no MongoDB server answered (${msg}); check that it runs, that the host and port in the store URL are right, and that a replica set URL names the set (?replicaSet=…)`, { where });
  }
  if (code === 18 || name === 'MongoMissingCredentialsError' || /authentication failed/i.test(msg)) {
    return new PimError('config', `${what}: MongoDB refused the credentials in the store URL (${msg}); check the user, the password and authSource`, { where });
  }
  if (code === 13) {
    return new PimError('access-denied', `${what}: the MongoDB user may not do this (${msg}); it needs readWrite on the database`, { where });
  }
  if (code === 112 || code === 11000) {
    return new PimError('busy', `${what}: other pimhub processes kept changing the same records (${msg}); try again`, { where });
  }
  return new PimError('io', `${what}: MongoDB error: ${msg}`, { where });
}

/** Whether the server is jongodb (buildInfo says `…-jongodb`), whose transactions pimhub avoids (docs/store.md). */
export async function isJongodb(db: Db): Promise<boolean> {
  const info = await db.admin().command({ buildInfo: 1 }).catch(() => ({} as Record<string, unknown>));
  return String(info.gitVersion ?? '') === 'jongodb' || String(info.version ?? '').endsWith('-jongodb');
}
