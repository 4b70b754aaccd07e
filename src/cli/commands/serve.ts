import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { PimError, messageOf } from '../../core/errors.js';
import { createServer } from '../../server/create-server.js';
import { collectionHref, DAV_ROOT, principalHref } from '../../server/paths.js';
import { openContext, type AppContext } from '../context.js';

/**
 * `pimhub serve`: the CardDAV/CalDAV endpoint on `server.listen` (TLS with `server.tls`),
 * until SIGINT/SIGTERM. Prints the URLs a client should be given.
 */
export async function serveCommand(opts: { config?: string }): Promise<number> {
  const app = await openContext(opts.config);
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

export async function listen(app: AppContext): Promise<Server> {
  const { server: cfg, baseDir } = app.config;
  const handler = createServer({ store: app.store, config: app.config, identity: app.identity });
  let server: Server;
  if (cfg.tls) {
    const read = (p: string, key: string) => {
      try {
        return readFileSync(isAbsolute(p) ? p : resolve(baseDir, p));
      } catch (e) {
        throw new PimError('config', `server.tls.${key}: cannot read ${p} (${messageOf(e)})`);
      }
    };
    server = createHttpsServer({ cert: read(cfg.tls.cert, 'cert'), key: read(cfg.tls.key, 'key') }, handler);
  } else {
    server = createHttpServer(handler);
  }
  await new Promise<void>((ok, fail) => {
    server.once('error', (e) => fail(new PimError('io', `cannot listen on ${cfg.host}:${cfg.port}: ${messageOf(e)}`)));
    server.listen(cfg.port, cfg.host, () => ok());
  });
  return server;
}

async function printUrls(app: AppContext, server: Server): Promise<void> {
  const { port } = server.address() as AddressInfo;
  const host = app.config.server.host.includes(':') ? `[${app.config.server.host}]` : app.config.server.host;
  const base = `${app.config.server.tls ? 'https' : 'http'}://${host}:${port}`;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`pimhub serve: listening on ${base}/`);
  out(`  discovery: ${base}/.well-known/carddav  ${base}/.well-known/caldav  (or just ${base}${DAV_ROOT})`);
  const cols = await app.store.listCollections();
  for (const user of Object.keys(app.config.server.users)) {
    out(`  ${user}: principal ${base}${principalHref(user)}`);
    for (const c of cols.filter((x) => x.owner === user)) {
      out(`    ${c.kind === 'contacts' ? 'address book' : 'calendar    '} ${c.name}: ${base}${collectionHref(user, c.name)}`);
    }
  }
  if (Object.keys(app.config.server.users).length === 0) out('  no users under server.users: every request will get 401');
}
