import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { PimhubConfig } from '../config/load-config.js';
import { isPimError } from '../core/errors.js';
import type { Store } from '../core/store.js';
import type { Identity } from '../sync/types.js';
import { Authenticator, type LogLevel } from './auth.js';
import { LoginThrottle, type ThrottleLimits } from './login-throttle.js';
import { readBody } from './body.js';
import type { DavContext, WriteEvent } from './context.js';
import { ListingCache } from './listing-cache.js';
import { DavError, sendError } from './dav-error.js';
import { copy } from './dav/copy.js';
import { del } from './dav/delete.js';
import { get } from './dav/get.js';
import { mkcol } from './dav/mkcol.js';
import { move } from './dav/move.js';
import { ALLOW, DAV_HEADER, options } from './dav/options.js';
import { propfind } from './dav/propfind.js';
import { proppatch } from './dav/proppatch.js';
import { put } from './dav/put.js';
import { report } from './dav/report.js';
import type { DavHandler, DavRequest } from './dav/request.js';
import { DAV_ROOT, parsePath } from './paths.js';
import type { SyncInfo } from './review/render-page.js';
import { reviewRoutes } from './review/routes.js';


export interface ServerOptions {
  store: Store;
  config: PimhubConfig;
  identity: Identity;
  now?: () => Date;
  /** Where passwordEnv variables are read (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** One line per failed request (500s), without secrets. */
  /** A wrong password is a `warn` (expected on the internet), a failed request an `error`. */
  log?: (line: string, level?: LogLevel) => void;
  /**
   * Called after a change through this server (an object PUT or DELETE, a decision changed
   * on the review page), once it is committed: `pimhub daemon` schedules a sync from it.
   */
  onWrite?: (e: WriteEvent) => void;
  /** What the scheduler says, for the review page and /healthz (`pimhub daemon` only). */
  syncInfo?: () => SyncInfo;
  /** Wrong-password limits (tests lower them); see login-throttle.ts. */
  loginLimits?: ThrottleLimits;
}

/** One handler per HTTP method (architecture principle 9). */
const HANDLERS: Record<string, DavHandler> = {
  OPTIONS: options, GET: get, HEAD: get, PUT: put, DELETE: del, PROPFIND: propfind, PROPPATCH: proppatch,
  REPORT: report, MKCOL: mkcol, MKCALENDAR: mkcol, COPY: copy, MOVE: move,
};
const WITH_BODY = new Set(['PUT', 'PROPFIND', 'PROPPATCH', 'REPORT', 'MKCOL', 'MKCALENDAR']);

/**
 * The CardDAV/CalDAV endpoint (SPEC §5) as an express app: discovery redirects, Basic
 * authentication, the body size limit, then the method's handler. Every error becomes a
 * status with a fixed message; nothing from the request (credentials above all) is echoed.
 */
export function createServer(opts: ServerOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const now = opts.now ?? (() => new Date());
  const deps = { store: opts.store, identity: opts.identity, policy: opts.config.conflict, now };
  const log = opts.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const auth = new Authenticator(opts.config.server.users, opts.env, new LoginThrottle(opts.loginLimits), log);
  const listings = new ListingCache();

  // For load balancers, systemd and monitoring: no authentication, nothing private.
  app.get('/healthz', async (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    try {
      await opts.store.listCollections();
    } catch {
      res.status(503).json({ status: 'error', store: 'unavailable' });
      return;
    }
    const sync = opts.syncInfo?.();
    res.status(200).json({ status: 'ok', store: 'ok', ...(sync ? { sync } : {}) });
  });
  app.use(reviewRoutes({ store: opts.store, config: opts.config, identity: opts.identity, auth, now, onWrite: opts.onWrite, syncInfo: opts.syncInfo }));

  app.use(async (req: Request, res: Response) => {
    try {
      res.setHeader('DAV', DAV_HEADER);
      const path = parsePath(req.originalUrl);
      if (path.type === 'well-known') {
        // RFC 6764 §5: the context path; the client then asks it for current-user-principal.
        res.redirect(301, DAV_ROOT);
        return;
      }
      const handler = Object.hasOwn(HANDLERS, req.method) ? HANDLERS[req.method]! : undefined;
      if (!handler) throw new DavError(405, 'method not supported', undefined, { Allow: ALLOW });
      const user = req.method === 'OPTIONS' ? '' : await auth.check(req.headers.authorization, req.socket.remoteAddress);
      if (user === undefined) {
        req.resume();
        throw new DavError(401, 'authentication required', undefined, { 'WWW-Authenticate': 'Basic realm="pimhub", charset="UTF-8"' });
      }
      const body = WITH_BODY.has(req.method) ? await readBody(req, opts.config.server.maxBodyBytes) : Buffer.alloc(0);
      const r: DavRequest = { method: req.method, path, body, raw: req, header: (n) => headerOf(req, n) };
      const ctx: DavContext = { store: opts.store, config: opts.config, identity: opts.identity, deps, user, now, listings, userAgent: req.headers['user-agent'] ?? '' };
      await handler(r, res, ctx);
      if ((req.method === 'PUT' || req.method === 'DELETE') && path.type === 'object' && res.statusCode < 300) {
        opts.onWrite?.({ source: 'dav', method: req.method, user, collection: path.collection });
      }
      // COPY and MOVE name the collections they changed.
      for (const collection of (res.locals.written as string[] | undefined) ?? []) opts.onWrite?.({ source: 'dav', method: req.method, user, collection });
    } catch (e) {
      if (res.headersSent) {
        // A streamed answer (src/server/multistatus-stream.ts) broken off half-way, whatever
        // the error (also a busy store when the listing is recorded as served): the client
        // must see it cut, not wait for its end or take it for whole.
        log(`pimhub serve: ${req.method} failed: ${e instanceof Error ? e.message : String(e)}`);
        res.destroy();
        return;
      }
      if (e instanceof DavError) {
        req.resume();
        return sendError(res, e);
      }
      if (isPimError(e, 'precondition-failed')) return sendError(res, new DavError(412, 'the resource changed meanwhile'));
      if (isPimError(e, 'busy')) return sendError(res, new DavError(503, 'the store is busy; try again', undefined, { 'Retry-After': '5' }));
      log(`pimhub serve: ${req.method} failed: ${e instanceof Error ? e.message : String(e)}`);
      sendError(res, new DavError(500, 'internal error'));
    }
  });
  // Errors of the routes above the DAV handler (the review page).
  app.use((e: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      log(`pimhub serve: ${req.method} ${req.path} failed: ${e instanceof Error ? e.message : String(e)}`);
      res.destroy();
      return;
    }
    if (e instanceof DavError) return sendError(res, e);
    if (isPimError(e, 'busy')) return sendError(res, new DavError(503, 'the store is busy; try again', undefined, { 'Retry-After': '5' }));
    log(`pimhub serve: ${req.method} ${req.path} failed: ${e instanceof Error ? e.message : String(e)}`);
    if (!res.headersSent) sendError(res, new DavError(500, 'internal error'));
  });
  return app;
}

function headerOf(req: Request, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}
