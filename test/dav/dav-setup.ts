import { after, before } from 'node:test';
import { dav } from '../../connectors/dav/index.js';
import type { Connector, Source } from '../../src/core/connector.js';
import type { CollectionKind } from '../../src/core/types.js';
import type { DavServer, ServerProfile } from './servers.js';

/** The env variable the tests put the server's password in (the config names only the variable). */
export const PASSWORD_ENV = 'PIMHUB_TEST_DAV_PASSWORD';

/** Connector options for a server: the way a user would write them in pimhub.yaml. */
export function davOptions(server: DavServer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'dav',
    url: server.url,
    ...(server.username ? { username: server.username, passwordEnv: PASSWORD_ENV } : {}),
    retries: 1,
    ...extra,
  };
}

let unique = 0;
/** A fresh collection name, unique within the process. */
export function freshName(prefix: string): string {
  unique += 1;
  return `${prefix}-${process.pid}-${unique}`;
}

/** Starts the profile's server before the suite's tests and stops it after; `get()` gives it. */
export function useServer(profile: ServerProfile): () => DavServer {
  let server: DavServer | undefined;
  before(async () => {
    server = await profile.start();
    if (server.password) process.env[PASSWORD_ENV] = server.password;
  });
  after(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the server did not start');
    return server;
  };
}

/** A new collection on the server and a source for it through the connector, as `cloud/NAME`. */
export async function freshSource(server: DavServer, kind: CollectionKind, extra: Record<string, unknown> = {}): Promise<{ name: string; conn: Connector; source: Source; url: string }> {
  const name = freshName(kind === 'contacts' ? 'book' : 'cal');
  const url = await server.newCollection(kind, name);
  const conn = dav.create('cloud', davOptions(server, extra), { baseDir: '/' });
  return { name, conn, url, source: await conn.source(kind, name) };
}
