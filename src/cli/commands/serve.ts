import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { PimError, messageOf } from '../../core/errors.js';
import { createServer, type ServerOptions } from '../../server/create-server.js';
import { httpServerOptions } from '../../server/http-limits.js';
import { collectionHref, DAV_ROOT, principalHref } from '../../server/paths.js';
import { openContext, type AppContext } from '../context.js';

/**
 * `pimhub serve`: the CardDAV/CalDAV endpoint on `server.listen` (TLS with `server.tls`),
 * until SIGINT/SIGTERM. Prints the URLs a client should be given.
 */
export async function serveCommand(opts: { config?: string }): Promise<number> {
  const app = await openContext(opts.config, { users: true });
  try {
    const server = await listen(app);
    await printUrls(app, server);
    await new Promise<void>((done) => {
      const stop = () => server.close(() => done());
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    return 0;
  } finally {
    await app.close();
  }
}

/** Hooks the daemon adds to the server app (sync after writes, scheduler status, logging). */
export type ServerHooks = Pick<ServerOptions, 'onWrite' | 'syncInfo' | 'log'>;

export async function listen(app: AppContext, hooks: ServerHooks = {}): Promise<Server> {
  const { server: cfg, baseDir } = app.config;
  const handler = createServer({ store: app.store, config: app.config, identity: app.identity, ...hooks });
  let server: Server;
  if (cfg.tls) {
    const read = (p: string, key: string) => {
      try {
        return readFileSync(isAbsolute(p) ? p : resolve(baseDir, p));
      } catch (e) {
        throw new PimError('config', `server.tls.${key}: cannot read ${p} (${messageOf(e)})`);
      }
    };
    server = createHttpsServer({ ...httpServerOptions(cfg.timeouts), cert: read(cfg.tls.cert, 'cert'), key: read(cfg.tls.key, 'key') }, handler);
  } else {
    server = createHttpServer(httpServerOptions(cfg.timeouts), handler);
  }
  await new Promise<void>((ok, fail) => {
    server.once('error', (e) => fail(new PimError('io', `cannot listen on ${cfg.host}:${cfg.port}: ${messageOf(e)}`)));
    server.listen(cfg.port, cfg.host, () => ok());
  });
  return server;
}

export interface ServerUrls {
  /** `http://127.0.0.1:5233` (no trailing slash). */
  base: string;
  review: string;
  carddav: string;
  caldav: string;
  users: Array<{ user: string; principal: string; collections: Array<{ name: string; kind: string; url: string }> }>;
}

/** Where clients and people should go, with the port actually bound (`listen: 127.0.0.1:0` picks one). */
export async function serverUrls(app: AppContext, server: Server): Promise<ServerUrls> {
  const { port } = server.address() as AddressInfo;
  const host = app.config.server.host.includes(':') ? `[${app.config.server.host}]` : app.config.server.host;
  const base = `${app.config.server.tls ? 'https' : 'http'}://${host}:${port}`;
  const cols = await app.store.listCollections();
  return {
    base, review: `${base}/`, carddav: `${base}/.well-known/carddav`, caldav: `${base}/.well-known/caldav`,
    users: Object.keys(app.config.server.users).map((user) => ({
      user,
      principal: `${base}${principalHref(user)}`,
      collections: cols.filter((x) => x.owner === user).map((c) => ({ name: c.name, kind: c.kind, url: `${base}${collectionHref(user, c.name)}` })),
    })),
  };
}

/** The human block `serve` prints and `daemon` prints on a terminal. */
export function formatUrls(u: ServerUrls, command: string): string[] {
  const lines = [`pimhub ${command}: listening on ${u.base}/`];
  lines.push(`  review page: ${u.review}  (log in with a user from server.users)`);
  lines.push(`  discovery: ${u.carddav}  ${u.caldav}  (or just ${u.base}${DAV_ROOT})`);
  for (const x of u.users) {
    lines.push(`  ${x.user}: principal ${x.principal}`);
    for (const c of x.collections) lines.push(`    ${c.kind === 'contacts' ? 'address book' : 'calendar    '} ${c.name}: ${c.url}`);
  }
  if (u.users.length === 0) lines.push('  no users under server.users: every request will get 401');
  return lines;
}

async function printUrls(app: AppContext, server: Server): Promise<void> {
  for (const line of formatUrls(await serverUrls(app, server), 'serve')) process.stdout.write(`${line}\n`);
}
